package io.orchestro.threads.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a JSON-like value is here (a thread's input, a step's output or config): maps with text
 * keys, lists, strings, numbers, booleans and nulls, as a JSON library reads them untyped. Two
 * things are done with such values, both here:
 *
 * <ul>
 *   <li>{@link #copyOf}: a deep, unmodifiable copy, so that nobody outside an aggregate can change
 *       what it holds. {@code Map.copyOf} cannot be used: JSON values may be null.
 *   <li>{@link #requireStorable}: the check that every store can keep a value as given, so that a
 *       value from a client is refused when it comes in rather than failing a write later.
 * </ul>
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

  /**
   * Refuses what a store could not keep as given:
   *
   * <ul>
   *   <li>numbers JSON cannot carry back out: a JSON reader turns an overflowing literal such as
   *       {@code 1e400} into an infinite double, which would no longer be valid JSON once sent
   *       back;
   *   <li>text with a NUL character (U+0000), in values or keys: PostgreSQL cannot store it in a
   *       text column.
   * </ul>
   *
   * @param where the JSON path of {@code value}, for the error message
   * @throws IllegalArgumentException when {@code value}, or anything inside it, cannot be stored
   */
  public static void requireStorable(Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (key, inner) -> {
            requireStorableText(String.valueOf(key), where);
            requireStorable(inner, where + "." + key);
          });
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        requireStorable(list.get(i), where + "[" + i + "]");
      }
    } else if (value instanceof Double number && !Double.isFinite(number)) {
      throw new IllegalArgumentException("'" + where + "' is a number out of range");
    } else if (value instanceof String text) {
      requireStorableText(text, where);
    }
  }

  private static void requireStorableText(String text, String where) {
    if (text.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException(
          "'" + where + "' contains a NUL character (\\u0000), which cannot be stored");
    }
  }

  /**
   * The length in bytes of {@code value} written as compact JSON in UTF-8, counting each character
   * that JSON escapes as its escape: what a store keeps of it, to compare with a limit.
   */
  public static long encodedSize(Object value) {
    if (value instanceof Map<?, ?> map) {
      long size = 2 + Math.max(0, map.size() - 1); // braces and commas
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        size += encodedSize(String.valueOf(entry.getKey())) + 1 + encodedSize(entry.getValue());
      }
      return size;
    }
    if (value instanceof List<?> list) {
      long size = 2 + Math.max(0, list.size() - 1);
      for (Object item : list) {
        size += encodedSize(item);
      }
      return size;
    }
    if (value instanceof String text) {
      long size = 2;
      for (int i = 0; i < text.length(); i++) {
        size += encodedSize(text.charAt(i));
      }
      return size;
    }
    return String.valueOf(value).length();
  }

  private static int encodedSize(char c) {
    if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
      return 2;
    }
    if (c < 0x20) {
      return 6; // written as a backslash, u and four hex digits
    }
    if (c < 0x80) {
      return 1;
    }
    // a surrogate pair is one character of 4 bytes: 2 for each half
    return c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
  }
}
