package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;

public interface CancelThreadUseCase {

  /**
   * Stops a thread and keeps it: it fails with the error message {@code cancelled}, and the agent
   * of a step in flight is cancelled (docs/api.md "Cancel").
   *
   * @throws io.orchestro.threads.domain.IllegalTransitionException when it has completed or failed
   * @throws ThreadNotFoundException also for a thread the caller does not see
   */
  WorkflowThread cancel(Caller caller, ThreadId id);
}
