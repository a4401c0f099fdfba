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
  private final boolean rateLimited;

  private AttemptFailedException(
      String message, boolean retryable, Duration retryAfter, boolean rateLimited) {
    super(message);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.rateLimited = rateLimited;
  }

  /** A failure that may pass on another attempt (an overloaded or unreachable service). */
  public static AttemptFailedException retryable(String message) {
    return new AttemptFailedException(message, true, null, false);
  }

  /**
   * A failure that may pass on another attempt, but not before {@code retryAfter} has passed.
   *
   * @param retryAfter the earliest wait before the next attempt; null when the callee named none
   */
  public static AttemptFailedException retryable(String message, Duration retryAfter) {
    return new AttemptFailedException(message, true, retryAfter, false);
  }

  /**
   * The service refused because its caller went over its rate (HTTP 429): another attempt may pass
   * after {@code retryAfter}, and so may nobody else's call to it before then. When the agent has a
   * limit ({@code orchestro.limits.agents.NAME}), the engine holds every attempt of it back until
   * then, on every node.
   *
   * @param retryAfter the wait the service asked for; null when it named none
   */
  public static AttemptFailedException rateLimited(String message, Duration retryAfter) {
    return new AttemptFailedException(message, true, retryAfter, true);
  }

  /** A failure no retry repeats (the request itself was refused): the thread fails at once. */
  public static AttemptFailedException notRetryable(String message) {
    return new AttemptFailedException(message, false, null, false);
  }

  public boolean retryable() {
    return retryable;
  }

  /** Whether the service refused the call for going over its rate. */
  public boolean rateLimited() {
    return rateLimited;
  }

  /** The earliest wait before the next attempt, when the callee asked for one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
