package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.WorkTasksUseCase;
import io.orchestro.threads.application.port.in.WorkTasksUseCase.Lease;
import io.orchestro.threads.application.port.in.WorkTasksUseCase.PollTasksCommand;
import io.orchestro.threads.domain.UtcTimestamp;
import io.orchestro.threads.domain.WorkerTask;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The task API of {@code worker} steps (docs/api.md "Tasks"). A long poll is answered
 * asynchronously: while it waits it holds neither a request thread nor a database connection.
 */
@Tag(name = "Tasks", description = "Outside workers take, heartbeat and finish worker steps' tasks")
@RestController
@RequestMapping(path = "/api/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
class TaskController {

  private final WorkTasksUseCase tasks;

  private final CurrentCaller caller;

  TaskController(WorkTasksUseCase tasks, CurrentCaller caller) {
    this.tasks = tasks;
    this.caller = caller;
  }

  @Operation(
      operationId = "pollTasks",
      summary = "Take tasks from queues, waiting up to wait_millis for one",
      description =
          "Answers at once with the tasks queued now, leased to the worker; when there are none,"
              + " as soon as one arrives, or with an empty array after wait_millis (at most 60 s).")
  @PostMapping(path = "/poll", consumes = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<List<Map<String, Object>>> poll(@Valid @RequestBody TaskRequests.Poll request) {
    PollTasksCommand command =
        new PollTasksCommand(
            request.queues(),
            request.workerId(),
            request.max() == null ? 1 : request.max(),
            Duration.ofMillis(request.waitMillis() == null ? 0 : request.waitMillis()));
    return tasks
        .poll(caller.get(), command)
        .thenApply(leased -> leased.stream().map(TaskController::taskJson).toList());
  }

  @Operation(
      operationId = "heartbeatTask",
      summary = "Keep a task: its lease runs a heartbeat timeout from now",
      description = "409 once the worker no longer holds the task.")
  @PostMapping(path = "/{taskId}/heartbeat")
  Map<String, Object> heartbeat(
      @PathVariable UUID taskId,
      @Valid @RequestBody(required = false) TaskRequests.Heartbeat body) {
    Lease lease = tasks.heartbeat(caller.get(), taskId, body == null ? null : body.progress());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("lease_until", UtcTimestamp.format(lease.leaseUntil()));
    answer.put("cancel_requested", lease.cancelRequested());
    return answer;
  }

  @Operation(
      operationId = "completeTask",
      summary = "Finish a task with the step's output",
      description =
          "409, changing nothing, when the attempt was superseded, cancelled or timed out.")
  @PostMapping(path = "/{taskId}/complete", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> complete(
      @PathVariable UUID taskId, @Valid @RequestBody TaskRequests.Complete body) {
    tasks.complete(caller.get(), taskId, body.output());
    return Map.of();
  }

  @Operation(
      operationId = "failTask",
      summary = "Fail a task; a retryable failure follows the step's retry policy",
      description =
          "409, changing nothing, when the attempt was superseded, cancelled or timed out.")
  @PostMapping(path = "/{taskId}/fail", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> fail(@PathVariable UUID taskId, @Valid @RequestBody TaskRequests.Fail body) {
    tasks.fail(caller.get(), taskId, body.error(), body.retryable() == null || body.retryable());
    return Map.of();
  }

  /** A task as docs/api.md names its fields. */
  static Map<String, Object> taskJson(WorkerTask task) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("task_id", task.taskId().toString());
    json.put("queue", task.queue());
    json.put("thread_id", task.threadId().toString());
    json.put("step", task.step());
    json.put("attempt", task.attempt());
    json.put("idempotency_key", task.idempotencyKey());
    json.put("config", task.config());
    json.put("input", task.input());
    json.put("step_outputs", task.stepOutputs());
    json.put("lease_until", UtcTimestamp.format(task.leaseUntil()));
    return json;
  }
}
