package io.orchestro.threads.adapters.persistence.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.WorkerTaskStoreContractTest;
import io.orchestro.threads.application.port.out.WorkerTaskStore.CancelledTask;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker task store contract on JSON files, and what a restart keeps of it. */
class JsonFileWorkerTaskStoreTest extends WorkerTaskStoreContractTest {

  @RegisterExtension final FreshStores stores = new FreshStores();
  private JsonStoreDirectory opened;

  @Override
  protected void openEmptyStores() {
    opened = stores.openEmpty();
    threads = opened.threads();
    tasks = opened.tasks();
  }

  @Test
  void aRestartKeepsTheTasksOfStoredThreadsAndTheMarksOfTasksCancelledWithTheirThread() {
    ThreadId kept = storedThread();
    ThreadId deleted = storedThread();
    tasks.offer(task(kept, "q", 1, T0));
    WorkerTask leased = tasks.lease(List.of("q"), "w", T0, 1).get(0);
    WorkerTask orphan = tasks.offer(task(deleted, "q", 1, T0.plusSeconds(1)));
    WorkerTask held = tasks.lease(List.of("q"), "w", T0.plusSeconds(1), 1).get(0);
    WorkerTask queued = tasks.offer(task(deleted, "q", 2, T0.plusSeconds(2)));
    delete(deleted, T0.plusSeconds(5));

    JsonStoreDirectory reopened = stores.reopen(opened);

    assertThat(reopened.tasks().find(leased.taskId())).contains(leased);
    assertThat(reopened.tasks().find(orphan.taskId())).isEmpty();
    assertThat(reopened.tasks().find(queued.taskId())).isEmpty();
    assertThat(reopened.tasks().findCancelled(held.taskId()))
        .contains(new CancelledTask(held.taskId(), Caller.LOCAL_OWNER, T0.plusSeconds(31)));
    assertThat(reopened.tasks().lease(List.of("q"), "w", T0.plusSeconds(5), 10)).isEmpty();
    assertThat(reopened.damagedFiles()).isEmpty();
  }

  @Test
  void aRestartDropsTheTasksOfAThreadWhoseDeleteDidNotReachThem() throws Exception {
    ThreadId deleted = storedThread();
    WorkerTask orphan = tasks.offer(task(deleted, "q", 1, T0));
    // as a crash right after the thread's file went leaves it
    Files.delete(opened.directory().resolve("threads").resolve(deleted + ".json"));

    JsonStoreDirectory reopened = stores.reopen(opened);

    assertThat(reopened.tasks().find(orphan.taskId())).isEmpty();
    assertThat(reopened.tasks().findCancelled(orphan.taskId())).isEmpty();
  }
}
