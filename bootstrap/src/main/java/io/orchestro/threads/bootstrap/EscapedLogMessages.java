package io.orchestro.threads.bootstrap;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Arrays;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

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
 *
 * <p>The message of an exception in a stack trace is user text too (an agent's error, say). Spring
 * Boot writes stack traces with its own {@code %wEx}, registered in the context, where it wins over
 * this table; so the escaping stack trace converter gets a word of its own, {@value
 * #EXCEPTION_WORD}, which {@code logging.exception-conversion-word} in application.properties puts
 * into Spring Boot's patterns.
 *
 * <p>Structured (JSON) logs need none of this: JSON escapes control characters itself.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class EscapedLogMessages extends ContextAwareBase implements Configurator {

  /** The conversion word of stack traces with their exceptions' messages escaped. */
  public static final String EXCEPTION_WORD = "%escapedEx";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    for (String word : new String[] {"m", "msg", "message"}) {
      PatternLayout.DEFAULT_CONVERTER_SUPPLIER_MAP.put(word, Converter::new);
    }
    PatternLayout.DEFAULT_CONVERTER_SUPPLIER_MAP.put(
        EXCEPTION_WORD.substring(1), ExceptionConverter::new);
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

  /**
   * Spring Boot's {@code %wEx} (the extended stack trace, set off by blank lines) with each
   * exception's message escaped, the cause's and the suppressed ones' too, so that the stack trace
   * keeps its own lines and gets no others. Only the messages are escaped: class names and stack
   * frames come from the code, not from users, and the frames' tab indents must stay as they are.
   */
  public static final class ExceptionConverter extends ExtendedWhitespaceThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
      return super.throwableProxyToString(new EscapedThrowableProxy(proxy));
    }
  }

  /** An exception as Logback renders it, with its message, and its causes' ones, escaped. */
  private record EscapedThrowableProxy(IThrowableProxy proxy) implements IThrowableProxy {

    private static IThrowableProxy of(IThrowableProxy proxy) {
      return proxy == null ? null : new EscapedThrowableProxy(proxy);
    }

    @Override
    public String getMessage() {
      return escaped(proxy.getMessage());
    }

    // an exception's own toString(), which Logback prints instead of class and message
    @Override
    public String getOverridingMessage() {
      return escaped(proxy.getOverridingMessage());
    }

    @Override
    public String getClassName() {
      return proxy.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return proxy.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return proxy.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return of(proxy.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = proxy.getSuppressed();
      return suppressed == null
          ? null
          : Arrays.stream(suppressed)
              .map(EscapedThrowableProxy::of)
              .toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
      return proxy.isCyclic();
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
