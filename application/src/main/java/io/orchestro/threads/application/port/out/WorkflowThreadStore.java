package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where threads are kept. Each write stores the thread together with the events it recorded, all or
 * nothing.
 */
public interface WorkflowThreadStore {

  /**
   * Stores a new thread.
   *
   * @return the thread as stored (version 0 onwards, no unsaved events)
   * @throws DuplicateThreadException when the id is taken
   */
  WorkflowThread insert(WorkflowThread thread);

  /** Whether this store can store a new thread claimed ({@link #insertClaimed}). */
  default boolean insertsClaimed() {
    return false;
  }

  /**
   * Stores a new thread as {@link #insert} does, claimed by {@code owner} until {@code leaseUntil}
   * in the same write, as {@link ThreadClaims#claim} would claim it: the engine that creates a
   * thread runs it without a claim of its own. Only for a store that {@link #insertsClaimed}.
   *
   * @return the thread as stored
   * @throws DuplicateThreadException when the id is taken
   */
  default WorkflowThread insertClaimed(WorkflowThread thread, String owner, Instant leaseUntil) {
    throw new UnsupportedOperationException("this store stores no claim with a new thread");
  }

  /**
   * Stores new threads all or nothing: after a crash either every one of them is there or none is.
   *
   * @param threads with ids that differ from each other
   * @return the threads as stored, in the order given
   * @throws DuplicateThreadException when an id is taken; then none of them is stored
   */
  List<WorkflowThread> insertAll(List<WorkflowThread> threads);

  /**
   * Stores new threads as {@link #insertAll} does, those with a lease given claimed by {@code
   * owner} until then, as {@link #insertClaimed} stores one. Only for a store that {@link
   * #insertsClaimed}.
   *
   * @param leaseUntil for each thread, in the same order, the end of its claim, or null to store it
   *     unclaimed
   */
  default List<WorkflowThread> insertAllClaimed(
      List<WorkflowThread> threads, String owner, List<Instant> leaseUntil) {
    throw new UnsupportedOperationException("this store stores no claim with a new thread");
  }

  /**
   * Saves the changes made to a loaded thread, provided nobody saved it since it was loaded. A
   * change that finishes the thread (a cancel) also ends any engine's claim on it, so that the node
   * working on it learns at its next claim check that it must stop.
   *
   * @return the thread as stored, with its new version
   * @throws ConcurrentThreadUpdateException when the stored version moved on or the thread is gone
   */
  WorkflowThread update(WorkflowThread thread);

  Optional<WorkflowThread> find(ThreadId id);

  /**
   * Removes a thread whatever its version: deleting wins over any concurrent change. Its worker
   * tasks go with it; those that a worker holds leave a {@link WorkerTaskStore.CancelledTask mark}
   * until their lease would have run out (as of the deletion, {@link
   * WorkflowThread#lastUpdated()}), and the marks of earlier deletes whose lease has run out by
   * then are removed.
   *
   * @return false when it was not there
   */
  boolean delete(WorkflowThread thread);

  /**
   * Up to {@code limit} threads in {@code status} (a finished one) that finished before {@code
   * before}, those that finished first first: what retention deletes.
   */
  List<ThreadId> finishedBefore(ThreadStatus status, Instant before, int limit);

  /**
   * Removes a thread with its stored events (those it records now, its {@code thread_deleted},
   * excepted: they are appended), provided nobody saved it since it was loaded: retention's delete,
   * which must lose to a retry or any other change made meanwhile. Its tasks go as with {@link
   * #delete}.
   *
   * @return false when it changed meanwhile or is gone: nothing was removed
   */
  boolean deleteUnchanged(WorkflowThread thread);

  /** A page of threads, newest first (by creation time, then id), with the total count. */
  ThreadPage list(ListThreadsQuery query);

  /** Where a thread stands in creation order: oldest first, ties by id as text. */
  record Cursor(Instant createdAt, ThreadId id) {}

  /**
   * The positions of up to {@code limit} threads that match {@code filter} (its filters only; its
   * order and page are ignored), oldest first, after {@code after} (null: from the first). A reader
   * that pages with the last position it got sees every matching thread once, however the threads
   * already read change meanwhile: what bulk changes page through.
   */
  List<Cursor> positionsAfter(ListThreadsQuery filter, Cursor after, int limit);

  /**
   * How many threads are stored in each status, in one cheap pass (for metrics): every status is a
   * key, with 0 when no thread has it.
   */
  Map<ThreadStatus, Long> countByStatus();
}
