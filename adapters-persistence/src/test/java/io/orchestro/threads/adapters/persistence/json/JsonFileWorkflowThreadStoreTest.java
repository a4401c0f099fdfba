package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.adapters.persistence.WorkflowThreadStoreContractTest;
import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The thread store contract on JSON files, each test on a directory of its own, plus what only this
 * store has: its files and its event log.
 */
class JsonFileWorkflowThreadStoreTest extends WorkflowThreadStoreContractTest {

  @RegisterExtension final FreshStores stores = new FreshStores();
  private JsonStoreDirectory opened;

  @Override
  protected WorkflowThreadStore emptyStore() {
    opened = stores.openEmpty();
    return opened.threads();
  }

  // ---- the event log ----

  @Test
  void aDeletionLeavesNoFileOnceItsEventsAreInTheLog() throws Exception {
    WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
    thread.delete(T0.plusSeconds(1));

    store.delete(thread);

    // the file was the deletion's tombstone until its events were in the log
    assertThat(threadFile(thread.id())).doesNotExist();
    assertThat(eventsOf(thread.id()))
        .extracting(ThreadEvent::type)
        .containsExactly(ThreadEventType.THREAD_CREATED, ThreadEventType.THREAD_DELETED);
  }

  // ---- versions, as in the database store ----

  @Test
  void anUpdateThatChangesNothingKeepsTheVersion() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    WorkflowThread loaded = store.find(inserted.id()).orElseThrow();

    WorkflowThread saved = store.update(loaded);

