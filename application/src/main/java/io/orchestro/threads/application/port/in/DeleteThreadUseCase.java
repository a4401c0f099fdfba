package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ThreadId;

public interface DeleteThreadUseCase {

  /**
   * Deletes a thread, stopping it first when it runs.
   *
   * @throws ThreadNotFoundException
   */
  void delete(ThreadId id);
}
