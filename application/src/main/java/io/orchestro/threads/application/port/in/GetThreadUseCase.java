package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;

public interface GetThreadUseCase {

  /**
   * The thread with its steps.
   *
   * @throws ThreadNotFoundException
   */
  WorkflowThread get(ThreadId id);
}
