package io.orchestro.threads.adapters.persistence.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that writes as fast as it can is killed (SIGKILL where there is one), three times, on
 * the same directory. After each kill the directory opens with nothing damaged, every write that
 * had returned is there, and every thread's last logged event matches the thread: each write's
 * thread file and events landed together, or neither did.
 */
class JsonStoreDirectoryCrashTest {

  private static final int ROUNDS = 3;
  private static final int THREADS_BEFORE_THE_KILL = 15;

  @TempDir Path temp;

  @Test
  void aKilledWriterLeavesEveryFileOldOrNewAndEveryReturnedWriteInPlace() throws Exception {
    Path directory = temp.resolve("data");
    for (int round = 1; round <= ROUNDS; round++) {
      Path output = temp.resolve("round-" + round + ".log");
      Process writer = startWriter(directory, "node-" + round, output);
      try {
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> doneIn(output).size() >= THREADS_BEFORE_THE_KILL || !writer.isAlive());
        assertThat(writer.isAlive()).as(Files.readString(output)).isTrue();
      } finally {
        writer.destroyForcibly();
        assertThat(writer.waitFor(1, TimeUnit.MINUTES)).isTrue();
      }
      List<ThreadId> done = doneIn(output);

      try (JsonStoreDirectory store = new JsonStoreDirectory(directory)) {
        assertThat(store.damagedFiles()).as("round %d", round).isEmpty();
        for (ThreadId id : done) {
          assertThat(store.threads().find(id).orElseThrow().status())
              .isEqualTo(ThreadStatus.COMPLETED);
        }
        List<LoggedEvent> logged = store.loggedEvents();
        assertThat(logged)
            .extracting(LoggedEvent::seq)
            .containsExactly(LongStream.rangeClosed(1, logged.size()).boxed().toArray(Long[]::new));
        Map<ThreadId, ThreadEvent> lastEvents = new HashMap<>();
        logged.forEach(event -> lastEvents.put(event.event().threadId(), event.event()));
        List<WorkflowThread> all =
            store.threads().list(new ListThreadsQuery(Set.of(), null, 0, 500)).items();
        assertThat(all).hasSizeGreaterThanOrEqualTo(round * THREADS_BEFORE_THE_KILL);
        for (WorkflowThread thread : all) {
          ThreadEvent last = lastEvents.get(thread.id());
          assertThat(last).as("thread %s", thread.id()).isNotNull();
          assertThat(last.status()).isEqualTo(thread.status());
          assertThat(last.progress()).isEqualTo(thread.progress());
        }
      }
    }
  }

  private static Process startWriter(Path directory, String owner, Path output) throws IOException {
    return ChildJvm.start(WritingProcess.class, output, directory.toString(), owner);
  }

  /** The threads the writer reported done; a line the kill cut short is not a whole id. */
  private static List<ThreadId> doneIn(Path output) throws IOException {
    return Files.readAllLines(output).stream()
        .filter(line -> line.startsWith("done ") && line.length() == "done ".length() + 36)
        .map(line -> ThreadId.parse(line.substring("done ".length())))
        .toList();
  }
}
