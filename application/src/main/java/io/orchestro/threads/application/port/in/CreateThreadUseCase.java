package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.WorkflowThread;

public interface CreateThreadUseCase {

  /**
   * Creates a thread of the caller's owner and queues it, or gives back the existing one when its
   * client-chosen id was created before with an equal request by a caller that sees it.
   *
   * @throws UnknownWorkflowTypeException
   * @throws ThreadIdConflictException when the id exists with a different request, or is taken by a
   *     thread the caller does not see
   */
  CreatedThread create(Caller caller, CreateThreadCommand command);

  /**
   * @param created false when an earlier create with the same id and request is given back
   */
  record CreatedThread(WorkflowThread thread, boolean created) {}
}
