package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.ThreadEventLogContractTest;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.WorkflowThread;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event log contract on the JSON store's log, plus what only it has: a restart reads the log
 * back from its files, and readers get from the files what memory no longer holds.
 */
class JsonFileThreadEventLogTest extends ThreadEventLogContractTest {

  @TempDir Path temp;
  private final FreshStores stores = new FreshStores();
  private final List<JsonStoreDirectory> others = new ArrayList<>();
  private JsonStoreDirectory opened;

  @Override
  protected void openEmpty() {
    opened = stores.openEmpty(temp);
    store = opened.threads();
    log = opened.events();
  }

  @Override
  protected void makeCommittedEventsReadable() {
    // readable once the write returns
  }

  @AfterEach
  void closeStores() {
    stores.closeAll();
    others.forEach(JsonStoreDirectory::close);
  }

  @Test
  void theEventsAndTheirNumbersSurviveARestartAndNumberingGoesOn() {
    WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
    thread.start(T0.plusSeconds(1));
    thread.startStep("a", T0.plusSeconds(1));
    store.update(thread);
    List<LoggedEvent> beforeRestart = log.read(0, EventFilter.ALL, 100);
    Path directory = opened.directory();
    stores.closeAll();

    JsonStoreDirectory reopened = stores.open(directory);
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
    Path directory = temp.resolve("small-memory");
    JsonStoreDirectory small = new JsonStoreDirectory(directory, 3);
    others.add(small);
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
}
