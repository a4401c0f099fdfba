package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;

public interface ListWorkflowsUseCase {

  /** The newest version of every workflow type, by type name. */
  List<WorkflowDefinition> list();
}
