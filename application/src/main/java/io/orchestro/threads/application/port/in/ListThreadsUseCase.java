package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadPage;

public interface ListThreadsUseCase {

  ThreadPage list(ListThreadsQuery query);
}
