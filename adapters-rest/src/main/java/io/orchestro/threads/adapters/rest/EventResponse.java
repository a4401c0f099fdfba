package io.orchestro.threads.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadEvent;

/** An event of api.md "Events": the data of an SSE event, or an element of the history array. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record EventResponse(
    long seq,
    String type,
    @JsonProperty("thread_id") String threadId,
    String at,
    String status,
    String step,
    EventProgressResponse progress) {

  record EventProgressResponse(
      int completed, int total, @JsonProperty("current_step") String currentStep, int percent) {}

  static EventResponse from(LoggedEvent logged) {
    ThreadEvent event = logged.event();
    Progress progress = event.progress();
    return new EventResponse(
        logged.seq(),
        event.type().wireName(),
        event.threadId().toString(),
        UtcTimestamp.format(event.at()),
        event.status().wireName(),
        event.step(),
        new EventProgressResponse(
            progress.completed(), progress.total(), progress.currentStep(), progress.percent()));
  }
}
