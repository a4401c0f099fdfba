package io.orchestro.threads.application.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The outcome of one attempt: its output, its error (retryable or not), or why it was stopped. */
record AttemptResult(
    Map<String, Object> output,
    String error,
    boolean retryable,
    Duration retryAfter,
    Instant parkedUntil,
    String cutShort,
    StopReason stopped) {

  private static final int MAX_ERROR_CHARS = 2000;
  private static final String CUT_SHORT_BY_PAUSE = "the thread was paused";

  static AttemptResult succeeded(Map<String, Object> output) {
    return new AttemptResult(output, null, false, null, null, null, null);
  }

  static AttemptResult failed(String error, boolean retryable) {
    return failed(error, retryable, null);
  }

  static AttemptResult failed(String error, boolean retryable, Duration retryAfter) {
    // an agent's message may quote whatever it got (a body, a prompt): the stored error is
    // bounded
    String bounded =
        error.length() <= MAX_ERROR_CHARS
            ? error
            : error.substring(0, MAX_ERROR_CHARS) + "… (" + error.length() + " characters)";
    return new AttemptResult(null, bounded, retryable, retryAfter, null, null, null);
  }

  static AttemptResult parked(Instant until) {
    return new AttemptResult(null, null, false, null, until, null, null);
  }

  static AttemptResult cutShortBecause(String reason) {
    return new AttemptResult(null, null, false, null, null, reason, null);
  }

  /** Given up because the thread was paused while its agent, which stops on pause, ran. */
  static AttemptResult cutShortByPause() {
    return cutShortBecause(CUT_SHORT_BY_PAUSE);
  }

  boolean isCutShortByPause() {
    return CUT_SHORT_BY_PAUSE.equals(cutShort);
  }

  static AttemptResult stoppedBy(StopReason reason) {
    return new AttemptResult(null, null, false, null, null, null, reason);
  }
}
