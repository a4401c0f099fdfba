package io.orchestro.threads.adapters.persistence.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch of new threads in the JSON store is all or nothing: after a kill -9 in the middle of
 * batches, and after a crash that left only the batch journal, every batch is there whole or not at
 * all, with the events of every thread that is there.
 */
class JsonBatchCrashTest {

  private static final int BATCHES_BEFORE_THE_KILL = 3;

  @TempDir Path temp;

  @Test
  void aKilledWriterLeavesEveryBatchWholeOrAbsent() throws Exception {
    Path directory = temp.resolve("data");
    String run = "killed";
    Path output = temp.resolve(run + ".log");
    Process writer = startWriter(directory, run, output);
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> doneIn(output).size() >= BATCHES_BEFORE_THE_KILL || !writer.isAlive());
      assertThat(writer.isAlive()).as(Files.readString(output)).isTrue();
    } finally {
      writer.destroyForcibly();
      assertThat(writer.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }
    List<String> done = doneIn(output);

    try (JsonStoreDirectory store = new JsonStoreDirectory(directory)) {
      assertThat(store.damagedFiles()).isEmpty();
      Map<String, Long> threadsPerBatch = threadsPerBatch(store);
      assertThat(threadsPerBatch).containsKeys(done.toArray(String[]::new));
      assertThat(threadsPerBatch.values()).containsOnly((long) BatchWritingProcess.BATCH_SIZE);
      assertEveryThreadHasItsCreatedEventInAnUnbrokenLog(store);
    }
  }

  @Test
  void aJournalLeftByACrashIsWrittenOutAtTheNextStart() throws Exception {
    Path directory = temp.resolve("data");
    Path journal = directory.resolve(BatchJournal.FILE_NAME);
    try (JsonStoreDirectory store = new JsonStoreDirectory(directory)) {
      WorkflowDefinition definition = TestWorkflows.definition("crash", "a");
      Instant now = Instant.parse("2026-11-28T10:00:00Z");
      store
          .threads()
          .insertAll(
              List.of(
                  WorkflowThread.create(
                      ThreadId.generate(), TestWorkflows.request("journal"), definition, now),
                  WorkflowThread.create(
                      ThreadId.generate(), TestWorkflows.request("journal"), definition, now)));
    }
    // what a crash right after the journal's rename leaves: the journal, and neither the thread
    // files nor their events in the log
    Path threads = directory.resolve(JsonStoreDirectory.THREADS);
    Map<String, Object> files = new LinkedHashMap<>();
    try (var each = Files.list(threads)) {
      for (Path file : each.toList()) {
        files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        Files.delete(file);
      }
    }
    try (var each = Files.list(directory.resolve(JsonStoreDirectory.EVENTS))) {
      for (Path file : each.toList()) {
        Files.delete(file);
      }
    }
    Files.write(journal, JsonText.compact(Map.of("files", files)));

    try (JsonStoreDirectory store = new JsonStoreDirectory(directory)) {
      assertThat(threadsPerBatch(store)).containsExactly(Map.entry("journal", 2L));
      assertEveryThreadHasItsCreatedEventInAnUnbrokenLog(store);
      assertThat(journal).doesNotExist();
    }
  }

  private static Map<String, Long> threadsPerBatch(JsonStoreDirectory store) {
    return store.threads().list(new ListThreadsQuery(Set.of(), null, 0, 500)).items().stream()
        .collect(Collectors.groupingBy(thread -> thread.request().prompt(), Collectors.counting()));
  }

  private static void assertEveryThreadHasItsCreatedEventInAnUnbrokenLog(JsonStoreDirectory store)
      throws IOException {
    List<LoggedEvent> logged = store.loggedEvents();
    assertThat(logged)
        .extracting(LoggedEvent::seq)
        .containsExactly(LongStream.rangeClosed(1, logged.size()).boxed().toArray(Long[]::new));
    Set<ThreadId> created =
        logged.stream()
            .filter(event -> event.event().type() == ThreadEventType.THREAD_CREATED)
            .map(event -> event.event().threadId())
            .collect(Collectors.toSet());
    List<WorkflowThread> all =
        store.threads().list(new ListThreadsQuery(Set.of(), null, 0, 500)).items();
    assertThat(created)
        .containsExactlyInAnyOrderElementsOf(all.stream().map(WorkflowThread::id).toList());
  }

  private static Process startWriter(Path directory, String run, Path output) throws IOException {
    return ChildJvm.start(BatchWritingProcess.class, output, directory.toString(), run);
  }

  /** The batches the writer reported done; a line the kill cut short names no batch. */
  private static List<String> doneIn(Path output) throws IOException {
    return Files.readAllLines(output).stream()
        .filter(line -> line.startsWith("done ") && line.endsWith("#"))
        .map(line -> line.substring("done ".length(), line.length() - 1))
        .toList();
  }
}
