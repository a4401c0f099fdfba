package io.orchestro.threads.domain;

import java.time.Duration;

/**
 * How often one run of a step may fail before the thread fails, and how long to wait between
 * attempts. The wait doubles after each failure, up to {@link #MAX_BACKOFF}.
 *
 * @param maxAttempts failed attempts one run of the step may make (1 means no retry)
 * @param backoffMillis the wait before the second attempt
 */
public record RetryPolicy(int maxAttempts, long backoffMillis) {

  public static final int MAX_ATTEMPTS_LIMIT = 100;
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
  public static final RetryPolicy NONE = new RetryPolicy(1, 0);

  public RetryPolicy {
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
      throw new InvalidWorkflowDefinitionException(
          "retry.max_attempts must be between 1 and " + MAX_ATTEMPTS_LIMIT);
    }
    if (backoffMillis < 0 || backoffMillis > MAX_BACKOFF.toMillis()) {
      throw new InvalidWorkflowDefinitionException(
          "retry.backoff_millis must be between 0 and " + MAX_BACKOFF.toMillis());
    }
  }

  /** True when a run of the step that has failed {@code failures} times may try again. */
  public boolean allowsAnotherAttempt(int failures) {
    return failures < maxAttempts;
  }

  /** The wait before the next attempt after {@code failures} failed ones (at least one). */
  public Duration backoffAfter(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 30);
    long millis = Math.min(backoffMillis << doublings, MAX_BACKOFF.toMillis());
    return Duration.ofMillis(millis);
  }
}
