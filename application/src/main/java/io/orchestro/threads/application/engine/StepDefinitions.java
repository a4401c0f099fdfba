package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The definitions of the steps that threads run, read from the catalog once per workflow version (a
 * version never changes once stored).
 */
final class StepDefinitions {

  private final WorkflowCatalog catalog;
  private final Map<String, WorkflowDefinition> definitions = new ConcurrentHashMap<>();

  StepDefinitions(WorkflowCatalog catalog) {
    this.catalog = catalog;
  }

  StepDefinition of(WorkflowThread thread, String stepName) {
    return definitionOf(thread)
        .step(stepName)
        .orElseThrow(() -> new IllegalStateException("no step definition " + stepName));
  }

  /**
   * When the thread's {@code step} may start its next attempt, by its definition's retry policy.
   */
  Instant nextAttemptNotBefore(WorkflowThread thread, ThreadStep step) {
    return step.nextAttemptNotBefore(of(thread, step.name()).retry());
  }

  private WorkflowDefinition definitionOf(WorkflowThread thread) {
    String key = thread.workflowType() + ":" + thread.workflowVersion();
    return definitions.computeIfAbsent(
        key,
        missing ->
            catalog
                .find(thread.workflowType(), thread.workflowVersion())
                .orElseThrow(
                    () -> new IllegalStateException("thread " + thread.id() + " has no workflow")));
  }
}
