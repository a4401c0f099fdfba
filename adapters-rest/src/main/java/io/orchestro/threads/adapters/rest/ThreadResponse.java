package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadAction;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.UtcTimestamp;
import io.orchestro.threads.domain.WorkflowThread;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The thread resource of docs/api.md ("The thread resource"). Nested records have names of their
 * own because the OpenAPI document names schemas by simple class name. Every field is written, null
 * when it has no value, whatever the application's JSON inclusion settings say.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record ThreadResponse(
    @JsonProperty("thread_id") String threadId,
    @Schema(description = OWNER) String owner,
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
    Map<String, Object> input,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("finished_at") String finishedAt,
    @Schema(description = "Higher runs first, -100 to 100") int priority,
    @Schema(description = "The thread stays pending until then; null to start at once")
        @JsonProperty("start_at")
        String startAt,
    @JsonProperty("allowed_actions")
        @ArraySchema(
            arraySchema = @Schema(description = ALLOWED_ACTIONS),
            schema = @Schema(allowableValues = {"pause", "resume", "retry", "cancel", "delete"}))
        List<String> allowedActions,
    List<ThreadStepResponse> steps) {

  static final String OWNER =
      "Who the thread belongs to: the owner of the caller that created it (\"local\" without"
          + " credentials configured)";

  static final String ALLOWED_ACTIONS =
      "The lifecycle calls that would change the thread now, in this order: pause, resume,"
          + " retry, delete (delete is always allowed)";

  /** What a client may offer: computed by the domain from the one transition table. */
  static List<String> allowedActions(WorkflowThread thread) {
    return thread.status().allowedActions().stream().map(ThreadAction::wireName).toList();
  }

  static ThreadResponse from(WorkflowThread thread) {
    Progress progress = thread.progress();
    return new ThreadResponse(
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
        thread.input(),
        UtcTimestamp.format(thread.createdAt()),
        UtcTimestamp.format(thread.finishedAt()),
        thread.priority(),
        UtcTimestamp.format(thread.startAt()),
        allowedActions(thread),
        thread.steps().stream().map(ThreadStepResponse::from).toList());
  }

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ThreadStepResponse(
      String name,
      String agent,
      String status,
      int attempts,
      @JsonProperty("started_at") String startedAt,
      @JsonProperty("finished_at") String finishedAt,
      Map<String, Object> output,
      String error) {

    static ThreadStepResponse from(ThreadStep step) {
      return new ThreadStepResponse(
          step.name(),
          step.agent(),
          step.status().wireName(),
          step.attempts(),
          UtcTimestamp.format(step.startedAt()),
          UtcTimestamp.format(step.finishedAt()),
          step.output(),
          step.error());
    }
  }
}
