package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.application.port.in.SchedulesUseCase.PutScheduleCommand;
import io.orchestro.threads.domain.JsonValues;
import io.orchestro.threads.domain.Schedule;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/**
 * The body of {@code PUT /api/schedules/{name}}. The syntax is checked here; the cron, the zone and
 * whether each run's thread could be created are the rules of {@link Schedule} and the use case.
 */
record PutScheduleRequest(
    @Schema(
            description = "Six fields: second minute hour day-of-month month day-of-week",
            example = "0 */15 * * * *")
        @NotNull
        String cron,
    @Schema(
            description = "The time zone the cron is read in; UTC when omitted",
            example = "Europe/Paris")
        String zone,
    @Schema(description = "The workflow each run's thread runs")
        @JsonProperty("workflow_type")
        @NotNull
        String workflowType,
    @Schema(description = "Each run's prompt; required unless input is given") String prompt,
    @Schema(description = "Each run's extra inputs") Map<String, Object> input,
    @Schema(description = "false keeps the schedule without creating threads; true when omitted")
        Boolean enabled) {

  PutScheduleCommand toCommand(String name) {
    JsonValues.requireStorable(prompt, "prompt");
    JsonValues.requireStorable(input, "input");
    return new PutScheduleCommand(
        new Schedule(
            name,
            cron,
            Schedule.zone(zone),
            workflowType,
            prompt,
            input,
            enabled == null || enabled,
            null,
            null));
  }
}
