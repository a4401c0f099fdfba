package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.WorkflowThread;

public interface CreateThreadUseCase {

  /**
   * Creates a thread and queues it, or gives back the existing one when its client-chosen id was
   * created before with an equal request.
   *
   * @throws UnknownWorkflowTypeException
   * @throws ThreadIdConflictException when the id exists with a different request
   */
  CreatedThread create(CreateThreadCommand command);

  /**
   * @param created false when an earlier create with the same id and request is given back
   */
  record CreatedThread(WorkflowThread thread, boolean created) {}
}
