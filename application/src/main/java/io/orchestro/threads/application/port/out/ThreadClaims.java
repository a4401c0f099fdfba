package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which engine works on which thread. A claim has an owner (a node id) and a time until which
 * nobody else may take the thread: the owner's lease while it works, which it keeps renewing, or
 * the end of a retry backoff after it let go. A thread is claimable when that time has passed (or
 * was never set) and it is pending or running, or still claimed by an owner that stopped renewing
 * (a crash).
 */
public interface ThreadClaims {

  /**
   * The thread as stored now, claimed or not: what an owner reloads when its fenced write lost a
   * race with a person's change.
   */
  Optional<WorkflowThread> find(ThreadId id);

  /**
   * {@link #find} of several threads, in one read where the store can: what a poll checks the tasks
   * it leased against.
   *
   * @return the threads still stored, by id; those gone are left out
   */
  default Map<ThreadId, WorkflowThread> findAll(Collection<ThreadId> ids) {
    Map<ThreadId, WorkflowThread> found = new HashMap<>();
    for (ThreadId id : ids) {
      find(id).ifPresent(thread -> found.put(id, thread));
    }
    return found;
  }

  /**
   * Claims up to {@code limit} claimable threads for {@code owner} until {@code leaseUntil},
   * highest priority first and, among equals, oldest first, skipping threads that other claimers
   * are taking at the same moment. A thread whose {@link WorkflowThread#startAt()} is ahead is not
   * claimable before then: a store keeps it as a claim that no owner holds until that time.
   */
  List<WorkflowThread> claim(String owner, Instant now, Instant leaseUntil, int limit);

  /**
   * When the next thread that waits with no owner (its start time or a retry backoff ahead) becomes
   * claimable: the engine sleeps until then rather than a whole poll interval.
   *
   * @return the earliest such time after {@code now}, or empty when no thread waits so
   */
  Optional<Instant> nextClaimableAt(Instant now);

  /**
   * Extends the owner's claims on these threads.
   *
   * @return the ids the owner still holds; the others were taken over or deleted
   */
  Set<ThreadId> renew(String owner, Collection<ThreadId> ids, Instant leaseUntil);

  /**
   * Which of these threads the owner holds, without extending anything: a read, cheap enough for an
   * owner to ask far more often than it renews, to learn soon that a thread was deleted or taken
   * over through another node.
   *
   * @return the ids the owner still holds
   */
  default Set<ThreadId> held(String owner, Collection<ThreadId> ids) {
    return new HashSet<>(heldStatuses(owner, ids).keySet());
  }

  /**
   * {@link #held}, with the status each thread the owner holds is stored in, in the same read: a
   * pause made through another node leaves the claim with its owner (the step in flight finishes
   * there), and this is how the owner learns of it.
   *
   * @return the ids the owner still holds, each with its stored status
   */
  Map<ThreadId, ThreadStatus> heldStatuses(String owner, Collection<ThreadId> ids);

  /**
   * Saves the owner's changes to a claimed thread, fenced: only while the owner still holds the
   * claim and nobody saved the thread since it was loaded. Once the thread needs no worker any more
   * ({@link WorkflowThread#isSettled()}), the claim is released in the same write.
   *
   * @throws ClaimLostException when another owner holds the thread, or it is gone
   * @throws ConcurrentThreadUpdateException when someone else saved it in between (a person's
   *     pause, say) while the owner still holds it: reload and apply the change again
   */
  WorkflowThread updateIfHeld(WorkflowThread thread, String owner);

  /**
   * Gives up the owner's claim without changing the thread.
   *
   * @param notBefore when the thread may be claimed again (the end of a retry backoff), or null for
   *     at once
   */
  void release(ThreadId id, String owner, Instant notBefore);

  /**
   * Makes a thread that nobody holds claimable at once: what a parked attempt waits for has come
   * (an outside worker finished its task). A thread some owner holds is left as it is.
   *
   * @return true when this made the thread claimable now; false when an owner holds it, or nothing
   *     held it back
   */
  boolean wake(ThreadId id);

  /**
   * Ends every claim held by another owner at once: a single-node store calls this at start-up,
   * when the only other owner can be this node's previous, dead run.
   *
   * @return how many claims were ended
   */
  int expireOtherOwners(String owner);
}
