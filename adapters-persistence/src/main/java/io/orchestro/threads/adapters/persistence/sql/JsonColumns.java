package io.orchestro.threads.adapters.persistence.sql;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the JSON columns' values (maps, lists, strings, numbers, booleans, nulls) into text and
 * back. Numbers come back as Jackson reads them: Integer, Long or BigInteger, and Double. What the
 * values hold, and typed access to them, is in {@link
 * io.orchestro.threads.adapters.persistence.StoredJson}.
 *
 * <p>The adapter keeps its own mapper instead of taking Spring's: what is on disk must not change
 * when someone tunes the REST layer's JSON settings.
 */
final class JsonColumns {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private JsonColumns() {}

  static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readObject(String json) {
    return MAPPER.readValue(json, Map.class);
  }

  @SuppressWarnings("unchecked")
  static List<Object> readArray(String json) {
    return MAPPER.readValue(json, List.class);
  }
}
