package io.orchestro.threads.application.port.in;

import io.orchestro.threads.application.port.in.CreateThreadUseCase.CreatedThread;
import io.orchestro.threads.domain.Caller;
import java.util.List;

/** Create many threads at once (docs/api.md "Many threads at once"). */
public interface CreateThreadsUseCase {

  /** At most this many threads in one call. */
  int MAX_THREADS = 1000;

  /**
   * Creates the threads all or nothing, in one write, each as {@link CreateThreadUseCase#create}
   * would: a client-chosen id created before with an equal request gives back the existing thread,
   * and an id repeated within the call with an equal request gives back the same thread.
   *
   * @return one result per command, in the same order
   * @throws IllegalArgumentException when there are more than {@link #MAX_THREADS}
   * @throws BatchItemException when one of them cannot be created; then none is
   */
  List<CreatedThread> createAll(Caller caller, List<CreateThreadCommand> commands);
}
