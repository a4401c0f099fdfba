package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadCounts;
import io.orchestro.threads.domain.ThreadPage;

public interface ListThreadsUseCase {

  /** The threads the caller sees that match the query (its owner filter is the caller's). */
  ThreadPage list(Caller caller, ListThreadsQuery query);

  /**
   * How many threads the caller sees match the query's filters in each status; its own statuses,
   * page and size play no part.
   */
  ThreadCounts count(Caller caller, ListThreadsQuery filter);
}
