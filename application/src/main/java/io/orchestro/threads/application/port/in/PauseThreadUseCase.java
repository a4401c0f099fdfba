package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;

public interface PauseThreadUseCase {

  /**
   * Pauses a thread: no further step starts (docs/api.md "Lifecycle rules").
   *
   * @throws io.orchestro.threads.domain.IllegalTransitionException when it has completed or failed
   * @throws ThreadNotFoundException also for a thread the caller does not see
   */
  WorkflowThread pause(Caller caller, ThreadId id);
}
