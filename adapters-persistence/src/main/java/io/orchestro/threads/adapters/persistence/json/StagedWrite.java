package io.orchestro.threads.adapters.persistence.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file write made in three moves, so that a batch of them can be forced to the disk together: the
 * bytes are written (not yet forced), then {@link #force} (which several writes may do at once),
 * then {@link #commit}. Either an append at a known end of a file (a step log's line: forcing it is
 * its commit point) or a new content written to a temporary file next to the target (a thread file:
 * the rename in {@link #commit} is its commit point). {@link #abandon} undoes what is not
 * committed: it cuts the append off again, or deletes the temporary file.
 */
final class StagedWrite {

  private final FileChannel channel;
  private final Path target;

  /** The temporary file renamed over the target at commit; null for an append. */
  private final Path temp;

  /** Where an append began: the file is cut back there if the append is abandoned. */
  private final long appendedAt;

  private StagedWrite(FileChannel channel, Path target, Path temp, long appendedAt) {
    this.channel = channel;
    this.target = target;
    this.temp = temp;
    this.appendedAt = appendedAt;
  }

  /**
   * Writes {@code bytes} at {@code position} of {@code file} (created if missing), cutting off what
   * lies there beyond it first (what a failed append left behind).
   */
  static StagedWrite append(Path file, long position, byte[] bytes) throws IOException {
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (channel.size() > position) {
        channel.truncate(position);
      }
      write(channel, bytes, position);
      return new StagedWrite(channel, file, null, position);
    } catch (IOException | RuntimeException failed) {
      channel.close();
      throw failed;
    }
  }

  /**
   * Writes {@code content} to a new temporary file next to {@code file}, to replace it at commit.
   */
  static StagedWrite replacing(Path file, byte[] content) throws IOException {
    // hidden, next to its target, unique even if a crashed run left one behind
    Path temp =
        file.resolveSibling(
            "."
                + file.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + AtomicFiles.TEMP_SUFFIX);
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      write(channel, content, 0);
      return new StagedWrite(channel, file, temp, 0);
    } catch (IOException | RuntimeException failed) {
      channel.close();
      Files.deleteIfExists(temp);
      throw failed;
    }
  }

  private static void write(FileChannel channel, byte[] bytes, long position) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  /** Forces the written bytes to the disk. */
  void force() throws IOException {
    channel.force(temp != null);
  }

  /**
   * Closes the file; a replacement is renamed over its target, which makes it the file (its commit
   * point; only this can fail). The directory is not forced: the caller forces it once for every
   * write of its batch.
   */
  void commit() throws IOException {
    if (temp == null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the line is on the disk: forcing it was the commit point
      }
      return;
    }
    channel.close();
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Undoes a write that is not committed, as far as it can; never throws. */
  void abandon() {
    try {
      if (temp == null && channel.isOpen()) {
        channel.truncate(appendedAt);
      }
    } catch (IOException ignored) {
      // the log's state still ends before it: the next append writes over it
    }
    try {
      channel.close();
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    } catch (IOException ignored) {
      // a leftover temporary file is deleted at the next start-up
    }
  }

  /** Stages, forces and commits one write; abandons it when any of that fails. */
  static void writeNow(StagedWrite staged) {
    try {
      staged.force();
      staged.commit();
    } catch (IOException failed) {
      staged.abandon();
      throw new UncheckedIOException("could not write " + staged.target, failed);
    }
  }

  /**
   * Forces every write at once, each on a thread of {@code forcing}, so that the file system can
   * put their flushes in one journal commit.
   *
   * @throws IOException the first failure; then which of them reached the disk is unknown
   */
  static void forceAll(List<StagedWrite> writes, ExecutorService forcing) throws IOException {
    if (writes.size() == 1) {
      writes.get(0).force();
      return;
    }
    List<Future<Void>> forced = new ArrayList<>(writes.size());
    for (StagedWrite write : writes) {
      forced.add(
          forcing.submit(
              () -> {
                write.force();
                return null;
              }));
    }
    try {
      for (Future<Void> each : forced) {
        each.get();
      }
    } catch (ExecutionException failed) {
      forced.forEach(each -> each.cancel(false));
      if (failed.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(failed.getCause());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forcing a batch of writes", interrupted);
    }
  }

  /** Threads for {@link #forceAll}: daemons, made as needed and ended after a minute idle. */
  static ExecutorService forcingThreads() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, "orchestro-json-force-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
