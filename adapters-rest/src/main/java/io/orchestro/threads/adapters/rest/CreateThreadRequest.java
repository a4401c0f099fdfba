package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.domain.JsonValues;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The body of {@code POST /api/threads}. Only the syntax is checked here; whether a prompt or input
 * is given is the rule of {@link ThreadRequest}.
 */
record CreateThreadRequest(
    @Schema(description = "What the thread should do; required unless input is given")
        String prompt,
    @Schema(description = "Workflow to run; detected from the prompt's keywords when omitted")
        @JsonProperty("workflow_type")
        String workflowType,
    @Schema(description = "Defaults to 'Workflow - ' and the start of the prompt")
        @Size(max = MAX_TITLE_LENGTH, message = "must be at most {max} characters")
        String title,
    @Schema(description = "Client-chosen id; creating it again with an equal body is idempotent")
        @JsonProperty("thread_id")
        UUID threadId,
    @Schema(description = "Extra inputs for the workflow's agents") Map<String, Object> input,
    @Schema(
            description = "Higher runs first; -100 to 100, default 0",
            minimum = "-100",
            maximum = "100")
        Integer priority,
    @Schema(
            description = "An ISO-8601 time: the thread stays pending until then",
            example = "2026-11-28T10:00:00.000Z")
        @JsonProperty("start_at")
        String startAt) {

  static final int MAX_TITLE_LENGTH = 200;

  /**
   * @throws IllegalArgumentException when the request breaks a rule of the command or domain
   */
  CreateThreadCommand toCommand() {
    JsonValues.requireStorable(prompt, "prompt");
    JsonValues.requireStorable(workflowType, "workflow_type");
    JsonValues.requireStorable(title, "title");
    JsonValues.requireStorable(input, "input");
    return new CreateThreadCommand(
        threadId == null ? null : new ThreadId(threadId),
        new ThreadRequest(prompt, workflowType, title, input, priority, startAtTime()));
  }

  /** Parsed here rather than by Jackson, which would also take a number of seconds. */
  private Instant startAtTime() {
    return startAt == null ? null : ApiTime.parse("start_at", startAt);
  }
}
