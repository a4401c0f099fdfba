package io.orchestro.threads.domain;

import java.util.List;

/**
 * A page of threads.
 *
 * @param total how many threads match the query on all pages
 */
public record ThreadPage(List<WorkflowThread> items, int page, int size, long total) {

  public ThreadPage {
    items = List.copyOf(items);
  }
}
