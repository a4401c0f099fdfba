package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a store finds when it opens a directory that an earlier run wrote: everything that run
 * stored, and whatever a crash or a person's editor left behind.
 */
class JsonStoreDirectoryRestartTest {

  private static final ListThreadsQuery ALL = new ListThreadsQuery(Set.of(), null, 0, 500);

  @RegisterExtension final FreshStores stores = new FreshStores();
  private Path directory;

  @BeforeEach
  void chooseDirectory() {
    directory = stores.newDirectory();
  }

  @Test
  void aReopenedDirectoryGivesBackEveryThreadFieldForField() throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    List<WorkflowThread> stored = new ArrayList<>();
    for (ThreadStatus status : ThreadStatus.values()) {
      stored.add(store.threads().insert(TestWorkflows.threadIn(status)));
    }
    stored.add(storeFailedThreadWithEveryFieldSet(store));
    WorkflowThread claimed = store.threads().insert(TestWorkflows.pendingThread());
    store.threads().claim("node-a", T0.plusSeconds(60), T0.plusSeconds(75), 10);
    stored.add(store.threads().find(claimed.id()).orElseThrow());
    List<ThreadSnapshot> listed = snapshots(store.threads().list(ALL).items());
    List<LoggedEvent> logged = store.loggedEvents();
    store.close();

    JsonStoreDirectory reopened = stores.open(directory);

