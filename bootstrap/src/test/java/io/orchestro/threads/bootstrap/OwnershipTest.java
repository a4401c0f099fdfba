package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.bootstrap.ApiClient.Reply;
import io.orchestro.threads.bootstrap.SseClient.Event;
import io.orchestro.threads.domain.Caller.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Each owner sees only its own threads (docs/api.md "Who may do what"), over real HTTP: lists,
 * counts, search, reads by id, lifecycle and bulk calls, and event streams and histories show
 * nothing of another owner's thread, which is a 404 wherever its id is named. Callers are chosen by
 * {@link TestCallers}' headers; each test has owners of its own, so tests sharing the application
 * do not see each other's threads. Run on H2 and on PostgreSQL by the subclasses.
 */
@Import(TestCallers.class)
abstract class OwnershipTest {

  /** A workflow whose one step waits a minute: its threads stay running while a test looks. */
  private static final String WAITS = "waits-a-minute";

  @LocalServerPort int port;

  private ApiClient admin;
  private ApiClient alice;
  private ApiClient bob;
  private ApiClient bobsViewer;
  private String aliceName;

  @BeforeEach
  void callers() {
    admin = new ApiClient(port);
    String test = UUID.randomUUID().toString();
    aliceName = "alice-" + test;
    alice = admin.withHeaders(TestCallers.as(aliceName, Role.OPERATOR));
    bob = admin.withHeaders(TestCallers.as("bob-" + test, Role.OPERATOR));
    bobsViewer = admin.withHeaders(TestCallers.as("bob-" + test, Role.VIEWER));
    assertThat(admin.putDelayWorkflow(WAITS, 1, 60_000).status()).isIn(200, 201);
  }

  @Test
  void aNonAdminFindsNothingOfAnotherOwnersThreadInListsCountsOrSearch() {
    String alices = alice.createThread("Plan the garden", WAITS);
    String bobs = bob.createThread("Bob's secret plan", WAITS);

    Reply list = alice.get("/api/threads");
    assertThat(ids(list.body().get("items"))).containsExactly(alices);
    assertThat(list.body().get("total").asLong()).isEqualTo(1);
    assertThat(list.raw().body()).doesNotContain(bobs).doesNotContain("secret");
    assertThat(list.body().get("items").get(0).get("owner").asString()).isEqualTo(aliceName);
    assertThat(alice.get("/api/threads/counts").body().get("total").asLong()).isEqualTo(1);
    assertThat(alice.get("/api/threads?q=secret").body().get("total").asLong()).isZero();
    assertThat(ids(bobsViewer.get("/api/threads").body().get("items"))).containsExactly(bobs);
    assertThat(ids(admin.get("/api/threads?size=500").body().get("items"))).contains(alices, bobs);
  }

  @Test
  void anotherOwnersThreadIsA404ForEveryCallNamingItAndIsLeftAsItWas() {
    String bobs = bob.createThread("Bob's secret plan", WAITS);
    JsonNode before = bob.thread(bobs);
    String path = "/api/threads/" + bobs;

    List<Reply> replies =
        List.of(
            alice.get(path),
            alice.post(path + "/pause"),
            alice.post(path + "/resume"),
            alice.post(path + "/retry"),
            alice.post(path + "/cancel"),
            alice.delete(path),
            alice.get(path + "/events", "Accept", "application/json"));

    for (Reply reply : replies) {
      assertProblem(reply, 404);
      assertThat(reply.raw().body()).doesNotContain("secret");
    }
    try (SseClient stream = SseClient.open(alice, path + "/events", null)) {
      assertThat(stream.status()).isEqualTo(404);
    }
    JsonNode after = bob.thread(bobs);
    // the engine may have started it meanwhile; nothing else may have happened to it
    assertThat(after.get("status").asString()).isIn("pending", "running");
    assertThat(after.get("created_at")).isEqualTo(before.get("created_at"));
    assertThat(after.get("owner").asString()).startsWith("bob-");
    assertThat(bobsViewer.get(path).status()).isEqualTo(200);
  }

