package io.orchestro.threads.adapters.persistence;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static io.orchestro.threads.domain.TestWorkflows.definition;
import static io.orchestro.threads.domain.TestWorkflows.threadIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.json.JsonStoreDirectory;
import io.orchestro.threads.application.service.StoreCopy;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreCopy} between two real JSON-file stores. */
class StoreCopyTest {

  @TempDir Path temp;

  private final List<JsonStoreDirectory> opened = new ArrayList<>();
  private JsonStoreDirectory source;
  private JsonStoreDirectory target;

  @BeforeEach
  void openStores() {
    source = open(temp.resolve("source"));
    target = open(temp.resolve("target"));
  }

  @AfterEach
  void closeStores() {
    opened.forEach(JsonStoreDirectory::close);
  }

  @Test
  void copiesEveryDefinitionVersionAndEveryThreadWithEveryField() {
    WorkflowDefinition first = definition("research", "a", "b", "c");
    WorkflowDefinition second =
        new WorkflowDefinition(
            "research", 2, "second", List.of("look"), definition("x", "a", "d").steps());
    WorkflowDefinition other = definition("report", "a");
    source.catalog().add(second);
    source.catalog().add(first);
    source.catalog().add(other);
    List<ThreadSnapshot> originals = new ArrayList<>();
    for (ThreadStatus status : ThreadStatus.values()) {
      originals.add(stored(threadIn(status, first)));
      originals.add(stored(threadIn(status, second)));
    }
    originals.add(stored(runningWithAStepInFlight(second)));
    originals.add(stored(retried(first)));
    originals.add(updatedOnce(threadIn(ThreadStatus.PENDING, other)));

    StoreCopy.Report report = copy();

    assertThat(report).isEqualTo(new StoreCopy.Report(3, originals.size(), 0, 0));
    assertThat(target.catalog().all()).containsExactly(other, first, second);
    for (ThreadSnapshot original : originals) {
      assertThat(target.threads().find(original.id()).orElseThrow().snapshot())
          .isEqualTo(original.withVersion(0));
    }
  }

  @Test
  void readsTheSourcePageByPage() {
    WorkflowDefinition definition = definition("research", "a");
    source.catalog().add(definition);
    int count = 2 * 500 + 1;
    for (int i = 0; i < count; i++) {
      WorkflowThread thread =
          WorkflowThread.create(
              ThreadId.generate(),
              new ThreadRequest("thread " + i, null, null, null),
              definition,
              T0.plusMillis(i % 7));
      source.threads().insert(thread);
    }

    StoreCopy.Report report = copy();

    assertThat(report).isEqualTo(new StoreCopy.Report(1, count, 0, 0));
    assertThat(target.threads().list(everything()).total()).isEqualTo(count);
  }

  @Test
  void skipsWhatTheTargetHasWithoutOverwritingIt() {
    WorkflowDefinition first = definition("research", "a", "b");
    WorkflowDefinition theTargets =
        new WorkflowDefinition("research", 1, "the target's own", List.of(), first.steps());
    source.catalog().add(first);
    source.catalog().add(first.withVersion(2));
    target.catalog().add(theTargets);
    ThreadSnapshot shared = stored(threadIn(ThreadStatus.COMPLETED, first));
    ThreadSnapshot onlyInSource = stored(threadIn(ThreadStatus.FAILED, first));
    WorkflowThread targetsVersion =
        WorkflowThread.restore(
            WorkflowThreadStoreContractTest.withTitle(
                shared.withVersion(0), "the target's own thread"));
    target.threads().insert(targetsVersion);

    StoreCopy.Report report = copy();

    assertThat(report).isEqualTo(new StoreCopy.Report(1, 1, 1, 0));
    assertThat(target.catalog().all()).containsExactly(theTargets, first.withVersion(2));
    assertThat(target.threads().find(shared.id()).orElseThrow().title())
        .isEqualTo("the target's own thread");
    assertThat(target.threads().find(onlyInSource.id()).orElseThrow().snapshot())
        .isEqualTo(onlyInSource.withVersion(0));
  }

  @Test
  void copyingAgainCopiesNothing() {
    WorkflowDefinition first = definition("research", "a");
    source.catalog().add(first);
    stored(threadIn(ThreadStatus.PENDING, first));
    stored(threadIn(ThreadStatus.COMPLETED, first));
    copy();

    assertThat(copy()).isEqualTo(new StoreCopy.Report(0, 0, 2, 0));
  }

  @Test
  void anEmptySourceCopiesNothing() {
    assertThat(copy()).isEqualTo(new StoreCopy.Report(0, 0, 0, 0));
  }

  private StoreCopy.Report copy() {
    return new StoreCopy()
        .copy(
            new StoreCopy.Stores(source.threads(), source.catalog(), source.tasks()),
            new StoreCopy.Stores(target.threads(), target.catalog(), target.tasks()));
  }

  private JsonStoreDirectory open(Path directory) {
    JsonStoreDirectory store = new JsonStoreDirectory(directory);
    opened.add(store);
    return store;
  }

  /** Inserts into the source and gives back the snapshot as the source keeps it. */
  private ThreadSnapshot stored(WorkflowThread thread) {
    return source.threads().insert(thread).snapshot();
  }

  /** Stored, then changed once more, so its version in the source is not 0. */
  private ThreadSnapshot updatedOnce(WorkflowThread thread) {
    WorkflowThread loaded = source.threads().insert(thread);
    loaded.pause(T0.plusSeconds(5));
    ThreadSnapshot snapshot = source.threads().update(loaded).snapshot();
    assertThat(snapshot.version()).isPositive();
    return snapshot;
  }

  private static WorkflowThread runningWithAStepInFlight(WorkflowDefinition definition) {
    WorkflowThread thread = threadIn(ThreadStatus.RUNNING, definition);
    thread.startStep(definition.steps().get(0).name(), T0.plusSeconds(2));
    return thread;
  }

  private static WorkflowThread retried(WorkflowDefinition definition) {
    WorkflowThread thread = threadIn(ThreadStatus.FAILED, definition);
    thread.retry(T0.plusSeconds(3));
    thread.start(T0.plusSeconds(4));
    String first = definition.steps().get(0).name();
    thread.startStep(first, T0.plusSeconds(4));
    thread.completeStep(first, Map.of("again", true), T0.plusSeconds(5));
    return thread;
  }

  private static ListThreadsQuery everything() {
    return new ListThreadsQuery(Set.of(), null, 0, 1);
  }
}