    for (WorkflowThread thread : stored) {
      assertThat(reopened.threads().find(thread.id()).orElseThrow().snapshot())
          .isEqualTo(thread.snapshot());
    }
    assertThat(snapshots(reopened.threads().list(ALL).items())).isEqualTo(listed);
    assertThat(reopened.loggedEvents()).isEqualTo(logged);
    assertThat(reopened.damagedFiles()).isEmpty();
    // the numbering goes on where it stopped
    reopened.threads().insert(TestWorkflows.pendingThread());
    assertThat(last(reopened.loggedEvents()).seq()).isEqualTo(last(logged).seq() + 1);
  }

  @Test
  void damagedFilesAreReportedAndMovedAsideWhileEverythingElseLoads() throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread first = store.threads().insert(TestWorkflows.pendingThread());
    WorkflowThread second = store.threads().insert(TestWorkflows.threadIn(ThreadStatus.COMPLETED));
    store.catalog().add(TestWorkflows.definition("research", "a"));
    store.close();
    Path threads = directory.resolve("threads");
    String good = Files.readString(threads.resolve(first.id() + ".json"));
    Map<String, String> damaged = new LinkedHashMap<>();
    ThreadId truncated = ThreadId.generate();
    damaged.put("threads/" + truncated + ".json", good.substring(0, good.length() / 2));
    ThreadId wrongStatus = ThreadId.generate();
    damaged.put(
        "threads/" + wrongStatus + ".json",
        good.replace(first.id().toString(), wrongStatus.toString())
            .replaceFirst("\"status\": \"pending\"", "\"status\": \"sleeping\""));
    damaged.put("threads/" + ThreadId.generate() + ".json", "{\"hello\": \"world\"}\n");
    damaged.put("threads/" + ThreadId.generate() + ".json", "[1, 2, 3]\n");
    damaged.put("threads/" + ThreadId.generate() + ".json", "");
    ThreadId elsewhere = ThreadId.generate();
    damaged.put("threads/" + elsewhere + ".json", good);
    damaged.put("threads/notes.json", "{}");
    damaged.put("workflows/research/2.json", "{\"type\": \"research\",");
    for (Map.Entry<String, String> file : damaged.entrySet()) {
      Files.writeString(directory.resolve(file.getKey()), file.getValue());
    }

    JsonStoreDirectory reopened;
    List<String> logged;
    try (CapturedLog log = new CapturedLog(Quarantine.class)) {
      reopened = stores.open(directory);
      logged = log.lines();
    }

    Map<String, DamagedFile> reported =
        reopened.damagedFiles().stream()
            .collect(Collectors.toMap(file -> slashed(file.file()), Function.identity()));
    assertThat(reported).containsOnlyKeys(damaged.keySet());
    assertThat(reported.get("threads/" + truncated + ".json").reason())
        // the parser's words after "end-of-input" depend on where the cut falls
        .matches("not valid JSON: Unexpected end-of-input.* \\(line \\d+, column \\d+\\)")
        .doesNotContain("Source");
    assertThat(reported.get("threads/" + wrongStatus + ".json").reason())
        .isEqualTo("unknown thread status 'sleeping'");
    assertThat(reported.get("threads/" + elsewhere + ".json").reason())
        .isEqualTo("it holds thread " + first.id() + ", not " + elsewhere);
    assertThat(reported.get("threads/notes.json").reason())
        .isEqualTo("its name is not <thread id>.json");
    assertThat(reported.values())
        .extracting(DamagedFile::reason)
        .contains("'thread_id' is missing", "not a JSON object (line 1, column 1)", "it is empty");
    for (DamagedFile file : reported.values()) {
      String name = slashed(file.file());
      assertThat(directory.resolve(file.file())).doesNotExist();
      assertThat(slashed(file.movedTo())).isEqualTo("quarantine/" + name);
      assertThat(Files.readString(directory.resolve(file.movedTo()))).isEqualTo(damaged.get(name));
      assertThat(directory.resolve(file.movedTo() + ".reason.txt"))
          .content()
          .contains(name, file.reason());
      assertThat(logged)
          .anySatisfy(line -> assertThat(line).startsWith("WARNING").contains(name, file.reason()));
    }
    assertThat(reopened.threads().find(first.id())).isPresent();
    assertThat(reopened.threads().find(second.id())).isPresent();
    assertThat(reopened.threads().list(ALL).total()).isEqualTo(2);
    assertThat(reopened.catalog().latest("research"))
        .contains(TestWorkflows.definition("research", "a"));
  }

  @Test
  void temporaryFilesLeftByAnInterruptedWriteAreRemovedAndTheFilesTheyWereForStayAsTheyWere()
      throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread thread = store.threads().insert(TestWorkflows.pendingThread());
    store.catalog().add(TestWorkflows.definition("general", "a"));
    store.close();
    String good = Files.readString(directory.resolve("threads/" + thread.id() + ".json"));
    List<Path> leftovers =
        List.of(
            directory.resolve("threads/." + thread.id() + ".json.5f3a9c.tmp"),
            directory.resolve("workflows/general/.2.json.77e1.tmp"),
            directory.resolve("quarantine/.notes.json.reason.txt.12.tmp"));
    Files.writeString(leftovers.get(0), good.substring(0, good.length() / 3));
    Files.writeString(leftovers.get(1), "{\"type\": ");
    Files.writeString(leftovers.get(2), "");

    JsonStoreDirectory reopened = stores.open(directory);

    assertThat(leftovers).allSatisfy(leftover -> assertThat(leftover).doesNotExist());
    assertThat(reopened.damagedFiles()).isEmpty();
    assertThat(reopened.threads().find(thread.id()).orElseThrow().snapshot())
        .isEqualTo(thread.snapshot());
    assertThat(reopened.catalog().latestOfEach())
        .containsExactly(TestWorkflows.definition("general", "a"));
  }

  @Test
  void eventsThatACrashKeptOutOfTheLogAreAppendedFromTheThreadFile() throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread thread = store.threads().insert(TestWorkflows.pendingThread());
    thread.start(T0.plusSeconds(1));
    thread.startStep("a", T0.plusSeconds(1));
    int lastWrite = thread.newEvents().size();
    store.threads().update(thread);
    List<LoggedEvent> complete = store.loggedEvents();
    store.close();
    // a kill -9 just after the thread file's rename: the log lacks that write's events, and
    // holds part of a line of them
    cutEventLog(lastWrite, "{\"seq\":2,\"type\":\"thre");

    JsonStoreDirectory reopened = stores.open(directory);

    assertThat(reopened.loggedEvents()).isEqualTo(complete);
    assertThat(complete).hasSize(1 + lastWrite);
    reopened.threads().insert(TestWorkflows.pendingThread());
    assertThat(reopened.loggedEvents())
        .extracting(LoggedEvent::seq)
        .containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aDeletionInterruptedBeforeItsEventsReachedTheLogIsFinishedAtStartUp() throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread thread = store.threads().insert(TestWorkflows.pendingThread());
    store.close();
    // a kill -9 just after the thread file became the deletion's tombstone
    thread.delete(T0.plusSeconds(5));
    ThreadEvent deleted = thread.newEvents().get(0);
    Path file = directory.resolve("threads/" + thread.id() + ".json");
    Files.write(
        file, ThreadFileMapping.tombstone(thread.id(), List.of(new LoggedEvent(2, deleted))));

    JsonStoreDirectory reopened = stores.open(directory);

    assertThat(reopened.threads().find(thread.id())).isEmpty();
    assertThat(file).doesNotExist();
    assertThat(last(reopened.loggedEvents())).isEqualTo(new LoggedEvent(2, deleted));
    assertThat(reopened.damagedFiles()).isEmpty();
  }

  // ---- step logs ----

  @Test
  void aReopenedDirectoryGivesBackTheStepsWrittenToTheStepLog() throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread thread = threadInItsSecondStep(store);
    assertThat(stepLog(thread.id())).exists();
    List<LoggedEvent> logged = store.loggedEvents();
    store.close();

    JsonStoreDirectory reopened = stores.open(directory);

    assertThat(reopened.threads().find(thread.id()).orElseThrow().snapshot())
        .isEqualTo(thread.snapshot());
    assertThat(reopened.loggedEvents()).isEqualTo(logged);
    assertThat(reopened.damagedFiles()).isEmpty();
  }

  @Test
  void aStepLogLineTornByACrashIsIgnoredAndTheNextWriteGoesOnFromTheLastWholeLine()
      throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread thread = threadInItsSecondStep(store);
    store.close();
    // a kill -9 in the middle of the next write's append: that write had not returned
    Files.writeString(
        stepLog(thread.id()), "{\"generation\":12,\"status\":\"runn", StandardOpenOption.APPEND);

    JsonStoreDirectory reopened = stores.open(directory);

    assertThat(reopened.damagedFiles()).isEmpty();
    WorkflowThread loaded = reopened.threads().find(thread.id()).orElseThrow();
    assertThat(loaded.snapshot()).isEqualTo(thread.snapshot());
    loaded.completeStep("b", Map.of("b", "done"), T0.plusSeconds(3));
    WorkflowThread saved = reopened.threads().update(loaded);
    reopened.close();
    JsonStoreDirectory again = stores.open(directory);
    assertThat(again.damagedFiles()).isEmpty();
    assertThat(again.threads().find(thread.id()).orElseThrow().snapshot())
        .isEqualTo(saved.snapshot());
  }

  @Test
  void stepLogLinesOfAnEarlierGenerationAreIgnored() throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread thread = threadInItsSecondStep(store);
    byte[] earlierLog = Files.readAllBytes(stepLog(thread.id()));
    // a pause changes the status: the file is written whole, its log emptied
    thread.pause(T0.plusSeconds(3));
    WorkflowThread paused = store.threads().update(thread);
    assertThat(stepLog(thread.id())).doesNotExist();
    store.close();
    // a crash between the file's replacement and the log's removal
    Files.write(stepLog(thread.id()), earlierLog);

    JsonStoreDirectory reopened = stores.open(directory);

    assertThat(reopened.threads().find(thread.id()).orElseThrow().snapshot())
        .isEqualTo(paused.snapshot());
    assertThat(reopened.damagedFiles()).isEmpty();
    assertThat(stepLog(thread.id())).doesNotExist();
  }

  @Test
  void aThreadFileWrittenBeforeStepLogsLoadsAsItIsAndIsWrittenWholeAtItsNextWrite()
      throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread thread = store.threads().insert(TestWorkflows.pendingThread());
    thread.start(T0.plusSeconds(1));
    thread.startStep("a", T0.plusSeconds(1));
    thread = store.threads().update(thread);
    store.close();
    Path file = directory.resolve("threads/" + thread.id() + ".json");
    String withGeneration = Files.readString(file);
    String before = withGeneration.replaceFirst("\n  \"log_generation\": -?\\d+,", "");
    assertThat(before).as("the generation taken out").isNotEqualTo(withGeneration);
    Files.writeString(file, before);

    JsonStoreDirectory reopened = stores.open(directory);

    WorkflowThread loaded = reopened.threads().find(thread.id()).orElseThrow();
    assertThat(loaded.snapshot()).isEqualTo(thread.snapshot());
    loaded.completeStep("a", Map.of("a", "done"), T0.plusSeconds(2));
    WorkflowThread saved = reopened.threads().update(loaded);
    assertThat(stepLog(thread.id())).doesNotExist();
    assertThat(Files.readString(file)).contains("\"log_generation\"", "\"a\": \"done\"");
    reopened.close();
    assertThat(stores.open(directory).threads().find(thread.id()).orElseThrow().snapshot())
        .isEqualTo(saved.snapshot());
  }

  @Test
  void eventsThatACrashKeptOutOfTheLogAreAppendedFromTheStepLog() throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread thread = threadInItsSecondStep(store);
    thread.completeStep("b", Map.of(), T0.plusSeconds(3));
    int lastWrite = thread.newEvents().size();
    store.threads().update(thread);
    List<LoggedEvent> complete = store.loggedEvents();
    store.close();
    // a kill -9 just after the step log's append: the event log lacks that write's events
    cutEventLog(lastWrite, "");

    JsonStoreDirectory reopened = stores.open(directory);

    assertThat(reopened.loggedEvents()).isEqualTo(complete);
  }

  @Test
  void aStepLogDamagedBeforeItsLastLineSendsItsThreadToQuarantine() throws IOException {
    JsonStoreDirectory store = stores.open(directory);
    WorkflowThread thread = threadInItsSecondStep(store);
    WorkflowThread other = store.threads().insert(TestWorkflows.pendingThread());
    store.close();
    Path log = stepLog(thread.id());
    Files.writeString(log, "not json\n" + Files.readString(log));

    JsonStoreDirectory reopened = stores.open(directory);

    assertThat(reopened.threads().find(thread.id())).isEmpty();
    assertThat(reopened.threads().find(other.id())).isPresent();
    assertThat(reopened.damagedFiles())
        .extracting(damaged -> slashed(damaged.file()))
        .containsExactlyInAnyOrder(
            "threads/" + thread.id() + ".json", "threads/" + thread.id() + ".steps.jsonl");
  }

  /**
   * A thread of two steps, its first completed and its second started: the writes after its start
   * went to its step log.
   */
  private static WorkflowThread threadInItsSecondStep(JsonStoreDirectory store) {
    WorkflowThread thread = store.threads().insert(TestWorkflows.pendingThread());
    thread.start(T0.plusSeconds(1));
    thread.startStep("a", T0.plusSeconds(1));
    thread = store.threads().update(thread);
    thread.completeStep("a", Map.of("a", List.of(1, 2.5, "three")), T0.plusSeconds(2));
    thread = store.threads().update(thread);
    thread.startStep("b", T0.plusSeconds(2));
    return store.threads().update(thread);
  }

  /** Takes the last events out of the event log's first segment, and appends {@code tail}. */
  private void cutEventLog(int lastEvents, String tail) throws IOException {
    Path segment = directory.resolve("events/00000000000000000001.jsonl");
    List<String> lines = Files.readAllLines(segment);
    List<String> kept = lines.subList(0, lines.size() - lastEvents);
    Files.writeString(segment, String.join("\n", kept) + "\n" + tail);
  }

  private Path stepLog(ThreadId id) {
    return directory.resolve("threads/" + id + ".steps.jsonl");
  }

  /**
   * A failed thread with every field set: nested input and output holding every kind of JSON value,
   * a failed attempt before the last one, an error message and a finishing time.
   */
  private static WorkflowThread storeFailedThreadWithEveryFieldSet(JsonStoreDirectory store) {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("int", 42);
    nested.put("long", 10_000_000_000L);
    nested.put("double", 2.5);
    nested.put("null", null);
    nested.put("text", "Zürich \"quoted\"\nnew line ✓");
    nested.put("list", Arrays.asList(1, "two", null, List.of(3.25), Map.of("k", false)));
    nested.put("empty", Map.of());
    WorkflowThread thread =
        WorkflowThread.create(
            ThreadId.generate(),
            new ThreadRequest("Summarise Q3", "research", "My title", Map.of("depth", nested)),
            TestWorkflows.definition("research", "plan", "draft", "publish"),
            T0);
    thread.start(T0.plusMillis(1));
    thread.startStep("plan", T0.plusMillis(2));
    thread.completeStep("plan", Map.of("nested", nested), T0.plusMillis(3));
    thread.startStep("draft", T0.plusMillis(4));
    thread.failStep("draft", "too short", new RetryPolicy(2, 10), T0.plusMillis(5));
    thread.startStep("draft", T0.plusMillis(6));
    thread.failStep("draft", "still too short", new RetryPolicy(2, 10), T0.plusMillis(7));
    assertThat(thread.status()).isEqualTo(ThreadStatus.FAILED);
    WorkflowThread stored = store.threads().insert(thread);
    assertThat(stored.snapshot()).isEqualTo(thread.snapshot());
    return stored;
  }

  private static List<ThreadSnapshot> snapshots(List<WorkflowThread> threads) {
    return threads.stream().map(WorkflowThread::snapshot).toList();
  }

  private static LoggedEvent last(List<LoggedEvent> events) {
    return events.get(events.size() - 1);
  }

  private static String slashed(Path relative) {
    return relative.toString().replace('\\', '/');
  }
}
