package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.StepProgressReports;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns what steps in flight say about their progress (an {@code llm} answer so far, a worker's
 * heartbeat text, any agent's {@code StepContext.progress}) into {@code step_progress} events,
 * coalesced: the first report of a step is written at once, later ones at most once per {@code
 * interval}, each write carrying only the newest text. Reporting never waits for a write (writes
 * run on this publisher's own threads), so progress never slows a step down; a client may miss an
 * intermediate text, never the last one: the engine {@link #settle settles} the step before it
 * records the step's result.
 *
 * <p>A write reads the thread first: the event carries its status and progress, and a report about
 * an attempt that no longer runs (finished, superseded, its thread deleted) is dropped.
 */
public final class StepProgressPublisher implements StepProgressReports, AutoCloseable {

  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);

  /** A longer text is cut to its last this many characters: the growing end is what is new. */
  static final int MAX_DETAIL_CHARS = 10_000;

  private static final Logger LOG = System.getLogger(StepProgressPublisher.class.getName());

  private final ThreadEventLog log;
  private final ThreadClaims threads;
  private final Clock clock;
  private final long intervalMillis;
  private final Map<StepKey, Reports> reports = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor writers;

  /**
   * @param threads where the thread a report is about is read, for its status and progress
   */
  public StepProgressPublisher(
      ThreadEventLog log, ThreadClaims threads, Clock clock, Duration interval) {
    this.log = log;
    this.threads = threads;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    this.writers =
        new ScheduledThreadPoolExecutor(
            2,
            task -> {
              Thread thread = new Thread(task, "orchestro-step-progress");
              thread.setDaemon(true);
              return thread;
            });
    writers.setRemoveOnCancelPolicy(true);
  }

  /** A publisher that publishes nothing, for an engine whose steps' progress nobody watches. */
  public static StepProgressPublisher discarding() {
    return new StepProgressPublisher(null, null, Clock.systemUTC(), DEFAULT_INTERVAL);
  }

  /** The step's attempt has come this far; returns at once. */
  @Override
  public void report(ThreadId threadId, String step, int attempt, String detail) {
    if (log == null || detail == null) {
      return;
    }
    StepKey key = new StepKey(threadId, step);
    while (true) {
      Reports reported = reports.computeIfAbsent(key, Reports::new);
      synchronized (reported) {
        if (reported.retired) {
          // it went quiet and was let go just now: start afresh
          continue;
        }
        reported.newest = detail;
        reported.newestAttempt = attempt;
        if (!reported.writing) {
          reported.writing = true;
          try {
            writers.execute(reported::writeOnSchedule);
          } catch (RejectedExecutionException closed) {
            // shutting down: the report is not published
          }
        }
        return;
      }
    }
  }

  /**
   * Writes the step's newest unwritten report now, on the caller's thread, after any write in
   * progress: the engine calls this once the attempt ended and before it records the result, so the
   * last progress comes before {@code step_completed}.
   */
  public void settle(ThreadId threadId, String step) {
    Reports reported = reports.get(new StepKey(threadId, step));
    if (reported != null) {
      reported.writeNewest();
    }
  }

  @Override
  public void close() {
    writers.shutdownNow();
  }

  private record StepKey(ThreadId threadId, String step) {}

  /** The reports of one step; {@code this} guards the fields, {@link #writeLock} the writes. */
  private final class Reports {
    private final StepKey key;
    private final ReentrantLock writeLock = new ReentrantLock();
    private String newest;
    private int newestAttempt;

    /** True while a write is due or being made: a report then only replaces the newest text. */
    private boolean writing;

    /** Let go after a quiet interval: a report finding it so starts a new one. */
    private boolean retired;

    Reports(StepKey key) {
      this.key = key;
    }

    /** Writes the newest report, then looks again an interval later, or lets go when quiet. */
    void writeOnSchedule() {
      boolean wrote = writeNewest();
      synchronized (this) {
        if (!wrote && newest == null) {
          writing = false;
          retired = true;
          reports.remove(key, this);
          return;
        }
      }
      try {
        writers.schedule(this::writeOnSchedule, intervalMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shutDown) {
        // closing: nothing more is written
      }
    }

    /**
     * @return whether there was a report to write
     */
    boolean writeNewest() {
      writeLock.lock();
      try {
        String detail;
        int attempt;
        synchronized (this) {
          detail = newest;
          attempt = newestAttempt;
          newest = null;
        }
        if (detail == null) {
          return false;
        }
        append(key, attempt, detail);
        return true;
      } finally {
        writeLock.unlock();
      }
    }
  }

  private void append(StepKey key, int attempt, String detail) {
    try {
      WorkflowThread thread = threads.find(key.threadId()).orElse(null);
      ThreadStep step = thread == null ? null : thread.step(key.step()).orElse(null);
      if (step == null || step.status() != StepStatus.RUNNING || step.attempts() != attempt) {
        return;
      }
      log.appendProgress(
          ThreadEvent.stepProgress(
              key.threadId(),
              clock.instant(),
              thread.status(),
              key.step(),
              thread.progress(),
              attempt,
              bounded(detail),
              thread.owner()));
    } catch (RuntimeException storeTrouble) {
      // progress is worth a line in the log, not a failed step
      LOG.log(
          Level.WARNING,
          "thread " + key.threadId() + " step " + key.step() + ": progress not published",
          storeTrouble);
    }
  }

  static String bounded(String detail) {
    return detail.length() <= MAX_DETAIL_CHARS
        ? detail
        : "…" + detail.substring(detail.length() - MAX_DETAIL_CHARS + 1);
  }
}
