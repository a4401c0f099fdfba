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
 * flight at the kill may run twice.
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

  private JarProcess startJar(String name) throws IOException {
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
