package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.application.port.out.AttemptFailedException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What an HTTP error status means for the attempt, for every agent that calls a service: 408, 429
 * and 5xx may pass on another attempt (not before the {@code Retry-After} the service sent); any
 * other status is a refusal that no retry repeats.
 */
final class FailedStatus {

  /** How much of an error body the step's error quotes. */
  static final int QUOTED_BODY_CHARS = 500;

  private FailedStatus() {}

  static boolean isRetryable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /**
   * @param who the service, for the message: "the service", "provider 'default'"
   * @param body the response body, quoted up to {@link #QUOTED_BODY_CHARS} characters (already
   *     redacted)
   * @param retryAfter the {@code Retry-After} header, or null
   */
  static AttemptFailedException of(
      String who, int status, String body, String retryAfter, Clock clock) {
    String message = who + " answered HTTP " + status + quote(body);
    return isRetryable(status)
        ? AttemptFailedException.retryable(message, retryAfter(retryAfter, clock))
        : AttemptFailedException.notRetryable(message);
  }

  private static String quote(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String trimmed = body.strip();
    return ": "
        + (trimmed.length() > QUOTED_BODY_CHARS
            ? trimmed.substring(0, QUOTED_BODY_CHARS) + "…"
            : trimmed);
  }

  /**
   * A {@code Retry-After} value as a wait: whole seconds, or an HTTP date (a date in the past is no
   * wait). Null when absent or unreadable.
   */
  static Duration retryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.strip();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeException notADate) {
        return null;
      }
    }
  }
}
