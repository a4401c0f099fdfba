package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadCounts;
import io.orchestro.threads.domain.ThreadPage;

public interface ListThreadsUseCase {

  ThreadPage list(ListThreadsQuery query);

  /**
   * How many threads match the query's filters in each status; its own statuses, page and size play
   * no part.
   */
  ThreadCounts count(ListThreadsQuery filter);
}
