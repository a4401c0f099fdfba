package io.orchestro.threads.adapters.persistence;

import java.nio.charset.StandardCharsets;
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
 * The stores' JSON as text, for both stores: compact for the database's JSON columns and the event
 * log's lines, indented for the JSON store's files; and parsed back into the untyped values that
 * {@link StoredJson} reads (maps, lists, strings, numbers as Integer, Long, BigInteger or Double,
 * booleans and nulls).
 *
 * <p>Parsing is strict (a key twice, or text after the value, is an error) and its errors are
 * IllegalArgumentExceptions that say what is wrong in the text's own terms, with a line and column:
 * the JSON store quarantines a damaged file with that message as the reason.
 *
 * <p>The stores keep their own mappers instead of taking Spring's: what is on disk must not change
 * when someone tunes the REST layer's JSON settings. Public only because the two stores live in
 * sub-packages of this one.
 */
public final class JsonText {

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

  private JsonText() {}

  private static JsonMapper.Builder base() {
    return JsonMapper.builder()
        // a file edited by hand with a key twice, or with text after the object, is damaged
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** A file: indented, ending with a new line. */
  public static byte[] pretty(Map<String, Object> document) {
    byte[] json = PRETTY.writeValueAsBytes(document);
    byte[] withNewLine = new byte[json.length + 1];
    System.arraycopy(json, 0, withNewLine, 0, json.length);
    withNewLine[json.length] = '\n';
    return withNewLine;
  }

  /** One line (without its line break) or one column's value. */
  public static byte[] compact(Object value) {
    return COMPACT.writeValueAsBytes(value);
  }

  /** {@link #compact(Object)} as a string, for a text column. */
  public static String compactString(Object value) {
    return COMPACT.writeValueAsString(value);
  }

  /**
   * @throws IllegalArgumentException when the bytes are not one JSON object, saying why
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(byte[] json) {
    return parse(json, Map.class, "a JSON object");
  }

  /**
   * @throws IllegalArgumentException when the text is not one JSON object, saying why
   */
  public static Map<String, Object> parseObject(String json) {
    return parseObject(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws IllegalArgumentException when the text is not one JSON array, saying why
   */
  @SuppressWarnings("unchecked")
  public static List<Object> parseArray(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8), List.class, "a JSON array");
  }

  private static <T> T parse(byte[] json, Class<T> type, String what) {
    try {
      return COMPACT.readValue(json, type);
    } catch (MismatchedInputException notOfTheType) {
      if (new String(json, StandardCharsets.UTF_8).isBlank()) {
        throw new IllegalArgumentException("it is empty");
      }
      // Jackson's own message names its Java types; say it in the text's terms
      throw new IllegalArgumentException("not " + what + where(notOfTheType));
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
