package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.CreateThreadUseCase.CreatedThread;
import java.util.List;

/** The answer to {@code POST /api/threads/batch}: each thread, in the order of the request. */
record CreatedThreadsResponse(List<ThreadResponse> threads) {

  static CreatedThreadsResponse from(List<CreatedThread> created) {
    return new CreatedThreadsResponse(
        created.stream().map(each -> ThreadResponse.from(each.thread())).toList());
  }
}
