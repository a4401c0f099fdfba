package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;
import java.util.Map;

/**
 * A workflow definition as docs/api.md "Workflow definitions" shows it; every field written, null
 * when it has no value.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record WorkflowResponse(
    String type,
    int version,
    String description,
    List<String> keywords,
    List<StepDefinitionResponse> steps) {

  static WorkflowResponse from(WorkflowDefinition definition) {
    return new WorkflowResponse(
        definition.type(),
        definition.version(),
        definition.description(),
        definition.keywords(),
        definition.steps().stream().map(StepDefinitionResponse::from).toList());
  }

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record StepDefinitionResponse(
      String name,
      String agent,
      Map<String, Object> config,
      RetryPolicyResponse retry,
      @JsonProperty("timeout_millis") Long timeoutMillis) {

    static StepDefinitionResponse from(StepDefinition step) {
      return new StepDefinitionResponse(
          step.name(),
          step.agent(),
          step.config(),
          RetryPolicyResponse.from(step.retry()),
          step.timeoutMillis());
    }
  }

  record RetryPolicyResponse(
      @JsonProperty("max_attempts") int maxAttempts,
      @JsonProperty("backoff_millis") long backoffMillis) {

    static RetryPolicyResponse from(RetryPolicy retry) {
      return new RetryPolicyResponse(retry.maxAttempts(), retry.backoffMillis());
    }
  }
}
