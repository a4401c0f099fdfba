package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Readiness tells the truth about the store, over real HTTP: a store on a small disk of its own (a
 * tmpfs, which needs root, as CI runs) is ready, goes DOWN while its directory is read-only and UP
 * again once it is writable, goes DOWN when the disk fills, a write then answers a 503 problem that
 * names the cause and changes nothing, and all is well again once space is freed. Liveness stays UP
 * throughout: a full disk is not cured by a restart. Once for the JSON store, once for an H2 file;
 * H2 closes its database after a write has failed, so it is ready again only after a restart: its
 * test ends at the refused write, and {@link H2FileFullDiskRestartTest} restarts it.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class StoreHealthTest {
  // The cases are JsonStoreHealthTest and H2FileStoreHealthTest: top-level classes, since Surefire
  // leaves nested classes out.

  private static SmallDisk disk;
  private static Path storeDirectory;

  @LocalServerPort int port;

  /** Mounts a small disk and returns a directory on it, where the store is to keep its files. */
  static Path mountSmallDisk(String storeDirectory) throws Exception {
    disk = SmallDisk.mount();
    StoreHealthTest.storeDirectory = disk.directory(storeDirectory);
    return StoreHealthTest.storeDirectory;
  }

  @AfterAll
  static void unmount() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  @Test
  @Order(1)
  void readinessIsDownWhileTheStoreDirectoryIsReadOnlyAndUpAgainOnceItIsWritable()
      throws Exception {
    ApiClient api = new ApiClient(port);
    assertThat(readiness(api)).isEqualTo("UP");
    try (AutoCloseable readOnly = disk.readOnly(storeDirectory)) {
      awaitStoreDownServiceAlive(api);
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> readiness(api).equals("UP"));
    String after = api.createThread("once the directory is writable again", "general");
    api.awaitStatus(after, "completed");
  }

  @Test
  @Order(2)
  void readinessIsDownWhileTheDiskIsFullAndWritesAnswerA503ThatNamesIt() throws Exception {
    ApiClient api = new ApiClient(port);
    String before = api.createThread("before the disk fills", "general");
    assertThat(readiness(api)).isEqualTo("UP");
    long threadsBefore = api.get("/api/threads").body().get("total").asLong();

    Path filler = disk.fill();

    awaitStoreDownServiceAlive(api);

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

  /**
   * Waits for readiness to answer 503 with the store DOWN, while liveness stays UP: what is wrong
   * is not cured by a restart.
   */
  private static void awaitStoreDownServiceAlive(ApiClient api) {
    await().atMost(Duration.ofSeconds(30)).until(() -> readiness(api).equals("DOWN"));
    ApiClient.Reply store = api.get("/actuator/health/readiness");
    assertThat(store.status()).isEqualTo(503);
    assertThat(store.body().at("/components/store/status").asString()).isEqualTo("DOWN");
    assertThat(api.get("/actuator/health/liveness").body().get("status").asString())
        .isEqualTo("UP");
  }

  private static String readiness(ApiClient api) {
    return api.get("/actuator/health/readiness").body().get("status").asString();
  }
}
