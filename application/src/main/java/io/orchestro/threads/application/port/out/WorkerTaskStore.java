package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tasks of {@code worker} steps. A thread's tasks go when the thread is deleted. */
public interface WorkerTaskStore {

  /**
   * Stores a new task, unless its attempt has one already.
   *
   * @return the attempt's task as stored: this one, or the one stored before
   */
  WorkerTask offer(WorkerTask task);

  Optional<WorkerTask> find(UUID taskId);

  /** The task of one attempt at a step, if it was offered. */
  Optional<WorkerTask> findAttempt(ThreadId threadId, String step, int attempt);

  /** Every task offered for the steps of this thread, oldest first. */
  List<WorkerTask> ofThread(ThreadId threadId);

  /**
   * Leases up to {@code max} queued tasks of these queues to {@code workerId}, oldest first,
   * skipping tasks that other pollers are taking at the same moment.
   *
   * @param owner only tasks of that owner's threads, or null for every owner's
   */
  List<WorkerTask> lease(
      Collection<String> queues, String workerId, Instant now, int max, String owner);

  /** {@link #lease(Collection, String, Instant, int, String)} of every owner's tasks. */
  default List<WorkerTask> lease(Collection<String> queues, String workerId, Instant now, int max) {
    return lease(queues, workerId, now, max, null);
  }

  /**
   * Saves a change to a task, compare-and-swap: only when nobody saved it since {@code changed}'s
   * version was read.
   *
   * @return false when someone did (or the task is gone): nothing was changed
   */
  boolean update(WorkerTask changed);
}
