package io.orchestro.threads.domain;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One step of a workflow definition: which agent runs it, with what configuration, and its retry
 * and timeout policy.
 *
 * @param config JSON-like values handed to the agent
 * @param timeoutMillis how long one attempt may run, or null for no limit
 */
public record StepDefinition(
    String name, String agent, Map<String, Object> config, RetryPolicy retry, Long timeoutMillis) {

  public static final long MAX_TIMEOUT_MILLIS = 24L * 60 * 60 * 1000;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public StepDefinition {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidWorkflowDefinitionException(
          "step name '"
              + name
              + "' must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    if (agent == null || agent.isBlank()) {
      throw new InvalidWorkflowDefinitionException("step '" + name + "' names no agent");
    }
    config = config == null ? Map.of() : JsonValues.copyOf(config);
    retry = Objects.requireNonNullElse(retry, RetryPolicy.NONE);
    if (timeoutMillis != null && (timeoutMillis < 1 || timeoutMillis > MAX_TIMEOUT_MILLIS)) {
      throw new InvalidWorkflowDefinitionException(
          "step '" + name + "': timeout_millis must be between 1 and " + MAX_TIMEOUT_MILLIS);
    }
  }
}
