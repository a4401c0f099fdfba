package io.orchestro.threads.adapters.persistence;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.DuplicateThreadException;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.JsonValues;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ListThreadsQuery.SortBy;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link WorkflowThreadStore} does, whatever it keeps threads in. Each implementation's
 * test extends this class and hands over an empty store for every test.
 */
public abstract class WorkflowThreadStoreContractTest {

  private static final Instant LATER = T0.plusSeconds(5);

  /** The engine's default limit on a thread's stored size (orchestro.engine.max-thread-size). */
  private static final long ENGINE_MAX_THREAD_BYTES = 4 * 1024 * 1024;

  /** The fields of a thread's request as both stores keep it, in their JSON (StoredJson). */
  protected static final String[] STORED_REQUEST_FIELDS = {
    "prompt", "workflow_type", "title", "input"
  };

  /** The fields of a step as both stores keep it, in their JSON (StoredJson). */
  protected static final String[] STORED_STEP_FIELDS = {
    "name",
    "agent",
    "status",
    "attempts",
    "failures",
    "started_at",
    "finished_at",
    "output",
    "error"
  };

  protected WorkflowThreadStore store;

  /** A store holding no threads; called before each test. */
  protected abstract WorkflowThreadStore emptyStore();

  /**
   * The events the store appended for a thread, oldest first, as its event log gives them once they
   * are readable.
   */
  protected abstract List<ThreadEvent> eventsOf(ThreadId id) throws Exception;

  @BeforeEach
  void startWithAnEmptyStore() {
    store = emptyStore();
  }

  // ---- insert and find ----

  @ParameterizedTest
  @EnumSource(ThreadStatus.class)
  void givesBackAThreadInAnyStatusFieldForField(ThreadStatus status) {
    WorkflowThread thread = TestWorkflows.threadIn(status);

    WorkflowThread stored = store.insert(thread);

    assertThat(stored.snapshot()).isEqualTo(thread.snapshot());
    assertThat(stored.newEvents()).isEmpty();
    assertThat(store.find(thread.id()))
        .get()
        .extracting(WorkflowThread::snapshot)
        .isEqualTo(thread.snapshot());
  }

  @Test
  void givesBackEveryFieldWithNestedJsonValues() {
    WorkflowThread thread = WorkflowThread.restore(everyFieldSet());

    WorkflowThread stored = store.insert(thread);

    assertThat(stored.snapshot()).isEqualTo(thread.snapshot());
    assertThat(store.find(thread.id()).orElseThrow().snapshot()).isEqualTo(thread.snapshot());
  }

  @Test
  void givesBackARequestWithOnlyInputAndNoOptionalValues() {
    ThreadRequest inputOnly = new ThreadRequest(null, null, null, Map.of("topic", "tides"));
    WorkflowThread thread =
        WorkflowThread.create(
            ThreadId.generate(), inputOnly, TestWorkflows.definition("test", "a"), T0);

    store.insert(thread);

    assertThat(store.find(thread.id()).orElseThrow().request()).isEqualTo(inputOnly);
  }

  @Test
  void insertStartsAtVersionZero() {
    WorkflowThread stored = store.insert(TestWorkflows.pendingThread());

    assertThat(stored.version()).isZero();
  }

  @Test
  void findsNothingForAnUnknownId() {
    store.insert(TestWorkflows.pendingThread());

    assertThat(store.find(ThreadId.generate())).isEmpty();
  }

  @Test
  void refusesASecondThreadWithTheSameId() {
    WorkflowThread first = store.insert(TestWorkflows.pendingThread());
    WorkflowThread sameId = WorkflowThread.restore(withTitle(first.snapshot(), "another"));

    assertThatThrownBy(() -> store.insert(sameId)).isInstanceOf(DuplicateThreadException.class);
    assertThat(store.find(first.id()).orElseThrow().title()).isEqualTo(first.title());
  }

