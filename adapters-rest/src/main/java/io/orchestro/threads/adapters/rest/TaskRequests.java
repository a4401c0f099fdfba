package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** The bodies of the task API's calls (docs/api.md "Tasks"). */
final class TaskRequests {

  private TaskRequests() {}

  /** {@code POST /api/tasks/poll}. */
  record Poll(
      @Schema(description = "The queues to take tasks from") @NotEmpty @Size(max = 50)
          List<@NotBlank @Size(max = 200) String> queues,
      @Schema(description = "Who polls; shown with the task")
          @JsonProperty("worker_id")
          @NotBlank
          @Size(max = 200)
          String workerId,
      @Schema(description = "The most tasks to take, 1 to 100 (default 1)") Integer max,
      @Schema(
              description =
                  "How long to wait for a task when none is queued, 0 to 60000 (default 0)")
          @JsonProperty("wait_millis")
          Long waitMillis) {}

  /** {@code POST /api/tasks/{task_id}/heartbeat}. */
  record Heartbeat(
      @Schema(description = "How far the worker has come, shown as a step_progress event")
          @Size(max = 16_384)
          String progress) {}

  /** {@code POST /api/tasks/{task_id}/complete}. */
  record Complete(
      @Schema(description = "The step's output: a JSON object") Map<String, Object> output) {}

  /** {@code POST /api/tasks/{task_id}/fail}. */
  record Fail(
      @Schema(description = "What went wrong; becomes the step's error") @Size(max = 16_384)
          String error,
      @Schema(description = "Whether the step's retry policy may try again (default true)")
          Boolean retryable) {}
}
