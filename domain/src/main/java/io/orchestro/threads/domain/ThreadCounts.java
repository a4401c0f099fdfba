package io.orchestro.threads.domain;

import java.util.EnumMap;
import java.util.Map;

/**
 * How many threads are in each status.
 *
 * @param byStatus every status as a key, with 0 when no thread has it
 */
public record ThreadCounts(Map<ThreadStatus, Long> byStatus) {

  public ThreadCounts {
    Map<ThreadStatus, Long> complete = new EnumMap<>(ThreadStatus.class);
    for (ThreadStatus status : ThreadStatus.values()) {
      complete.put(status, byStatus.getOrDefault(status, 0L));
    }
    byStatus = Map.copyOf(complete);
  }

  public long total() {
    return byStatus.values().stream().mapToLong(Long::longValue).sum();
  }
}
