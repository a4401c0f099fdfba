package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code orchestro.storage=json} alone switches the whole application to files, with no database.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "orchestro.storage=json")
class JsonStorageModeTest {

  @TempDir static Path directory;

  @DynamicPropertySource
  static void jsonDirectory(DynamicPropertyRegistry registry) {
    registry.add("orchestro.storage.json.dir", () -> directory.toString());
  }

  @LocalServerPort int port;
  @Autowired ApplicationContext context;
  @Autowired ThreadService threads;

  @Test
  void startsNoDatabaseAndKeepsEachThreadInAFileOfItsOwn() throws Exception {
    assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();

    ThreadId id =
        threads
            .create(
                Caller.LOCAL_ADMIN,
                new CreateThreadCommand(null, new ThreadRequest("hello", null, null, null)))
            .thread()
            .id();

    await().until(() -> threads.get(Caller.LOCAL_ADMIN, id).status() == ThreadStatus.COMPLETED);
    assertThat(directory.resolve("threads").resolve(id + ".json")).exists();
    assertThat(
            Files.list(directory.resolve("workflows")).map(Path::getFileName).map(Path::toString))
        .contains("general", "research", "report");
  }

  @Test
  void readinessChecksTheDirectoryAndTheMetersCountTheStoredThreads() {
    ApiClient api = new ApiClient(port);

    assertThat(api.get("/actuator/health/liveness").body().get("status").asString())
        .isEqualTo("UP");
    ApiClient.Reply readiness = api.get("/actuator/health/readiness");
    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.body().get("status").asString()).isEqualTo("UP");
    assertThat(readiness.body().get("components").get("store").get("status").asString())
        .isEqualTo("UP");

    assertThat(PrometheusScrape.of(api).has("orchestro_threads")).isTrue();
  }

  @Test
  void aWorkerHoldingTheTaskOfADeletedThreadIsToldToStopAndItsResultIsRefused() {
    ApiClient api = new ApiClient(port);
    DeletedThreadTask.check(api, api, "deleting-json");
  }
}
