package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.in.PutWorkflowUseCase.PutWorkflowCommand;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import java.util.List;
import java.util.Map;

/** Workflow shapes for tests that run threads: a definition to put, step by step. */
public final class WorkflowCommands {

  private WorkflowCommands() {}

  /** A step that runs once, with no timeout. */
  public static StepDefinition step(String name, String agent, Map<String, Object> config) {
    return new StepDefinition(name, agent, config, RetryPolicy.NONE, null);
  }

  /**
   * @param timeoutMillis null for no timeout
   */
  public static StepDefinition step(
      String name,
      String agent,
      Map<String, Object> config,
      RetryPolicy retry,
      Long timeoutMillis) {
    return new StepDefinition(name, agent, config, retry, timeoutMillis);
  }

  public static PutWorkflowCommand workflow(String type, StepDefinition... steps) {
    return new PutWorkflowCommand(type, "test workflow", List.of(), List.of(steps));
  }
}
