package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ThreadAction;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A lifecycle call for every thread that matches all of the given filters; a filter left out (null
 * or empty) matches every thread.
 *
 * @param threadIds only these threads (at most {@link #MAX_THREAD_IDS}); empty for any
 */
public record BulkChangeCommand(
    ThreadAction action,
    Set<ThreadStatus> statuses,
    String workflowType,
    Instant createdBefore,
    List<ThreadId> threadIds) {

  public static final int MAX_THREAD_IDS = 1_000;

  public BulkChangeCommand {
    Objects.requireNonNull(action, "action");
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    workflowType = workflowType == null || workflowType.isBlank() ? null : workflowType;
    threadIds = threadIds == null ? List.of() : List.copyOf(threadIds);
    if (threadIds.size() > MAX_THREAD_IDS) {
      throw new IllegalArgumentException(
          "thread_ids may name at most " + MAX_THREAD_IDS + " threads; got " + threadIds.size());
    }
  }
}
