package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.bootstrap.SseClient.Event;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Retention and the resume window over real HTTP, with the service's own loop (every 100 ms here):
 * a completed thread goes once it is older than {@code orchestro.retention.completed}, announced by
 * {@code thread_deleted}, while threads that have not finished stay however old; a resume from
 * before the events the log keeps is a 410 problem, one from inside the window a stream.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:retention-test;DB_CLOSE_DELAY=-1",
      "orchestro.retention.completed=1s",
      "orchestro.retention.interval=100ms",
      "orchestro.events.resume-window=3s"
    })
class RetentionEndToEndTest {

  @LocalServerPort int port;

  private ApiClient api;

  @BeforeEach
  void defineTheWorkflow() {
    api = new ApiClient(port);
    assertThat(api.putDelayWorkflow("quick", 1, 10).status()).isIn(200, 201);
  }

  @Test
  void aCompletedThreadGoesOnceOldWhileAPendingAndAPausedThreadStay() throws Exception {
    String pending = createStartingInAnHour();
    String paused = createStartingInAnHour();
    assertThat(api.post("/api/threads/" + paused + "/pause").status()).isEqualTo(200);
    try (SseClient deletions = SseClient.open(api.uri("/api/events?type=thread_deleted"), null)) {
      String completed = api.createThread("finish me", "quick");
      api.awaitStatus(completed, "completed");

      Event deleted = deletions.next(Duration.ofSeconds(20));

      assertThat(deleted).isNotNull();
      assertThat(deleted.data().get("thread_id").asString()).isEqualTo(completed);
      assertThat(api.get("/api/threads/" + completed).status()).isEqualTo(404);
    }
    assertThat(api.status(pending)).isEqualTo("pending");
    assertThat(api.status(paused)).isEqualTo("paused");
  }

  @Test
  void aResumeFromBeforeTheWindowIsAGoneProblemAndOneInsideItAStream() throws Exception {
    // two events: thread_created, then thread_paused
    String thread = createStartingInAnHour();
    assertThat(api.post("/api/threads/" + thread + "/pause").status()).isEqualTo(200);
    ApiClient.Reply history =
        api.get("/api/threads/" + thread + "/events", "Accept", "application/json");
    assertThat(history.body()).hasSize(2);
    String created = history.body().get(0).get("seq").asString();

    // once the window has passed thread_paused, a client that saw only thread_created would miss it
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> resumeStatus("/api/events", Long.parseLong(created)) == 410);

    assertProblem(
        api.get("/api/events", "Accept", "text/event-stream", "Last-Event-ID", created), 410);
    assertProblem(
        api.get(
            "/api/threads/" + thread + "/events",
            "Accept",
            "application/json",
            "Last-Event-ID",
            created),
        410);
    // a client that has everything up to now resumes as before
    String next = createStartingInAnHour();
    long newest;
    try (SseClient live = SseClient.open(api.uri("/api/threads/" + next + "/events"), null)) {
      newest = live.next(Duration.ofSeconds(10)).id();
    }
    try (SseClient resumed = SseClient.open(api.uri("/api/events"), newest - 1)) {
      assertThat(resumed.status()).isEqualTo(200);
      assertThat(resumed.next(Duration.ofSeconds(10)).id()).isEqualTo(newest);
    }
  }

  private int resumeStatus(String path, long lastEventId) {
    try (SseClient stream = SseClient.open(api.uri(path), lastEventId)) {
      return stream.status();
    }
  }

  private String createStartingInAnHour() {
    ApiClient.Reply created =
        api.post(
            "/api/threads",
            "{\"prompt\": \"later\", \"workflow_type\": \"quick\", \"start_at\": \""
                + Instant.now().plus(Duration.ofHours(1))
                + "\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.body().get("thread_id").asString();
  }
}
