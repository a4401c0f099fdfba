package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.engine.ThreadEngine;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * No starvation (issue 18): a thousand threads waiting a day in a {@code delay} hold none of the
 * node's eight running slots, and short threads created beside them run at once.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:long-waits-test;DB_CLOSE_DELAY=-1",
      "orchestro.engine.max-running-threads=8"
    })
class LongWaitsTest {

  private static final int WAITING = 1_000;

  @LocalServerPort int port;

  @Autowired ThreadEngine engine;

  @Test
  void aThousandDayLongWaitsLeaveTheSlotsToShortThreads() {
    ApiClient api = new ApiClient(port);
    assertThat(api.putDelayWorkflow("a-day", 1, 86_400_000).status()).isIn(200, 201);
    assertThat(api.putDelayWorkflow("quick", 2, 0).status()).isIn(200, 201);

    IntStream.range(0, WAITING).forEach(i -> api.createThread("wait " + i, "a-day"));
    List<String> quick =
        IntStream.range(0, 20).mapToObj(i -> api.createThread("quick " + i, "quick")).toList();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> quick.stream().allMatch(id -> api.status(id).equals("completed")));
    // every wait started its step and let go of its slot: all running, none in a slot
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> running(api) == WAITING && engine.runningThreads() == 0);

    // and short work that comes later still runs at once
    String later = api.createThread("later", "quick");
    await().atMost(Duration.ofSeconds(10)).until(() -> api.status(later).equals("completed"));
  }

  private static long running(ApiClient api) {
    return api.get("/api/threads?status=running&size=1").body().get("total").asLong();
  }
}
