package io.orchestro.threads.adapters.persistence.jpa;

import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Workflow definitions to rows and back; keywords and steps as JSON with the API's names. */
final class WorkflowDefinitionMapping {

  private WorkflowDefinitionMapping() {}

  static WorkflowDefinitionEntity toEntity(WorkflowDefinition definition) {
    return new WorkflowDefinitionEntity(
        definition.type(),
        definition.version(),
        definition.description(),
        JsonColumns.write(definition.keywords()),
        JsonColumns.write(definition.steps().stream().map(step -> stepJson(step)).toList()));
  }

  static WorkflowDefinition toDomain(WorkflowDefinitionEntity entity) {
    List<String> keywords =
        JsonColumns.readArray(entity.keywords()).stream().map(String.class::cast).toList();
    List<StepDefinition> steps =
        JsonColumns.readArray(entity.steps()).stream()
            .map(json -> step(JsonColumns.object(json)))
            .toList();
    return new WorkflowDefinition(
        entity.type(), entity.version(), entity.description(), keywords, steps);
  }

  private static Map<String, Object> stepJson(StepDefinition step) {
    Map<String, Object> retry = new LinkedHashMap<>();
    retry.put("max_attempts", step.retry().maxAttempts());
    retry.put("backoff_millis", step.retry().backoffMillis());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", step.name());
    json.put("agent", step.agent());
    json.put("config", step.config());
    json.put("retry", retry);
    json.put("timeout_millis", step.timeoutMillis());
    return json;
  }

  private static StepDefinition step(Map<String, Object> json) {
    Map<String, Object> retry = JsonColumns.object(json.get("retry"));
    Number timeout = (Number) json.get("timeout_millis");
    return new StepDefinition(
        (String) json.get("name"),
        (String) json.get("agent"),
        JsonColumns.object(json.get("config")),
        retry == null
            ? null
            : new RetryPolicy(
                ((Number) retry.get("max_attempts")).intValue(),
                ((Number) retry.get("backoff_millis")).longValue()),
        timeout == null ? null : timeout.longValue());
  }
}
