package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.bootstrap.ApiClient.Reply;
import tools.jackson.databind.JsonNode;

/**
 * What a worker holding the task of a thread deleted meanwhile learns (docs/api.md "worker"), the
 * same on every store: its heartbeat asks it to stop, its completion and its failure are refused,
 * and nothing comes back of the thread.
 */
final class DeletedThreadTask {

  private DeletedThreadTask() {}

  /**
   * Runs a one-step {@code worker} thread of {@code queue} through {@code service}, has a worker
   * take its task through {@code worker} (another node, or the same service), deletes the thread
   * through {@code service}, and checks the worker's next calls through {@code worker}.
   */
  static void check(ApiClient service, ApiClient worker, String queue) {
    service.putWorkflow(
        queue,
        """
        {"steps": [{"name": "work", "agent": "worker",
                    "config": {"queue": "%s", "heartbeat_timeout_millis": 30000}}]}
        """
            .formatted(queue));
    String id = service.createThread("delete me", queue);
    JsonNode task = worker.pollTask(queue, "w-1");
    assertThat(task.get("thread_id").asString()).isEqualTo(id);

    assertThat(service.delete("/api/threads/" + id).status()).isEqualTo(204);

    Reply heartbeat = worker.heartbeatTask(task);
    assertThat(heartbeat.status()).as(heartbeat.raw().body()).isEqualTo(200);
    assertThat(heartbeat.body().get("cancel_requested").asBoolean()).isTrue();
    assertProblem(worker.completeTask(task, "{\"output\": {\"text\": \"too late\"}}"), 409);
    assertProblem(
        worker.post(
            "/api/tasks/" + task.get("task_id").asString() + "/fail",
            "{\"error\": \"gave up\", \"retryable\": true}"),
        409);
    // still told to stop after the refused calls: they changed nothing
    assertThat(worker.heartbeatTask(task).body().get("cancel_requested").asBoolean()).isTrue();

    assertThat(service.get("/api/threads/" + id).status()).isEqualTo(404);
    assertThat(worker.get("/api/threads/" + id).status()).isEqualTo(404);
    Reply nextPoll =
        worker.post(
            "/api/tasks/poll",
            "{\"queues\": [\"" + queue + "\"], \"worker_id\": \"w-1\", \"wait_millis\": 0}");
    assertThat(nextPoll.body()).as("no task offered again for the deleted thread").isEmpty();
  }
}
