package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.agents.FakeModelServer;
import io.orchestro.threads.adapters.agents.FakeModelServer.Protocol;
import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import io.orchestro.threads.bootstrap.ApiClient.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar killed with SIGKILL while a worker holds a {@code worker} step's task, an {@code
 * http} step waits for a service that holds its answer and an {@code llm} step's answer streams in,
 * in every storage mode: after the restart each step runs its next attempt (a new idempotency key)
 * and completes, the attempt cut short by the kill counted once (not a failure), and the old task's
 * completion changes nothing.
 */
class WorkerCrashIT {

  private static final String SURVIVED = "{\"output\": {\"survived\": true}}";

  /**
   * The wait for what the jar does on its own (a call going out, a connection closing): seconds on
   * an idle machine, far longer than Awaitility's default 10 s on a loaded one.
   */
  private static final Duration AT_MOST = Duration.ofSeconds(60);

  @TempDir Path dataDir;
  private final List<JarProcess> processes = new ArrayList<>();
  private final HoldingReceiver service = new HoldingReceiver();
  private final FakeModelServer model = new FakeModelServer(Protocol.OPENAI, "gpt-fake");
  private PostgresTestDatabase.Schema schema;

  @AfterEach
  void stopProcesses() {
    processes.forEach(JarProcess::close);
    service.close();
    model.close();
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
    String callId = startCallHeldAtTheKill(api);
    String askId = startAskStreamingAtTheKill(api);
    // the heartbeat timeout runs from the poll on: the task is taken last, right before the kill,
    // so that it is still held then (taken first, it ran out while the other steps got going, on a
    // loaded machine). After the restart the attempt held at the kill is cut short once it has run
    // out; 20 s leaves the second jar, slow while it warms up, the time for its poll and
    // completions
    Reply stored =
        api.put(
            "/api/workflows/crash-work",
            """
            {"steps": [{"name": "work", "agent": "worker",
                        "config": {"queue": "crash", "heartbeat_timeout_millis": 20000}}]}
            """);
    assertThat(stored.status()).as(stored.raw().body()).isEqualTo(201);
    String id = api.createThread("survive me", "crash-work");
    JsonNode held = api.pollTask("crash", "w");
    assertThat(held.get("attempt").asInt()).isEqualTo(1);

    first.kill();
    // the held request's connection closed with the process, unanswered
    await().atMost(AT_MOST).until(() -> service.aborted().contains(callId + ":call:1"));
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

    assertCompletedAtTheSecondAttempt(again, callId, "survived", "true");
    assertThat(service.keys()).containsExactly(callId + ":call:1", callId + ":call:2");
    assertCompletedAtTheSecondAttempt(again, askId, "text", "Survived the kill.");
    assertThat(model.requests()).hasSize(2);
    // the answer streaming at the kill could not be written to its end
    await().atMost(AT_MOST).until(() -> model.answersCutShort() == 1);
  }

  /** A thread whose {@code http} step waits for an answer the service holds back. */
  private String startCallHeldAtTheKill(ApiClient api) {
    api.putWorkflow(
        "crash-call",
        """
        {"steps": [{"name": "call", "agent": "http",
                    "config": {"url": "%s", "body": {"text": "{{prompt}}"}}}]}
        """
            .formatted(service.url("/call")));
    service.holds().answers("{\"survived\": true}");
    String id = api.createThread("call me", "crash-call");
    await().atMost(AT_MOST).until(() -> service.held().contains(id + ":call:1"));
    return id;
  }

  /** A thread whose {@code llm} step's answer streams in slowly, far from its end at the kill. */
  private String startAskStreamingAtTheKill(ApiClient api) {
    api.putWorkflow(
        "crash-ask",
        """
        {"steps": [{"name": "ask", "agent": "llm", "config": {"prompt": "{{prompt}}"}}]}
        """);
    // 60 s of words: still streaming when the worker task has been taken, however slow that is
    String[] slowWords = new String[120];
    Arrays.fill(slowWords, "word ");
    model.answersSlowly(500, slowWords).answers(5, 3, "Survived ", "the kill.");
    String id = api.createThread("ask me", "crash-ask");
    await().atMost(AT_MOST).until(() -> model.requests().size() == 1);
    return id;
  }

  private static void assertCompletedAtTheSecondAttempt(
      ApiClient api, String id, String field, String value) {
    await().atMost(Duration.ofSeconds(30)).until(() -> api.status(id).equals("completed"));
    JsonNode step = api.thread(id).get("steps").get(0);
    assertThat(step.get("attempts").asInt()).isEqualTo(2);
    assertThat(step.get("output").get(field).asString()).isEqualTo(value);
    JsonNode history =
        api.get("/api/threads/" + id + "/events", "Accept", "application/json").body();
    List<String> types = new ArrayList<>();
    history.forEach(event -> types.add(event.get("type").asString()));
    assertThat(types).containsOnlyOnce("thread_recovered").doesNotContain("step_failed");
  }

  private JarProcess startJar(String storage, String name) throws IOException {
    List<String> arguments =
        new ArrayList<>(
            switch (storage) {
              case "h2" -> List.of(CommandLine.h2Files(dataDir));
              case "postgresql" -> CommandLine.of(schema.connection().springProperties());
              case "json" ->
                  List.of(
                      "--orchestro.storage=json",
                      "--orchestro.storage.json.dir=" + dataDir.resolve("json"));
              default -> throw new IllegalArgumentException(storage);
            });
    if (storage.equals("postgresql")) {
      // short, so that the restarted node takes the dead one's claims over soon
      arguments.add("--orchestro.engine.lease=3s");
    }
    // the service and the model server that the http and llm steps call listen on this machine
    arguments.add("--orchestro.egress.allow=127.0.0.1");
    arguments.add("--orchestro.agents.llm.providers.default.kind=openai");
    arguments.add("--orchestro.agents.llm.providers.default.base-url=" + model.baseUrl());
    arguments.add("--orchestro.agents.llm.providers.default.api-key=sk-crash-test");
    arguments.add("--orchestro.agents.llm.providers.default.default-model=gpt-fake");
    JarProcess process =
        JarProcess.start(
            Path.of("target", "worker-crash-it", storage + "-" + name + ".log"), arguments);
    processes.add(process);
    return process.awaitUp();
  }
}
