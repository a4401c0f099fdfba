package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.WorkflowDefinition;

public interface GetWorkflowUseCase {

  /**
   * The newest version of a workflow type.
   *
   * @throws WorkflowNotFoundException
   */
  WorkflowDefinition get(String type);
}
