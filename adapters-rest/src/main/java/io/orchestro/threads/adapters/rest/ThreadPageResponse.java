package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orchestro.threads.domain.ThreadPage;
import java.util.List;

/** One page of the thread list: {@code {items, page, size, total}}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record ThreadPageResponse(List<ThreadSummaryResponse> items, int page, int size, long total) {

  static ThreadPageResponse from(ThreadPage page) {
    return new ThreadPageResponse(
        page.items().stream().map(ThreadSummaryResponse::from).toList(),
        page.page(),
        page.size(),
        page.total());
  }
}
