package io.orchestro.threads.application.port.in;

public interface ListThreadsUseCase {

  ThreadPage list(ListThreadsQuery query);
}
