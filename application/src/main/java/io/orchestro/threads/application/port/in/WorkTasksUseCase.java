package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.WorkerTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The task API of {@code worker} steps (docs/api.md "worker"): outside workers poll for tasks,
 * heartbeat while they work, and complete or fail them.
 */
public interface WorkTasksUseCase {

  /**
   * Up to {@code max} tasks of these queues, leased to the worker: at once when there are some,
   * else as soon as one arrives within {@code wait}; an empty list when none did. Only tasks of
   * threads the caller sees.
   */
  CompletableFuture<List<WorkerTask>> poll(Caller caller, PollTasksCommand command);

  /**
   * The worker is still at it. Once its thread is paused, finished or deleted, or the attempt
   * superseded, the answer asks it to stop; a task of a deleted thread is known only to the node
   * that leased it or took its heartbeats, until its lease would have run out.
   *
   * @throws TaskNotFoundException when there is no such task, or its thread is one the caller does
   *     not see
   * @throws TaskConflictException when the worker no longer holds it
   */
  Lease heartbeat(Caller caller, UUID taskId, String progress);

  /**
   * @throws TaskNotFoundException when there is no such task
   * @throws TaskConflictException when the attempt was superseded, cancelled or timed out, its
   *     thread deleted, or the task was finished already: nothing was changed
   */
  void complete(Caller caller, UUID taskId, Map<String, Object> output);

  /** As {@link #complete}, with the attempt failed; a retryable failure may be tried again. */
  void fail(Caller caller, UUID taskId, String error, boolean retryable);

  /**
   * @param waitFor how long to wait for a task when none is queued, at most {@link #LONGEST_WAIT}
   */
  record PollTasksCommand(List<String> queues, String workerId, int max, Duration waitFor) {

    public static final int MOST_TASKS = 100;

    public PollTasksCommand {
      if (queues == null
          || queues.isEmpty()
          || queues.stream().anyMatch(q -> q == null || q.isBlank())) {
        throw new IllegalArgumentException("'queues' must name at least one queue");
      }
      if (workerId == null || workerId.isBlank() || workerId.length() > 200) {
        throw new IllegalArgumentException("'worker_id' must be 1 to 200 characters");
      }
      if (max < 1 || max > MOST_TASKS) {
        throw new IllegalArgumentException("'max' must be between 1 and " + MOST_TASKS);
      }
      if (waitFor == null || waitFor.isNegative() || waitFor.compareTo(LONGEST_WAIT) > 0) {
        throw new IllegalArgumentException("'wait_millis' must be between 0 and 60000");
      }
      queues = List.copyOf(queues);
    }
  }

  Duration LONGEST_WAIT = Duration.ofSeconds(60);

  /** A heartbeat's answer. */
  record Lease(Instant leaseUntil, boolean cancelRequested) {}
}
