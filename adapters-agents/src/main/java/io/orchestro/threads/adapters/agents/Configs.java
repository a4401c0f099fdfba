package io.orchestro.threads.adapters.agents;

import java.util.LinkedHashMap;
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
