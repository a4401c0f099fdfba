package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;

public interface RetryThreadUseCase {

  /**
   * Runs a failed thread again from its failed step.
   *
   * @throws io.orchestro.threads.domain.IllegalTransitionException unless it has failed
   * @throws ThreadNotFoundException also for a thread the caller does not see
   */
  WorkflowThread retry(Caller caller, ThreadId id);
}