  @Test
  void aBulkChangeTouchesOnlyTheCallersThreads() {
    String alices = alice.createThread("Plan the garden", WAITS);
    String bobs = bob.createThread("Bob's plan", WAITS);

    Reply changed =
        alice.post(
            "/api/threads/bulk",
            "{\"action\": \"pause\", \"filter\": {\"thread_ids\": [\""
                + alices
                + "\", \""
                + bobs
                + "\"]}}");

    assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);
    assertThat(changed.body().get("matched").asLong()).isEqualTo(1);
    assertThat(alice.thread(alices).get("status").asString()).isEqualTo("paused");
    assertThat(bob.thread(bobs).get("status").asString()).isNotEqualTo("paused");
  }

  @Test
  void eventStreamsAndHistoriesCarryOnlyTheCallersEventsEachNamingItsActor() throws Exception {
    try (SseClient everything = SseClient.open(alice, "/api/events", null)) {
      assertThat(everything.status()).isEqualTo(200);
      String bobs = bob.createThread("Bob's secret plan", WAITS);
      String alices = alice.createThread("Plan the garden", WAITS);
      // the admin cancels alice's thread: the event is hers, its actor the admin (a cancel records
      // its event at once, where a pause may settle later, as the engine's)
      assertThat(admin.post("/api/threads/" + alices + "/cancel").status()).isEqualTo(200);
      bob.post("/api/threads/" + bobs + "/cancel");

      List<Event> seen = everything.until("thread_failed");

      assertThat(seen)
          .allSatisfy(
              event -> assertThat(event.data().get("thread_id").asString()).isEqualTo(alices));
      assertThat(seen.get(0).data().get("actor").asString()).isEqualTo(aliceName);
      assertThat(seen.get(seen.size() - 1).data().get("actor").asString()).isEqualTo("local");
      assertThat(seen).noneMatch(event -> event.dataText().contains(bobs));

      Reply history = alice.get("/api/threads/" + alices + "/events", "Accept", "application/json");
      assertThat(history.status()).isEqualTo(200);
      List<String> actors = new ArrayList<>();
      history.body().forEach(event -> actors.add(event.get("actor").asString()));
      assertThat(actors).first().isEqualTo(aliceName);
      // the engine's events (a start) come only when it took the thread up before the cancel
      assertThat(actors).contains("local").isSubsetOf(aliceName, "local", "engine");
    }
  }

  @Test
  void aWorkerOfAnotherOwnerIsOfferedNoneOfItsTasksAndCannotTouchThem() {
    String queue = "work-" + UUID.randomUUID();
    Reply defined =
        admin.put(
            "/api/workflows/" + queue,
            "{\"steps\": [{\"name\": \"work\", \"agent\": \"worker\","
                + " \"config\": {\"queue\": \""
                + queue
                + "\"}}]}");
    assertThat(defined.status()).isIn(200, 201);
    String bobs = bob.createThread("Bob's work", queue);
    // the task is offered before the step's attempt waits for a worker
    await()
        .until(
            () -> bob.thread(bobs).get("steps").get(0).get("status").asString().equals("running"));
    String poll = "{\"queues\": [\"" + queue + "\"], \"worker_id\": \"w\", \"wait_millis\": 0}";

    Reply alicesPoll = alice.post("/api/tasks/poll", poll);
    Reply bobsPoll = bob.post("/api/tasks/poll", poll);

    assertThat(alicesPoll.status()).isEqualTo(200);
    assertThat(alicesPoll.body().size()).isZero();
    assertThat(bobsPoll.body().size()).as(bobsPoll.raw().body()).isEqualTo(1);
    String task = "/api/tasks/" + bobsPoll.body().get(0).get("task_id").asString();
    assertProblem(alice.post(task + "/heartbeat"), 404);
    assertProblem(alice.post(task + "/complete", "{\"output\": {}}"), 404);
    assertProblem(alice.post(task + "/fail", "{\"error\": \"no\"}"), 404);
    assertThat(bob.post(task + "/heartbeat").status()).isEqualTo(200);
  }

  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.get("thread_id").asString()));
    return ids;
  }
}
