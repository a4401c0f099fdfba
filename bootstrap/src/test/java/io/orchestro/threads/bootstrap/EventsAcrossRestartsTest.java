package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.bootstrap.SseClient.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The event history over HTTP after the application stopped and started again on its data. */
class EventsAcrossRestartsTest {

  @TempDir Path dataDir;

  @ParameterizedTest
  @ValueSource(strings = {"database", "json"})
  void eventsAndTheirNumbersSurviveARestartAndStreamsResumeAcrossIt(String storage)
      throws Exception {
    String id;
    List<Event> beforeRestart;
    try (ConfigurableApplicationContext first = start(storage)) {
      ApiClient api = ApiClient.of(first);
      id = api.createThread("hello", "general");
      beforeRestart = SseClient.untilCompleted(api, id);
    }

    try (ConfigurableApplicationContext second = start(storage)) {
      ApiClient api = ApiClient.of(second);
      JsonNode history =
          api.get("/api/threads/" + id + "/events", "Accept", "application/json").body();
      assertThat(history.size()).isEqualTo(beforeRestart.size());
      for (int i = 0; i < history.size(); i++) {
        assertThat(history.get(i)).isEqualTo(beforeRestart.get(i).data());
      }
      long third = beforeRestart.get(2).id();
      try (SseClient resumed = SseClient.open(api.uri("/api/threads/" + id + "/events"), third)) {
        assertThat(resumed.take(beforeRestart.size() - 3))
            .isEqualTo(beforeRestart.subList(3, beforeRestart.size()));
        api.delete("/api/threads/" + id);
        Event deleted = resumed.next(Duration.ofSeconds(10));
        assertThat(deleted.name()).isEqualTo("thread_deleted");
        assertThat(deleted.id()).isGreaterThan(beforeRestart.get(beforeRestart.size() - 1).id());
      }
    }
  }

  private ConfigurableApplicationContext start(String storage) {
    return CommandLine.startInThisJvm(
        List.of(
            "--orchestro.storage=" + storage,
            "--orchestro.storage.json.dir=" + dataDir.resolve("json"),
            CommandLine.h2Files(dataDir)));
  }
}
