package io.orchestro.threads.adapters.agents;

import java.util.Map;

/** Reading typed values out of a step's JSON-like configuration. */
final class Configs {

  private Configs() {}

  static long longValue(Map<String, Object> config, String key, long fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
      return number.longValue();
    }
    throw new IllegalArgumentException("'" + key + "' must be a whole number, not " + value);
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
}
