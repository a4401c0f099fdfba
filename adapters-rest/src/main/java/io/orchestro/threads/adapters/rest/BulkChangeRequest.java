package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.application.port.in.BulkChangeCommand;
import io.orchestro.threads.domain.ThreadAction;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The body of {@code POST /api/threads/bulk}. */
record BulkChangeRequest(
    @Schema(
            description = "The lifecycle call made on every matching thread",
            allowableValues = {"pause", "resume", "retry", "cancel", "delete"})
        @NotNull(message = "is required")
        String action,
    @Schema(description = "Which threads; {} for every thread")
        @NotNull(message = "is required")
        @Valid
        Filter filter) {

  /** Every filter given must match; one left out matches every thread. */
  record Filter(
      @Schema(description = "Only threads in these statuses") List<String> status,
      @Schema(description = "Only threads of this workflow type") @JsonProperty("workflow_type")
          String workflowType,
      @Schema(description = "Only threads created before this time (ISO-8601)")
          @JsonProperty("created_before")
          String createdBefore,
      @Schema(description = "Only these threads, at most 1,000") @JsonProperty("thread_ids")
          List<UUID> threadIds) {}

  /**
   * @throws IllegalArgumentException for an unknown action or status, or a time that does not parse
   */
  BulkChangeCommand toCommand() {
    return new BulkChangeCommand(
        actionNamed(action),
        statuses(filter.status()),
        filter.workflowType(),
        ApiTime.parse("filter.created_before", filter.createdBefore()),
        filter.threadIds() == null
            ? List.of()
            : filter.threadIds().stream().map(ThreadId::new).toList());
  }

  private static ThreadAction actionNamed(String name) {
    for (ThreadAction each : ThreadAction.values()) {
      if (each.wireName().equals(name)) {
        return each;
      }
    }
    throw new IllegalArgumentException(
        "action must be pause, resume, retry, cancel or delete, not '" + name + "'");
  }

  private static Set<ThreadStatus> statuses(List<String> names) {
    Set<ThreadStatus> statuses = EnumSet.noneOf(ThreadStatus.class);
    if (names != null) {
      names.forEach(name -> statuses.add(ThreadStatus.fromWireName(name)));
    }
    return statuses;
  }
}
