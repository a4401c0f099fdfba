package io.orchestro.threads.adapters.agents;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.util.List;
import java.util.Map;

/** Renders {@code template} ({@link Templates}) and returns {@code {"text": ...}}. */
public final class EchoAgent implements Agent {

  public static final String NAME = "echo";
  private static final String DEFAULT_TEMPLATE = "{{prompt}}";

  private final Templates templates;

  public EchoAgent(Templates templates) {
    this.templates = templates;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> run(StepContext context) {
    String template = Configs.stringValue(context.config(), "template", DEFAULT_TEMPLATE);
    return Map.of("text", templates.render(template, context));
  }

  @Override
  public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
    templates.check(
        "template", Configs.stringValue(config, "template", DEFAULT_TEMPLATE), earlierSteps);
  }
}
