package io.orchestro.threads.adapters.agents;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The secrets that templates may name as {@code {{secret.NAME}}}. Only their names are known ahead;
 * a value is looked up when a request that uses it is built, and never kept: it lives in the
 * configuration alone. {@link #redact} takes every value out of a text before the text can reach a
 * thread, an event or a log line.
 */
public final class Secrets {

  /** What a secret's value is replaced with in texts that mention it. */
  static final String REDACTED = "[redacted]";

  private final Set<String> names;
  private final Function<String, String> valueOf;

  /**
   * @param names every configured secret's name
   * @param valueOf the value of a named secret, read from the configuration on each call
   */
  public Secrets(Collection<String> names, Function<String, String> valueOf) {
    this.names = Set.copyOf(names);
    this.valueOf = valueOf;
  }

  public static Secrets none() {
    return new Secrets(Set.of(), name -> null);
  }

  public boolean isKnown(String name) {
    return names.contains(name);
  }

  /** The value, for a request being built; never store or log it. */
  String value(String name) {
    if (!names.contains(name)) {
      throw new IllegalArgumentException("no secret named '" + name + "'");
    }
    return Objects.requireNonNullElse(valueOf.apply(name), "");
  }

  /** {@code text} with every secret's value, and each of {@code others}, replaced. */
  public String redact(String text, Collection<String> others) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String name : names) {
      redacted = replace(redacted, valueOf.apply(name));
    }
    for (String other : others) {
      redacted = replace(redacted, other);
    }
    return redacted;
  }

  public String redact(String text) {
    return redact(text, Set.of());
  }

  /**
   * A JSON-like value (an agent's output) with every string in it, keys included, redacted: a
   * service may echo what it was sent.
   */
  public Object redactValues(Object value, Collection<String> others) {
    if (value instanceof String text) {
      return redact(text, others);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> redacted = new LinkedHashMap<>();
      map.forEach(
          (key, item) ->
              redacted.put(redact(String.valueOf(key), others), redactValues(item, others)));
      return redacted;
    }
    if (value instanceof List<?> list) {
      List<Object> redacted = new ArrayList<>();
      list.forEach(item -> redacted.add(redactValues(item, others)));
      return redacted;
    }
    return value;
  }

  private static String replace(String text, String value) {
    // an empty or one-letter value would blank out ordinary text without hiding anything
    return value == null || value.length() < 2 ? text : text.replace(value, REDACTED);
  }
}
