package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import io.orchestro.threads.bootstrap.ApiClient.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar killed with SIGKILL while a worker holds a {@code worker} step's task, in every
 * storage mode: after the restart the task is offered again as the step's next attempt, the attempt
 * in the worker's hands counted once as cut short (not a failure), and the old task's completion
 * changes nothing.
 */
class WorkerCrashIT {

  private static final String SURVIVED = "{\"output\": {\"survived\": true}}";

  @TempDir Path dataDir;
  private final List<JarProcess> processes = new ArrayList<>();
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
  void aTaskHeldAtTheKillIsOfferedAgainAfterTheRestart(String storage) throws Exception {
    if (storage.equals("postgresql")) {
      PostgresTestDatabase.serverOrSkip();
      schema = PostgresTestDatabase.newSchema("worker_crash_it");
    }
    JarProcess first = startJar(storage, "first");
    ApiClient api = first.api();
    Reply stored =
        api.put(
            "/api/workflows/crash-work",
            """
            {"steps": [{"name": "work", "agent": "worker",
                        "config": {"queue": "crash", "heartbeat_timeout_millis": 5000}}]}
            """);
    assertThat(stored.status()).as(stored.raw().body()).isEqualTo(201);
    String id = api.createThread("survive me", "crash-work");
    JsonNode held = api.pollTask("crash", "w");
    assertThat(held.get("attempt").asInt()).isEqualTo(1);

    first.kill();
    ApiClient again = startJar(storage, "second").api();

    JsonNode offeredAgain = again.pollTask("crash", "w");
    assertThat(offeredAgain.get("thread_id").asString()).isEqualTo(id);
    assertThat(offeredAgain.get("attempt").asInt()).isEqualTo(2);
    assertProblem(again.completeTask(held, SURVIVED), 409);
    assertThat(again.completeTask(offeredAgain, SURVIVED).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> again.status(id).equals("completed"));

    JsonNode step = again.thread(id).get("steps").get(0);
    assertThat(step.get("attempts").asInt()).isEqualTo(2);
    assertThat(step.get("output").get("survived").asBoolean()).isTrue();
    JsonNode history =
        again.get("/api/threads/" + id + "/events", "Accept", "application/json").body();
    List<String> types = new ArrayList<>();
    List<String> recoveredSteps = new ArrayList<>();
    history.forEach(
        event -> {
          types.add(event.get("type").asString());
          if (event.get("type").asString().equals("thread_recovered")) {
            recoveredSteps.add(event.get("step").asString());
          }
        });
    // the attempt in the worker's hands was cut short once, by the recovery, and is no failure:
    // one recovery of that step, one start per attempt, no step_failed and no error on the step
    assertThat(types).containsOnlyOnce("thread_recovered").doesNotContain("step_failed");
    assertThat(recoveredSteps).containsExactly("work");
    assertThat(types.stream().filter("step_started"::equals)).hasSize(2);
    assertThat(step.get("error").isNull()).isTrue();
  }

  private JarProcess startJar(String storage, String name) throws IOException {
    List<String> arguments =
        switch (storage) {
          case "h2" -> List.of(CommandLine.h2Files(dataDir));
          case "postgresql" ->
              new ArrayList<>(CommandLine.of(schema.connection().springProperties()));
          case "json" ->
              List.of(
                  "--orchestro.storage=json",
                  "--orchestro.storage.json.dir=" + dataDir.resolve("json"));
          default -> throw new IllegalArgumentException(storage);
        };
    JarProcess process =
        JarProcess.start(
            Path.of("target", "worker-crash-it", storage + "-" + name + ".log"), arguments);
    processes.add(process);
    return process.awaitUp();
  }
}
