package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.Prerequisite;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Readiness tells the truth about the store, over real HTTP: a store on a small disk of its own (a
 * tmpfs, which needs root, as CI runs) is ready, goes DOWN when the disk fills, a write then
 * answers a 503 problem that names the cause and changes nothing, and all is well again once space
 * is freed. Liveness stays UP throughout: a full disk is not cured by a restart. Once for the JSON
 * store, once for an H2 file; H2 closes its database after a write has failed, so it is ready again
 * only after a restart, and its test ends at the refused write.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class StoreHealthTest {
  // The cases are JsonStoreHealthTest and H2FileStoreHealthTest: top-level classes, since Surefire
  // leaves nested classes out.

  private static Path disk;

  @LocalServerPort int port;

  static Path mountSmallDisk() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    Prerequisite.require(
        root, () -> "Mounting a small tmpfs as a disk that fills up needs root (CI runs as root).");
    disk = Files.createTempDirectory("orchestro-small-disk");
    run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString());
    return disk;
  }

  @AfterAll
  static void unmount() throws Exception {
    if (disk != null) {
      // lazily: the store may still hold its files open until the context closes
      run("umount", "-l", disk.toString());
    }
  }

  @Test
  void readinessIsDownWhileTheDiskIsFullAndWritesAnswerA503ThatNamesIt() throws Exception {
    ApiClient api = new ApiClient(port);
    String before = api.createThread("before the disk fills", "general");
    assertThat(readiness(api)).isEqualTo("UP");
    long threadsBefore = api.get("/api/threads").body().get("total").asLong();

    Path filler = disk.resolve("filler");
    fill(filler);

    await().atMost(Duration.ofSeconds(30)).until(() -> readiness(api).equals("DOWN"));
    ApiClient.Reply store = api.get("/actuator/health/readiness");
    assertThat(store.status()).isEqualTo(503);
    assertThat(store.body().at("/components/store/status").asString()).isEqualTo("DOWN");
    assertThat(api.get("/actuator/health/liveness").body().get("status").asString())
        .isEqualTo("UP");

    ApiClient.Reply refused = api.post("/api/threads", "{\"prompt\": \"while the disk is full\"}");
    ApiClient.assertProblem(refused, 503);
    assertThat(refused.raw().headers().firstValue("Retry-After")).contains("30");
    assertThat(refused.body().get("detail").asString()).contains("no space is left on its disk");
    if (!readyAgainWithoutRestart()) {
      return;
    }

    Files.delete(filler);

    await().atMost(Duration.ofSeconds(30)).until(() -> readiness(api).equals("UP"));
    assertThat(api.get("/api/threads").body().get("total").asLong()).isEqualTo(threadsBefore);
    String after = api.createThread("after space was freed", "general");
    api.awaitStatus(after, "completed");
    assertThat(api.status(before)).isIn("running", "completed");
  }

  boolean readyAgainWithoutRestart() {
    return true;
  }

  private static String readiness(ApiClient api) {
    return api.get("/actuator/health/readiness").body().get("status").asString();
  }

  /** Writes to {@code file} until the disk refuses more. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full).hasMessageContaining("No space left on device");
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }
}
