package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;

public interface PutWorkflowUseCase {

  /**
   * Stores a definition as the newest version of its type. Putting the same content as the newest
   * version again changes nothing.
   *
   * @throws io.orchestro.threads.domain.InvalidWorkflowDefinitionException
   */
  PutWorkflowResult put(PutWorkflowCommand command);

  record PutWorkflowCommand(
      String type, String description, List<String> keywords, List<StepDefinition> steps) {}

  /**
   * @param created true when this type had no definition before
   */
  record PutWorkflowResult(WorkflowDefinition definition, boolean created) {}
}
