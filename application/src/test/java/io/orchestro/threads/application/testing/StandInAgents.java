package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stand-ins for the built-in agents {@code delay}, {@code echo} and {@code fail}, which live in the
 * agents adapter that {@code application} may not see: the same names and the same simple
 * behaviour, enough for the engine's and the use cases' tests to run real steps.
 */
public final class StandInAgents {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");

  private StandInAgents() {}

  /** {@code delay}, {@code echo} and {@code fail}. */
  public static List<Agent> all() {
    return List.of(new Delay(), new Echo(), new Fail());
  }

  /** Waits {@code millis}; stops at once when the attempt is cancelled. */
  private static final class Delay implements Agent {
    @Override
    public String name() {
      return "delay";
    }

    @Override
    public Map<String, Object> run(StepContext context) throws InterruptedException {
      long millis = number(context.config(), "millis", 0);
      if (millis > 0 && context.cancellation().await(Duration.ofMillis(millis))) {
        throw new CancellationException("cancelled");
      }
      return Map.of("waited_millis", millis);
    }

    @Override
    public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
      if (number(config, "millis", 0) < 0) {
        throw new IllegalArgumentException("'millis' must not be negative");
      }
    }
  }

  /**
   * Renders {@code template}'s {@code {{prompt}}}, {@code {{input.K}}}, {@code
   * {{steps.S.output.K}}}.
   */
  private static final class Echo implements Agent {
    @Override
    public String name() {
      return "echo";
    }

    @Override
    public Map<String, Object> run(StepContext context) {
      Object template = context.config().getOrDefault("template", "{{prompt}}");
      Matcher matcher = PLACEHOLDER.matcher(String.valueOf(template));
      StringBuilder text = new StringBuilder();
      while (matcher.find()) {
        Object value = lookUp(matcher.group(1).split("\\."), context);
        matcher.appendReplacement(
            text, Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
      }
      matcher.appendTail(text);
      return Map.of("text", text.toString());
    }

    private static Object lookUp(String[] path, StepContext context) {
      if (path.length == 1 && path[0].equals("prompt")) {
        return context.input().get("prompt");
      }
      if (path.length == 2 && path[0].equals("input")) {
        return context.input().get(path[1]);
      }
      if (path.length == 4 && path[0].equals("steps") && path[2].equals("output")) {
        Map<String, Object> output = context.stepOutputs().get(path[1]);
        return output == null ? null : output.get(path[3]);
      }
      return null;
    }
  }

  /** Fails with {@code message} while the attempt number is at most {@code times}. */
  private static final class Fail implements Agent {
    @Override
    public String name() {
      return "fail";
    }

    @Override
    public Map<String, Object> run(StepContext context) {
      if (context.attempt() <= number(context.config(), "times", Long.MAX_VALUE)) {
        throw new IllegalStateException(
            String.valueOf(context.config().getOrDefault("message", "failed on purpose")));
      }
      return Map.of("succeeded_at_attempt", context.attempt());
    }
  }

  private static long number(Map<String, Object> config, String key, long fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number number) {
      return number.longValue();
    }
    throw new IllegalArgumentException("'" + key + "' must be a number, not " + value);
  }
}
