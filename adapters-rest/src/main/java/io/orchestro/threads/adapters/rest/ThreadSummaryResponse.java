package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.UtcTimestamp;
import io.orchestro.threads.domain.WorkflowThread;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A thread in a list: the thread resource without {@code steps} and {@code input} (docs/api.md
 * "List").
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record ThreadSummaryResponse(
    @JsonProperty("thread_id") String threadId,
    @Schema(description = ThreadResponse.OWNER) String owner,
    String title,
    @JsonProperty("workflow_type") String workflowType,
    String status,
    @JsonProperty("current_step") String currentStep,
    @JsonProperty("total_steps") int totalSteps,
    @JsonProperty("completed_steps") int completedSteps,
    int percent,
    @JsonProperty("start_time") String startTime,
    @JsonProperty("last_updated") String lastUpdated,
    @JsonProperty("error_message") String errorMessage,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("finished_at") String finishedAt,
    @Schema(description = "Higher runs first, -100 to 100") int priority,
    @Schema(description = "The thread stays pending until then; null to start at once")
        @JsonProperty("start_at")
        String startAt,
    @JsonProperty("allowed_actions")
        @ArraySchema(
            arraySchema = @Schema(description = ThreadResponse.ALLOWED_ACTIONS),
            schema = @Schema(allowableValues = {"pause", "resume", "retry", "cancel", "delete"}))
        List<String> allowedActions) {

  static ThreadSummaryResponse from(WorkflowThread thread) {
    Progress progress = thread.progress();
    return new ThreadSummaryResponse(
        thread.id().toString(),
        thread.owner(),
        thread.title(),
        thread.workflowType(),
        thread.status().wireName(),
        progress.currentStep(),
        progress.total(),
        progress.completed(),
        progress.percent(),
        UtcTimestamp.format(thread.startTime()),
        UtcTimestamp.format(thread.lastUpdated()),
        thread.errorMessage(),
        UtcTimestamp.format(thread.createdAt()),
        UtcTimestamp.format(thread.finishedAt()),
        thread.priority(),
        UtcTimestamp.format(thread.startAt()),
        ThreadResponse.allowedActions(thread));
  }
}
