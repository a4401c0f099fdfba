package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.bootstrap.SseClient.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The event streams of docs/api.md "Events" over real HTTP, read by a streaming client as they
 * arrive: every event of running threads in order without a gap, resuming with {@code
 * Last-Event-ID} at any point, the JSON history, heartbeats and the errors.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:events-test;DB_CLOSE_DELAY=-1",
      "orchestro.events.heartbeat=200ms"
    })
class EventStreamsTest {

  private static final int STEPS = 6;

  @LocalServerPort int port;

  private ApiClient api;

  @BeforeEach
  void defineTheWorkflow() {
    api = new ApiClient(port);
    assertThat(api.putDelayWorkflow("six-steps", STEPS, 30).status()).isIn(200, 201);
  }

  @Test
  void aClientSeesEveryEventOfRunningThreadsInOrderWithoutAGap() throws Exception {
    try (SseClient all = SseClient.open(api.uri("/api/events"), null)) {
      assertThat(all.status()).isEqualTo(200);
      assertThat(all.contentType()).startsWith("text/event-stream");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(create());
      }
      // per thread: created, started, a start and a completion per step, completed
      int perThread = 3 + 2 * STEPS;
      List<Event> received = all.take(5 * perThread);

      long first = received.get(0).id();
      assertThat(received)
          .extracting(Event::id)
          .containsExactly(
              LongStream.range(first, first + received.size()).boxed().toArray(Long[]::new));
      for (String id : ids) {
        List<Event> ofThread =
            received.stream()
                .filter(event -> event.data().get("thread_id").asString().equals(id))
                .toList();
        assertThat(ofThread).extracting(Event::name).containsExactlyElementsOf(expectedTypes());
        assertThat(ofThread).allSatisfy(event -> assertThat(event.name()).isEqualTo(type(event)));
        assertThat(ofThread.get(ofThread.size() - 1).data().get("progress").get("percent").asInt())
            .isEqualTo(100);
      }
    }
  }

  @Test
  void aThreadsStreamSendsItsHistoryThenItsLiveEventsAsApiMdShapesThem() throws Exception {
    String id = create();
    List<Event> events = SseClient.untilCompleted(api, id);

    assertThat(events).extracting(Event::name).containsExactlyElementsOf(expectedTypes());
    JsonNode stepCompleted = events.get(3).data();
    assertThat(stepCompleted.propertyNames())
        .containsExactly("seq", "type", "thread_id", "at", "status", "step", "progress", "actor");
    assertThat(stepCompleted.get("actor").asString()).isEqualTo("engine");
    assertThat(stepCompleted.get("seq").asLong()).isEqualTo(events.get(3).id());
    assertThat(stepCompleted.get("type").asString()).isEqualTo("step_completed");
    assertThat(stepCompleted.get("status").asString()).isEqualTo("running");
    assertThat(stepCompleted.get("step").asString()).isEqualTo("s1");
    assertThat(stepCompleted.get("at").asString()).matches("\\d{4}-.+T.+\\.\\d{3}Z");
    JsonNode progress = stepCompleted.get("progress");
    assertThat(progress.propertyNames())
        .containsExactly("completed", "total", "current_step", "percent");
    assertThat(progress.get("completed").asInt()).isEqualTo(1);
    assertThat(progress.get("total").asInt()).isEqualTo(STEPS);
    assertThat(progress.get("current_step").asString()).isEqualTo("s2");
    assertThat(progress.get("percent").asInt()).isEqualTo(100 / STEPS);
    assertThat(events.get(0).data().get("step").isNull()).isTrue();
  }

  @Test
  void reconnectingWithLastEventIdAtAnyPointGivesExactlyTheMissingEvents() throws Exception {
    String id = create();
    List<Event> whole = SseClient.untilCompleted(api, id);
    for (int point = 0; point < whole.size(); point++) {
      long lastSeen = whole.get(point).id();
      List<Event> rest = whole.subList(point + 1, whole.size());
      try (SseClient thread = SseClient.open(api.uri("/api/threads/" + id + "/events"), lastSeen);
          SseClient all = SseClient.open(api.uri("/api/events?thread_id=" + id), lastSeen)) {
        assertThat(thread.take(rest.size())).isEqualTo(rest);
        assertThat(all.take(rest.size())).isEqualTo(rest);
        assertThat(thread.next(Duration.ofMillis(300))).isNull();
        assertThat(all.next(Duration.ofMillis(300))).isNull();
      }
    }
  }

  @Test
  void aClientThatDropsMidRunAndResumesMissesNothingAndGetsNothingTwice() throws Exception {
    String id = create();
    List<Event> received = new ArrayList<>();
    try (SseClient first = SseClient.open(api.uri("/api/threads/" + id + "/events"), null)) {
      received.addAll(first.take(4));
    }
    try (SseClient second =
        SseClient.open(
            api.uri("/api/threads/" + id + "/events"), received.get(received.size() - 1).id())) {
      received.addAll(second.until("thread_completed"));
    }

    assertThat(received).extracting(Event::name).containsExactlyElementsOf(expectedTypes());
    assertThat(received).extracting(Event::id).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void theAllThreadsStreamFiltersByType() throws Exception {
    try (SseClient finished =
        SseClient.open(api.uri("/api/events?type=thread_completed&type=thread_failed"), null)) {
      String id = create();

      Event event = finished.take(1).get(0);

      assertThat(event.name()).isEqualTo("thread_completed");
      assertThat(event.data().get("thread_id").asString()).isEqualTo(id);
    }
  }

  @Test
  void withAcceptJsonAThreadsEventsComeAsAnArray() throws Exception {
    String id = create();
    List<Event> streamed = SseClient.untilCompleted(api, id);

    ApiClient.Reply history =
        api.get("/api/threads/" + id + "/events", "Accept", "application/json");
    ApiClient.Reply after =
        api.get(
            "/api/threads/" + id + "/events",
            "Accept",
            "application/json",
            "Last-Event-ID",
            Long.toString(streamed.get(5).id()));

    assertThat(history.status()).isEqualTo(200);
    assertThat(history.contentType()).startsWith("application/json");
    List<JsonNode> array = new ArrayList<>();
    history.body().forEach(array::add);
    assertThat(array).isEqualTo(streamed.stream().map(Event::data).toList());
    assertThat(after.body().size()).isEqualTo(streamed.size() - 6);
    assertThat(after.body().get(0).get("seq").asLong()).isEqualTo(streamed.get(6).id());
  }

  @Test
  void idleStreamsGetHeartbeatComments() {
    String id = create();
    try (SseClient stream = SseClient.open(api.uri("/api/threads/" + id + "/events"), null)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments() >= 4);
      assertThat(stream.ended()).isFalse();
    }
  }

  @Test
  void answersBadRequestsWithProblems() {
    String unknown = UUID.randomUUID().toString();
    assertProblem(stream("/api/threads/" + unknown + "/events", null), 404);
    assertProblem(
        api.get("/api/threads/" + unknown + "/events", "Accept", "application/json"), 404);
    assertProblem(stream("/api/threads/not-a-uuid/events", null), 400);
    assertProblem(stream("/api/events?type=no_such_type", null), 400);
    assertProblem(stream("/api/events?thread_id=12", null), 400);
    assertProblem(stream("/api/events", "soon"), 400);
    assertProblem(stream("/api/events", "-1"), 400);
  }

  @Test
  void aClientThatAcceptsAnythingGetsTheStream() {
    String id = create();
    try (SseClient stream =
        SseClient.open(api.uri("/api/threads/" + id + "/events"), null, "*/*")) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.contentType()).startsWith("text/event-stream");
    }
  }

  private ApiClient.Reply stream(String path, String lastEventId) {
    return lastEventId == null
        ? api.get(path, "Accept", "text/event-stream")
        : api.get(path, "Accept", "text/event-stream", "Last-Event-ID", lastEventId);
  }

  private String create() {
    return api.createThread("go", "six-steps");
  }

  private static String type(Event event) {
    return event.data().get("type").asString();
  }

  private static List<String> expectedTypes() {
    List<String> types = new ArrayList<>(List.of("thread_created", "thread_started"));
    for (int i = 0; i < STEPS; i++) {
      types.add("step_started");
      types.add("step_completed");
    }
    types.add("thread_completed");
    return types;
  }
}
