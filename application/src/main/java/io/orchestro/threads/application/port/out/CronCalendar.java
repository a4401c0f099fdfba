package io.orchestro.threads.application.port.out;

import java.time.Instant;
import java.time.ZoneId;

/** Reads cron expressions: which times they name, in a time zone. */
public interface CronCalendar {

  /**
   * The first time after {@code after} that the expression names in {@code zone}. A local time that
   * a daylight-saving change skips is not named that day; one it repeats is named once.
   *
   * @throws IllegalArgumentException when the expression is not a valid six-field cron
   * @return the time, or null when the expression names no later time
   */
  Instant next(String cron, ZoneId zone, Instant after);
}
