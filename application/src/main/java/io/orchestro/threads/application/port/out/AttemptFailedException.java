package io.orchestro.threads.application.port.out;

import java.time.Duration;
import java.util.Optional;

/**
 * An agent's word on a failed attempt: whether another attempt may succeed, and how long the one
 * that was called asked to be left alone (an HTTP {@code Retry-After}). Any other exception from
 * {@link Agent#run} is a failure the step's retry policy may repeat.
 */
public final class AttemptFailedException extends RuntimeException {

  private final boolean retryable;
  private final Duration retryAfter;

  private AttemptFailedException(String message, boolean retryable, Duration retryAfter) {
    super(message);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** A failure that may pass on another attempt (an overloaded or unreachable service). */
  public static AttemptFailedException retryable(String message) {
    return new AttemptFailedException(message, true, null);
  }

  /**
   * A failure that may pass on another attempt, but not before {@code retryAfter} has passed.
   *
   * @param retryAfter the earliest wait before the next attempt; null when the callee named none
   */
  public static AttemptFailedException retryable(String message, Duration retryAfter) {
    return new AttemptFailedException(message, true, retryAfter);
  }

  /** A failure no retry repeats (the request itself was refused): the thread fails at once. */
  public static AttemptFailedException notRetryable(String message) {
    return new AttemptFailedException(message, false, null);
  }

  public boolean retryable() {
    return retryable;
  }

  /** The earliest wait before the next attempt, when the callee asked for one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
