package io.orchestro.threads.adapters.agents;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading typed values out of a step's JSON-like configuration. */
final class Configs {

  private Configs() {}

  /**
   * A whole number from {@code min} to {@code max}; {@code fallback} when absent. A number outside
   * the range is refused rather than cut to fit (2^64 + 5 must not become 5).
   */
  static long longValue(Map<String, Object> config, String key, long fallback, long min, long max) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    BigDecimal number = value instanceof Number given ? exactly(given) : null;
    if (number == null || number.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("'" + key + "' must be a whole number, not " + value);
    }
    if (number.compareTo(BigDecimal.valueOf(min)) < 0
        || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new IllegalArgumentException(
          "'" + key + "' must be from " + min + " to " + max + ", not " + value);
    }
    return number.longValueExact();
  }

  /** The number without rounding; null for what has no exact value (NaN, infinities). */
  private static BigDecimal exactly(Number number) {
    if (number instanceof BigDecimal decimal) {
      return decimal;
    }
    if (number instanceof BigInteger integer) {
      return new BigDecimal(integer);
    }
    if (number instanceof Double || number instanceof Float) {
      double value = number.doubleValue();
      return Double.isFinite(value) ? new BigDecimal(value) : null;
    }
    return BigDecimal.valueOf(number.longValue());
  }

  static Double doubleValue(Map<String, Object> config, String key) {
    Object value = config.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    throw new IllegalArgumentException("'" + key + "' must be a number, not " + value);
  }

  static boolean bool(Map<String, Object> config, String key, boolean fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    throw new IllegalArgumentException("'" + key + "' must be true or false, not " + value);
  }

  static String stringValue(Map<String, Object> config, String key, String fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String text) {
      return text;
    }
    throw new IllegalArgumentException("'" + key + "' must be a string, not " + value);
  }

  static String requiredString(Map<String, Object> config, String key) {
    String value = stringValue(config, key, null);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("'" + key + "' is required");
    }
    return value;
  }

  /** An object whose values are all strings, such as headers; empty when absent. */
  static Map<String, String> stringMap(Map<String, Object> config, String key) {
    Object value = config.get(key);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("'" + key + "' must be an object, not " + value);
    }
    Map<String, String> strings = new LinkedHashMap<>();
    map.forEach(
        (name, item) -> {
          if (!(item instanceof String text)) {
            throw new IllegalArgumentException(
                "'" + key + "." + name + "' must be a string, not " + item);
          }
          strings.put(String.valueOf(name), text);
        });
    return strings;
  }

  /** One of {@code allowed}, in any case; {@code fallback} when absent. */
  static String oneOf(Map<String, Object> config, String key, String fallback, String... allowed) {
    String value = stringValue(config, key, fallback);
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException(
        "'" + key + "' must be one of " + String.join(", ", allowed) + ", not " + value);
  }
}
