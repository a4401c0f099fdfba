package io.orchestro.threads.application.port.out;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A limit on the attempts of one agent, or of one workflow type's threads: how many may be in
 * flight at once, and how many may start within a period, across every node sharing the store.
 *
 * @param key what the limit is on: {@code agent:NAME} or {@code workflow:TYPE}
 * @param maxConcurrency the most attempts in flight at once; 0 for no such limit
 * @param ratePermits the most attempts that may start within {@code ratePeriod}; 0 for no rate
 * @param ratePeriod the period of the rate; null without one
 */
public record Limit(String key, int maxConcurrency, int ratePermits, Duration ratePeriod) {

  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h|d)");

  public Limit {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("a limit needs a key");
    }
    if (maxConcurrency < 0 || ratePermits < 0) {
      throw new IllegalArgumentException(key + ": a limit cannot be negative");
    }
    if (ratePermits > 0 && (ratePeriod == null || ratePeriod.isZero() || ratePeriod.isNegative())) {
      throw new IllegalArgumentException(key + ": a rate needs a positive period");
    }
  }

  /** The limit on the attempts of agent {@code name}. */
  public static String agentKey(String name) {
    return "agent:" + name;
  }

  /** The limit on the attempts of the threads of workflow type {@code type}. */
  public static String workflowKey(String type) {
    return "workflow:" + type;
  }

  /**
   * A limit as configured.
   *
   * @param maxConcurrency null or 0 for none
   * @param rate {@code PERMITS/PERIOD}, the period with its unit: {@code 60/1m}, {@code 5/10s},
   *     {@code 1000/h}; null or blank for none
   * @throws IllegalArgumentException for a rate written otherwise, or numbers out of range
   */
  public static Limit of(String key, Integer maxConcurrency, String rate) {
    if (rate == null || rate.isBlank()) {
      return new Limit(key, maxConcurrency == null ? 0 : maxConcurrency, 0, null);
    }
    Matcher parts = RATE.matcher(rate.strip().toLowerCase(Locale.ROOT));
    if (!parts.matches()) {
      throw new IllegalArgumentException(
          key + ": the rate '" + rate + "' is not PERMITS/PERIOD, such as 60/1m or 5/10s");
    }
    try {
      long amount = parts.group(2).isEmpty() ? 1 : Long.parseLong(parts.group(2));
      Duration unit =
          switch (parts.group(3)) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
          };
      return new Limit(
          key,
          maxConcurrency == null ? 0 : maxConcurrency,
          Integer.parseInt(parts.group(1)),
          unit.multipliedBy(amount));
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      throw new IllegalArgumentException(key + ": the rate '" + rate + "' is out of range");
    }
  }

  public boolean limitsConcurrency() {
    return maxConcurrency > 0;
  }

  public boolean limitsRate() {
    return ratePermits > 0;
  }
}
