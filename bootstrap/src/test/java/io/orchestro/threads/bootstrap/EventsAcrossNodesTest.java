package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import io.orchestro.threads.bootstrap.SseClient.Event;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes on one PostgreSQL database: a client of node A sees every event that node B commits, in
 * order, without a gap. Node A's engine is off, so every thread runs on node B. The database is
 * {@link PostgresTestDatabase}'s, in a schema of its own; skipped when no server answers, except
 * under {@code CI=true}.
 */
@ExtendWith(PostgresTestDatabase.Required.class)
class EventsAcrossNodesTest {

  @Test
  void aClientOfOneNodeSeesEveryEventAnotherNodeCommits() throws Exception {
    try (PostgresNodes nodes = new PostgresNodes("events_nodes")) {
      ApiClient a = ApiClient.of(nodes.start("--orchestro.engine.enabled=false"));
      ApiClient b = ApiClient.of(nodes.start());
      try (SseClient watching = SseClient.open(a.uri("/api/events"), null)) {
        for (int i = 0; i < 3; i++) {
          b.createThread("n" + i, "general");
        }
        // general: created, started, two steps started and completed, completed
        List<Event> events = watching.take(3 * 7);

        long first = events.get(0).id();
        assertThat(events)
            .extracting(Event::id)
            .containsExactly(
                LongStream.range(first, first + events.size()).boxed().toArray(Long[]::new));
        assertThat(events).filteredOn(event -> event.name().equals("thread_completed")).hasSize(3);
      }
    }
  }
}
