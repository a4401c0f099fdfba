package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.domain.EventJson;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An event of docs/api.md "Events" as the API document describes it: the data of an SSE event, or
 * an element of the history array. Only the document uses this record; the JSON sent is built by
 * {@link EventJson}, for the streams, the webhooks and the JSON store alike, and OpenApiTest keeps
 * the two alike.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record EventResponse(
    long seq,
    String type,
    @JsonProperty("thread_id") String threadId,
    String at,
    String status,
    String step,
    @Schema(description = "step_progress only: the attempt it is about")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer attempt,
    EventProgressResponse progress,
    @Schema(
            description =
                "step_progress: the text so far (an llm step's answer, a worker's progress"
                    + " text), at most 10,000 characters, the newest ones; webhook_disabled: which"
                    + " webhook, and since when its receiver failed")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String detail,
    @Schema(
            description =
                "Who caused the change: the owner of the caller that asked for it, or \"engine\"")
        String actor) {

  record EventProgressResponse(
      int completed, int total, @JsonProperty("current_step") String currentStep, int percent) {}
}
