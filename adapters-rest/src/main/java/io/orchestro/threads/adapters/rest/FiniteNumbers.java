package io.orchestro.threads.adapters.rest;

import java.util.List;
import java.util.Map;

/**
 * Rejects numbers that JSON cannot carry back out. Jackson reads an overflowing literal such as
 * {@code 1e400} as an infinite double; stored and sent back, it would no longer be valid JSON.
 */
final class FiniteNumbers {

  private FiniteNumbers() {}

  /**
   * @param where the JSON path of {@code value}, for the error message
   * @throws IllegalArgumentException when a number in {@code value} is infinite or NaN
   */
  static void require(Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, inner) -> require(inner, where + "." + key));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        require(list.get(i), where + "[" + i + "]");
      }
    } else if (value instanceof Double number && !Double.isFinite(number)) {
      throw new IllegalArgumentException("'" + where + "' is a number out of range");
    }
  }
}
