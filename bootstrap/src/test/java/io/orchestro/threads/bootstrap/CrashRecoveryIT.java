package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import io.orchestro.threads.adapters.persistence.json.JsonStoreDirectory;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The crash test, in every storage mode (H2, PostgreSQL, JSON files): the packaged jar runs as a
 * separate process, is killed with SIGKILL while threads are mid-run, and is started again on the
 * same data. Every thread must complete with every step completed, and only the steps that were in
 * flight at the kill may run twice. And the graceful stop of a rolling restart, SIGTERM, after
 * which no step runs twice but the one that outlasted the shutdown grace.
 */
class CrashRecoveryIT {

  private static final int THREADS = 40;

  /** Short, so that the restarted node takes the dead one's PostgreSQL claims over soon. */
  private static final String LEASE = "3s";

  @TempDir Path dataDir;
  private final List<JarProcess> processes = new ArrayList<>();
  private String storage;
  private PostgresTestDatabase.Schema schema;

  @AfterEach
  void stopProcesses() {
    processes.forEach(JarProcess::close);
    if (schema != null) {
      schema.drop();
    }
  }

  @ParameterizedTest(name = "storage {0}")
  @ValueSource(strings = {"h2", "postgresql", "json"})
  void killedMidRunEveryThreadCompletesAndOnlyStepsInFlightRunTwice(String storage)
      throws Exception {
    this.storage = storage;
    if (storage.equals("postgresql")) {
      PostgresTestDatabase.serverOrSkip();
      schema = PostgresTestDatabase.newSchema("crash_it");
    }
    JarProcess first = startJar(storage + "-first");
    ApiClient api = first.api();
    assertThat(api.putDelayWorkflow("crash-test", 5, 300).status()).isEqualTo(201);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      ids.add(api.createThread("crash " + i, "crash-test"));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> completedSteps(api) >= THREADS);

    // threads confirmed an instant before the kill must survive it too
    for (int i = 0; i < 5; i++) {
      ids.add(api.createThread("last " + i, "crash-test"));
    }
    first.kill();
    Map<String, Map<String, JsonNode>> atKill = stepsOnDisk();
    long inFlight =
        atKill.values().stream()
            .flatMap(steps -> steps.values().stream())
            .filter(step -> step.get("status").asString().equals("running"))
            .count();
    assertThat(inFlight).as("steps in flight at the kill").isPositive();

    ApiClient again = startJar(storage + "-second").api();
    for (String id : ids) {
      assertThat(again.get("/api/threads/" + id).status())
          .as("thread %s, confirmed with 201 before the kill, is still there", id)
          .isEqualTo(200);
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> ids.stream().allMatch(id -> again.status(id).equals("completed")));

