package io.orchestro.threads.application.engine;

/**
 * User text (an agent's error, a step's note) made safe for a plain-text log line: control
 * characters are written as escapes, so that a message with a newline cannot forge a line of its
 * own.
 */
final class LogText {

  private LogText() {}

  static String escaped(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            escaped.append(String.format("\\u%04x", (int) c));
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }
}
