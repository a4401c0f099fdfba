package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.domain.Caller.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint over HTTP (the event streams and the task API included), as no credential, an
 * unknown key, each role of one owner ("north"), an admin, and a viewer and an operator of a second
 * owner ("south"): the status says who may do what (docs/api.md "Who may do what"), and nothing of
 * one owner's threads (ids, titles, prompts, events, tasks) reaches the other. Run on H2 and on
 * PostgreSQL by its two subclasses, each on one application, with its fixtures made once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccessMatrix {

  static final String NORTH = "north";
  static final String SOUTH = "south";

  static final String VIEWER_KEY = "matrix-viewer-7c1e";
  static final String OPERATOR_KEY = "matrix-operator-2b9d";
  static final String ADMIN_KEY = "matrix-admin-5f3a";
  static final String OTHER_VIEWER_KEY = "matrix-other-viewer-4d8a";
  static final String OTHER_OPERATOR_KEY = "matrix-other-operator-6e2f";

  static void configureKeys(DynamicPropertyRegistry registry) {
    ApiKeyAccessTest.configureKey(registry, 0, VIEWER_KEY, "viewer", NORTH);
    ApiKeyAccessTest.configureKey(registry, 1, OPERATOR_KEY, "operator", NORTH);
    ApiKeyAccessTest.configureKey(registry, 2, ADMIN_KEY, "admin", "ada");
    ApiKeyAccessTest.configureKey(registry, 3, OTHER_VIEWER_KEY, "viewer", SOUTH);
    ApiKeyAccessTest.configureKey(registry, 4, OTHER_OPERATOR_KEY, "operator", SOUTH);
  }

  /** Who calls: a bearer key (or none) and, for a configured key, its role and owner. */
  enum Credential {
    NONE(null, null, null),
    WRONG_KEY("no-such-key", null, null),
    VIEWER(VIEWER_KEY, Role.VIEWER, NORTH),
    OPERATOR(OPERATOR_KEY, Role.OPERATOR, NORTH),
    ADMIN(ADMIN_KEY, Role.ADMIN, "ada"),
    OTHER_VIEWER(OTHER_VIEWER_KEY, Role.VIEWER, SOUTH),
    OTHER_OPERATOR(OTHER_OPERATOR_KEY, Role.OPERATOR, SOUTH);

    final String key;
    final Role role;
    final String owner;

    Credential(String key, Role role, String owner) {
      this.key = key;
      this.role = role;
      this.owner = owner;
    }

    boolean sees(String threadOwner) {
      return role == Role.ADMIN || threadOwner.equals(owner);
    }

    /** The owner whose threads this caller must never learn of; null for an admin or nobody. */
    String otherOwner() {
      if (role == null || role == Role.ADMIN) {
        return null;
      }
      return NORTH.equals(owner) ? SOUTH : NORTH;
    }
  }

  /** What the path or body of a call names, written there as {@code {subject}}. */
  enum Subject {
    /** Nothing of an owner. */
    NONE,
    /** North's completed thread, read but never changed. */
    NORTH_THREAD,
    /** A new north thread for each caller, waiting in a queue no worker polls. */
    FRESH_THREAD,
    /** A new task of a north thread for each caller, held by a north worker. */
    FRESH_TASK
  }

  /**
   * One call; the least role that may make it; the statuses of a caller that may and sees its
   * subject; the status of one that may but belongs to another owner; and whether it lists threads
   * (then it must show the caller's own).
   */
  record Call(
      String method,
      String path,
      String body,
      Role least,
      Set<Integer> answers,
      Subject subject,
      int othersAnswer,
      boolean stream,
      boolean lists) {

    Set<Integer> expected(Credential who) {
      if (who.role == null) {
        return Set.of(401);
      }
      if (!who.role.includes(least)) {
        return Set.of(403);
      }
      if (subject != Subject.NONE && !who.sees(NORTH)) {
        return Set.of(othersAnswer);
      }
      return answers;
    }

    @Override
    public String toString() {
      return method + " " + path + (stream ? " (stream)" : "");
    }
  }

  private static Call call(String method, String path, String body, Role least, Integer... ok) {
    return new Call(method, path, body, least, Set.of(ok), Subject.NONE, 0, false, false);
  }

  /** A call about north's thread or task: another owner gets {@code others}. */
  private static Call about(
      Subject subject, String method, String path, String body, Role least, int ok, int others) {
    return new Call(method, path, body, least, Set.of(ok), subject, others, false, false);
  }

  private static Call listing(String path) {
    return new Call("GET", path, null, Role.VIEWER, Set.of(200), Subject.NONE, 0, false, true);
  }

  private static Call stream(String path, Subject subject) {
    return new Call("GET", path, null, Role.VIEWER, Set.of(200), subject, 404, true, false);
  }

  @LocalServerPort int port;

  private final Map<Credential, ApiClient> clients = new EnumMap<>(Credential.class);

  /** Every thread made for each owner, whose ids the other owner must never be shown. */
  private final Map<String, Set<String>> threadsOf =
      Map.of(NORTH, ConcurrentHashMap.newKeySet(), SOUTH, ConcurrentHashMap.newKeySet());

  private String northThread;
  private String southThread;
  private String northCreateBody;

  @BeforeAll
  void createFixtures() {
    for (Credential who : Credential.values()) {
      clients.put(who, who.key == null ? new ApiClient(port) : new ApiClient(port).as(who.key));
    }
    ApiClient admin = api(Credential.ADMIN);
    admin.putWorkflow(
        "matrix-quick",
        "{\"steps\":[{\"name\":\"say\",\"agent\":\"echo\",\"config\":{\"template\":\"{{prompt}}\"}}]}");
    // worker steps whose tasks wait: for nobody ("idle"), for the matrix's workers, for one test
    for (String queue : List.of("matrix-idle", "matrix-tasks", "matrix-shared")) {
      admin.putWorkflow(
          queue,
          ("{\"steps\":[{\"name\":\"work\",\"agent\":\"worker\","
                  + "\"config\":{\"queue\":\"%s\",\"heartbeat_timeout_millis\":600000}}]}")
              .formatted(queue));
    }
    northCreateBody = createBody(NORTH, UUID.randomUUID().toString());
    northThread = created(Credential.OPERATOR, northCreateBody);
    southThread = created(Credential.OTHER_OPERATOR, createBody(SOUTH, null));
    api(Credential.OPERATOR).awaitStatus(northThread, "completed");
    api(Credential.OTHER_OPERATOR).awaitStatus(southThread, "completed");
  }

  /**
   * A thread body whose title and prompt carry the owner's secret, which the other must not see.
   */
  private static String createBody(String owner, String threadId) {
    return "{"
        + (threadId == null ? "" : "\"thread_id\":\"" + threadId + "\",")
        + "\"prompt\":\"matrix-secret "
        + secret(owner)
        + " plans\",\"title\":\"The "
        + secret(owner)
        + " title\",\"workflow_type\":\"matrix-quick\"}";
  }

  private static String secret(String owner) {
    return owner + "-secret";
  }

  private String created(Credential who, String body) {
    ApiClient.Reply reply = api(who).post("/api/threads", body);
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
    String id = reply.body().get("thread_id").asString();
    threadsOf.get(who.owner).add(id);
    return id;
  }

  private String createdIn(Credential who, String workflowType) {
    return created(
        who,
        "{\"prompt\":\"matrix-secret "
            + secret(who.owner)
            + " work\",\"workflow_type\":\""
            + workflowType
            + "\"}");
  }

  private ApiClient api(Credential who) {
    return clients.get(who);
  }

  private List<Call> everyEndpoint() {
    String unknown = UUID.randomUUID().toString();
    List<Call> calls = new ArrayList<>();
    calls.add(call("GET", "/api/me", null, Role.VIEWER, 200));
    calls.add(listing("/api/threads?size=500"));
    calls.add(listing("/api/threads?q=matrix-secret&size=500"));
    calls.add(call("GET", "/api/threads/counts", null, Role.VIEWER, 200));
    calls.add(
        about(Subject.NORTH_THREAD, "GET", "/api/threads/{subject}", null, Role.VIEWER, 200, 404));
    calls.add(
        about(
            Subject.NORTH_THREAD,
            "GET",
            "/api/threads/{subject}/events",
            null,
            Role.VIEWER,
            200,
            404));
    calls.add(stream("/api/threads/{subject}/events", Subject.NORTH_THREAD));
    calls.add(stream("/api/events", Subject.NONE));
    calls.add(call("POST", "/api/threads", "{\"prompt\":\"matrix\"}", Role.OPERATOR, 201));
    // north's own thread again, with the same body: north gets it back, anyone else a conflict
    // that shows nothing of it
    calls.add(
        about(
            Subject.NORTH_THREAD,
            "POST",
            "/api/threads",
            "{north's body}",
            Role.OPERATOR,
            200,
            409));
    calls.add(
        call(
            "POST",
            "/api/threads/batch",
            "{\"threads\":[{\"prompt\":\"matrix\"}]}",
            Role.OPERATOR,
            200));
    calls.add(
        about(
            Subject.NORTH_THREAD,
            "POST",
            "/api/threads/batch",
            "{\"threads\":[{north's body}]}",
            Role.OPERATOR,
            200,
            409));
    // each caller on a thread of its own making, so every answer is exact: a waiting thread can
    // be paused, resumed (no change), not retried, cancelled, and deleted
    for (Map.Entry<String, Integer> action :
        List.of(
            Map.entry("pause", 200),
            Map.entry("resume", 200),
            Map.entry("retry", 409),
            Map.entry("cancel", 200))) {
      calls.add(
          about(
              Subject.FRESH_THREAD,
              "POST",
              "/api/threads/{subject}/" + action.getKey(),
              null,
              Role.OPERATOR,
              action.getValue(),
              404));
    }
    calls.add(
        about(
            Subject.FRESH_THREAD,
            "DELETE",
            "/api/threads/{subject}",
            null,
            Role.OPERATOR,
            204,
            404));
    // by ids, another owner's thread matches nothing: 200 either way, and the thread stays
    calls.add(
        about(
            Subject.FRESH_THREAD,
            "POST",
            "/api/threads/bulk",
            "{\"action\":\"pause\",\"filter\":{\"thread_ids\":[\"{subject}\"]}}",
            Role.OPERATOR,
            200,
            200));
    calls.add(call("DELETE", "/api/threads/" + unknown, null, Role.OPERATOR, 404));
    calls.add(call("GET", "/api/workflows", null, Role.VIEWER, 200));
    calls.add(call("GET", "/api/workflows/general", null, Role.VIEWER, 200));
    calls.add(
        call(
            "PUT",
            "/api/workflows/matrix",
            "{\"steps\":[{\"name\":\"a\",\"agent\":\"echo\"}]}",
            Role.ADMIN,
            200,
            201));
    calls.add(call("GET", "/api/schedules", null, Role.VIEWER, 200));
    calls.add(call("GET", "/api/schedules/none", null, Role.VIEWER, 404));
    calls.add(
        call(
            "PUT",
            "/api/schedules/matrix",
            "{\"cron\":\"0 0 3 * * *\",\"workflow_type\":\"general\",\"prompt\":\"nightly\","
                + "\"enabled\":false}",
            Role.ADMIN,
            200,
            201));
    calls.add(call("DELETE", "/api/schedules/none", null, Role.ADMIN, 404));
    calls.add(call("GET", "/api/webhooks", null, Role.ADMIN, 200));
    calls.add(
        call(
            "POST",
            "/api/webhooks",
            "{\"url\":\"https://hooks.example/in\"}",
            Role.ADMIN,
            201,
            400));
    calls.add(call("GET", "/api/webhooks/" + unknown, null, Role.ADMIN, 404));
    calls.add(call("GET", "/api/webhooks/" + unknown + "/deliveries", null, Role.ADMIN, 404));
    calls.add(call("DELETE", "/api/webhooks/" + unknown, null, Role.ADMIN, 404));
    calls.add(
        call(
            "POST",
            "/api/tasks/poll",
            "{\"queues\":[\"matrix-none\"],\"worker_id\":\"w\",\"wait_millis\":0}",
            Role.OPERATOR,
            200));
    calls.add(call("POST", "/api/tasks/" + unknown + "/heartbeat", "{}", Role.OPERATOR, 404));
    // north's tasks, each held by a north worker: another owner's worker cannot touch them
    for (Map.Entry<String, String> work :
        List.of(
            Map.entry("heartbeat", "{}"),
            Map.entry("complete", "{\"output\":{}}"),
            Map.entry("fail", "{\"error\":\"no\",\"retryable\":false}"))) {
      calls.add(
          about(
              Subject.FRESH_TASK,
              "POST",
              "/api/tasks/{subject}/" + work.getKey(),
              work.getValue(),
              Role.OPERATOR,
              200,
              404));
    }
    calls.add(call("GET", "/swagger-ui.html", null, Role.VIEWER, 302));
    calls.add(call("GET", "/actuator/prometheus", null, Role.ADMIN, 200));
    calls.add(call("GET", "/actuator/info", null, Role.ADMIN, 200));
    return calls;
  }

  /** What one caller got for one call, and whether a subject it was refused stayed as it was. */
  record Outcome(
      Call call, Credential who, String subject, int status, String body, boolean kept) {}

  @Test
  void everyEndpointAnswersEachCredentialAsItsRoleAndOwnerAllow() throws Exception {
    List<Callable<Outcome>> work = new ArrayList<>();
    for (Call call : everyEndpoint()) {
      for (Credential who : Credential.values()) {
        work.add(() -> make(call, who));
      }
    }
    // the calls are independent of each other (each changing call has a subject of its own), so
    // a few at a time: the matrix is hundreds of requests
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Outcome> outcomes = new ArrayList<>();
    try {
      for (Future<Outcome> outcome : pool.invokeAll(work)) {
        outcomes.add(outcome.get());
      }
    } finally {
      pool.shutdownNow();
    }

    SoftAssertions softly = new SoftAssertions();
    for (Outcome outcome : outcomes) {
      Call call = outcome.call();
      Credential who = outcome.who();
      softly
          .assertThat(outcome.status())
          .as("%s as %s: %s", call, who, outcome.body())
          .isIn(call.expected(who));
      softly.assertThat(outcome.kept()).as("%s as %s changed north's", call, who).isTrue();
      String other = who.otherOwner();
      if (other != null) {
        softly.assertThat(outcome.body()).as("%s as %s", call, who).doesNotContain(secret(other));
        for (String id : threadsOf.get(other)) {
          if (!id.equals(outcome.subject())) { // an id the caller named itself tells it nothing
            softly.assertThat(outcome.body()).as("%s as %s", call, who).doesNotContain(id);
          }
        }
      }
      if (call.lists() && who.role != null) {
        for (String owner : List.of(NORTH, SOUTH)) {
          if (who.sees(owner)) {
            softly
                .assertThat(outcome.body())
                .as("%s as %s lists %s's", call, who, owner)
                .contains(NORTH.equals(owner) ? northThread : southThread);
          }
        }
      }
    }
    softly
        .assertThat(api(Credential.NONE).get("/actuator/health").status())
        .as("health, open")
        .isEqualTo(200);
    softly.assertAll();
  }

  private Outcome make(Call call, Credential who) {
    boolean reaches = who.role != null && who.role.includes(call.least());
    String subject =
        switch (call.subject()) {
          case NONE -> null;
          case NORTH_THREAD -> northThread;
          // a caller refused before any thread is read gets the completed thread, not a new one
          case FRESH_THREAD ->
              reaches ? createdIn(Credential.OPERATOR, "matrix-idle") : northThread;
          case FRESH_TASK -> reaches ? heldNorthTask() : UUID.randomUUID().toString();
        };
    String path = subject == null ? call.path() : call.path().replace("{subject}", subject);
    String body =
        call.body() == null
            ? null
            : call.body()
                .replace("{north's body}", northCreateBody)
                .replace("{subject}", subject == null ? "" : subject);
    URI uri = api(who).uri(path);
    if (call.stream()) {
      try (SseClient stream =
          who.key == null ? SseClient.open(uri, null) : SseClient.openWith(uri, who.key)) {
        return new Outcome(call, who, subject, stream.status(), "", true);
      }
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (path.startsWith("/api/")) {
      request.header("Accept", "application/json"); // one thread's events as JSON, not a stream
    }
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .method(call.method(), HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    ApiClient.Reply reply = api(who).send(request);
    boolean kept = !reaches || who.sees(NORTH) || stillAsMade(call.subject(), subject);
    return new Outcome(call, who, subject, reply.status(), reply.raw().body(), kept);
  }

  /** A task of a new north thread, leased by a north worker. */
  private String heldNorthTask() {
    createdIn(Credential.OPERATOR, "matrix-tasks");
    // any one of the queue's tasks will do: they are all north's, and each is taken once
    return api(Credential.OPERATOR)
        .pollTask("matrix-tasks", "north-worker")
        .get("task_id")
        .asString();
  }

  /** Whether north's fresh thread or task is as north left it: waiting, and its task held. */
  private boolean stillAsMade(Subject subject, String id) {
    ApiClient north = api(Credential.OPERATOR);
    return switch (subject) {
      case FRESH_THREAD -> {
        ApiClient.Reply thread = north.get("/api/threads/" + id);
        yield thread.status() == 200
            && Set.of("pending", "running").contains(thread.body().get("status").asString());
      }
      case FRESH_TASK -> north.post("/api/tasks/" + id + "/heartbeat", "{}").status() == 200;
      default -> true;
    };
  }

  @Test
  void anotherOwnersThreadsCountForNothingInCountsAndSearch() {
    String northOnly = "?q=" + secret(NORTH);
    ApiClient other = api(Credential.OTHER_VIEWER);
    assertThat(other.get("/api/threads/counts" + northOnly).body().get("total").asLong()).isZero();
    assertThat(other.get("/api/threads" + northOnly).body().get("total").asLong()).isZero();
    // while north's own viewer, and the admin, find north's completed thread by the same words
    for (Credential seeing : List.of(Credential.VIEWER, Credential.ADMIN)) {
      JsonNode counts = api(seeing).get("/api/threads/counts" + northOnly).body();
      assertThat(counts.get("by_status").get("completed").asLong()).as("%s", seeing).isPositive();
      assertThat(api(seeing).get("/api/threads" + northOnly).body().get("total").asLong())
          .as("%s", seeing)
          .isPositive();
    }
  }

  @Test
  void theEventStreamsOfAnotherOwnerCarryNoneOfItsEvents() throws Exception {
    try (SseClient southLive = SseClient.open(api(Credential.OTHER_VIEWER), "/api/events", null);
        SseClient southHistory = SseClient.open(api(Credential.OTHER_VIEWER), "/api/events", 0L);
        SseClient adminLive = SseClient.open(api(Credential.ADMIN), "/api/events", null)) {
      assertThat(List.of(southLive.status(), southHistory.status(), adminLive.status()))
          .containsOnly(200);
      String north = created(Credential.OPERATOR, createBody(NORTH, null));
      // north's thread has run, and its events went out: the admin's stream carries them
      eventsUntilCompleted(adminLive, north);
      // every north event is numbered before south's new thread's, so a stream that leaked them
      // would have sent them before south's
      String south = created(Credential.OTHER_OPERATOR, createBody(SOUTH, null));
      List<SseClient.Event> live = eventsUntilCompleted(southLive, south);
      List<SseClient.Event> history = eventsUntilCompleted(southHistory, south);
      for (List<SseClient.Event> events : List.of(live, history)) {
        assertThat(events)
            .extracting(AccessMatrix::threadOf)
            .contains(south)
            .doesNotContainAnyElementsOf(threadsOf.get(NORTH));
        assertThat(events)
            .extracting(SseClient.Event::dataText)
            .noneMatch(data -> data.contains(secret(NORTH)));
      }
      // the history from the first event holds south's earlier thread too
      assertThat(history).extracting(AccessMatrix::threadOf).contains(southThread);
    }
  }

  private static String threadOf(SseClient.Event event) {
    return event.data().get("thread_id").asString();
  }

  /** The stream's events up to the thread's thread_completed; fails after ten silent seconds. */
  private List<SseClient.Event> eventsUntilCompleted(SseClient stream, String thread)
      throws InterruptedException {
    List<SseClient.Event> events = new ArrayList<>();
    while (true) {
      SseClient.Event event = stream.next(Duration.ofSeconds(10));
      if (event == null) {
        throw new AssertionError("no thread_completed of " + thread + "; received " + events);
      }
      events.add(event);
      if (event.name().equals("thread_completed") && threadOf(event).equals(thread)) {
        return events;
      }
    }
  }

  @Test
  void aWorkerOfAnotherOwnerIsNeverHandedItsTasks() {
    // north's thread first: its task is offered before south's, so a poll that leaked would
    // hand it out first
    String north = createdIn(Credential.OPERATOR, "matrix-shared");
    String south = createdIn(Credential.OTHER_OPERATOR, "matrix-shared");
    List<String> southGot = new ArrayList<>();
    await()
        .until(
            () -> {
              ApiClient.Reply polled =
                  api(Credential.OTHER_OPERATOR)
                      .post(
                          "/api/tasks/poll",
                          "{\"queues\":[\"matrix-shared\"],\"worker_id\":\"south-worker\","
                              + "\"max\":10,\"wait_millis\":5000}");
              assertThat(polled.status()).as(polled.raw().body()).isEqualTo(200);
              assertThat(polled.raw().body()).doesNotContain(north).doesNotContain(secret(NORTH));
              polled.body().forEach(task -> southGot.add(task.get("thread_id").asString()));
              return !southGot.isEmpty();
            });
    assertThat(southGot).containsExactly(south);
    // north's task was there all along, for north's workers
    assertThat(
            api(Credential.OPERATOR)
                .pollTask("matrix-shared", "north-worker")
                .get("thread_id")
                .asString())
        .isEqualTo(north);
  }

  @Test
  void aBulkChangeByAnotherOwnerLeavesTheThreadsAlone() {
    String north = createdIn(Credential.OPERATOR, "matrix-idle");
    String south = createdIn(Credential.OTHER_OPERATOR, "matrix-idle");
    ApiClient other = api(Credential.OTHER_OPERATOR);

    ApiClient.Reply byFilter =
        other.post(
            "/api/threads/bulk",
            "{\"action\":\"pause\",\"filter\":{\"workflow_type\":\"matrix-idle\"}}");
    assertThat(byFilter.status()).as(byFilter.raw().body()).isEqualTo(200);
    // south's one thread of that type, not north's
    assertThat(byFilter.body().get("matched").asLong()).isEqualTo(1);
    assertThat(other.status(south)).isEqualTo("paused");

    ApiClient.Reply byIds =
        other.post(
            "/api/threads/bulk",
            "{\"action\":\"delete\",\"filter\":{\"thread_ids\":[\"" + north + "\"]}}");
    assertThat(byIds.status()).as(byIds.raw().body()).isEqualTo(200);
    assertThat(byIds.body().get("matched").asLong()).isZero();

    assertThat(api(Credential.OPERATOR).status(north)).isIn("pending", "running");
  }
}