  @Test
  void letsExactlyOneOfRacingInsertsOfOneIdWin() throws Exception {
    ThreadSnapshot snapshot = TestWorkflows.pendingThread().snapshot();
    List<Callable<WorkflowThread>> inserts = new ArrayList<>();
    for (String title : List.of("first", "second", "third")) {
      inserts.add(() -> store.insert(WorkflowThread.restore(withTitle(snapshot, title))));
    }

    List<Throwable> failures = Race.failuresOf(inserts);

    assertThat(failures).hasSize(inserts.size() - 1);
    assertThat(failures).allMatch(DuplicateThreadException.class::isInstance);
    assertThat(store.find(snapshot.id())).isPresent();
  }

  @Test
  void insertAllStoresEveryThreadWithItsEventsInTheGivenOrder() throws Exception {
    List<WorkflowThread> batch =
        List.of(
            TestWorkflows.pendingThread(),
            TestWorkflows.pendingThread(),
            TestWorkflows.pendingThread());

    List<WorkflowThread> stored = store.insertAll(batch);

    assertThat(stored)
        .extracting(WorkflowThread::id)
        .containsExactlyElementsOf(batch.stream().map(WorkflowThread::id).toList());
    for (WorkflowThread thread : batch) {
      assertThat(store.find(thread.id()).orElseThrow().snapshot()).isEqualTo(thread.snapshot());
      assertThat(eventsOf(thread.id())).isEqualTo(thread.newEvents());
    }
  }

  @Test
  void insertAllStoresNoneWhenOneIdIsTaken() throws Exception {
    WorkflowThread taken = store.insert(TestWorkflows.pendingThread());
    WorkflowThread before = TestWorkflows.pendingThread();
    WorkflowThread after = TestWorkflows.pendingThread();
    WorkflowThread sameId = WorkflowThread.restore(withTitle(taken.snapshot(), "another"));

    assertThatThrownBy(() -> store.insertAll(List.of(before, sameId, after)))
        .isInstanceOf(DuplicateThreadException.class);

    assertThat(store.find(before.id())).isEmpty();
    assertThat(store.find(after.id())).isEmpty();
    assertThat(store.find(taken.id()).orElseThrow().title()).isEqualTo(taken.title());
    assertThat(eventsOf(before.id())).isEmpty();
    assertThat(store.countByStatus().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(1);
  }

  // ---- update ----

  @Test
  void updateSavesTheChangesAndBumpsTheVersion() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    WorkflowThread loaded = store.find(inserted.id()).orElseThrow();
    loaded.start(LATER);
    loaded.startStep("a", LATER);

    WorkflowThread updated = store.update(loaded);

    assertThat(updated.version()).isEqualTo(1);
    assertThat(updated.newEvents()).isEmpty();
    assertThat(updated.status()).isEqualTo(ThreadStatus.RUNNING);
    assertThat(store.find(inserted.id()).orElseThrow().snapshot()).isEqualTo(updated.snapshot());

    updated.completeStep("a", Map.of("answer", 42), LATER.plusMillis(1));
    assertThat(store.update(updated).version()).isEqualTo(2);
    assertThat(store.find(inserted.id()).orElseThrow().step("a").orElseThrow().output())
        .isEqualTo(Map.of("answer", 42));
  }

  @Test
  void refusesToUpdateAThreadSavedSinceItWasLoaded() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    WorkflowThread first = store.find(inserted.id()).orElseThrow();
    WorkflowThread second = store.find(inserted.id()).orElseThrow();
    first.pause(LATER);
    WorkflowThread saved = store.update(first);

    second.start(LATER);

