package io.orchestro.threads.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The API's one time format, {@code 2026-11-28T10:00:00.123Z}: what every response, event and
 * webhook body shows. Formatted here rather than by a JSON library so that the output is exact
 * whatever the JSON settings: always UTC, always exactly three fraction digits (Jackson's ISO
 * output drops trailing zeros and shows micro- or nanoseconds).
 */
public final class UtcTimestamp {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private UtcTimestamp() {}

  /** The instant truncated to milliseconds, or null for null. */
  public static String format(Instant instant) {
    return instant == null ? null : FORMAT.format(instant);
  }
}
