package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tasks of {@code worker} steps. A thread's tasks go when the thread is deleted; those a worker
 * held then leave a {@link CancelledTask mark} until their lease would have run out.
 */
public interface WorkerTaskStore {

  /**
   * A task that a worker held when its thread was deleted (the task went with the thread): until
   * {@code leaseUntil}, its worker is told to stop and its result is refused, by every node sharing
   * the store and after a restart.
   *
   * @param owner the deleted thread's owner: only callers who see it learn of the task
   * @param leaseUntil when the worker's lease would have run out
   */
  record CancelledTask(UUID taskId, String owner, Instant leaseUntil) {}

  /**
   * Stores a new task, unless its attempt has one already.
   *
   * @return the attempt's task as stored: this one, or the one stored before
   */
  WorkerTask offer(WorkerTask task);

  Optional<WorkerTask> find(UUID taskId);

  /**
   * The mark that a task's thread was deleted while a worker held it. The thread store writes it
   * with the delete ({@link WorkflowThreadStore#delete}) and a later delete removes it once its
   * lease has run out, so a mark may still be found after that: callers compare its lease with the
   * time.
   */
  Optional<CancelledTask> findCancelled(UUID taskId);

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