    assertThatThrownBy(() -> store.update(second))
        .isInstanceOf(ConcurrentThreadUpdateException.class);
    assertThat(store.find(inserted.id()).orElseThrow().snapshot()).isEqualTo(saved.snapshot());
  }

  @Test
  void refusesToUpdateADeletedThread() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    WorkflowThread loaded = store.find(inserted.id()).orElseThrow();
    WorkflowThread deleting = store.find(inserted.id()).orElseThrow();
    deleting.delete(LATER);
    store.delete(deleting);

    loaded.pause(LATER);

    assertThatThrownBy(() -> store.update(loaded))
        .isInstanceOf(ConcurrentThreadUpdateException.class);
    assertThat(store.find(inserted.id())).isEmpty();
  }

  @Test
  void refusesToUpdateAThreadNeverStored() {
    WorkflowThread neverStored = TestWorkflows.pendingThread();
    neverStored.pause(LATER);

    assertThatThrownBy(() -> store.update(neverStored))
        .isInstanceOf(ConcurrentThreadUpdateException.class);
    assertThat(store.find(neverStored.id())).isEmpty();
  }

  @Test
  void letsExactlyOneOfRacingUpdatesOfOneVersionWin() throws Exception {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    List<Callable<WorkflowThread>> updates = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WorkflowThread loaded = store.find(inserted.id()).orElseThrow();
      loaded.start(LATER.plusMillis(i));
      updates.add(() -> store.update(loaded));
    }

    List<Throwable> failures = Race.failuresOf(updates);

    assertThat(failures).hasSize(updates.size() - 1);
    assertThat(failures).allMatch(ConcurrentThreadUpdateException.class::isInstance);
    assertThat(store.find(inserted.id()).orElseThrow().version()).isEqualTo(1);
  }

  // ---- delete ----

  @Test
  void deleteWinsWhateverVersionItWasLoadedWith() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    WorkflowThread loaded = store.find(inserted.id()).orElseThrow();
    loaded.pause(LATER);
    store.update(loaded);

    inserted.delete(LATER);

    assertThat(store.delete(inserted)).isTrue();
    assertThat(store.find(inserted.id())).isEmpty();
  }

  @Test
  void deleteReportsAThreadThatIsNotThere() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    inserted.delete(LATER);
    store.delete(inserted);

    assertThat(store.delete(inserted)).isFalse();
    assertThat(store.delete(TestWorkflows.pendingThread())).isFalse();
  }

  @Test
  void deleteLeavesOtherThreadsAlone() {
    WorkflowThread kept = store.insert(TestWorkflows.pendingThread());
    WorkflowThread deleted = store.insert(TestWorkflows.pendingThread());
    deleted.delete(LATER);

    store.delete(deleted);

    assertThat(store.find(kept.id())).isPresent();
  }

  @Test
  void theIdOfADeletedThreadCanBeUsedAgain() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    inserted.delete(LATER);
    store.delete(inserted);
    WorkflowThread again = WorkflowThread.restore(withTitle(inserted.snapshot(), "again"));

    store.insert(again);

    assertThat(store.find(inserted.id()).orElseThrow().title()).isEqualTo("again");
  }

  @Test
  void keepsAndReadsBackAThreadAsLargeAsTheEngineLetsOneGrow() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    WorkflowThread loaded = store.find(inserted.id()).orElseThrow();
    loaded.start(LATER);
    loaded.startStep("a", LATER);
    // characters of one, two, three and four bytes and ones JSON escapes, to the engine's limit
    String unit = "a\u00e9\u20ac\ud83d\ude00\"\n";
    long unitBytes = JsonValues.encodedSize(unit) - 2;
    String text = unit.repeat((int) (ENGINE_MAX_THREAD_BYTES / unitBytes) - 10);
    loaded.completeStep("a", Map.of("text", text), LATER.plusMillis(1));

    store.update(loaded);

    assertThat(store.find(inserted.id()).orElseThrow().step("a").orElseThrow().output())
        .isEqualTo(Map.of("text", text));
    assertThat(store.list(query(Set.of(), null, 0, 50)).items()).hasSize(1);
  }

  // ---- list ----

  @Test
  void listsNewestFirstAndTiesByIdDescending() {
    // ids that sort differently as text and as Java's signed UUID comparison: the contract is the
    // text order (PostgreSQL's and H2's uuid order)
    ThreadId low = ThreadId.parse("00000000-0000-4000-8000-000000000001");
    ThreadId high = ThreadId.parse("ffffffff-0000-4000-8000-000000000001");
    ThreadId middle = ThreadId.parse("80000000-0000-4000-8000-000000000001");
    insertCreatedAt(low, T0.plusSeconds(2), "test", ThreadStatus.PENDING);
    insertCreatedAt(high, T0.plusSeconds(2), "test", ThreadStatus.PENDING);
    insertCreatedAt(middle, T0.plusSeconds(2), "test", ThreadStatus.PENDING);
    ThreadId newest =
        insertCreatedAt(ThreadId.generate(), T0.plusSeconds(3), "test", ThreadStatus.PENDING);
    ThreadId oldest =
        insertCreatedAt(ThreadId.generate(), T0.plusMillis(1), "test", ThreadStatus.PENDING);

    assertThat(ids(store.list(query(Set.of(), null, 0, 50))))
        .containsExactly(newest, high, middle, low, oldest);
  }

  @Test
  void filtersByAnyOfTheGivenStatuses() {
    Map<ThreadStatus, ThreadId> byStatus = new LinkedHashMap<>();
    int second = 0;
    for (ThreadStatus status : ThreadStatus.values()) {
      byStatus.put(
          status, insertCreatedAt(ThreadId.generate(), T0.plusSeconds(second++), "test", status));
    }

    assertThat(ids(store.list(query(Set.of(ThreadStatus.RUNNING), null, 0, 50))))
        .containsExactly(byStatus.get(ThreadStatus.RUNNING));
    assertThat(
            ids(store.list(query(Set.of(ThreadStatus.PENDING, ThreadStatus.FAILED), null, 0, 50))))
        .containsExactly(byStatus.get(ThreadStatus.FAILED), byStatus.get(ThreadStatus.PENDING));
    assertThat(store.list(query(Set.of(), null, 0, 50)).total())
        .isEqualTo(ThreadStatus.values().length);
  }

  @Test
  void filtersByWorkflowTypeAndStatusTogether() {
    ThreadId research = insertCreatedAt(ThreadId.generate(), T0, "research", ThreadStatus.PENDING);
    ThreadId researchRunning =
        insertCreatedAt(ThreadId.generate(), T0.plusSeconds(1), "research", ThreadStatus.RUNNING);
    insertCreatedAt(ThreadId.generate(), T0.plusSeconds(2), "report", ThreadStatus.PENDING);

    assertThat(ids(store.list(query(Set.of(), "research", 0, 50))))
        .containsExactly(researchRunning, research);
    assertThat(ids(store.list(query(Set.of(ThreadStatus.PENDING), "research", 0, 50))))
        .containsExactly(research);
  }

  @Test
  void listsOnlyTheThreadsOfTheOwnerAskedForAndCountsOnlyThose() {
    WorkflowThread alices = store.insert(ownedBy("alice", T0));
    WorkflowThread bobs = store.insert(ownedBy("bob", T0.plusSeconds(1)));
    WorkflowThread alicesLater = store.insert(ownedBy("alice", T0.plusSeconds(2)));
    ListThreadsQuery everyOwner = query(Set.of(), null, 0, 1);

    ThreadPage page = store.list(everyOwner.withOwner("alice"));

    assertThat(ids(page)).containsExactly(alicesLater.id());
    assertThat(page.total()).as("counted without bob's").isEqualTo(2);
    assertThat(ids(store.list(query(Set.of(), null, 0, 50).withOwner("bob"))))
        .containsExactly(bobs.id());
    assertThat(ids(store.list(query(Set.of(), null, 0, 50).withOwner("carol")))).isEmpty();
    assertThat(store.list(everyOwner).total()).isEqualTo(3);
    assertThat(store.positionsAfter(query(Set.of(), null, 0, 50).withOwner("alice"), null, 10))
        .extracting(WorkflowThreadStore.Cursor::id)
        .containsExactly(alices.id(), alicesLater.id());
  }

  @Test
  void keepsTheOwnerOfTheThreadAndTheOwnerAndActorOfEachEvent() throws Exception {
    WorkflowThread thread = store.insert(ownedBy("alice", T0));
    WorkflowThread paused = store.find(thread.id()).orElseThrow();
    paused.pause("an-admin", LATER);
    store.update(paused);

    assertThat(store.find(thread.id()).orElseThrow().owner()).isEqualTo("alice");
    assertThat(eventsOf(thread.id()))
        .extracting(ThreadEvent::type, ThreadEvent::owner, ThreadEvent::actor)
        .containsExactly(
            tuple(ThreadEventType.THREAD_CREATED, "alice", "alice"),
            tuple(ThreadEventType.THREAD_PAUSED, "alice", "an-admin"));
  }

  /** A new thread of {@code owner} created then. */
  private static WorkflowThread ownedBy(String owner, Instant createdAt) {
    return WorkflowThread.create(
        ThreadId.generate(),
        owner,
        new ThreadRequest("Plan " + owner, null, null, null),
        TestWorkflows.definition("test", "a"),
        createdAt);
  }

  @Test
  void anUnknownWorkflowTypeMatchesNothing() {
    insertCreatedAt(ThreadId.generate(), T0, "research", ThreadStatus.PENDING);

    ThreadPage page = store.list(query(Set.of(), "no-such-type", 0, 50));

    assertThat(page.items()).isEmpty();
    assertThat(page.total()).isZero();
  }

  @Test
  void searchesTheTitleAndThePromptIgnoringCase() {
    ThreadId inTitle = insertSearchable("Quarterly SALES", "look at it", T0, T0);
    ThreadId inPrompt =
        insertSearchable("Workflow", "Summarise the sales report", T0.plusSeconds(1), T0);
    insertSearchable("Other", "nothing here", T0.plusSeconds(2), T0);

    ThreadPage page = store.list(search("sales"));

    assertThat(ids(page)).containsExactly(inPrompt, inTitle);
    assertThat(page.total()).isEqualTo(2);
    assertThat(ids(store.list(search("SALES REPORT")))).containsExactly(inPrompt);
    assertThat(ids(store.list(search("no such words")))).isEmpty();
  }

  @Test
  void searchTextIsMatchedLiterallyNotAsAPattern() {
    ThreadId percent = insertSearchable("100% done", "a_b", T0, T0);
    insertSearchable("1000 done", "axb", T0.plusSeconds(1), T0);

    assertThat(ids(store.list(search("100%")))).containsExactly(percent);
    assertThat(ids(store.list(search("a_b")))).containsExactly(percent);
  }

  @Test
  void filtersByCreationTimeFromTheFirstInstantUpToButExcludingTheLast() {
    ThreadId first = insertSearchable("a", "a", T0, T0);
    ThreadId second = insertSearchable("b", "b", T0.plusSeconds(1), T0);
    insertSearchable("c", "c", T0.plusSeconds(2), T0);

    ListThreadsQuery range =
        new ListThreadsQuery(
            Set.of(), null, null, T0, T0.plusSeconds(2), SortBy.CREATED_AT, false, 0, 50);

    assertThat(ids(store.list(range))).containsExactly(second, first);
  }

  @Test
  void sortsByCreationOrLastUpdateEitherWay() {
    ThreadId a = insertSearchable("a", "a", T0, T0.plusSeconds(30));
    ThreadId b = insertSearchable("b", "b", T0.plusSeconds(1), T0.plusSeconds(10));
    ThreadId c = insertSearchable("c", "c", T0.plusSeconds(2), T0.plusSeconds(20));

    assertThat(ids(store.list(sorted(SortBy.CREATED_AT, true)))).containsExactly(a, b, c);
    assertThat(ids(store.list(sorted(SortBy.LAST_UPDATED, false)))).containsExactly(a, c, b);
    assertThat(ids(store.list(sorted(SortBy.LAST_UPDATED, true)))).containsExactly(b, c, a);
  }

  @Test
  void positionsAfterPagesThroughTheMatchingThreadsOldestFirstWithTiesByIdAsText() {
    ThreadId low = ThreadId.parse("00000000-0000-4000-8000-000000000001");
    ThreadId high = ThreadId.parse("ffffffff-0000-4000-8000-000000000001");
    ThreadId middle = ThreadId.parse("80000000-0000-4000-8000-000000000001");
    ThreadId oldest = insertCreatedAt(ThreadId.generate(), T0, "test", ThreadStatus.PENDING);
    insertCreatedAt(high, T0.plusSeconds(1), "test", ThreadStatus.PENDING);
    insertCreatedAt(low, T0.plusSeconds(1), "test", ThreadStatus.PENDING);
    insertCreatedAt(middle, T0.plusSeconds(1), "test", ThreadStatus.PENDING);
    insertCreatedAt(ThreadId.generate(), T0.plusSeconds(2), "test", ThreadStatus.PAUSED);
    ThreadId newest =
        insertCreatedAt(ThreadId.generate(), T0.plusSeconds(3), "test", ThreadStatus.PENDING);
    ListThreadsQuery pending = query(Set.of(ThreadStatus.PENDING), null, 0, 1);

    List<WorkflowThreadStore.Cursor> first = store.positionsAfter(pending, null, 3);
    List<WorkflowThreadStore.Cursor> second = store.positionsAfter(pending, first.get(2), 3);

    assertThat(first)
        .extracting(WorkflowThreadStore.Cursor::id)
        .containsExactly(oldest, low, middle);
    assertThat(first.get(1).createdAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(second).extracting(WorkflowThreadStore.Cursor::id).containsExactly(high, newest);
    assertThat(store.positionsAfter(pending, second.get(1), 3)).isEmpty();
  }

  @Test
  void pagesThroughTheThreadsWithTheTotalOnEveryPage() {
    List<ThreadId> newestFirst = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      newestFirst.add(
          0, insertCreatedAt(ThreadId.generate(), T0.plusSeconds(i), "test", ThreadStatus.PENDING));
    }

    ThreadPage first = store.list(query(Set.of(), null, 0, 3));
    ThreadPage last = store.list(query(Set.of(), null, 2, 3));
    ThreadPage beyond = store.list(query(Set.of(), null, 3, 3));

    assertThat(ids(first)).containsExactlyElementsOf(newestFirst.subList(0, 3));
    assertThat(ids(store.list(query(Set.of(), null, 1, 3))))
        .containsExactlyElementsOf(newestFirst.subList(3, 6));
    assertThat(ids(last)).containsExactly(newestFirst.get(6));
    assertThat(beyond.items()).isEmpty();
    assertThat(List.of(first.total(), last.total(), beyond.total())).containsOnly(7L);
    assertThat(first.page()).isZero();
    assertThat(last.page()).isEqualTo(2);
    assertThat(last.size()).isEqualTo(3);
  }

  @Test
  void aPageFarBeyondTheEndIsEmptyButCountsTheTotal() {
    insertCreatedAt(ThreadId.generate(), T0, "test", ThreadStatus.PENDING);

    ThreadPage page =
        store.list(query(Set.of(), null, Integer.MAX_VALUE, ListThreadsQuery.MAX_SIZE));

    assertThat(page.items()).isEmpty();
    assertThat(page.total()).isEqualTo(1);
  }

  @Test
  void listsWholeThreads() {
    WorkflowThread thread = store.insert(WorkflowThread.restore(everyFieldSet()));

    ThreadPage page = store.list(query(Set.of(), null, 0, 50));

    assertThat(page.items())
        .singleElement()
        .extracting(WorkflowThread::snapshot)
        .isEqualTo(thread.snapshot());
  }

  @Test
  void listsNothingInAnEmptyStore() {
    ThreadPage page = store.list(query(Set.of(), null, 0, 50));

    assertThat(page.items()).isEmpty();
    assertThat(page.total()).isZero();
  }

  // ---- counts ----

  @Test
  void countsTheThreadsInEachStatusWithZeroForTheRest() {
    insertCreatedAt(ThreadId.generate(), T0, "test", ThreadStatus.PENDING);
    insertCreatedAt(ThreadId.generate(), T0.plusSeconds(1), "test", ThreadStatus.PENDING);
    insertCreatedAt(ThreadId.generate(), T0.plusSeconds(2), "other", ThreadStatus.FAILED);
    WorkflowThread running = store.insert(TestWorkflows.threadIn(ThreadStatus.RUNNING));
    store.delete(store.insert(TestWorkflows.threadIn(ThreadStatus.COMPLETED)));

    assertThat(store.countByStatus())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ThreadStatus.PENDING, 2L,
                ThreadStatus.RUNNING, 1L,
                ThreadStatus.PAUSED, 0L,
                ThreadStatus.COMPLETED, 0L,
                ThreadStatus.FAILED, 1L));

    WorkflowThread paused = store.find(running.id()).orElseThrow();
    paused.pause(LATER);
    store.update(paused);
    assertThat(store.countByStatus())
        .containsEntry(ThreadStatus.RUNNING, 0L)
        .containsEntry(ThreadStatus.PAUSED, 1L);
  }

  @Test
  void countsZeroForEveryStatusInAnEmptyStore() {
    assertThat(store.countByStatus())
        .hasSize(ThreadStatus.values().length)
        .allSatisfy((status, count) -> assertThat(count).isZero());
  }

  // ---- helpers ----

  // ---- times and events kept with each write ----

  @Test
  void keepsTimesToTheMicrosecondAndReturnsWhatALaterReadGives() throws Exception {
    Instant precise = Instant.parse("2026-11-28T10:00:00.123456789Z");
    WorkflowThread thread =
        WorkflowThread.create(
            ThreadId.generate(),
            TestWorkflows.request("now"),
            TestWorkflows.definition("t", "a"),
            precise);
    thread.start(precise);
    thread.startStep("a", precise);

    WorkflowThread stored = store.insert(thread);

    assertThat(stored.createdAt()).isEqualTo("2026-11-28T10:00:00.123456Z");
    assertThat(stored.step("a").orElseThrow().startedAt()).isEqualTo("2026-11-28T10:00:00.123456Z");
    assertThat(store.find(thread.id()).orElseThrow().snapshot()).isEqualTo(stored.snapshot());
  }

  @Test
  void aRefusedInsertAppendsNoEvents() throws Exception {
    WorkflowThread created = TestWorkflows.pendingThread();
    List<ThreadEvent> recorded = created.newEvents();
    store.insert(created);
    WorkflowThread sameId =
        WorkflowThread.create(
            created.id(),
            TestWorkflows.request("other"),
            TestWorkflows.definition("test", "a"),
            T0);

    assertThatThrownBy(() -> store.insert(sameId)).isInstanceOf(DuplicateThreadException.class);

    assertThat(eventsOf(created.id())).containsExactlyElementsOf(recorded);
  }

  @Test
  void aRefusedUpdateAppendsNoEvents() throws Exception {
    WorkflowThread created = TestWorkflows.pendingThread();
    List<ThreadEvent> recorded = new ArrayList<>(created.newEvents());
    store.insert(created);
    WorkflowThread first = store.find(created.id()).orElseThrow();
    WorkflowThread stale = store.find(created.id()).orElseThrow();
    first.pause(T0.plusSeconds(1));
    recorded.addAll(first.newEvents());
    store.update(first);
    stale.start(T0.plusSeconds(1));
    stale.startStep("a", T0.plusSeconds(1));
    assertThat(stale.newEvents()).isNotEmpty();

    assertThatThrownBy(() -> store.update(stale))
        .isInstanceOf(ConcurrentThreadUpdateException.class);

    assertThat(eventsOf(created.id())).containsExactlyElementsOf(recorded);
  }

  @Test
  void aDeleteOfAnAbsentThreadAppendsNoEvents() throws Exception {
    WorkflowThread absent = TestWorkflows.pendingThread();
    absent.delete(T0.plusSeconds(1));

    assertThat(store.delete(absent)).isFalse();

    assertThat(eventsOf(absent.id())).isEmpty();
  }

  /**
   * A failed thread with every field set and step outputs holding every kind of JSON value. All
   * times have millisecond precision, as the domain's test data does.
   */
  protected static ThreadSnapshot everyFieldSet() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("int", 42);
    nested.put("long", 10_000_000_000L);
    nested.put("double", 2.5);
    nested.put("negative", -7);
    nested.put("true", true);
    nested.put("false", false);
    nested.put("null", null);
    nested.put("text", "Zürich \"quoted\"\nnew line ✓");
    nested.put("list", Arrays.asList(1, "two", null, List.of(3.25), Map.of("k", "v")));
    nested.put("empty map", Map.of());
    nested.put("empty list", List.of());
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("text", "summary");
    output.put("nested", nested);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("depth", Map.of("level", Map.of("deeper", List.of(true, 0.125))));
    input.put("none", null);
    ThreadRequest request = new ThreadRequest("Summarise Q3", "research", "My title", input);
    List<ThreadStep> steps =
        List.of(
            new ThreadStep(
                "plan",
                "delay",
                StepStatus.COMPLETED,
                1,
                0,
                T0.plusMillis(10),
                T0.plusMillis(20),
                output,
                null),
            new ThreadStep(
                "draft",
                "fail",
                StepStatus.FAILED,
                3,
                2,
                T0.plusMillis(30),
                T0.plusMillis(40),
                null,
                "reviewer asked for changes"),
            new ThreadStep("publish", "echo", StepStatus.PENDING, 0, 0, null, null, null, null));
    return new ThreadSnapshot(
        ThreadId.generate(),
        "alice@example.org",
        "My title",
        "research",
        3,
        request,
        ThreadStatus.FAILED,
        steps,
        "reviewer asked for changes",
        T0,
        T0.plusMillis(10),
        T0.plusMillis(40),
        T0.plusMillis(41),
        0);
  }

  /** The same snapshot under another title. */
  protected static ThreadSnapshot withTitle(ThreadSnapshot s, String title) {
    return copyOf(s, s.id(), title, s.createdAt());
  }

  /** The snapshot with another id, title and creation time; everything else as it is. */
  public static ThreadSnapshot copyOf(
      ThreadSnapshot s, ThreadId id, String title, Instant createdAt) {
    return new ThreadSnapshot(
        id,
        s.owner(),
        title,
        s.workflowType(),
        s.workflowVersion(),
        s.request(),
        s.status(),
        s.steps(),
        s.errorMessage(),
        createdAt,
        s.startTime(),
        s.lastUpdated(),
        s.finishedAt(),
        s.version());
  }

  /** Inserts a thread of workflow {@code type} created at {@code createdAt}, in {@code status}. */
  private ThreadId insertCreatedAt(
      ThreadId id, Instant createdAt, String type, ThreadStatus status) {
    ThreadSnapshot s =
        TestWorkflows.threadIn(status, TestWorkflows.definition(type, "a", "b")).snapshot();
    store.insert(WorkflowThread.restore(copyOf(s, id, s.title(), createdAt)));
    return id;
  }

  /** Inserts a pending thread with this title and prompt, created and last updated then. */
  private ThreadId insertSearchable(
      String title, String prompt, Instant createdAt, Instant lastUpdated) {
    ThreadSnapshot s = TestWorkflows.threadIn(ThreadStatus.PENDING).snapshot();
    ThreadId id = ThreadId.generate();
    store.insert(
        WorkflowThread.restore(
            new ThreadSnapshot(
                id,
                s.owner(),
                title,
                s.workflowType(),
                s.workflowVersion(),
                new ThreadRequest(prompt, null, title, null),
                s.status(),
                s.steps(),
                s.errorMessage(),
                createdAt,
                s.startTime(),
                lastUpdated,
                s.finishedAt(),
                s.version())));
    return id;
  }

  private static ListThreadsQuery search(String text) {
    return new ListThreadsQuery(Set.of(), null, text, null, null, SortBy.CREATED_AT, false, 0, 50);
  }

  private static ListThreadsQuery sorted(SortBy sortBy, boolean ascending) {
    return new ListThreadsQuery(Set.of(), null, null, null, null, sortBy, ascending, 0, 50);
  }

  private static ListThreadsQuery query(
      Set<ThreadStatus> statuses, String workflowType, int page, int size) {
    return new ListThreadsQuery(statuses, workflowType, page, size);
  }

  private static List<ThreadId> ids(ThreadPage page) {
    return page.items().stream().map(WorkflowThread::id).toList();
  }
}
