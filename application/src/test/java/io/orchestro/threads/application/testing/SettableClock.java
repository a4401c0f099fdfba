package io.orchestro.threads.application.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that a test moves forward, so that waits of minutes (retry backoffs, leases) pass at once
 * without sleeping. Either it stands still between the test's moves, which makes every time exact,
 * or it runs with the system clock plus the moves, for a whole application whose lists and events
 * need time to pass.
 */
public final class SettableClock extends Clock {

  /** Where a clock standing still starts: a whole second, as readable as times get. */
  public static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

  private final Clock base;
  private volatile Duration moved = Duration.ZERO;

  private SettableClock(Clock base) {
    this.base = base;
  }

  /** At {@link #START} until the test moves it. */
  public static SettableClock standingStill() {
    return new SettableClock(Clock.fixed(START, ZoneOffset.UTC));
  }

  /** The system clock, plus however far the test moved it. */
  public static SettableClock runningWithTheSystemClock() {
    return new SettableClock(Clock.systemUTC());
  }

  public synchronized void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time does not go back");
    }
    moved = moved.plus(by);
  }

  @Override
  public Instant instant() {
    return base.instant().plus(moved);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("tests use UTC");
  }
}