    assertThat(saved.version()).isZero();
    assertThat(store.update(store.find(inserted.id()).orElseThrow()).version()).isZero();
  }

  // ---- the files ----

  @Test
  void writesAReadableFileWithTheApiFieldNames() throws IOException {
    WorkflowThread thread = store.insert(WorkflowThread.restore(everyFieldSet()));

    String text = Files.readString(threadFile(thread.id()));
    Map<String, Object> json = JsonText.parseObject(text.getBytes());

    assertThat(text).startsWith("{\n  \"thread_id\": \"" + thread.id() + "\",\n");
    assertThat(json.keySet())
        .containsExactly(
            "thread_id",
            "owner",
            "title",
            "workflow_type",
            "workflow_version",
            "status",
            "error_message",
            "created_at",
            "start_time",
            "last_updated",
            "finished_at",
            "request",
            "steps",
            "version",
            "claim_owner",
            "claim_until",
            "log_generation",
            "last_write_events");
    assertThat(json)
        .containsEntry("status", "failed")
        .containsEntry("created_at", "2026-11-28T10:00:00.123Z");
    assertThat(StoredJson.object(json, "request")).containsOnlyKeys(STORED_REQUEST_FIELDS);
    assertThat(StoredJson.element(((List<?>) json.get("steps")).get(0), "step"))
        .containsOnlyKeys(STORED_STEP_FIELDS)
        .containsEntry("started_at", "2026-11-28T10:00:00.133Z");
  }

  @Test
  void aWriteTouchesOnlyItsOwnThreadsFileAndTheEventLog() throws IOException {
    for (int i = 0; i < 20; i++) {
      store.insert(TestWorkflows.pendingThread());
    }
    WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
    Map<Path, String> before = contentsOf(opened.directory());
    thread.start(T0.plusSeconds(1));
    thread.startStep("a", T0.plusSeconds(1));

    store.update(thread);

    Map<Path, String> after = contentsOf(opened.directory());
    assertThat(after.keySet()).isEqualTo(before.keySet());
    List<Path> changed =
        after.keySet().stream().filter(file -> !after.get(file).equals(before.get(file))).toList();
    assertThat(changed)
        .containsExactlyInAnyOrder(
            Path.of("threads", thread.id() + ".json"),
            Path.of("events", "%020d.jsonl".formatted(1)));
  }

  // ---- the step log ----

  @Test
  void aStepWriteAppendsOnlyTheStepItChangedAndLeavesTheThreadFileAsItWas() throws IOException {
    WorkflowThread thread = runningThreadOf(3);
    String file = Files.readString(threadFile(thread.id()));

    thread.completeStep("s1", Map.of("answer", 42), T0.plusSeconds(2));
    WorkflowThread saved = store.update(thread);

    assertThat(Files.readString(threadFile(thread.id()))).isEqualTo(file);
    List<String> lines = Files.readAllLines(stepLog(thread.id()));
    assertThat(lines).hasSize(1);
    Map<String, Object> line = JsonText.parseObject(lines.get(0).getBytes(StandardCharsets.UTF_8));
    assertThat(StoredJson.object(line, "steps")).containsOnlyKeys("0");
    assertThat(StoredJson.whole(line, "version")).isEqualTo(saved.version());
    assertThat(store.find(thread.id()).orElseThrow().snapshot()).isEqualTo(saved.snapshot());
  }

  @Test
  void aStepWriteTakesAsManyBytesWhateverTheNumberOfSteps() throws IOException {
    WorkflowThread small = runningThreadOf(2);
    WorkflowThread large = runningThreadOf(100);
    small.completeStep("s1", Map.of("answer", 42), T0.plusSeconds(2));
    large.completeStep("s1", Map.of("answer", 42), T0.plusSeconds(2));

    store.update(small);
    store.update(large);

    long smallLine = Files.size(stepLog(small.id()));
    long largeLine = Files.size(stepLog(large.id()));
    assertThat(Files.size(threadFile(large.id())))
        .isGreaterThan(10 * Files.size(threadFile(small.id())));
    // the events' progress counts ("total": 2 or 100) are the only difference
    assertThat(largeLine - smallLine).isBetween(-16L, 16L);
  }

  @Test
  void aChangeOfStatusWritesTheFileWholeAndEmptiesTheStepLog() throws IOException {
    WorkflowThread thread = runningThreadOf(2);
    thread.completeStep("s1", Map.of("answer", 1), T0.plusSeconds(2));
    thread = store.update(thread);
    thread.startStep("s2", T0.plusSeconds(2));
    thread = store.update(thread);
    assertThat(Files.readAllLines(stepLog(thread.id()))).hasSize(2);

    thread.completeStep("s2", Map.of("answer", 2), T0.plusSeconds(3));
    WorkflowThread completed = store.update(thread);

    assertThat(completed.status()).isEqualTo(ThreadStatus.COMPLETED);
    assertThat(stepLog(thread.id())).doesNotExist();
    assertThat(Files.readString(threadFile(thread.id())))
        .contains("\"answer\": 1", "\"answer\": 2", "\"status\": \"completed\"");
  }

  // ---- the group commit of the engine's fenced writes ----

  @Test
  void aBatchRefusesOnlyTheThreadWhoseClaimIsGoneAndItsWritesLastAcrossARestart()
      throws IOException {
    JsonFileWorkflowThreadStore threads = opened.threads();
    WorkflowThread appended = runningThreadOf(3);
    WorkflowThread finished = runningThreadOf(1);
    WorkflowThread fencedOut = runningThreadOf(2);
    Instant now = T0.plusSeconds(5);
    threads.claim("node-a", now, now.plusSeconds(15), 10);
    threads.release(fencedOut.id(), "node-a", null);
    appended = threads.find(appended.id()).orElseThrow();
    appended.completeStep("s1", Map.of("answer", 1), now);
    appended.startStep("s2", now);
    finished = threads.find(finished.id()).orElseThrow();
    finished.completeStep("s1", Map.of("answer", 2), now);
    fencedOut = threads.find(fencedOut.id()).orElseThrow();
    fencedOut.completeStep("s1", Map.of("answer", 3), now);

    List<CompletableFuture<WorkflowThread>> written =
        threads.writeAsOneBatch(List.of(appended, fencedOut, finished), "node-a");

    assertThat(written.get(0).join().version()).isEqualTo(appended.version() + 1);
    assertThat(written.get(2).join().status()).isEqualTo(ThreadStatus.COMPLETED);
    assertThatThrownBy(written.get(1)::join).hasCauseInstanceOf(ClaimLostException.class);
    // one a line of its step log, one its file written whole
    assertThat(Files.readAllLines(stepLog(appended.id()))).hasSize(1);
    assertThat(stepLog(finished.id())).doesNotExist();
    List<LoggedEvent> logged = opened.events().read(0, EventFilter.ALL, 1000);
    assertThat(logged).extracting(LoggedEvent::seq).isSorted().doesNotHaveDuplicates();

    JsonStoreDirectory reopened = stores.reopen(opened);
    WorkflowThread appendedAfter = reopened.threads().find(appended.id()).orElseThrow();
    assertThat(appendedAfter.step("s1").orElseThrow().output()).isEqualTo(Map.of("answer", 1));
    assertThat(appendedAfter.step("s2").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
    assertThat(reopened.threads().find(finished.id()).orElseThrow().status())
        .isEqualTo(ThreadStatus.COMPLETED);
    assertThat(
            reopened.threads().find(fencedOut.id()).orElseThrow().step("s1").orElseThrow().status())
        .isEqualTo(StepStatus.RUNNING);
    assertThat(reopened.events().read(0, EventFilter.ALL, 1000))
        .extracting(LoggedEvent::seq)
        .isEqualTo(logged.stream().map(LoggedEvent::seq).toList());
  }

  @Test
  void theEnginesFencedWritesOfManyThreadsAtOnceAreEachStoredOnce() throws Exception {
    JsonFileWorkflowThreadStore threads = opened.threads();
    List<WorkflowThread> running = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      running.add(runningThreadOf(2));
    }
    Instant now = T0.plusSeconds(5);
    threads.claim("node-a", now, now.plusSeconds(15), 100);
    List<CompletableFuture<WorkflowThread>> saved = new ArrayList<>();
    for (WorkflowThread each : running) {
      WorkflowThread claimed = threads.find(each.id()).orElseThrow();
      saved.add(
          CompletableFuture.supplyAsync(
              () -> {
                claimed.completeStep("s1", Map.of("answer", 1), now);
                claimed.startStep("s2", now);
                return threads.updateIfHeld(claimed, "node-a");
              }));
    }

    for (CompletableFuture<WorkflowThread> each : saved) {
      WorkflowThread thread = each.get(60, TimeUnit.SECONDS);
      assertThat(thread.step("s2").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
      assertThat(eventsOf(thread.id()))
          .extracting(ThreadEvent::type)
          .endsWith(ThreadEventType.STEP_COMPLETED, ThreadEventType.STEP_STARTED);
    }
  }

  @Test
  void aStepWriteReturnsTheThreadARestartReadsWhateverTheOutputHolds() {
    JsonFileWorkflowThreadStore threads = opened.threads();
    List<WorkflowThread> running =
        List.of(runningThreadOf(3), runningThreadOf(3), runningThreadOf(3));
    // nanoseconds, which the store cuts to microseconds
    Instant now = T0.plusSeconds(5).plusNanos(123_456_789);
    threads.claim("node-a", now, now.plusSeconds(15), 10);
    // whole numbers JSON gives back as another type, nested; then values that are not JSON's own
    Map<String, Object> plain =
        Map.of("count", 5L, "big", 5_000_000_000L, "items", List.of(1L, "a", Map.of("n", 2L)));
    Map<String, Object> other = Map.of("count", 5L, "ratio", 0.5, "when", now);
    List<Map<String, Object>> outputs = List.of(plain, plain, other);
    List<WorkflowThread> changed = new ArrayList<>();
    for (int i = 0; i < running.size(); i++) {
      WorkflowThread loaded = threads.find(running.get(i).id()).orElseThrow();
      loaded.completeStep("s1", outputs.get(i), now);
      loaded.startStep("s2", now);
      changed.add(loaded);
    }

    // one alone (a line of its own), two in one batch
    List<WorkflowThread> returned = new ArrayList<>();
    returned.add(threads.updateIfHeld(changed.get(0), "node-a"));
    threads.writeAsOneBatch(changed.subList(1, 3), "node-a").forEach(f -> returned.add(f.join()));

    JsonStoreDirectory reopened = stores.reopen(opened);
    for (WorkflowThread thread : returned) {
      WorkflowThread read = reopened.threads().find(thread.id()).orElseThrow();
      assertThat(thread.snapshot()).isEqualTo(read.snapshot());
      assertThat(read.step("s1").orElseThrow().output()).containsEntry("count", 5);
    }
    assertThat(returned.get(0).step("s1").orElseThrow().output())
        .containsEntry("big", 5_000_000_000L)
        .containsEntry("items", List.of(1, "a", Map.of("n", 2)));
  }

  /** A thread of steps s1, s2 ... stored in its first step. */
  private WorkflowThread runningThreadOf(int steps) {
    String[] names = new String[steps];
    for (int i = 0; i < steps; i++) {
      names[i] = "s" + (i + 1);
    }
    WorkflowThread thread =
        store.insert(
            WorkflowThread.create(
                ThreadId.generate(),
                TestWorkflows.request("go"),
                TestWorkflows.definition("many", names),
                T0));
    thread.start(T0.plusSeconds(1));
    thread.startStep("s1", T0.plusSeconds(1));
    return store.update(thread);
  }

  private Path stepLog(ThreadId id) {
    return opened.directory().resolve("threads").resolve(id + StepLogs.SUFFIX);
  }

  @Test
  void aFileWrittenBeforeThreadsHadOwnersIsTheLocalOwners() throws IOException {
    WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
    Path file = threadFile(thread.id());
    String withOwner = Files.readString(file);
    String withoutOwner = withOwner.replace("\n  \"owner\": \"local\",", "");
    assertThat(withoutOwner).as("the thread's owner taken out").isNotEqualTo(withOwner);
    Files.writeString(file, withoutOwner, StandardCharsets.UTF_8);

    JsonStoreDirectory reopened = stores.reopen(opened);

    assertThat(reopened.threads().find(thread.id()).orElseThrow().owner())
        .isEqualTo(Caller.LOCAL_OWNER);
  }

  private Path threadFile(ThreadId id) {
    return opened.directory().resolve("threads").resolve(id + ".json");
  }

  @Override
  protected List<ThreadEvent> eventsOf(ThreadId id) throws IOException {
    return opened.events().read(0, EventFilter.ofThread(id), 1000).stream()
        .map(LoggedEvent::event)
        .toList();
  }

  /**
   * Every regular file under the directory but the lock, by relative path. Not the lock: opening
   * and closing it from this process could drop the store's lock on it (see FileLock).
   */
  private static Map<Path, String> contentsOf(Path directory) throws IOException {
    Map<Path, String> contents = new TreeMap<>();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (!file.getFileName().toString().equals(JsonStoreDirectory.LOCK_FILE)) {
          contents.put(directory.relativize(file), Files.readString(file));
        }
      }
    }
    return contents;
  }
}
