package org.example.wordcount;

import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.util.List;
import java.util.Map;

/**
 * An agent of one's own: counts the words of the thread's prompt, or of the input named by {@code
 * field}. The service finds it through {@code
 * META-INF/services/io.orchestro.threads.application.port.out.Agent} in this jar.
 */
public final class WordCountAgent implements Agent {

  @Override
  public String name() {
    return "word-count";
  }

  @Override
  public Map<String, Object> run(StepContext context) {
    Object text = context.input().get(field(context.config()));
    String words = text == null ? "" : String.valueOf(text).strip();
    return Map.of("words", words.isEmpty() ? 0 : words.split("\\s+").length);
  }

  @Override
  public void checkConfig(Map<String, Object> config, List<String> earlierSteps) {
    field(config);
  }

  private static String field(Map<String, Object> config) {
    Object field = config.getOrDefault("field", "prompt");
    if (!(field instanceof String name) || name.isBlank()) {
      throw new IllegalArgumentException("'field' must name an input, such as \"prompt\"");
    }
    return name;
  }
}
