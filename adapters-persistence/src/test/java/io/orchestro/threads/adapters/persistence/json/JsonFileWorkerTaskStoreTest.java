package io.orchestro.threads.adapters.persistence.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.WorkerTaskStoreContractTest;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkerTask;
import io.orchestro.threads.domain.WorkflowThread;
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
  void aRestartKeepsTheTasksOfStoredThreadsAndDropsTheTasksOfDeletedOnes() {
    ThreadId kept = storedThread();
    ThreadId deleted = storedThread();
    tasks.offer(task(kept, "q", 1, T0));
    WorkerTask leased = tasks.lease(List.of("q"), "w", T0, 1).get(0);
    WorkerTask orphan = tasks.offer(task(deleted, "q", 1, T0));
    WorkflowThread gone = threads.find(deleted).orElseThrow();
    gone.delete(T0);
    threads.delete(gone);

    JsonStoreDirectory reopened = stores.reopen(opened);

    assertThat(reopened.tasks().find(leased.taskId())).contains(leased);
    assertThat(reopened.tasks().find(orphan.taskId())).isEmpty();
    assertThat(reopened.damagedFiles()).isEmpty();
  }
}
