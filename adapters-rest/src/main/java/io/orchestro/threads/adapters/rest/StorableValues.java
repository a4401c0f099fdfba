package io.orchestro.threads.adapters.rest;

import java.util.List;
import java.util.Map;

/**
 * Rejects JSON values that a store could not keep as given, so that they are a 400 here rather than
 * a failed write later:
 *
 * <ul>
 *   <li>numbers JSON cannot carry back out: Jackson reads an overflowing literal such as {@code
 *       1e400} as an infinite double, which would no longer be valid JSON once sent back;
 *   <li>text with a NUL character (U+0000): PostgreSQL cannot store it in a text column.
 * </ul>
 */
final class StorableValues {

  private StorableValues() {}

  /**
   * @param where the JSON path of {@code value}, for the error message
   * @throws IllegalArgumentException when {@code value}, or anything inside it, cannot be stored
   */
  static void require(Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (key, inner) -> {
            requireText(String.valueOf(key), where);
            require(inner, where + "." + key);
          });
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        require(list.get(i), where + "[" + i + "]");
      }
    } else if (value instanceof Double number && !Double.isFinite(number)) {
      throw new IllegalArgumentException("'" + where + "' is a number out of range");
    } else if (value instanceof String text) {
      requireText(text, where);
    }
  }

  private static void requireText(String text, String where) {
    if (text.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException(
          "'" + where + "' contains a NUL character (\\u0000), which cannot be stored");
    }
  }
}
