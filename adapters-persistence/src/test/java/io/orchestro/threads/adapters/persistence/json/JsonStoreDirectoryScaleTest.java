package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.WorkflowThreadStoreContractTest;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand stored threads: start-up loads them all, and listing and filtering them is served
 * from memory. The files are written straight to the directory (without forcing each to disk, as a
 * store would), to keep the test quick.
 */
class JsonStoreDirectoryScaleTest {

  private static final int THREADS = 10_000;
  private static final Comparator<ThreadSnapshot> NEWEST_FIRST =
      Comparator.comparing(ThreadSnapshot::createdAt)
          .thenComparing(snapshot -> snapshot.id().toString())
          .reversed();

  @TempDir static Path directory;
  private static final List<ThreadSnapshot> written = new ArrayList<>();
  @RegisterExtension final FreshStores stores = new FreshStores();

  @BeforeAll
  static void writeTenThousandThreads() throws IOException {
    Path threads = Files.createDirectories(directory.resolve("threads"));
    List<WorkflowDefinition> definitions =
        Stream.of("research", "report", "general", "translate")
            .map(type -> TestWorkflows.definition(type, "a", "b"))
            .toList();
    ThreadStatus[] statuses = ThreadStatus.values();
    for (int i = 0; i < THREADS; i++) {
      ThreadSnapshot s =
          TestWorkflows.threadIn(statuses[i % statuses.length], definitions.get(i % 4)).snapshot();
      // three threads per second: ties are ordered by id
      ThreadSnapshot snapshot =
          WorkflowThreadStoreContractTest.copyOf(
              s, ThreadId.generate(), s.title(), T0.plusSeconds(i / 3));
      Files.write(
          threads.resolve(ThreadFileMapping.fileName(snapshot.id())),
          ThreadFileMapping.threadFile(new StoredThread(snapshot, null, null), List.of()));
      written.add(snapshot);
    }
    written.sort(NEWEST_FIRST);
  }

  @Test
  void listsAndFiltersTenThousandThreadsFromMemory() {
    JsonStoreDirectory store = stores.open(directory);

    ThreadPage newest = store.threads().list(query(Set.of(), null, 0, 50));
    assertThat(ids(newest.items())).isEqualTo(ids(written).subList(0, 50));
    assertThat(newest.total()).isEqualTo(THREADS);

    ListThreadsQuery runningResearch = query(Set.of(ThreadStatus.RUNNING), "research", 3, 20);
    List<ThreadSnapshot> expected =
        written.stream()
            .filter(s -> s.status() == ThreadStatus.RUNNING && s.workflowType().equals("research"))
            .toList();
    ThreadPage page = store.threads().list(runningResearch);
    assertThat(ids(page.items())).isEqualTo(ids(expected).subList(60, 80));
    assertThat(page.total()).isEqualTo(expected.size());

    ThreadPage last = store.threads().list(query(Set.of(), null, (THREADS - 1) / 500, 500));
    assertThat(last.items().get(last.items().size() - 1).snapshot())
        .isEqualTo(written.get(THREADS - 1));

    // a hundred listings over every thread: milliseconds each, with a wide margin for slow machines
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      store.threads().list(query(Set.of(ThreadStatus.values()[i % 5]), null, i % 10, 50));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void claimsTheOldestThreadsThatMayRunAmongTenThousand() {
    JsonFileWorkflowThreadStore threads = stores.open(directory).threads();
    // oldest first: the list's order backwards
    List<ThreadSnapshot> mayRun =
        new ArrayList<>(written.stream().filter(s -> s.status().isActive()).toList());
    Collections.reverse(mayRun);

    List<WorkflowThread> claimed =
        threads.claim("node-a", T0.plusSeconds(THREADS), T0.plusSeconds(THREADS + 15), 50);

    assertThat(ids(claimed)).isEqualTo(ids(mayRun).subList(0, 50));
  }

  private static ListThreadsQuery query(
      Set<ThreadStatus> statuses, String type, int page, int size) {
    return new ListThreadsQuery(statuses, type, page, size);
  }

  private static List<ThreadId> ids(List<?> threads) {
    return threads.stream()
        .map(
            thread ->
                thread instanceof WorkflowThread workflowThread
                    ? workflowThread.id()
                    : ((ThreadSnapshot) thread).id())
        .toList();
  }
}
