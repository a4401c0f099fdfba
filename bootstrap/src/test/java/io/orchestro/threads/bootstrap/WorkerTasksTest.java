package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.bootstrap.ApiClient.Reply;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code worker} steps and the task API (docs/api.md "Tasks") over real HTTP: the example worker in
 * Python completes them; a worker that goes silent loses its task to the next attempt; late
 * completions change nothing; a pause asks the worker to stop.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:worker-tasks-test;DB_CLOSE_DELAY=-1")
class WorkerTasksTest {

  @LocalServerPort int port;
  @Autowired JdbcClient sql;

  private ApiClient api;

  @BeforeEach
  void connect() {
    api = new ApiClient(port);
  }

  /** A workflow of a worker step and an echo of its output, its queue named as its type. */
  private void putShout(String type) {
    api.putWorkflow(
        type,
        """
        {"steps": [
          {"name": "shout", "agent": "worker", "config": {"queue": "%s"}},
          {"name": "say", "agent": "echo", "config": {"template": "{{steps.shout.output.text}}!"}}]}
        """
            .formatted(type));
  }

  @Test
  void theExampleWorkerInPythonCompletesWorkerSteps() throws Exception {
    putShout("shout");
    List<String> ids =
        IntStream.range(0, 3).mapToObj(i -> api.createThread("hello " + i, "shout")).toList();

    ExampleWorker.completeTasks(api, "shout", 3);
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      await().until(() -> api.status(id).equals("completed"));
      JsonNode steps = api.thread(id).get("steps");
      assertThat(steps.get(0).get("output").get("text").asString()).isEqualTo("HELLO " + i);
      assertThat(steps.get(1).get("output").get("text").asString()).isEqualTo("HELLO " + i + "!");
    }
  }

  @Test
  void aSilentWorkerLosesItsTaskToTheNextAttemptAndItsLateCompletionChangesNothing() {
    api.putWorkerWorkflow("quick-lease", 2000);
    String id = api.createThread("take me", "quick-lease");
    JsonNode first = api.pollTask("quick-lease", "silent");
    assertThat(first.get("thread_id").asString()).isEqualTo(id);
    assertThat(first.get("attempt").asInt()).isEqualTo(1);
    assertThat(first.get("idempotency_key").asString()).isEqualTo(id + ":work:1");
    assertThat(first.get("input").get("prompt").asString()).isEqualTo("take me");

    // no heartbeat: after its timeout the attempt is cut short and a new task offered
    JsonNode second = api.pollTask("quick-lease", "alive");
    assertThat(second.get("attempt").asInt()).isEqualTo(2);
    assertThat(second.get("task_id").asString()).isNotEqualTo(first.get("task_id").asString());

    assertProblem(api.completeTask(first, "{\"output\": {\"late\": true}}"), 409);
    assertProblem(api.heartbeatTask(first), 409);
    assertThat(api.heartbeatTask(second).body().get("cancel_requested").asBoolean()).isFalse();
    assertThat(api.completeTask(second, "{\"output\": {\"done\": true}}").status()).isEqualTo(200);
    await().until(() -> api.status(id).equals("completed"));
    JsonNode step = api.thread(id).get("steps").get(0);
    assertThat(step.get("output").get("done").asBoolean()).isTrue();
    assertThat(step.get("attempts").asInt()).isEqualTo(2);
    assertProblem(api.completeTask(second, "{\"output\": {}}"), 409);
  }

  @Test
  void aPauseAsksTheWorkerToStopAndItsCompletionThenChangesNothing() {
    putShout("pausing");
    String id = api.createThread("pause me", "pausing");
    JsonNode task = api.pollTask("pausing", "w-1");
    assertThat(api.post("/api/threads/" + id + "/pause").status()).isEqualTo(200);

    assertThat(api.heartbeatTask(task).body().get("cancel_requested").asBoolean()).isTrue();
    assertProblem(api.completeTask(task, "{\"output\": {\"text\": \"too late\"}}"), 409);
    assertThat(api.status(id)).isEqualTo("paused");
    assertThat(api.thread(id).get("steps").get(0).get("status").asString()).isEqualTo("pending");

    assertThat(api.post("/api/threads/" + id + "/resume").status()).isEqualTo(200);
    JsonNode again = api.pollTask("pausing", "w-1");
    assertThat(again.get("attempt").asInt()).isEqualTo(2);
    assertThat(api.completeTask(again, "{\"output\": {\"text\": \"AGAIN\"}}").status())
        .isEqualTo(200);
    await().until(() -> api.status(id).equals("completed"));
  }

  /**
   * A worker may finish its task while the engine, which read the task as still leased a moment
   * before, holds the thread to park the attempt; the engine then lets go until the attempt is due
   * (the end of the worker's lease, a minute here). The finish must still wake the thread once the
   * engine lets go, however late: the thread completes long before that minute.
   */
  @Test
  void aTaskFinishedWhileTheEngineStillHoldsItsThreadWakesItOnceLetGo() {
    api.putWorkerWorkflow("racing", 60000);
    String id = api.createThread("race me", "racing");
    JsonNode task = api.pollTask("racing", "w-1");
    UUID threadId = UUID.fromString(id);
    // the attempt is parked and let go until its task's lease ends
    await().until(() -> claim(threadId).get("claim_owner") == null);
    assertThat(claim(threadId).get("claim_until")).isNotNull();

    // held as an engine holds it while it parks the attempt
    sql.sql(
            "update workflow_thread set claim_owner = 'parking-engine', claim_until = ?"
                + " where thread_id = ?")
        .params(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1), threadId)
        .update();
    assertThat(api.completeTask(task, "{\"output\": {\"done\": true}}").status()).isEqualTo(200);
    // and let go until the attempt is due, as it was parked
    sql.sql("update workflow_thread set claim_owner = null, claim_until = ? where thread_id = ?")
        .params(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1), threadId)
        .update();

    await().atMost(Duration.ofSeconds(20)).until(() -> api.status(id).equals("completed"));
    assertThat(api.thread(id).get("steps").get(0).get("output").get("done").asBoolean()).isTrue();
  }

  private Map<String, Object> claim(UUID threadId) {
    return sql.sql("select claim_owner, claim_until from workflow_thread where thread_id = ?")
        .param(threadId)
        .query()
        .singleRow();
  }

  /**
   * A heartbeat's progress text reaches the thread's stream and the stream of all threads as a
   * {@code step_progress} event, the newest of them before {@code step_completed}.
   */
  @Test
  void aHeartbeatsProgressIsAStepProgressEventOnBothStreams() throws Exception {
    putShout("telling");
    String id = api.createThread("tell me", "telling");
    JsonNode task = api.pollTask("telling", "w-1");
    String taskPath = "/api/tasks/" + task.get("task_id").asString();
    try (SseClient all = SseClient.open(api.uri("/api/events?thread_id=" + id), null)) {
      assertThat(api.post(taskPath + "/heartbeat", "{\"progress\": \"1 of 2 done\"}").status())
          .isEqualTo(200);
      List<SseClient.Event> upToProgress = all.until("step_progress");
      SseClient.Event first = upToProgress.get(upToProgress.size() - 1);
      assertThat(first.data().get("step").asString()).isEqualTo("shout");
      assertThat(first.data().get("attempt").asInt()).isEqualTo(1);
      assertThat(first.data().get("detail").asString()).isEqualTo("1 of 2 done");
      assertThat(first.data().get("progress").get("current_step").asString()).isEqualTo("shout");

      assertThat(api.post(taskPath + "/heartbeat", "{\"progress\": \"2 of 2 done\"}").status())
          .isEqualTo(200);
      assertThat(api.completeTask(task, "{\"output\": {\"text\": \"TOLD\"}}").status())
          .isEqualTo(200);
      List<SseClient.Event> rest = all.until("step_completed");
      SseClient.Event newest = rest.get(rest.size() - 2);
      assertThat(newest.name()).isEqualTo("step_progress");
      assertThat(newest.data().get("detail").asString()).isEqualTo("2 of 2 done");
    }
    await().until(() -> api.status(id).equals("completed"));
    List<String> history = new ArrayList<>();
    api.get("/api/threads/" + id + "/events", "Accept", "application/json")
        .body()
        .forEach(event -> history.add(event.get("type").asString()));
    assertThat(history).contains("step_progress");
    assertThat(history.get(history.indexOf("step_completed") - 1)).isEqualTo("step_progress");
  }

  @Test
  void aFailureNoRetryRepeatsFailsTheThreadWithTheWorkersError() {
    putShout("refusing");
    String id = api.createThread("refuse me", "refusing");
    JsonNode task = api.pollTask("refusing", "w-1");
    Reply failed =
        api.post(
            "/api/tasks/" + task.get("task_id").asString() + "/fail",
            "{\"error\": \"cannot shout that\", \"retryable\": false}");
    assertThat(failed.status()).isEqualTo(200);
    await().until(() -> api.status(id).equals("failed"));
    assertThat(api.thread(id).get("error_message").asString()).isEqualTo("cannot shout that");
  }

  @Test
  void aRetryableFailureIsFollowedByANewTaskWhoseCompletionCompletesTheThread() {
    api.putWorkflow(
        "flaky",
        """
        {"steps": [{"name": "work", "agent": "worker", "retry": {"max_attempts": 2},
                    "config": {"queue": "flaky"}}]}
        """);
    String id = api.createThread("try twice", "flaky");
    JsonNode first = api.pollTask("flaky", "w-1");
    Reply failed =
        api.post(
            "/api/tasks/" + first.get("task_id").asString() + "/fail",
            "{\"error\": \"the dictionary is offline\", \"retryable\": true}");
    assertThat(failed.status()).isEqualTo(200);

    JsonNode second = api.pollTask("flaky", "w-1");
    assertThat(second.get("attempt").asInt()).isEqualTo(2);
    assertThat(api.completeTask(second, "{\"output\": {\"text\": \"done\"}}").status())
        .isEqualTo(200);
    api.awaitStatus(id, "completed");
    JsonNode step = api.thread(id).get("steps").get(0);
    assertThat(step.get("attempts").asInt()).isEqualTo(2);
    assertThat(step.get("output").get("text").asString()).isEqualTo("done");
  }

  @Test
  void aStepTimeoutFailsAWorkerStepThatNoWorkerTook() {
    api.putWorkflow(
        "unattended",
        """
        {"steps": [{"name": "work", "agent": "worker", "timeout_millis": 1000,
                    "config": {"queue": "nobody-polls-this"}}]}
        """);
    String id = api.createThread("wait for nobody", "unattended");

    api.awaitStatus(id, "failed");
    assertThat(api.thread(id).get("steps").get(0).get("status").asString()).isEqualTo("failed");
  }

  @Test
  void aWorkerHoldingTheTaskOfADeletedThreadIsToldToStopAndItsResultIsRefused() {
    DeletedThreadTask.check(api, api, "deleting");
  }

  @Test
  void aLongPollIsAnsweredAsSoonAsATaskArrives() throws Exception {
    api.putWorkflow(
        "arrivals",
        """
        {"steps": [{"name": "work", "agent": "worker", "config": {"queue": "arrivals"}}]}
        """);
    CompletableFuture<Reply> waiting =
        CompletableFuture.supplyAsync(
            () ->
                api.post(
                    "/api/tasks/poll",
                    "{\"queues\": [\"arrivals\"], \"worker_id\": \"w\", \"wait_millis\": 25000}"));
    long started = System.nanoTime();
    String id = api.createThread("arrive", "arrivals");
    Reply answer = waiting.get(30, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(answer.body()).hasSize(1);
    assertThat(answer.body().get(0).get("thread_id").asString()).isEqualTo(id);
  }

  @Test
  void anEmptyQueueAnswersAnEmptyArrayAndBadCallsAreProblems() {
    Reply empty =
        api.post(
            "/api/tasks/poll",
            "{\"queues\": [\"nobody-offers\"], \"worker_id\": \"w\", \"wait_millis\": 100}");
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.body()).isEmpty();
    assertProblem(api.post("/api/tasks/poll", "{\"worker_id\": \"w\"}"), 400);
    assertProblem(
        api.post("/api/tasks/poll", "{\"queues\": [\"q\"], \"worker_id\": \"w\", \"max\": 0}"),
        400);
    assertProblem(
        api.post(
            "/api/tasks/poll",
            "{\"queues\": [\"q\"], \"worker_id\": \"w\", \"wait_millis\": 60001}"),
        400);
    assertProblem(api.post("/api/tasks/" + UUID.randomUUID() + "/complete", "{}"), 404);
    assertProblem(api.post("/api/tasks/not-a-uuid/heartbeat", "{}"), 400);
    assertProblem(
        api.put(
            "/api/workflows/no-queue",
            "{\"steps\": [{\"name\": \"w\", \"agent\": \"worker\", \"config\": {}}]}"),
        400);
  }
}