    for (String id : ids) {
      JsonNode thread = again.thread(id);
      for (JsonNode step : thread.get("steps")) {
        String name = step.get("name").asString();
        JsonNode before = atKill.get(id).get(name);
        assertThat(step.get("status").asString()).isEqualTo("completed");
        int attemptsBefore = before.get("attempts").asInt();
        boolean wasCompleted = before.get("status").asString().equals("completed");
        assertThat(step.get("attempts").asInt())
            .as("attempts of %s/%s (was %s)", id, name, before.get("status").asString())
            .isEqualTo(wasCompleted ? attemptsBefore : attemptsBefore + 1);
      }
    }
  }

  /**
   * A rolling restart's stop, SIGTERM, while steps of about 2 s are in flight and one step runs
   * longer than the shutdown grace: the node exits within the grace, having recorded the short
   * steps and started no new one; after the restart no short step runs again, and only the long one
   * does, as an attempt cut short (a second attempt, a {@code thread_recovered}, no failure).
   */
  @ParameterizedTest(name = "storage {0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void stoppedWithSigtermStepsInFlightFinishAndRunOnce(String storage) throws Exception {
    this.storage = storage;
    if (storage.equals("postgresql")) {
      PostgresTestDatabase.serverOrSkip();
      schema = PostgresTestDatabase.newSchema("drain_it");
    }
    Duration grace = Duration.ofSeconds(4);
    String graceSetting = "--orchestro.engine.shutdown-grace=" + grace.toSeconds() + "s";
    JarProcess first = startJar(storage + "-drain-first", graceSetting);
    ApiClient api = first.api();
    assertThat(api.putDelayWorkflow("drain", 3, 2000).status()).isEqualTo(201);
    // 20 s in a running slot, as a step that computes: longer than the grace, and than the wait
    // for every step to be in flight on a loaded machine
    api.putWorkflow(
        "outlast",
        """
        {"steps": [{"name": "long", "agent": "delay",
                    "config": {"millis": 20000, "hold_slot": true}}]}
        """);
    List<String> drained = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      drained.add(api.createThread("drain " + i, "drain"));
    }
    String outlasting = api.createThread("outlast", "outlast");
    List<String> all = new ArrayList<>(drained);
    all.add(outlasting);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> all.stream().allMatch(id -> runningStep(api, id) != null));

    Map<String, String> inFlight = new HashMap<>();
    drained.forEach(id -> inFlight.put(id, runningStep(api, id)));
    assertThat(runningStep(api, outlasting)).isEqualTo("long");
    Duration exit = first.terminate(grace.plusSeconds(20));
    assertThat(exit).as("the jar exited after SIGTERM; see its log").isNotNull();
    // the grace, and the rest of an ordinary shutdown (seconds on a loaded machine); the long step
    // still ran then
    assertThat(exit).isLessThan(grace.plusSeconds(10));

    Instant restarted = Instant.now();
    ApiClient again = startJar(storage + "-drain-second", graceSetting).api();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> all.stream().allMatch(id -> again.status(id).equals("completed")));

    for (String id : drained) {
      for (JsonNode step : again.thread(id).get("steps")) {
        assertThat(step.get("attempts").asInt())
            .as("attempts of %s/%s", id, step.get("name").asString())
            .isEqualTo(1);
      }
      List<JsonNode> events = eventsOf(again, id);
      assertThat(types(events)).doesNotContain("thread_recovered", "step_failed");
      Map<String, Long> startsByStep = new HashMap<>();
      events.stream()
          .filter(event -> event.get("type").asString().equals("step_started"))
          .forEach(event -> startsByStep.merge(event.get("step").asString(), 1L, Long::sum));
      assertThat(startsByStep).as("step_started of %s", id).containsOnlyKeys("s1", "s2", "s3");
      assertThat(startsByStep.values()).containsOnly(1L);
      String wasRunning = inFlight.get(id);
      if (wasRunning != null) {
        JsonNode completed =
            events.stream()
                .filter(event -> event.get("type").asString().equals("step_completed"))
                .filter(event -> event.get("step").asString().equals(wasRunning))
                .findFirst()
                .orElseThrow();
        assertThat(Instant.parse(completed.get("at").asString()))
            .as("%s/%s, in flight at SIGTERM, completed within the grace", id, wasRunning)
            .isBefore(restarted);
      }
    }
    JsonNode longStep = again.thread(outlasting).get("steps").get(0);
    assertThat(longStep.get("attempts").asInt()).isEqualTo(2);
    List<String> outlastTypes = types(eventsOf(again, outlasting));
    assertThat(outlastTypes).containsOnlyOnce("thread_recovered").doesNotContain("step_failed");
    assertThat(outlastTypes.stream().filter("step_started"::equals)).hasSize(2);
  }

  /** The name of the thread's step in flight, or null. */
  private static String runningStep(ApiClient api, String id) {
    for (JsonNode step : api.thread(id).get("steps")) {
      if (step.get("status").asString().equals("running")) {
        return step.get("name").asString();
      }
    }
    return null;
  }

  private static List<JsonNode> eventsOf(ApiClient api, String id) {
    List<JsonNode> events = new ArrayList<>();
    api.get("/api/threads/" + id + "/events", "Accept", "application/json")
        .body()
        .forEach(events::add);
    return events;
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(event -> event.get("type").asString()).toList();
  }

  private JarProcess startJar(String name, String... more) throws IOException {
    List<String> arguments =
        switch (storage) {
          case "h2" -> List.of(CommandLine.h2Files(dataDir));
          case "postgresql" -> {
            List<String> onPostgres =
                new ArrayList<>(CommandLine.of(schema.connection().springProperties()));
            onPostgres.add("--orchestro.engine.lease=" + LEASE);
            yield onPostgres;
          }
          case "json" ->
              List.of(
                  "--orchestro.storage=json",
                  "--orchestro.storage.json.dir=" + dataDir.resolve("json"));
          default -> throw new IllegalArgumentException(storage);
        };
    arguments = new ArrayList<>(arguments);
    arguments.addAll(List.of(more));
    JarProcess process = JarProcess.start(Path.of("target", "crash-it", name + ".log"), arguments);
    processes.add(process);
    return process.awaitUp();
  }

  private static long completedSteps(ApiClient api) {
    JsonNode page = api.get("/api/threads?workflow_type=crash-test&size=500").body();
    long sum = 0;
    for (JsonNode item : page.get("items")) {
      sum += item.get("completed_steps").asLong();
    }
    return sum;
  }

  /** Each thread's steps by name, as the killed process left them on disk. */
  private Map<String, Map<String, JsonNode>> stepsOnDisk() throws SQLException {
    return switch (storage) {
      case "json" -> stepsInJsonFiles();
      case "postgresql" -> stepsInDatabase(schema.connection().open());
      default -> stepsInDatabase(DriverManager.getConnection(CommandLine.h2Url(dataDir), "sa", ""));
    };
  }

  private Map<String, Map<String, JsonNode>> stepsInDatabase(Connection database)
      throws SQLException {
    Map<String, Map<String, JsonNode>> threads = new HashMap<>();
    try (Connection connection = database;
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery("select thread_id, name, status, attempts from thread_step")) {
      while (rows.next()) {
        threads
            .computeIfAbsent(rows.getString("thread_id"), id -> new HashMap<>())
            .put(
                rows.getString("name"),
                stepJson(
                    rows.getString("name"), rows.getString("status"), rows.getInt("attempts")));
      }
    }
    return threads;
  }

  /**
   * Read through the JSON store itself, which joins each thread's file and its step log; opening it
   * does what the restart's start-up would do first.
   */
  private Map<String, Map<String, JsonNode>> stepsInJsonFiles() {
    Map<String, Map<String, JsonNode>> threads = new HashMap<>();
    try (JsonStoreDirectory store = new JsonStoreDirectory(dataDir.resolve("json"))) {
      List<WorkflowThread> all =
          store.threads().list(new ListThreadsQuery(Set.of(), null, 0, 500)).items();
      for (WorkflowThread thread : all) {
        Map<String, JsonNode> byName = new HashMap<>();
        for (ThreadStep step : thread.steps()) {
          byName.put(step.name(), stepJson(step.name(), step.status().wireName(), step.attempts()));
        }
        threads.put(thread.id().toString(), byName);
      }
    }
    return threads;
  }

  /** The fields this test reads, in the shape the API gives them. */
  private static JsonNode stepJson(String name, String status, int attempts) {
    return ApiClient.parse(
        "{\"name\": \"%s\", \"status\": \"%s\", \"attempts\": %d}"
            .formatted(name, status, attempts));
  }
}
