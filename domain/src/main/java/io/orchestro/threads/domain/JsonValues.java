package io.orchestro.threads.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Defensive copies of JSON-like values (maps, lists, strings, numbers, booleans and nulls), so that
 * nobody outside an aggregate can change what it holds. {@code Map.copyOf} cannot be used: JSON
 * values may be null.
 */
public final class JsonValues {

  private JsonValues() {}

  public static Map<String, Object> copyOf(Map<String, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(key, copyValue(value)));
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, inner) -> copy.put(String.valueOf(key), copyValue(inner)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(inner -> copy.add(copyValue(inner)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
