package io.orchestro.threads.application.agent;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code template}: {@code {{prompt}}}, {@code {{input.KEY}}} and {@code
 * {{steps.STEP.output.KEY}}} are replaced by those values; a placeholder with no value renders as
 * nothing. Returns {@code {"text": ...}}.
 */
public final class EchoAgent implements Agent {

  public static final String NAME = "echo";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> run(StepContext context) {
    String template = Configs.stringValue(context.config(), "template", "{{prompt}}");
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder text = new StringBuilder();
    while (matcher.find()) {
      Object value = lookUp(matcher.group(1), context);
      matcher.appendReplacement(
          text, Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
    }
    matcher.appendTail(text);
    return Map.of("text", text.toString());
  }

  @Override
  public void checkConfig(Map<String, Object> config) {
    Configs.stringValue(config, "template", "");
  }

  private static Object lookUp(String path, StepContext context) {
    String[] parts = path.split("\\.");
    if (parts.length == 1 && parts[0].equals("prompt")) {
      return context.input().get("prompt");
    }
    if (parts.length == 2 && parts[0].equals("input")) {
      return context.input().get(parts[1]);
    }
    if (parts.length == 4 && parts[0].equals("steps") && parts[2].equals("output")) {
      Map<String, Object> output = context.stepOutputs().get(parts[1]);
      return output == null ? null : output.get(parts[3]);
    }
    return null;
  }
}
