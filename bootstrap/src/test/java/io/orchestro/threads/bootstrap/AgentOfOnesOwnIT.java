package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.example.wordcount.WordCountAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar, started as the README says with {@code -Dloader.path=agents/}, picks up the
 * example agent's jar from that directory: a workflow naming it is accepted and runs. The agent is
 * not inside the packaged jar; without loader.path the same definition is refused.
 */
class AgentOfOnesOwnIT {

  private static final String WORKFLOW =
      """
      {"steps": [{"name": "count", "agent": "word-count", "config": {"field": "prompt"}}]}
      """;

  @TempDir Path data;

  @Test
  void anAgentInAJarOnTheLoaderPathIsPickedUp() throws Exception {
    Path agents = Files.createDirectories(data.resolve("agents"));
    Path exampleJar = agents.resolve("example-agent.jar");
    Files.copy(exampleAgentJar(), exampleJar);

    try (JarProcess service =
        JarProcess.startWholeJar(
                Path.of("target", "agents-it", "with-loader-path.log"),
                List.of("-Dloader.path=" + agents),
                List.of("--orchestro.storage=json", "--orchestro.storage.json.dir=" + data))
            .awaitUp()) {
      ApiClient api = service.api();
      assertThat(api.put("/api/workflows/count-words", WORKFLOW).status()).isIn(200, 201);

      String id =
          api.post(
                  "/api/threads",
                  "{\"workflow_type\": \"count-words\", \"prompt\": \"four words right here\"}")
              .body()
              .get("thread_id")
              .asString();
      JsonNode thread =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> api.get("/api/threads/" + id).body(),
                  body -> body.get("status").asString().equals("completed"));
      assertThat(thread.get("steps").get(0).get("output").get("words").asInt()).isEqualTo(4);
    }
  }

  @Test
  void withoutTheLoaderPathTheAgentIsUnknown() throws Exception {
    try (JarProcess service =
        JarProcess.startWholeJar(
                Path.of("target", "agents-it", "without-loader-path.log"),
                List.of(),
                List.of("--orchestro.storage=json", "--orchestro.storage.json.dir=" + data))
            .awaitUp()) {
      ApiClient.Reply refused = service.api().put("/api/workflows/count-words", WORKFLOW);

      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body().get("detail").asString()).contains("word-count");
    }
  }

  /** The example agent as the build made it: its jar, or its classes before packaging. */
  private static Path exampleAgentJar() throws URISyntaxException {
    Path built =
        Path.of(WordCountAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(built.toString())
        .as("the example agent's jar (run the build's package phase first)")
        .endsWith(".jar");
    return built;
  }
}
