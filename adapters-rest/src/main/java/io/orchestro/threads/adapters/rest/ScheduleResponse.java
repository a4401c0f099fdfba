package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.domain.Schedule;
import io.orchestro.threads.domain.UtcTimestamp;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A schedule as the API shows it: its definition, its runs and its next due times. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record ScheduleResponse(
    String name,
    String cron,
    String zone,
    @JsonProperty("workflow_type") String workflowType,
    String prompt,
    Map<String, Object> input,
    boolean enabled,
    @Schema(description = "The next due time; null while disabled") @JsonProperty("next_run_at")
        String nextRunAt,
    @Schema(description = "The next due times, the first being next_run_at; empty while disabled")
        @JsonProperty("next_runs")
        List<String> nextRuns,
    @Schema(description = "The due time of the last thread created; null before the first")
        @JsonProperty("last_run_at")
        String lastRunAt,
    @Schema(description = "The id of that thread (it may have been deleted since)")
        @JsonProperty("last_thread_id")
        String lastThreadId) {

  static final int NEXT_RUNS_SHOWN = 5;

  static ScheduleResponse from(Schedule schedule, List<Instant> nextRuns) {
    return new ScheduleResponse(
        schedule.name(),
        schedule.cron(),
        schedule.zone().getId(),
        schedule.workflowType(),
        schedule.prompt(),
        schedule.input(),
        schedule.enabled(),
        UtcTimestamp.format(schedule.nextRunAt()),
        nextRuns.stream().map(UtcTimestamp::format).toList(),
        UtcTimestamp.format(schedule.lastRunAt()),
        schedule.lastRunAt() == null
            ? null
            : schedule.threadIdFor(schedule.lastRunAt()).toString());
  }
}
