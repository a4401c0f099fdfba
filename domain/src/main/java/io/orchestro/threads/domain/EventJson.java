package io.orchestro.threads.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event as JSON, in the shape of docs/api.md "Events", built here once for everything that shows
 * events: the REST history and the event streams' {@code data}, the webhook request body, and the
 * JSON store's event log. So they cannot drift apart.
 *
 * <p>The JSON is plain Java values: a map keeping the API's field order, with its snake_case names,
 * to strings, numbers, nulls and the nested progress map; the time as {@link UtcTimestamp} text.
 * Each adapter writes it with its own JSON library. Only {@code step_progress} events carry {@code
 * attempt}; they and {@code webhook_disabled} events carry {@code detail}.
 */
public final class EventJson {

  private EventJson() {}

  public static Map<String, Object> of(LoggedEvent logged) {
    ThreadEvent event = logged.event();
    Progress progress = event.progress();
    Map<String, Object> progressJson = new LinkedHashMap<>();
    progressJson.put("completed", progress.completed());
    progressJson.put("total", progress.total());
    progressJson.put("current_step", progress.currentStep());
    progressJson.put("percent", progress.percent());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("seq", logged.seq());
    json.put("type", event.type().wireName());
    json.put("thread_id", event.threadId().toString());
    json.put("at", UtcTimestamp.format(event.at()));
    json.put("status", event.status().wireName());
    json.put("step", event.step());
    if (event.type() == ThreadEventType.STEP_PROGRESS) {
      json.put("attempt", event.attempt());
    }
    json.put("progress", Collections.unmodifiableMap(progressJson));
    if (event.detail() != null) {
      json.put("detail", event.detail());
    }
    json.put("actor", event.actor());
    return Collections.unmodifiableMap(json);
  }
}
