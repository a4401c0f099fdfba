package io.orchestro.threads.application.service;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.definition;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.testing.InMemoryThreadStore;
import io.orchestro.threads.application.testing.InMemoryThreadStore.Claim;
import io.orchestro.threads.application.testing.InMemoryWorkerTaskStore;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkerTask;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreCopy} between stores in memory: what it does with claims, full pages and writers
 * racing it. Field-for-field copies between real stores are the persistence module's test.
 */
class StoreCopyTest {

  private static final Instant NOW = T0.plusSeconds(60);

  private final InMemoryThreadStore sourceThreads = new InMemoryThreadStore();
  private final InMemoryWorkflowCatalog sourceCatalog = new InMemoryWorkflowCatalog();
  private final InMemoryThreadStore targetThreads = new InMemoryThreadStore();
  private final InMemoryWorkflowCatalog targetCatalog = new InMemoryWorkflowCatalog();
  private final InMemoryWorkerTaskStore sourceTasks = new InMemoryWorkerTaskStore();
  private final InMemoryWorkerTaskStore targetTasks = new InMemoryWorkerTaskStore();
  private final WorkflowDefinition research = definition("research", "a", "b");

  @Test
  void aThreadRunningInTheSourceArrivesUnclaimedForTheTargetsEngineToTakeOver() {
    sourceCatalog.add(research);
    ThreadId id = sourceThreads.insert(newThread(T0)).id();
    WorkflowThread claimed = sourceThreads.claim("node-a", NOW, NOW.plusSeconds(15), 1).get(0);
    claimed.start(NOW);
    claimed.startStep("a", NOW);
    WorkflowThread running = sourceThreads.updateIfHeld(claimed, "node-a");
    // its step was handed to an outside worker, which holds the task
    WorkerTask held =
        sourceTasks.offer(
            WorkerTask.queued(
                    "q", id, "a", 1, Duration.ofSeconds(30), Map.of(), Map.of(), Map.of(), NOW)
                .leasedTo("w-1", NOW));

    StoreCopy.Report report = copy();

    assertThat(report).isEqualTo(new StoreCopy.Report(1, 1, 0, 1));
    assertThat(targetTasks.ofThread(id)).containsExactly(held);
    assertThat(targetThreads.find(id).orElseThrow().snapshot())
        .isEqualTo(running.snapshot().withVersion(0));
    assertThat(targetThreads.claimOf(id)).isEqualTo(new Claim(null, null));
    List<WorkflowThread> taken = targetThreads.claim("node-b", NOW, NOW.plusSeconds(15), 10);
    assertThat(taken).extracting(WorkflowThread::id).containsExactly(id);
    assertThat(taken.get(0).runningStep()).isPresent();
    assertThat(sourceThreads.claimOf(id).owner())
        .as("the source is left as it was")
        .isEqualTo("node-a");
  }

  @Test
  void sourcesThatFillTheirLastPageExactlyAreCopiedWhole() {
    sourceCatalog.add(research);
    for (int i = 0; i < 2 * StoreCopy.PAGE_SIZE; i++) {
      sourceThreads.insert(newThread(T0.plusMillis(i % 3)));
    }

    StoreCopy.Report report = copy();

    assertThat(report).isEqualTo(new StoreCopy.Report(1, 2 * StoreCopy.PAGE_SIZE, 0, 0));
    assertThat(targetThreads.countByStatus())
        .containsEntry(ThreadStatus.PENDING, 2L * StoreCopy.PAGE_SIZE);
  }

  @Test
  void whatAnotherWriterStoresInTheTargetMeanwhileIsSkippedNotOverwritten() {
    sourceCatalog.add(research);
    WorkflowThread thread = sourceThreads.insert(newThread(T0));
    WorkflowThread theOtherWritersThread =
        WorkflowThread.create(
            thread.id(), new ThreadRequest("the other writer's", null, null, null), research, T0);
    // the target looked empty when the copy asked, and the other writer stored first
    InterferedStore racedThreads = new InterferedStore(targetThreads);
    racedThreads.beforeInsert = () -> targetThreads.insert(theOtherWritersThread);

    StoreCopy.Report report =
        new StoreCopy()
            .copy(
                new StoreCopy.Stores(sourceThreads, sourceCatalog, sourceTasks),
                new StoreCopy.Stores(
                    racedThreads, new RacedCatalog(targetCatalog, 1), targetTasks));

    assertThat(report).isEqualTo(new StoreCopy.Report(0, 0, 1, 0));
    assertThat(targetCatalog.all())
        .singleElement()
        .satisfies(kept -> assertThat(kept.description()).isEqualTo("the other writer"));
    assertThat(targetThreads.find(thread.id()).orElseThrow().request().prompt())
        .isEqualTo("the other writer's");
  }

  private StoreCopy.Report copy() {
    return new StoreCopy()
        .copy(
            new StoreCopy.Stores(sourceThreads, sourceCatalog, sourceTasks),
            new StoreCopy.Stores(targetThreads, targetCatalog, targetTasks));
  }

  private WorkflowThread newThread(Instant createdAt) {
    return WorkflowThread.create(
        ThreadId.generate(), new ThreadRequest("copy me", null, null, null), research, createdAt);
  }
}
