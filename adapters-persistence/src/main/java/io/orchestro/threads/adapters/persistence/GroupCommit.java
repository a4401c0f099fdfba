package io.orchestro.threads.adapters.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes that many callers hand over one at a time, written by a few writer threads in batches:
 * each writer takes whatever writes are waiting (up to {@code maxBatch}) and writes them in one
 * transaction. No collection window: a write that arrives while the writers are idle goes at once,
 * alone; under load, the writes that arrive while a batch is being written make up the next one. A
 * caller's {@link #submit} returns once its write is durable. Used by both stores for the engine's
 * step writes.
 *
 * @param <T> what is written
 * @param <R> what a write gives back
 */
public final class GroupCommit<T, R> implements AutoCloseable {

  /** One caller's write, waiting for its batch; the batch's writer completes it. */
  public static final class Pending<T, R> {
    private final T item;
    private final CompletableFuture<R> done = new CompletableFuture<>();

    Pending(T item) {
      this.item = item;
    }

    public T item() {
      return item;
    }

    public void succeed(R result) {
      done.complete(result);
    }

    public void fail(RuntimeException refused) {
      done.completeExceptionally(refused);
    }

    /** What the write gave back, once written. */
    public CompletableFuture<R> done() {
      return done;
    }
  }

  private static final long CLOSE_CHECK_MILLIS = 200;

  private final BlockingQueue<Pending<T, R>> waiting = new LinkedBlockingQueue<>();
  private final int maxBatch;
  private final Consumer<List<Pending<T, R>>> writeBatch;
  private final String name;
  private final int writers;
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * @param writeBatch writes a batch in one transaction and completes each of its writes; what it
   *     throws fails every write it left open
   */
  public GroupCommit(
      String name, int writers, int maxBatch, Consumer<List<Pending<T, R>>> writeBatch) {
    if (writers < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("a group commit needs a writer and room for a write");
    }
    this.name = name;
    this.writers = writers;
    this.maxBatch = maxBatch;
    this.writeBatch = writeBatch;
  }

  /**
   * The writers start with the first write: a store that the engine never writes through needs
   * none.
   */
  private synchronized void startWriters() {
    if (started) {
      return;
    }
    for (int i = 1; i <= writers; i++) {
      Thread writer = new Thread(this::write, name + "-" + i);
      // the store's owner closes it; a writer must not keep a JVM alive that is going away
      writer.setDaemon(true);
      writer.start();
    }
    started = true;
  }

  /**
   * Hands the write over and waits until its batch is written.
   *
   * @return what the write gave back
   * @throws RuntimeException what the write was refused with
   */
  public R submit(T item) {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
    if (!started) {
      startWriters();
    }
    Pending<T, R> pending = new Pending<>(item);
    waiting.add(pending);
    try {
      // not interruptible: the write may be committed already, and its caller must learn so
      return pending.done().join();
    } catch (CompletionException refused) {
      if (refused.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw refused;
    }
  }

  /**
   * Writes {@code items} as one batch through {@code writeBatch}, as a writer would write them had
   * they been waiting together: for tests, which cannot time a batch's make-up from outside.
   *
   * @return each item's outcome, in their order
   */
  public static <T, R> List<CompletableFuture<R>> asOneBatch(
      List<T> items, Consumer<List<Pending<T, R>>> writeBatch) {
    List<Pending<T, R>> pendings = items.stream().map(item -> new Pending<T, R>(item)).toList();
    writeBatch.accept(pendings);
    return pendings.stream().map(Pending::done).toList();
  }

  private void write() {
    List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
    while (!closed) {
      Pending<T, R> first;
      try {
        // a timed wait to see a close: an interrupt could break a write in flight (H2 closes its
        // file when a thread writing to it is interrupted)
        first = waiting.poll(CLOSE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException notOurs) {
        Thread.currentThread().interrupt();
        break;
      }
      if (first == null) {
        continue;
      }
      batch.add(first);
      waiting.drainTo(batch, maxBatch - 1);
      try {
        writeBatch.accept(batch);
      } catch (RuntimeException failed) {
        batch.forEach(pending -> pending.fail(failed));
      } finally {
        batch.clear();
      }
    }
    // closed: nobody will write what is still waiting
    Pending<T, R> left;
    while ((left = waiting.poll()) != null) {
      left.fail(new IllegalStateException("the store is closed"));
    }
  }

  /** Stops the writers once their batches are written; writes still waiting fail. */
  @Override
  public void close() {
    closed = true;
  }
}
