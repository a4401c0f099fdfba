package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The end of {@link H2FileStoreHealthTest}'s story: H2 closes its database once a write failed on
 * the full disk, so readiness is DOWN until the service restarts; started again with space freed,
 * it is ready, has kept everything confirmed before, and takes writes.
 */
class H2FileFullDiskRestartTest {

  @Test
  void restartedWithSpaceFreedTheServiceIsReadyAgainAndLostNothing() throws Exception {
    try (SmallDisk disk = SmallDisk.mount()) {
      Path h2 = disk.directory("h2");
      String before;
      try (ConfigurableApplicationContext first = start(h2)) {
        ApiClient api = ApiClient.of(first);
        before = api.createThread("before the disk fills", "general");
        api.awaitStatus(before, "completed");

        Path filler = disk.fill();
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness(api).equals("DOWN"));
        ApiClient.assertProblem(api.post("/api/threads", "{\"prompt\": \"disk full\"}"), 503);
        Files.delete(filler);
      }

      try (ConfigurableApplicationContext second = start(h2)) {
        ApiClient api = ApiClient.of(second);
        assertThat(readiness(api)).isEqualTo("UP");
        assertThat(api.get("/api/threads").body().get("total").asLong()).isEqualTo(1);
        assertThat(api.status(before)).isEqualTo("completed");
        String after = api.createThread("after the restart", "general");
        api.awaitStatus(after, "completed");
      }
    }
  }

  private static ConfigurableApplicationContext start(Path h2) {
    return CommandLine.startInThisJvm(
        List.of(CommandLine.h2Files(h2), "--orchestro.webhooks.enabled=false"));
  }

  private static String readiness(ApiClient api) {
    return api.get("/actuator/health/readiness").body().get("status").asString();
  }
}
