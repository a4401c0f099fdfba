package io.orchestro.threads.application.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A daemon thread that runs one round of work each time it is woken, and at the latest one poll
 * interval after its last round. The event numbering, the event broadcaster and the webhook
 * dispatcher all work this way: woken right after this node's commits, polling as the safety net
 * that brings other nodes' work (and anything a wake-up missed).
 *
 * <p>A round that throws (the database is away, say) does not end the loop: the next wake-up or
 * poll tries again. The failure is logged once, and its end once, not at every poll.
 */
public final class WakeableLoop implements AutoCloseable {

  private static final Logger LOG = System.getLogger(WakeableLoop.class.getName());

  /** One round of work. */
  @FunctionalInterface
  public interface Round {
    /**
     * @param woken whether {@link #wake()} asked for this round; false for the first round and when
     *     the poll interval ran out
     */
    void run(boolean woken);
  }

  private final String name;
  private final Duration pollInterval;
  private final Round round;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private boolean wakeRequested;
  private boolean running;
  private Thread thread;

  /** Only the loop's thread uses it: whether its last round failed. */
  private boolean failing;

  /**
   * @param name the thread's name, also used in the log lines about failed rounds
   */
  public WakeableLoop(String name, Duration pollInterval, Round round) {
    this.name = Objects.requireNonNull(name, "name");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.round = Objects.requireNonNull(round, "round");
  }

  /**
   * Starts the thread. Its first round runs at once, as an unwoken one (work left from before the
   * start is found as the poll would find it). Starting again does nothing.
   */
  public void start() {
    lock.lock();
    try {
      if (running) {
        return;
      }
      running = true;
      thread = new Thread(this::runUntilClosed, name);
      thread.setDaemon(true);
      thread.start();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks for a round now rather than at the next poll; wake-ups during a round ask for one more.
   */
  public void wake() {
    lock.lock();
    try {
      wakeRequested = true;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * False once the loop's thread has died while it should run: a round threw an {@link Error} (out
   * of memory, say), which nothing here catches. Before its start and after its close, true.
   */
  public boolean isAlive() {
    lock.lock();
    try {
      return !running || thread.isAlive();
    } finally {
      lock.unlock();
    }
  }

  /** Stops the loop and waits (up to 10 s) for a round in progress to end. */
  @Override
  public void close() {
    Thread stopping;
    lock.lock();
    try {
      running = false;
      stopping = thread;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
    if (stopping != null && stopping != Thread.currentThread()) {
      try {
        stopping.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void runUntilClosed() {
    runRound(false);
    while (true) {
      boolean woken;
      lock.lock();
      try {
        if (!wakeRequested && running) {
          wakeUp.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (!running) {
          return;
        }
        woken = wakeRequested;
        wakeRequested = false;
      } catch (InterruptedException interrupted) {
        return;
      } finally {
        lock.unlock();
      }
      runRound(woken);
    }
  }

  private void runRound(boolean woken) {
    try {
      round.run(woken);
      if (failing) {
        failing = false;
        LOG.log(Level.INFO, "{0}: working again", name);
      }
    } catch (RuntimeException failed) {
      if (!failing) {
        failing = true;
        LOG.log(
            Level.WARNING,
            name + ": a round failed; trying again at the next wake-up or poll",
            failed);
      }
    }
  }
}
