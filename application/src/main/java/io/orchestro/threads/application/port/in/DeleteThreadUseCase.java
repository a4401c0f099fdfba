package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;

public interface DeleteThreadUseCase {

  /**
   * Deletes a thread, stopping it first when it runs.
   *
   * @throws ThreadNotFoundException also for a thread the caller does not see
   */
  void delete(Caller caller, ThreadId id);
}
