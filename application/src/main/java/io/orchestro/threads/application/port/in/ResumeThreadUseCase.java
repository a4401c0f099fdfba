package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;

public interface ResumeThreadUseCase {

  /**
   * Lets a paused thread run again from its next step.
   *
   * @throws io.orchestro.threads.domain.IllegalTransitionException when it has completed or failed
   * @throws ThreadNotFoundException also for a thread the caller does not see
   */
  WorkflowThread resume(Caller caller, ThreadId id);
}
