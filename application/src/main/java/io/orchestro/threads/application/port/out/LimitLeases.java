package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The places taken under limits, shared by every node of one store. A place under a concurrency
 * limit is a lease that its node renews while the attempt runs, so that a dead node's places free
 * themselves; a start under a rate is a mark that counts until the rate's period has passed.
 */
public interface LimitLeases {

  /**
   * Takes one place under every limit given, all of them or none, for {@code holder} (an id unique
   * to this take): a lease until {@code leaseUntil} under each concurrency limit, a mark under each
   * rate.
   *
   * @param limits in the order of their keys, so that takers never wait on each other in a circle
   * @return empty when taken; otherwise which limit refused and when to try again
   */
  Optional<Refusal> take(
      List<Limit> limits, String holder, String owner, Instant now, Instant leaseUntil);

  /** Frees the holder's places under the concurrency limits; its rate marks keep counting. */
  void giveBack(List<Limit> limits, String holder);

  /** Extends the owner's leases of these holders that have not expired yet. */
  void renew(String owner, Collection<String> holders, Instant now, Instant leaseUntil);

  /**
   * Frees every concurrency lease held by another owner at once: a single-node store calls this at
   * start-up, when the only other owner can be this node's previous, dead run.
   */
  void expireOtherOwners(String owner);

  /**
   * Refuses every place under {@code limit} until {@code until}: what a service said when it
   * answered 429 with a {@code Retry-After}.
   */
  void holdBack(Limit limit, Instant until);

  /**
   * Notes that {@code limit} refused a place to the thread at {@code now}, unless a refusal since
   * the thread last got its places is noted already: the start of its wait, which every node sees,
   * so that the node that finally runs the thread measures the wait from the first refusal on any
   * node.
   */
  void refused(ThreadId thread, String limit, Instant now);

  /**
   * Ends the thread's wait: it got its places, or is gone.
   *
   * @return the first refusal noted since the thread last got its places, if any
   */
  Optional<Wait> waitEnded(ThreadId thread);

  /**
   * @param limit the key of the limit that first refused the thread
   * @param since when it did
   */
  record Wait(String limit, Instant since) {}

  /**
   * @param limit the key of the limit that refused
   * @param retryAt when a place may be free: the end of a rate's period or of a hold-back; null for
   *     a concurrency limit, whose places free when their attempts end
   */
  record Refusal(String limit, Instant retryAt) {}
}
