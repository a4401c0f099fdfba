package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;

public interface CancelThreadUseCase {

  /**
   * Stops a thread and keeps it: it fails with the error message {@code cancelled}, and the agent
   * of a step in flight is cancelled (docs/api.md "Cancel").
   *
   * @throws io.orchestro.threads.domain.IllegalTransitionException when it has completed or failed
   * @throws ThreadNotFoundException
   */
  WorkflowThread cancel(ThreadId id);
}
