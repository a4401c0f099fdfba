package io.orchestro.threads.domain;

/**
 * A workflow definition that breaks a rule: no steps, duplicate names, bad bounds, unknown agent.
 */
public class InvalidWorkflowDefinitionException extends IllegalArgumentException {

  public InvalidWorkflowDefinitionException(String message) {
    super(message);
  }
}
