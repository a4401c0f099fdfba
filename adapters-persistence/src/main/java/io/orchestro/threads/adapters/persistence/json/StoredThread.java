package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;

/**
 * A thread as this store keeps it: the thread (with its version) and the engine's claim on it.
 *
 * @param claimOwner the node that works on the thread, or null
 * @param claimUntil until when nobody else may claim it (the owner's lease, or the end of a retry
 *     backoff once it let go), or null
 */
record StoredThread(ThreadSnapshot snapshot, String claimOwner, Instant claimUntil) {

  ThreadId id() {
    return snapshot.id();
  }

  long version() {
    return snapshot.version();
  }

  /** A fresh aggregate each time: callers change what they get. */
  WorkflowThread restore() {
    return WorkflowThread.restore(snapshot);
  }

  StoredThread withClaim(String owner, Instant until) {
    return new StoredThread(snapshot, owner, until);
  }

  /**
   * True when the engine may have to claim it, now or later: it may run, or it was left claimed
   * (perhaps paused with a step in flight when its owner died). As in the database's claim query.
   */
  boolean mayNeedAWorker() {
    return snapshot.status().isActive() || claimOwner != null;
  }

  /** True when nobody holds it at {@code now} (and no backoff keeps it waiting). */
  boolean claimEndedBy(Instant now) {
    return claimUntil == null || !claimUntil.isAfter(now);
  }
}
