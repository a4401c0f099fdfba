package io.orchestro.threads.adapters.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A time given by a client, parsed here rather than by Jackson or Spring's converters, which would
 * also take a number of seconds or a time without an offset.
 */
final class ApiTime {

  private ApiTime() {}

  /**
   * @param name the parameter or field, for the error message
   * @return the time, or null when none was given
   * @throws IllegalArgumentException when the value is not an ISO-8601 time with an offset
   */
  static Instant parse(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException notATime) {
      throw new IllegalArgumentException(
          name + " must be an ISO-8601 time with an offset, like 2026-11-28T10:00:00.000Z");
    }
  }
}
