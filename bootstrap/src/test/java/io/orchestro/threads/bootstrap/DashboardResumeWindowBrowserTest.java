package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The dashboard when the events it would resume after were pruned while it was away (a resume
 * window of 8 s here): the browser's own reconnect is refused with a 410, and the dashboard reloads
 * what it shows and goes live again on a fresh stream, instead of staying stopped.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:dashboard-resume-window-test;DB_CLOSE_DELAY=-1",
      "orchestro.events.resume-window=8s",
      "orchestro.retention.interval=100ms"
    })
class DashboardResumeWindowBrowserTest extends BrowserTestBase {

  @Test
  void aDashboardAwayLongerThanTheWindowReloadsAndGoesLiveAgain() {
    api().putDelayWorkflow("later", 1, 10);
    try (TcpRelay relay = new TcpRelay(port)) {
      DashboardPage relayed = new DashboardPage(browser.driver(), relay.port());
      relayed.open("");
      String seen = createStartingInAnHour("Seen while connected");
      // read at once: the window prunes it 8 s after it was recorded
      long lastSeen =
          api()
              .get("/api/threads/" + seen + "/events", "Accept", "application/json")
              .body()
              .get(0)
              .get("seq")
              .asLong();
      relayed.waitFor("the thread seen live", d -> relayed.listShows(seen));

      relay.cut();
      relayed.waitFor("the disconnected banner", d -> relayed.isShown("#connection-banner"));
      String missed = createStartingInAnHour("Created while away");
      assertThat(api().post("/api/threads/" + missed + "/pause").status()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> resumeStatus(seen, lastSeen) == 410);
      relay.restore();

      relayed.waitFor("the banner to go", d -> !relayed.isShown("#connection-banner"));
      relayed.waitFor("the thread created while away", d -> relayed.listShows(missed));
      assertThat(relayed.listStatus(missed)).containsIgnoringCase("paused");
    }
  }

  /**
   * What a resume after {@code lastEventId} is answered now, asked as the thread's history in JSON:
   * the same check as the browser's stream resume, without leaving an opened stream behind on the
   * server for every poll (each would stay until its next heartbeat).
   */
  private int resumeStatus(String threadId, long lastEventId) {
    return api()
        .get(
            "/api/threads/" + threadId + "/events",
            "Accept",
            "application/json",
            "Last-Event-ID",
            Long.toString(lastEventId))
        .status();
  }

  private String createStartingInAnHour(String prompt) {
    ApiClient.Reply created =
        api()
            .post(
                "/api/threads",
                "{\"prompt\": \""
                    + prompt
                    + "\", \"workflow_type\": \"later\", \"start_at\": \""
                    + Instant.now().plus(Duration.ofHours(1))
                    + "\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.body().get("thread_id").asString();
  }
}
