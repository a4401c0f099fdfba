package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;

public interface GetThreadUseCase {

  /**
   * The thread with its steps.
   *
   * @throws ThreadNotFoundException also for a thread the caller does not see
   */
  WorkflowThread get(Caller caller, ThreadId id);
}
