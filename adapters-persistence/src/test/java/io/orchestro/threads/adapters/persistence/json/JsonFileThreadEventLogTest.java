package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.orchestro.threads.adapters.persistence.ThreadEventLogContractTest;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event log contract on the JSON store's log, plus what only it has: a restart reads the log
 * back from its files, and readers get from the files what memory no longer holds.
 */
class JsonFileThreadEventLogTest extends ThreadEventLogContractTest {

  @RegisterExtension final FreshStores stores = new FreshStores();
  private JsonStoreDirectory opened;

  @Override
  protected void openEmpty() {
    opened = stores.openEmpty();
    store = opened.threads();
    log = opened.events();
  }

  @Override
  protected void makeCommittedEventsReadable() {
    // readable once the write returns
  }

  @Test
  void theEventsAndTheirNumbersSurviveARestartAndNumberingGoesOn() {
    WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
    thread.start(T0.plusSeconds(1));
    thread.startStep("a", T0.plusSeconds(1));
    store.update(thread);
    List<LoggedEvent> beforeRestart = log.read(0, EventFilter.ALL, 100);

    JsonStoreDirectory reopened = stores.reopen(opened);
    WorkflowThread next = reopened.threads().insert(TestWorkflows.pendingThread());

    assertThat(beforeRestart).extracting(LoggedEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(reopened.events().read(0, EventFilter.ALL, 100))
        .startsWith(beforeRestart.toArray(LoggedEvent[]::new))
        .extracting(LoggedEvent::seq)
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(reopened.events().read(3, EventFilter.ALL, 100).get(0).event().threadId())
        .isEqualTo(next.id());
  }

  @Test
  void readsFromTheFilesWhatMemoryNoLongerHolds() {
    JsonStoreDirectory small = stores.openEmpty(3);
    List<WorkflowThread> threads = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      threads.add(small.threads().insert(TestWorkflows.pendingThread()));
    }

    assertThat(small.events().read(0, EventFilter.ALL, 100))
        .extracting(LoggedEvent::seq)
        .containsExactly(numbersAfter(0, 10));
    assertThat(small.events().read(1, EventFilter.ofThread(threads.get(1).id()), 100))
        .extracting(logged -> logged.event().type())
        .containsExactly(ThreadEventType.THREAD_CREATED);
    assertThat(small.events().read(8, EventFilter.ALL, 100))
        .extracting(LoggedEvent::seq)
        .containsExactly(9L, 10L);
  }

  @Test
  void keepsEachEventAsTheApiShowsItWithItsTimeToTheMillisecond() throws IOException {
    WorkflowThread thread =
        WorkflowThread.create(
            ThreadId.generate(),
            TestWorkflows.request("do the thing"),
            TestWorkflows.definition("test", "a", "b"),
            T0.plusNanos(456_789));
    store.insert(thread);
    List<LoggedEvent> fromMemory = log.read(0, EventFilter.ALL, 10);

    JsonStoreDirectory reopened = stores.reopen(opened);

    assertThat(fromMemory).extracting(logged -> logged.event().at()).containsExactly(T0);
    assertThat(reopened.events().read(0, EventFilter.ALL, 10)).isEqualTo(fromMemory);
    assertThat(Files.readAllLines(opened.directory().resolve("events/00000000000000000001.jsonl")))
        .containsExactly(
            "{\"seq\":1,\"type\":\"thread_created\",\"thread_id\":\""
                + thread.id()
                + "\",\"at\":\"2026-11-28T10:00:00.123Z\",\"status\":\"pending\",\"step\":null,"
                + "\"progress\":{\"completed\":0,\"total\":2,\"current_step\":\"a\",\"percent\":0},"
                + "\"actor\":\"local\",\"owner\":\"local\"}");
  }

  /** Before its lines took the API's shape, the log wrote times with up to six fraction digits. */
  @Test
  void readsTheLinesOfEarlierVersionsAndNumbersOnAfterThem() throws IOException {
    Path directory = stores.newDirectory();
    Path segment =
        Files.createDirectories(directory.resolve("events")).resolve("00000000000000000001.jsonl");
    ThreadId earlier = ThreadId.generate();
    Files.writeString(
        segment,
        earlierLine(1, earlier, "2026-11-28T09:00:00.123456Z")
            + earlierLine(2, earlier, "2026-11-28T09:00:01Z"));

    JsonStoreDirectory reopened = stores.open(directory);
    WorkflowThread next = reopened.threads().insert(TestWorkflows.pendingThread());

    assertThat(reopened.damagedFiles()).isEmpty();
    assertThat(reopened.events().read(0, EventFilter.ALL, 10))
        .extracting(
            LoggedEvent::seq, logged -> logged.event().threadId(), logged -> logged.event().at())
        .containsExactly(
            tuple(1L, earlier, Instant.parse("2026-11-28T09:00:00.123456Z")),
            tuple(2L, earlier, Instant.parse("2026-11-28T09:00:01Z")),
            tuple(3L, next.id(), T0));
    assertThat(Files.readAllLines(segment).get(2)).contains("\"at\":\"2026-11-28T10:00:00.123Z\"");
  }

  private static String earlierLine(long seq, ThreadId id, String at) {
    return ("{\"seq\":%d,\"type\":\"thread_created\",\"thread_id\":\"%s\",\"at\":\"%s\","
            + "\"status\":\"pending\",\"step\":null,"
            + "\"progress\":{\"completed\":0,\"total\":1,\"current_step\":\"a\",\"percent\":0}}\n")
        .formatted(seq, id, at);
  }
}
