package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the store small (docs/api.md "Keeping the store small"): deletes finished threads once they
 * are older than their status's age, with their events, steps, tasks and webhook deliveries, and
 * prunes the event log's events older than the resume window. Each batch is a short write of its
 * own, run by a background loop, never by the engine: a large backlog costs many small
 * transactions, not one long one.
 *
 * <p>Every node may run it at once: a thread is deleted only if nobody saved it since it was read
 * (a retry made meanwhile wins), and two nodes pruning the same events prune them once.
 */
public final class RetentionService {

  private static final Logger LOG = System.getLogger(RetentionService.class.getName());

  /** What one {@link #runOnce} did. */
  public record Outcome(int threadsDeleted, long eventsPruned) {}

  private final WorkflowThreadStore threads;
  private final ThreadEventLog events;
  private final WebhookStore webhooks;
  private final Clock clock;
  private final Map<ThreadStatus, Duration> ages;
  private final Duration resumeWindow;
  private final int batchSize;

  /**
   * @param ages how long after finishing a thread of each finished status is kept; a status not in
   *     it is kept for ever
   * @param resumeWindow how long events are kept for readers to resume after them, or null to keep
   *     them all
   * @param batchSize threads deleted, or events pruned, per batch
   */
  public RetentionService(
      WorkflowThreadStore threads,
      ThreadEventLog events,
      WebhookStore webhooks,
      Clock clock,
      Map<ThreadStatus, Duration> ages,
      Duration resumeWindow,
      int batchSize) {
    this.threads = Objects.requireNonNull(threads, "threads");
    this.events = Objects.requireNonNull(events, "events");
    this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ages = ages.isEmpty() ? Map.of() : new EnumMap<>(ages);
    this.ages
        .keySet()
        .forEach(
            status -> {
              if (!status.isFinished()) {
                throw new IllegalArgumentException("only finished threads expire, not " + status);
              }
            });
    this.resumeWindow = resumeWindow;
    if (batchSize < 1) {
      throw new IllegalArgumentException("a batch holds at least one item");
    }
    this.batchSize = batchSize;
  }

  /** Whether there is anything to do at all: an age or a resume window is set. */
  public boolean isEnabled() {
    return !ages.isEmpty() || resumeWindow != null;
  }

  /** One round: every thread that has expired deleted, every event out of the window pruned. */
  public Outcome runOnce() {
    Instant now = clock.instant();
    int deleted = 0;
    for (Map.Entry<ThreadStatus, Duration> age : ages.entrySet()) {
      deleted += deleteFinishedBefore(age.getKey(), now.minus(age.getValue()), now);
    }
    long pruned = resumeWindow == null ? 0 : pruneEventsBefore(now.minus(resumeWindow));
    if (deleted > 0 || pruned > 0) {
      LOG.log(
          Level.INFO,
          "retention: deleted {0} finished thread(s), pruned {1} event(s)",
          deleted,
          pruned);
    }
    return new Outcome(deleted, pruned);
  }

  private int deleteFinishedBefore(ThreadStatus status, Instant cutoff, Instant now) {
    int deleted = 0;
    while (true) {
      List<ThreadId> batch = threads.finishedBefore(status, cutoff, batchSize);
      int deletedInBatch = 0;
      for (ThreadId id : batch) {
        if (deleteIfStillExpired(id, status, cutoff, now)) {
          deletedInBatch++;
        }
      }
      deleted += deletedInBatch;
      // a short batch was the last; one of which nothing could go (each thread changed meanwhile)
      // would come back as it was
      if (batch.size() < batchSize || deletedInBatch == 0) {
        return deleted;
      }
    }
  }

  /**
   * Deletes the thread unless it changed since it was listed (a retry, say). Its deliveries go
   * after it: a crash in between leaves delivery records of a deleted thread, which go with their
   * events once the resume window has passed them, never deliveries of a thread that stays.
   */
  private boolean deleteIfStillExpired(
      ThreadId id, ThreadStatus status, Instant cutoff, Instant now) {
    Optional<WorkflowThread> found = threads.find(id);
    if (found.isEmpty()) {
      return false;
    }
    WorkflowThread thread = found.get();
    if (thread.status() != status
        || thread.finishedAt() == null
        || !thread.finishedAt().isBefore(cutoff)) {
      return false;
    }
    thread.delete(Caller.ENGINE_ACTOR, now);
    if (!threads.deleteUnchanged(thread)) {
      return false;
    }
    webhooks.deleteDeliveriesOf(id);
    return true;
  }

  private long pruneEventsBefore(Instant cutoff) {
    long pruned = 0;
    int batch;
    while ((batch = events.pruneBefore(cutoff, batchSize)) > 0) {
      pruned += batch;
    }
    // every round, not only when it pruned: a crash may have come between the two
    long prunedUpTo = events.prunedUpTo();
    if (prunedUpTo > 0) {
      webhooks.deleteDeliveriesUpTo(prunedUpTo);
    }
    return pruned;
  }
}
