package io.orchestro.threads.domain;

import java.util.Set;

/**
 * One page of threads, newest first.
 *
 * @param statuses the statuses to include; empty for all
 * @param workflowType the only workflow type to include, or null for all
 */
public record ListThreadsQuery(
    Set<ThreadStatus> statuses, String workflowType, int page, int size) {

  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 500;

  public ListThreadsQuery {
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    if (page < 0) {
      throw new IllegalArgumentException("page must be 0 or more");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE);
    }
  }

  public long offset() {
    return (long) page * size;
  }
}
