package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;

/**
 * The engine's writes of the threads this node holds: step starts and results, each fenced by the
 * node's claim (the store may gather the writes of many threads into one commit), and the release
 * of a claim.
 */
final class ThreadWriter {

  // one logger name for all of the engine's lines, whichever of its parts writes them
  private static final Logger LOG = System.getLogger(ThreadEngine.class.getName());

  private final ThreadClaims claims;
  private final String nodeId;

  ThreadWriter(ThreadClaims claims, String nodeId) {
    this.claims = claims;
    this.nodeId = nodeId;
  }

  /**
   * Saves the thread while this node holds it.
   *
   * @return the thread as saved
   * @throws ConcurrentThreadUpdateException when someone saved it in between: {@link #reload}
   * @throws ClaimLostException when this node no longer holds it
   */
  WorkflowThread save(WorkflowThread thread) {
    return claims.updateIfHeld(thread, nodeId);
  }

  /** The thread as stored now, after a save that lost a race with a person's change. */
  WorkflowThread reload(ThreadId id) {
    return claims.find(id).orElseThrow(() -> new ClaimLostException(id, nodeId));
  }

  /** Lets go of the thread until {@code notBefore}, or null for at once. */
  void release(ThreadId id, Instant notBefore) {
    try {
      claims.release(id, nodeId, notBefore);
    } catch (RuntimeException storeTrouble) {
      // the claim simply expires with its lease
      LOG.log(Level.WARNING, "thread " + id + ": releasing its claim failed", storeTrouble);
    }
  }
}
