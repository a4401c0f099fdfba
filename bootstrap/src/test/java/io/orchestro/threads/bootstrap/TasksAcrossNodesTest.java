package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import io.orchestro.threads.application.service.TaskService;
import io.orchestro.threads.bootstrap.ApiClient.Reply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The task API on two nodes sharing a PostgreSQL database: workers call node A, whose engine is
 * off, while node B runs every thread. Neither node looks in the store for tasks on its own during
 * these tests ({@code orchestro.tasks.recheck} is far longer than any wait here), so a poll on node
 * A that gets a task offered on node B was woken by node B's announcement.
 */
@ExtendWith(PostgresTestDatabase.Required.class)
class TasksAcrossNodesTest {

  private static final String NO_RECHECK = "--orchestro.tasks.recheck=10m";

  private static PostgresNodes nodes;
  private static ApiClient nodeA;
  private static TaskService nodeATasks;
  private static ApiClient nodeB;

  @BeforeAll
  static void startNodes() {
    nodes = new PostgresNodes("tasks_nodes");
    ConfigurableApplicationContext a = nodes.start("--orchestro.engine.enabled=false", NO_RECHECK);
    nodeA = ApiClient.of(a);
    nodeATasks = a.getBean(TaskService.class);
    nodeB = ApiClient.of(nodes.start(NO_RECHECK));
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void aLongPollOnNodeAIsWokenByTheTaskOfAThreadNodeBRunsAndItsCompletionCompletesTheThread()
      throws Exception {
    nodeB.putWorkerWorkflow("translate", 30000);
    CompletableFuture<Reply> waiting =
        CompletableFuture.supplyAsync(
            () ->
                nodeA.post(
                    "/api/tasks/poll",
                    "{\"queues\": [\"translate\"], \"worker_id\": \"w-a\", \"wait_millis\": 20000}"));
    // the poll waits on node A before the task exists: only an announcement can answer it in time
    await().until(() -> nodeATasks.waitingPolls() == 1);

    String id = nodeB.createThread("bonjour", "translate");

    Reply answer = waiting.get(30, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).as("answered when the poll's wait ran out").hasSize(1);
    JsonNode task = answer.body().get(0);
    assertThat(task.get("thread_id").asString()).isEqualTo(id);
    assertThat(task.get("input").get("prompt").asString()).isEqualTo("bonjour");
    assertThat(nodeA.completeTask(task, "{\"output\": {\"text\": \"hello\"}}").status())
        .isEqualTo(200);
    nodeB.awaitStatus(id, "completed");
    JsonNode step = nodeB.thread(id).get("steps").get(0);
    assertThat(step.get("output").get("text").asString()).isEqualTo("hello");
    assertThat(step.get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void theExampleWorkerInPythonPollingNodeACompletesTheStepsOfThreadsNodeBRuns() throws Exception {
    nodeB.putWorkerWorkflow("shout-nodes", 30000);
    List<String> ids =
        IntStream.range(0, 2).mapToObj(i -> nodeB.createThread("hi " + i, "shout-nodes")).toList();

    ExampleWorker.completeTasks(nodeA, "shout-nodes", 2);
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      nodeB.awaitStatus(id, "completed");
      JsonNode output = nodeB.thread(id).get("steps").get(0).get("output");
      assertThat(output.get("text").asString()).isEqualTo("HI " + i);
    }
  }

  @Test
  void theTaskOfAWorkerThatDiedMidTaskIsOfferedAgainOnNodeAAfterItsHeartbeatTimeout() {
    // long enough that the successor completes in time on a loaded machine (5 s was not), short
    // enough that the next task comes within the successor's 20 s poll
    nodeB.putWorkerWorkflow("fragile", 10000);
    String id = nodeB.createThread("outlive me", "fragile");
    JsonNode held = nodeA.pollTask("fragile", "doomed");
    assertThat(held.get("attempt").asInt()).isEqualTo(1);
    assertThat(nodeA.heartbeatTask(held).body().get("cancel_requested").asBoolean()).isFalse();

    // the worker dies here: no more heartbeats. Node B cuts its attempt short when the lease runs
    // out and offers the next attempt's task, which reaches the poll waiting on node A
    JsonNode offeredAgain = nodeA.pollTask("fragile", "successor");

    assertThat(offeredAgain.get("thread_id").asString()).isEqualTo(id);
    assertThat(offeredAgain.get("attempt").asInt()).isEqualTo(2);
    Reply completed = nodeA.completeTask(offeredAgain, "{\"output\": {\"done\": true}}");
    assertThat(completed.status()).as(completed.raw().body()).isEqualTo(200);
    assertProblem(nodeA.completeTask(held, "{\"output\": {\"late\": true}}"), 409);
    nodeB.awaitStatus(id, "completed");
    JsonNode step = nodeB.thread(id).get("steps").get(0);
    assertThat(step.get("attempts").asInt()).isEqualTo(2);
    assertThat(step.get("output").has("late")).isFalse();
    assertThat(nodeA.eventTypes(id)).doesNotContain("step_failed");
  }

  /** The worker took its task from node A; the thread is deleted through node B. */
  @Test
  void aWorkerOnNodeAHoldingTheTaskOfAThreadDeletedOnNodeBIsToldToStop() {
    DeletedThreadTask.check(nodeB, nodeA, "deleted-on-b");
  }

  /**
   * The worker took its task from node B, which then deleted the thread, and heartbeats node A,
   * which never leased the task: node A answers from the store's mark, not a memory of its own.
   */
  @Test
  void aWorkerHeartbeatingNodeAIsToldToStopWhenNodeBWhichLeasedItsTaskDeletedTheThread() {
    DeletedThreadTask.check(nodeB, nodeB, nodeA, "deleted-on-b-heard-on-a");
  }

  /**
   * The worker holds its task from node A; node B, which runs the thread, takes a pause, then (for
   * another thread) a cancel: node A reads either from the thread as stored.
   */
  @Test
  void aWorkerOnNodeAIsToldToStopWhenNodeBPausesOrCancelsTheThread() {
    nodeB.putWorkerWorkflow("stopped-on-b", 30000);
    for (String action : List.of("pause", "cancel")) {
      String id = nodeB.createThread(action + " me", "stopped-on-b");
      JsonNode task = nodeA.pollTask("stopped-on-b", "w-1");
      assertThat(task.get("thread_id").asString()).isEqualTo(id);
      assertThat(nodeB.post("/api/threads/" + id + "/" + action).status()).isEqualTo(200);

      Reply heartbeat = nodeA.heartbeatTask(task);
      assertThat(heartbeat.status()).as(heartbeat.raw().body()).isEqualTo(200);
      assertThat(heartbeat.body().get("cancel_requested").asBoolean()).as(action).isTrue();
      assertProblem(nodeA.completeTask(task, "{\"output\": {\"text\": \"too late\"}}"), 409);
    }
  }
}
