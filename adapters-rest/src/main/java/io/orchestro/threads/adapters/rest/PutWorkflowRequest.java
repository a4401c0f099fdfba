package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase.PutWorkflowCommand;
import io.orchestro.threads.domain.JsonValues;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /api/workflows/{type}}. It has the shape of the definition that {@code
 * GET} returns, so a client can edit and send back what it read: {@code version} is accepted and
 * ignored because the server assigns versions, and {@code type} may repeat the path's type.
 */
@JsonIgnoreProperties(value = "version")
record PutWorkflowRequest(
    String type,
    String description,
    List<@NotNull(message = NOT_NULL) String> keywords,
    List<@NotNull(message = NOT_NULL) StepDefinitionRequest> steps) {

  /** Written out so that the message does not depend on the server's locale. */
  static final String NOT_NULL = "must not be null";

  /**
   * @throws IllegalArgumentException when the body names another type than the path, or a step
   *     breaks a rule of the domain
   */
  PutWorkflowCommand toCommand(String pathType) {
    if (type != null && !type.equals(pathType)) {
      throw new IllegalArgumentException(
          "the body's type '" + type + "' differs from the path's type '" + pathType + "'");
    }
    JsonValues.requireStorable(description, "description");
    JsonValues.requireStorable(keywords, "keywords");
    List<StepDefinition> definitions = null;
    if (steps != null) {
      definitions = new ArrayList<>(steps.size());
      for (int i = 0; i < steps.size(); i++) {
        definitions.add(steps.get(i).toDomain("steps[" + i + "]"));
      }
    }
    return new PutWorkflowCommand(pathType, description, keywords, definitions);
  }

  record StepDefinitionRequest(
      String name,
      String agent,
      Map<String, Object> config,
      RetryPolicyRequest retry,
      @JsonProperty("timeout_millis") Long timeoutMillis) {

    StepDefinition toDomain(String where) {
      JsonValues.requireStorable(name, where + ".name");
      JsonValues.requireStorable(agent, where + ".agent");
      JsonValues.requireStorable(config, where + ".config");
      return new StepDefinition(
          name, agent, config, retry == null ? null : retry.toDomain(), timeoutMillis);
    }
  }

  /** Both fields may be left out: one attempt, no backoff, as in {@link RetryPolicy#NONE}. */
  record RetryPolicyRequest(
      @JsonProperty("max_attempts") Integer maxAttempts,
      @JsonProperty("backoff_millis") Long backoffMillis) {

    RetryPolicy toDomain() {
      return new RetryPolicy(
          maxAttempts == null ? RetryPolicy.NONE.maxAttempts() : maxAttempts,
          backoffMillis == null ? RetryPolicy.NONE.backoffMillis() : backoffMillis);
    }
  }
}
