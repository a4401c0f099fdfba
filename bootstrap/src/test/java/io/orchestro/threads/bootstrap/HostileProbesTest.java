package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The requests that once grew an H2 file to gigabytes and corrupted it, made a stored output
 * unreadable, wrapped a number or forged a log line, replayed on each store with the service
 * restarted after each: every probe gets a clear 4xx or a thread that fails with an error saying
 * which limit it passed, and after every restart the store opens and reads back all it holds.
 */
class HostileProbesTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Fits a request body (64 KiB) and, four times over, a step's output (256 KiB). */
  private static final String PROMPT_60_KB = "x".repeat(60_000);

  @TempDir Path directory;

  private PostgresTestDatabase.Schema schema;
  private ConfigurableApplicationContext service;
  private String storage;

  /** Every thread the probes created, as the API showed it once it had ended. */
  private final Map<String, JsonNode> threads = new LinkedHashMap<>();

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (schema != null) {
      schema.drop();
    }
  }

  @ParameterizedTest(name = "storage {0}")
  @ValueSource(strings = {"h2", "postgresql", "json"})
  void everyProbeIsRefusedOrFailsWithinItsLimitAndTheStoreReadsBackAfterARestart(String storage)
      throws IOException {
    this.storage = storage;
    if (storage.equals("postgresql")) {
      PostgresTestDatabase.serverOrSkip();
      schema = PostgresTestDatabase.newSchema("probes");
    }
    service = start();

    List<Consumer<ApiClient>> probes =
        List.of(
            this::aSixtyKilobytePromptThroughAHundredEchoSteps,
            this::aChainThatDoublesItsInputAtEachStep,
            this::anOutputJustUnderTheStepLimit,
            this::aDelayOfTwoToTheSixtyFourPlusFiveMillis,
            this::aFailMessageWithANewline,
            this::aTenKilobyteQueryString);
    for (Consumer<ApiClient> probe : probes) {
      probe.accept(ApiClient.of(service));
      service.close();
      service = start();
      everyThreadReadsBack(ApiClient.of(service));
    }
    if (!storage.equals("postgresql")) {
      // once, an H2 file grew to gigabytes; a full thread takes 4 MB (max-thread-size)
      assertThat(sizeOf(directory)).isLessThan(64L * 1024 * 1024);
    }
  }

  private void aSixtyKilobytePromptThroughAHundredEchoSteps(ApiClient api) {
    ObjectNode definition = JSON.createObjectNode();
    ArrayNode steps = definition.putArray("steps");
    for (int i = 1; i <= 100; i++) {
      steps.addObject().put("name", "s" + i).put("agent", "echo");
    }
    assertThat(api.put("/api/workflows/echo-100", definition.toString()).status()).isEqualTo(201);

    String id = api.createThread(PROMPT_60_KB, "echo-100");

    JsonNode failed = awaitEnd(api, id, "failed");
    assertThat(failed.get("error_message").asString())
        .contains("over the limit of", "orchestro.engine.max-thread-size");
  }

  private void aChainThatDoublesItsInputAtEachStep(ApiClient api) {
    ObjectNode definition = JSON.createObjectNode();
    ArrayNode steps = definition.putArray("steps");
    steps.addObject().put("name", "s1").put("agent", "echo");
    for (int i = 2; i <= 20; i++) {
      String previous = "{{steps.s" + (i - 1) + ".output.text}}";
      steps
          .addObject()
          .put("name", "s" + i)
          .put("agent", "echo")
          .set("config", JSON.createObjectNode().put("template", previous + previous));
    }
    assertThat(api.put("/api/workflows/doubling", definition.toString()).status()).isEqualTo(201);

    String id = api.createThread("y".repeat(1000), "doubling");

    JsonNode failed = awaitEnd(api, id, "failed");
    // 1,000 characters doubled 9 times pass 256 KiB
    assertThat(failed.get("error_message").asString())
        .contains("over the limit of", "orchestro.engine.max-step-output");
    assertThat(failed.at("/steps/8/status").asString()).isEqualTo("completed");
    assertThat(failed.at("/steps/9/status").asString()).isEqualTo("failed");
  }

  private void anOutputJustUnderTheStepLimit(ApiClient api) {
    String fourTimes = "{{prompt}}".repeat(4);
    assertThat(
            api.put(
                    "/api/workflows/near-limit",
                    "{\"steps\": [{\"name\": \"big\", \"agent\": \"echo\", \"config\":"
                        + " {\"template\": \""
                        + fourTimes
                        + "\"}}]}")
                .status())
        .isEqualTo(201);

    String id = api.createThread(PROMPT_60_KB, "near-limit");

    awaitEnd(api, id, "completed");
  }

  private void aDelayOfTwoToTheSixtyFourPlusFiveMillis(ApiClient api) {
    ApiClient.Reply refused =
        api.put(
            "/api/workflows/wrapping-delay",
            "{\"steps\": [{\"name\": \"wait\", \"agent\": \"delay\","
                + " \"config\": {\"millis\": 18446744073709551621}}]}");

    assertProblem(refused, 400);
    assertThat(api.get("/api/workflows/wrapping-delay").status()).isEqualTo(404);
  }

  private void aFailMessageWithANewline(ApiClient api) {
    assertThat(
            api.put(
                    "/api/workflows/forger",
                    "{\"steps\": [{\"name\": \"forge\", \"agent\": \"fail\","
                        + " \"config\": {\"message\": \"not yet\\nINFO admin logged in\"}}]}")
                .status())
        .isEqualTo(201);

    String id = api.createThread("forge", "forger");

    JsonNode failed = awaitEnd(api, id, "failed");
    assertThat(failed.get("error_message").asString()).isEqualTo("not yet\nINFO admin logged in");
  }

  private void aTenKilobyteQueryString(ApiClient api) {
    ApiClient.Reply refused = api.get("/api/threads?q=" + "z".repeat(10_000));

    assertProblem(refused, 400);
  }

  /** Waits for the thread's end, checks it is {@code status}, and keeps it for the read-back. */
  private JsonNode awaitEnd(ApiClient api, String id, String status) {
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> List.of("completed", "failed").contains(api.status(id)));
    JsonNode thread = api.thread(id);
    assertThat(thread.get("status").asString()).as(thread.toString()).isEqualTo(status);
    threads.put(id, thread);
    return thread;
  }

  /** The restarted service is ready, lists every thread and reads each back as it was. */
  private void everyThreadReadsBack(ApiClient api) {
    assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
    ApiClient.Reply list = api.get("/api/threads?size=100");
    assertThat(list.status()).as(list.raw().body()).isEqualTo(200);
    assertThat(list.body().get("total").asLong()).isEqualTo(threads.size());
    threads.forEach((id, before) -> assertThat(api.thread(id)).isEqualTo(before));
  }

  private ConfigurableApplicationContext start() {
    List<String> arguments =
        new ArrayList<>(
            List.of("--orchestro.webhooks.enabled=false", "--orchestro.schedules.enabled=false"));
    switch (storage) {
      case "h2" -> arguments.add(CommandLine.h2Files(directory));
      case "postgresql" -> arguments.addAll(CommandLine.of(schema.connection().springProperties()));
      case "json" -> {
        arguments.add("--orchestro.storage=json");
        arguments.add("--orchestro.storage.json.dir=" + directory);
      }
      default -> throw new IllegalArgumentException(storage);
    }
    return CommandLine.startInThisJvm(arguments);
  }

  private static long sizeOf(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).mapToLong(HostileProbesTest::size).sum();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException gone) {
      return 0;
    }
  }
}
