package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.SchedulesUseCase;
import io.orchestro.threads.application.port.in.SchedulesUseCase.PutSchedule;
import io.orchestro.threads.domain.Schedule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Cron schedules that create threads (docs/api.md "Schedules"). JSON only. */
@Tag(name = "Schedules", description = "Cron schedules that create one thread per due time")
@RestController
@RequestMapping(path = "/api/schedules", produces = MediaType.APPLICATION_JSON_VALUE)
class ScheduleController {

  private final SchedulesUseCase schedules;

  ScheduleController(SchedulesUseCase schedules) {
    this.schedules = schedules;
  }

  @Operation(operationId = "listSchedules", summary = "List the schedules, by name")
  @GetMapping
  List<ScheduleResponse> list() {
    return schedules.list().stream().map(this::response).toList();
  }

  @Operation(operationId = "getSchedule", summary = "Get a schedule with its next run times")
  @GetMapping("/{name}")
  ScheduleResponse get(@PathVariable String name) {
    return response(schedules.get(name));
  }

  @Operation(
      operationId = "putSchedule",
      summary = "Create or replace a schedule",
      description =
          "201 when the name is new, otherwise 200. The next run is computed from now; a schedule"
              + " put with enabled false creates no thread until it is put enabled again.")
  @ApiResponse(responseCode = "201", description = "A new schedule")
  @ApiResponse(responseCode = "200", description = "A schedule replaced")
  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<ScheduleResponse> put(
      @PathVariable String name, @Valid @RequestBody PutScheduleRequest request) {
    PutSchedule result = schedules.put(request.toCommand(name));
    ScheduleResponse body = response(result.schedule());
    if (!result.created()) {
      return ResponseEntity.ok(body);
    }
    return ResponseEntity.created(URI.create("/api/schedules/" + name)).body(body);
  }

  @Operation(operationId = "deleteSchedule", summary = "Delete a schedule; its threads stay")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @DeleteMapping("/{name}")
  ResponseEntity<Void> delete(@PathVariable String name) {
    schedules.delete(name);
    return ResponseEntity.noContent().build();
  }

  private ScheduleResponse response(Schedule schedule) {
    return ScheduleResponse.from(
        schedule, schedules.nextRuns(schedule, ScheduleResponse.NEXT_RUNS_SHOWN));
  }
}
