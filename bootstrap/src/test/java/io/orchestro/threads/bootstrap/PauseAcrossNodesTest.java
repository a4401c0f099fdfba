package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A pause sent to another node than the one running the thread aborts its {@code http} call in
 * flight, as a pause sent to that node does (docs/api.md "Lifecycle"): two nodes sharing a
 * PostgreSQL database, node A running every thread, node B (its engine off) taking the pause, and a
 * receiver on a plain socket that holds the request and sees its connection closed.
 */
@ExtendWith(PostgresTestDatabase.Required.class)
class PauseAcrossNodesTest {

  private static PostgresNodes nodes;
  private static HoldingReceiver holding;
  private static ApiClient nodeA;
  private static ApiClient nodeB;

  @BeforeAll
  static void startNodes() {
    holding = new HoldingReceiver();
    nodes = new PostgresNodes("pause_nodes");
    String egress = "--orchestro.egress.allow=127.0.0.1";
    nodeA = ApiClient.of(nodes.start(egress));
    nodeB = ApiClient.of(nodes.start(egress, "--orchestro.engine.enabled=false"));
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
    if (holding != null) {
      holding.close();
    }
  }

  @Test
  void aPauseSentToNodeBAbortsTheHttpCallNodeAMakesAndSettlesThePauseWithNothingFailed() {
    nodeB.putWorkflow(
        "held-across-nodes",
        """
        {"steps": [{"name": "call", "agent": "http",
          "retry": {"max_attempts": 2, "backoff_millis": 1000},
          "config": {"url": "%s", "body": {"text": "{{prompt}}"}}}]}
        """
            .formatted(holding.url("/call")));
    holding.holds().answers("{\"answered\": true}");
    String id = nodeB.createThread("pause me elsewhere", "held-across-nodes");
    String firstCall = id + ":call:1";
    await().atMost(Duration.ofSeconds(60)).until(() -> holding.held().contains(firstCall));

    long pausedAt = System.nanoTime();
    ApiClient.Reply paused = nodeB.post("/api/threads/" + id + "/pause");
    assertThat(paused.status()).as(paused.raw().body()).isEqualTo(200);
    assertThat(paused.body().get("status").asString()).isEqualTo("paused");

    // node A learns of the pause at its next claim check (every second) and closes the connection
    await().atMost(Duration.ofSeconds(30)).until(() -> holding.aborted().contains(firstCall));
    Duration tookToAbort = Duration.ofNanos(System.nanoTime() - pausedAt);
    assertThat(tookToAbort).isLessThan(Duration.ofSeconds(10));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> nodeB.eventTypes(id).contains("thread_paused"));
    JsonNode settled = nodeB.thread(id);
    assertThat(settled.get("status").asString()).isEqualTo("paused");
    JsonNode cutShort = settled.get("steps").get(0);
    // counted, not a failure: no error, and the step waits for the resume
    assertThat(cutShort.get("status").asString()).isEqualTo("pending");
    assertThat(cutShort.get("attempts").asInt()).isEqualTo(1);
    assertThat(cutShort.get("error").isNull()).isTrue();
    assertThat(nodeB.eventTypes(id)).doesNotContain("step_failed", "thread_failed");
    assertThat(holding.keys()).containsOnlyOnce(firstCall);

    assertThat(nodeB.post("/api/threads/" + id + "/resume").status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(60)).until(() -> nodeB.status(id).equals("completed"));
    JsonNode step = nodeB.thread(id).get("steps").get(0);
    assertThat(step.get("attempts").asInt()).isEqualTo(2);
    assertThat(step.get("output").get("answered").asBoolean()).isTrue();
    assertThat(nodeB.eventTypes(id))
        .containsSubsequence("step_started", "thread_paused", "thread_resumed", "step_completed")
        .doesNotContain("step_failed");
  }
}
