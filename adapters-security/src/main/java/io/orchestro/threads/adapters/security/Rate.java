package io.orchestro.threads.adapters.security;

import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/**
 * How many requests one caller may make in a period, written {@code 60/1m} (60 a minute): a bucket
 * of that many, refilled evenly over the period, so bursts up to the whole amount pass.
 */
public record Rate(int permits, Duration per) {

  public Rate {
    if (permits < 1 || per == null || per.isZero() || per.isNegative()) {
      throw new IllegalArgumentException("a rate needs at least 1 request per a positive period");
    }
  }

  /** {@code 60/1m}, {@code 10/1s}, {@code 1000/1h}. */
  public static Rate parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 1) {
      throw new IllegalArgumentException("a rate is written N/PERIOD, such as 60/1m: " + text);
    }
    return new Rate(
        Integer.parseInt(text.substring(0, slash).trim()),
        DurationStyle.detectAndParse(text.substring(slash + 1).trim()));
  }

  double permitsPerNano() {
    return (double) permits / per.toNanos();
  }
}
