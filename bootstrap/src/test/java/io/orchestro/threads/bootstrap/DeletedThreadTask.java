package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.bootstrap.ApiClient.Reply;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * What a worker holding the task of a thread deleted meanwhile learns (docs/api.md "worker"), the
 * same on every store, on every node sharing it and after a restart: its heartbeat asks it to stop,
 * its completion and its failure are refused, and nothing comes back of the thread.
 */
final class DeletedThreadTask {

  private DeletedThreadTask() {}

  /**
   * Runs a one-step {@code worker} thread of {@code queue} through {@code service}, has a worker
   * take its task through {@code poller}, deletes the thread through {@code service}, and checks
   * the worker's next calls through {@code worker} (each of them another node, or the same
   * service).
   */
  static void check(ApiClient service, ApiClient poller, ApiClient worker, String queue) {
    JsonNode task = takeTaskThenDelete(service, poller, queue, 30000);
    checkToldToStop(worker, task, queue);
  }

  /** {@link #check(ApiClient, ApiClient, ApiClient, String)} with the same node polling. */
  static void check(ApiClient service, ApiClient worker, String queue) {
    check(service, worker, worker, queue);
  }

  /**
   * Runs a one-step {@code worker} thread of {@code queue} through {@code service}, has a worker
   * take its task through {@code poller} and heartbeat once, and deletes the thread.
   *
   * @return the task the worker holds
   */
  static JsonNode takeTaskThenDelete(
      ApiClient service, ApiClient poller, String queue, int heartbeatTimeoutMillis) {
    service.putWorkflow(
        queue,
        """
        {"steps": [{"name": "work", "agent": "worker",
                    "config": {"queue": "%s", "heartbeat_timeout_millis": %d}}]}
        """
            .formatted(queue, heartbeatTimeoutMillis));
    String id = service.createThread("delete me", queue);
    JsonNode task = poller.pollTask(queue, "w-1");
    assertThat(task.get("thread_id").asString()).isEqualTo(id);
    Reply before = poller.heartbeatTask(task);
    assertThat(before.status()).as(before.raw().body()).isEqualTo(200);
    assertThat(before.body().get("cancel_requested").asBoolean()).isFalse();

    assertThat(service.delete("/api/threads/" + id).status()).isEqualTo(204);
    assertThat(service.get("/api/threads/" + id).status()).isEqualTo(404);
    return task;
  }

  /** The worker's calls through {@code worker} about {@code task}, whose thread was deleted. */
  static void checkToldToStop(ApiClient worker, JsonNode task, String queue) {
    Reply heartbeat = worker.heartbeatTask(task);
    assertThat(heartbeat.status()).as(heartbeat.raw().body()).isEqualTo(200);
    assertThat(heartbeat.body().get("cancel_requested").asBoolean()).isTrue();
    // until the lease the worker had when the thread was deleted
    assertThat(Instant.parse(heartbeat.body().get("lease_until").asString()))
        .isAfter(Instant.now());
    assertProblem(worker.completeTask(task, "{\"output\": {\"text\": \"too late\"}}"), 409);
    assertProblem(
        worker.post(
            "/api/tasks/" + task.get("task_id").asString() + "/fail",
            "{\"error\": \"gave up\", \"retryable\": true}"),
        409);
    // still told to stop after the refused calls: they changed nothing
    assertThat(worker.heartbeatTask(task).body().get("cancel_requested").asBoolean()).isTrue();

    assertThat(worker.get("/api/threads/" + task.get("thread_id").asString()).status())
        .isEqualTo(404);
    Reply nextPoll =
        worker.post(
            "/api/tasks/poll",
            "{\"queues\": [\"" + queue + "\"], \"worker_id\": \"w-1\", \"wait_millis\": 0}");
    assertThat(nextPoll.body()).as("no task offered again for the deleted thread").isEmpty();
  }
}
