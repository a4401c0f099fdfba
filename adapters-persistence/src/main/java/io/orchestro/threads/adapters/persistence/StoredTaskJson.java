package io.orchestro.threads.adapters.persistence;

import static io.orchestro.threads.adapters.persistence.StoredJson.integer;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalObject;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalText;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalTime;
import static io.orchestro.threads.adapters.persistence.StoredJson.text;
import static io.orchestro.threads.adapters.persistence.StoredJson.time;
import static io.orchestro.threads.adapters.persistence.StoredJson.whole;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A worker task as a JSON object with the API's field names, for the JSON store's task files. */
public final class StoredTaskJson {

  private StoredTaskJson() {}

  public static Map<String, Object> json(WorkerTask task) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("task_id", task.taskId().toString());
    json.put("queue", task.queue());
    json.put("thread_id", task.threadId().toString());
    json.put("step", task.step());
    json.put("attempt", task.attempt());
    json.put("heartbeat_timeout_millis", task.heartbeatTimeout().toMillis());
    json.put("config", task.config());
    json.put("input", task.input());
    json.put("step_outputs", task.stepOutputs());
    json.put("state", task.state().wireName());
    json.put("worker_id", task.workerId());
    json.put("lease_until", time(task.leaseUntil()));
    json.put("output", task.output());
    json.put("error", task.error());
    json.put("retryable", task.retryable());
    json.put("progress", task.progress());
    json.put("created_at", time(task.createdAt()));
    json.put("version", task.version());
    return json;
  }

  public static WorkerTask task(Map<String, Object> json) {
    return new WorkerTask(
        UUID.fromString(text(json, "task_id")),
        text(json, "queue"),
        ThreadId.parse(text(json, "thread_id")),
        text(json, "step"),
        integer(json, "attempt"),
        Duration.ofMillis(whole(json, "heartbeat_timeout_millis")),
        optionalObject(json, "config"),
        optionalObject(json, "input"),
        optionalObject(json, "step_outputs"),
        WorkerTask.State.fromWireName(text(json, "state")),
        optionalText(json, "worker_id"),
        optionalTime(json, "lease_until"),
        optionalObject(json, "output"),
        optionalText(json, "error"),
        Boolean.TRUE.equals(json.get("retryable")),
        optionalText(json, "progress"),
        optionalTime(json, "created_at"),
        whole(json, "version"));
  }
}
