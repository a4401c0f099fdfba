package io.orchestro.threads.adapters.persistence.json;

import java.nio.charset.StandardCharsets;
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
 * Reading and writing the store's JSON: pretty-printed files for threads and definitions, and one
 * line per event in the event log. Typed access to the parsed objects, which says which field is
 * wrong, is in {@link io.orchestro.threads.adapters.persistence.StoredJson}, shared with the
 * database store.
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
}
