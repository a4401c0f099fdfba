package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.adapters.persistence.json.JsonStoreDirectory;
import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.WorkerTask;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The store-copy commands ({@link StoreCopyCommand}) run as a user runs them: JSON files into an H2
 * file and back again, every thread coming back field for field.
 */
@ExtendWith(OutputCaptureExtension.class)
class MovingBetweenModesTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00.123456Z");

  private static final WorkflowDefinition FIRST =
      new WorkflowDefinition(
          "moving",
          1,
          "first version",
          List.of("move"),
          List.of(
              new StepDefinition("gather", "echo", Map.of("template", "{{prompt}}"), null, null),
              new StepDefinition("write", "delay", Map.of("millis", 0), null, null)));

  private static final WorkflowDefinition SECOND =
      new WorkflowDefinition(
          "moving",
          2,
          "second version ✓",
          List.of("move", "relocate"),
          List.of(
              new StepDefinition(
                  "gather", "echo", Map.of("template", "{{prompt}}"), new RetryPolicy(3, 50), null),
              new StepDefinition("check", "delay", Map.of("millis", 0), null, 5_000L),
              new StepDefinition("write", "echo", Map.of(), RetryPolicy.NONE, null)));

  @TempDir Path temp;

  @Test
  void threadsCopiedFromJsonIntoH2AndBackComeBackFieldForField(CapturedOutput output) {
    Path json = temp.resolve("json");
    List<ThreadId> ids = fill(json);
    List<ThreadSnapshot> originals = readBack(json, ids);
    // the running thread's step was handed to a worker, which holds it
    WorkerTask held = holdTask(json, ids.get(1));
    String h2 = CommandLine.h2Files(temp.resolve("h2"));

    try (ConfigurableApplicationContext command = run(h2, "--orchestro.copy.from-json=" + json)) {
      assertThat(command).isNotInstanceOf(WebServerApplicationContext.class);
    }
    assertThat(output)
        .contains(
            "Copied 2 workflow definition version(s) and "
                + ids.size()
                + " thread(s) with 1 worker task(s) from the JSON directory "
                + json
                + " into the database; skipped 0 thread(s)");

    try (ConfigurableApplicationContext database =
        run(h2, "--orchestro.engine.enabled=false", "--spring.main.web-application-type=none")) {
      WorkflowThreadStore threads = database.getBean(WorkflowThreadStore.class);
      for (ThreadSnapshot original : originals) {
        assertThat(threads.find(original.id()).orElseThrow().snapshot())
            .isEqualTo(original.withVersion(0));
      }
      WorkflowCatalog catalog = database.getBean(WorkflowCatalog.class);
      assertThat(catalog.find("moving", 1)).contains(FIRST);
      assertThat(catalog.find("moving", 2)).contains(SECOND);
      assertThat(database.getBean(WorkerTaskStore.class).find(held.taskId())).contains(held);
    }

    Path back = temp.resolve("back");
    try (ConfigurableApplicationContext command = run(h2, "--orchestro.copy.to-json=" + back)) {
      assertThat(command).isNotInstanceOf(WebServerApplicationContext.class);
    }
    assertThat(readBack(back, ids))
        .isEqualTo(originals.stream().map(s -> s.withVersion(0)).toList());
    try (JsonStoreDirectory copied = new JsonStoreDirectory(back)) {
      assertThat(copied.catalog().all()).contains(FIRST, SECOND);
      assertThat(copied.tasks().find(held.taskId())).contains(held);
    }
  }

  @Test
  void refusesToCopyTheConfiguredJsonDirectoryIntoItself() {
    Path json = temp.resolve("json");

    assertThatThrownBy(
            () ->
                run(
                    "--orchestro.storage=json",
                    "--orchestro.storage.json.dir=" + json,
                    "--orchestro.copy.from-json=" + json.resolve("..").resolve("json")))
        .hasStackTraceContaining("cannot be copied into itself");
  }

  @Test
  void refusesBothDirectionsAtOnce() {
    assertThatThrownBy(
            () ->
                run(
                    "--orchestro.copy.from-json=" + temp.resolve("a"),
                    "--orchestro.copy.to-json=" + temp.resolve("b")))
        .hasStackTraceContaining("not both");
  }

  @Test
  void refusesToCopyFromADirectoryThatIsNotThere() {
    String h2 = CommandLine.h2Files(temp.resolve("h2"));

    assertThatThrownBy(() -> run(h2, "--orchestro.copy.from-json=" + temp.resolve("missing")))
        .hasStackTraceContaining("there is no such directory");
  }

  private static ConfigurableApplicationContext run(String... arguments) {
    // command-line arguments: they take precedence over application.properties
    return new SpringApplicationBuilder(OrchestroThreadsApplication.class).run(arguments);
  }

  /**
   * A JSON directory with both versions of a user-defined workflow and a thread in every state,
   * each moved there through its intent methods and stored as the engine stores it.
   */
  private static List<ThreadId> fill(Path directory) {
    List<ThreadId> ids = new ArrayList<>();
    try (JsonStoreDirectory store = new JsonStoreDirectory(directory)) {
      store.catalog().add(FIRST);
      store.catalog().add(SECOND);
      WorkflowThreadStore threads = store.threads();

      ids.add(threads.insert(created(SECOND, 0)).id());

      WorkflowThread running = threads.insert(created(SECOND, 1));
      running.start(at(10));
      running.startStep("gather", at(11));
      ids.add(threads.update(running).id());

      WorkflowThread paused = threads.insert(created(SECOND, 2));
      paused.start(at(20));
      paused.startStep("gather", at(21));
      paused.completeStep("gather", Map.of("text", "gathered"), at(22));
      paused.pause(at(23));
      ids.add(threads.update(paused).id());

      WorkflowThread completed = threads.insert(created(FIRST, 3));
      completed.start(at(30));
      completed.startStep("gather", at(31));
      completed.completeStep("gather", nestedOutput(), at(32));
      completed.startStep("write", at(33));
      completed.completeStep("write", Map.of("words", 1234, "ratio", 0.5), at(34));
      ids.add(threads.update(completed).id());

      WorkflowThread failed = threads.insert(created(SECOND, 4));
      failed.start(at(40));
      failed.startStep("gather", at(41));
      failed.failStep("gather", "the source said no ✗", new RetryPolicy(3, 50), at(42));
      failed.startStep("gather", at(43));
      failed.failStep("gather", "the source said no again", RetryPolicy.NONE, at(44));
      ids.add(threads.update(failed).id());

      WorkflowThread retried = threads.insert(created(SECOND, 5));
      retried.start(at(50));
      retried.startStep("gather", at(51));
      retried.failStep("gather", "flaky", RetryPolicy.NONE, at(52));
      retried = threads.update(retried);
      retried.retry(at(53));
      retried.start(at(54));
      retried.startStep("gather", at(55));
      retried.completeStep("gather", Map.of("text", "second time lucky"), at(56));
      ids.add(threads.update(retried).id());
    }
    return ids;
  }

  /** Offers the task of the thread's running step in the JSON directory, leased to a worker. */
  private static WorkerTask holdTask(Path directory, ThreadId running) {
    try (JsonStoreDirectory store = new JsonStoreDirectory(directory)) {
      WorkerTask task =
          WorkerTask.queued(
                  "gathering",
                  running,
                  "gather",
                  1,
                  Duration.ofSeconds(30),
                  Map.of("queue", "gathering"),
                  Map.of("n", 1),
                  Map.of(),
                  at(11))
              .leasedTo("w-1", at(12));
      return store.tasks().offer(task);
    }
  }

  private static WorkflowThread created(WorkflowDefinition definition, int n) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("n", n);
    input.put("tags", List.of("a", "b"));
    input.put("nothing", null);
    ThreadRequest request =
        new ThreadRequest(
            "move thread " + n, definition.type(), n % 2 == 0 ? null : "Title " + n, input);
    return WorkflowThread.create(ThreadId.generate(), request, definition, at(n));
  }

  private static Map<String, Object> nestedOutput() {
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("text", "Déjà vu 🚚");
    output.put("big", 10_000_000_000L);
    output.put("list", Arrays.asList(1, "two", null, Map.of("deep", List.of(true))));
    return output;
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  /** The threads as a fresh store on {@code directory} loads them, in the order of {@code ids}. */
  private static List<ThreadSnapshot> readBack(Path directory, List<ThreadId> ids) {
    try (JsonStoreDirectory store = new JsonStoreDirectory(directory)) {
      return ids.stream().map(id -> store.threads().find(id).orElseThrow().snapshot()).toList();
    }
  }
}
