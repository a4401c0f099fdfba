package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.domain.ThreadCounts;
import io.orchestro.threads.domain.ThreadStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many threads match a filter, in all and per status (docs/api.md "Counts"): every status is
 * named, in lifecycle order, with 0 when no thread has it.
 */
record ThreadCountsResponse(long total, @JsonProperty("by_status") Map<String, Long> byStatus) {

  static ThreadCountsResponse from(ThreadCounts counts) {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (ThreadStatus status : ThreadStatus.values()) {
      byStatus.put(status.wireName(), counts.byStatus().get(status));
    }
    return new ThreadCountsResponse(counts.total(), byStatus);
  }
}
