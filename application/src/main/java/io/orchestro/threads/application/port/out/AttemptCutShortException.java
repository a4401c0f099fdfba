package io.orchestro.threads.application.port.out;

/**
 * An agent's word that its attempt ended without an outcome, through nobody's fault in the step: an
 * outside worker holding its task went silent. The attempt is counted but is not a failure, and the
 * step starts a new attempt at once, as after a crash.
 */
public final class AttemptCutShortException extends RuntimeException {

  public AttemptCutShortException(String reason) {
    super(reason, null, false, false);
  }
}
