package io.orchestro.threads.application.port.out;

import java.time.Instant;

/**
 * An agent's word that its attempt has nothing to do until {@code until}: a long wait, or work
 * handed to someone else. The engine records the time, lets go of the thread, and calls the agent
 * again for the same attempt then (or sooner, when something the attempt waits for arrives), with
 * {@link StepContext#dueAt()} set. A waiting attempt holds no running slot, however long it waits.
 */
public final class AttemptParkedException extends RuntimeException {

  private final Instant until;

  public AttemptParkedException(Instant until) {
    super("waiting until " + until, null, false, false);
    if (until == null) {
      throw new IllegalArgumentException("a parked attempt needs a time to resume");
    }
    this.until = until;
  }

  public Instant until() {
    return until;
  }
}
