package io.orchestro.threads.bootstrap;

import io.orchestro.threads.application.port.out.CronCalendar;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import org.springframework.scheduling.support.CronExpression;

/**
 * Cron expressions as Spring reads them (six fields, from seconds; names, ranges, steps, {@code L},
 * {@code W}, {@code #} and macros such as {@code @daily}), matched against wall-clock time in the
 * zone given, so that daylight-saving changes do what a person expects:
 *
 * <ul>
 *   <li>a wall-clock time that the spring change skips (02:30 in Paris on the last Sunday of March)
 *       runs once, at the moment the clocks jump;
 *   <li>a wall-clock time that the autumn change repeats (02:30 on the last Sunday of October) runs
 *       once, at its first occurrence.
 * </ul>
 */
final class SpringCronCalendar implements CronCalendar {

  @Override
  public Instant next(String cron, ZoneId zone, Instant after) {
    CronExpression expression = parse(cron);
    LocalDateTime wallClock = after.atZone(zone).toLocalDateTime();
    while (true) {
      wallClock = expression.next(wallClock);
      if (wallClock == null) {
        return null;
      }
      Instant at = instantOf(wallClock, zone);
      // a match at or before the start is one already had: the first pass of a repeated hour
      if (at.isAfter(after)) {
        return at;
      }
    }
  }

  /** The instant of a wall-clock time: when the clocks jump over it, or its first occurrence. */
  private static Instant instantOf(LocalDateTime wallClock, ZoneId zone) {
    ZoneOffsetTransition change = zone.getRules().getTransition(wallClock);
    if (change == null) {
      return wallClock.atZone(zone).toInstant();
    }
    return change.isGap()
        ? change.getInstant()
        : wallClock.atOffset(change.getOffsetBefore()).toInstant();
  }

  private static CronExpression parse(String cron) {
    try {
      return CronExpression.parse(cron);
    } catch (IllegalArgumentException invalid) {
      throw new IllegalArgumentException(
          "cron must be six fields (second minute hour day-of-month month day-of-week), such as"
              + " '0 */15 * * * *': "
              + invalid.getMessage());
    }
  }
}
