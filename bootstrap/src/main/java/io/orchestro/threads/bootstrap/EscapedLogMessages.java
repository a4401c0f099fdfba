package io.orchestro.threads.bootstrap;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Plain-text log lines cannot be forged: the message of every line, from any logger, has its
 * control characters (CR, LF, the other C0 and C1 characters, so ANSI escapes too, and Unicode's
 * line and paragraph separators) written as escapes, so that user text with a newline stays on its
 * line and cannot start one of its own or recolour a terminal.
 *
 * <p>Done once for all patterns: Logback runs this configurator when it starts, before Spring Boot
 * configures it, and it makes the escaping converter the one behind {@code %m}, {@code %msg} and
 * {@code %message} in Logback's table of default conversion words, which Spring Boot's console and
 * file patterns (its own or those set by {@code logging.pattern.*}) use. A context's reset, as
 * Spring Boot does, clears conversion words registered in the context but not this table.
 * Structured (JSON) logs need none of this: JSON escapes control characters itself.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class EscapedLogMessages extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    for (String word : new String[] {"m", "msg", "message"}) {
      PatternLayout.DEFAULT_CONVERTER_SUPPLIER_MAP.put(word, Converter::new);
    }
    // the configuration itself is left to the next configurator, in the end Spring Boot
    return ExecutionStatus.INVOKE_NEXT_IF_ANY;
  }

  /** The message converter with the message's control characters escaped. */
  public static final class Converter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return escaped(super.convert(event));
    }
  }

  static String escaped(String text) {
    if (text == null || text.chars().noneMatch(EscapedLogMessages::needsEscape)) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    text.chars()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                  if (needsEscape(c)) {
                    escaped.append(String.format("\\u%04x", c));
                  } else {
                    escaped.append((char) c);
                  }
                }
              }
            });
    return escaped.toString();
  }

  private static boolean needsEscape(int c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }
}
