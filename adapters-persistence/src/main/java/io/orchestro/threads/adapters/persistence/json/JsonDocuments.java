package io.orchestro.threads.adapters.persistence.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading and writing the store's JSON: pretty-printed files for threads and definitions, one line
 * per event in the event log, and typed access to parsed objects that says which field is wrong.
 *
 * <p>The adapter keeps its own mappers instead of taking Spring's: what is on disk must not change
 * when someone tunes the REST layer's JSON settings.
 */
final class JsonDocuments {

  /** Two spaces and "\n" whatever the platform, so files diff the same everywhere. */
  private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");

  private static final JsonMapper PRETTY =
      base()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .defaultPrettyPrinter(
              new DefaultPrettyPrinter(
                      Separators.createDefaultInstance()
                          .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                          .withObjectEmptySeparator("")
                          .withArrayEmptySeparator(""))
                  .withObjectIndenter(INDENT)
                  .withArrayIndenter(INDENT))
          .build();

  private static final JsonMapper COMPACT = base().build();

  private static final Pattern STARTED_AT = Pattern.compile(" ?\\(start marker at .*\\)$");

  private JsonDocuments() {}

  private static JsonMapper.Builder base() {
    return JsonMapper.builder()
        // a file edited by hand with a key twice, or with text after the object, is damaged
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** A thread or definition file: indented, ending with a new line. */
  static byte[] pretty(Map<String, Object> document) {
    byte[] json = PRETTY.writeValueAsBytes(document);
    byte[] withNewLine = new byte[json.length + 1];
    System.arraycopy(json, 0, withNewLine, 0, json.length);
    withNewLine[json.length] = '\n';
    return withNewLine;
  }

  /** One event log line, without its line break. */
  static byte[] line(Map<String, Object> document) {
    return COMPACT.writeValueAsBytes(document);
  }

  /**
   * Parses a JSON object. Numbers come back as Jackson reads them: Integer, Long or BigInteger, and
   * Double.
   *
   * @throws IllegalArgumentException when the bytes are not one JSON object
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(byte[] json) {
    try {
      return COMPACT.readValue(json, Map.class);
    } catch (MismatchedInputException notAnObject) {
      if (new String(json, StandardCharsets.UTF_8).isBlank()) {
        throw new IllegalArgumentException("it is empty");
      }
      // Jackson's own message names its Java types; say it in the file's terms
      throw new IllegalArgumentException("not a JSON object" + where(notAnObject));
    } catch (JacksonException broken) {
      throw new IllegalArgumentException("not valid JSON: " + describe(broken));
    }
  }

  private static String describe(JacksonException broken) {
    String message = broken.getOriginalMessage();
    // the first line says what is wrong; the rest repeats Jackson's internal names
    int end = message.indexOf('\n');
    message = end < 0 ? message : message.substring(0, end);
    // Jackson's pointer to where an unclosed object began names no line; where() does better
    message = STARTED_AT.matcher(message).replaceAll("");
    return message + where(broken);
  }

  private static String where(JacksonException broken) {
    TokenStreamLocation at = broken.getLocation();
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  // ---- typed access; each throws IllegalArgumentException naming the field ----

  static String text(Map<String, Object> json, String field) {
    String value = optionalText(json, field);
    if (value == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return value;
  }

  /** Text, or null when the field is null or absent. */
  static String optionalText(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new IllegalArgumentException("'" + field + "' must be text");
  }

  static int integer(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value instanceof Integer number) {
      return number;
    }
    throw new IllegalArgumentException("'" + field + "' must be a whole number");
  }

  static long whole(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException("'" + field + "' must be a whole number");
  }

  /** A whole number, or null when the field is null or absent. */
  static Long optionalWhole(Map<String, Object> json, String field) {
    return json.get(field) == null ? null : whole(json, field);
  }

  static Instant time(Map<String, Object> json, String field) {
    Instant value = optionalTime(json, field);
    if (value == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return value;
  }

  /** An ISO-8601 time, or null when the field is null or absent. */
  static Instant optionalTime(Map<String, Object> json, String field) {
    String text = optionalText(json, field);
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException notATime) {
      throw new IllegalArgumentException(
          "'" + field + "' must be an ISO-8601 time like 2026-11-28T10:00:00.123Z");
    }
  }

  static Map<String, Object> object(Map<String, Object> json, String field) {
    Map<String, Object> value = optionalObject(json, field);
    if (value == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return value;
  }

  /** A nested object, or null when the field is null or absent. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> optionalObject(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value == null || value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw new IllegalArgumentException("'" + field + "' must be an object");
  }

  /** An array, empty when the field is null or absent. */
  static List<?> array(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list;
    }
    throw new IllegalArgumentException("'" + field + "' must be an array");
  }

  /** An element of an array that must be an object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> element(Object value, String what) {
    if (value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw new IllegalArgumentException(what + " must be an object");
  }

  /**
   * Times as ISO-8601 text, cut to microseconds: both databases keep microseconds, so a thread
   * moved between the JSON store and a database keeps exactly the same times.
   */
  static String time(Instant instant) {
    return instant == null ? null : micros(instant).toString();
  }

  /** A time as the files keep it; see {@link #time(Instant)}. */
  static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }
}
