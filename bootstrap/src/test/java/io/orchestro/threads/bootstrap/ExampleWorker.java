package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The example worker in Python (examples/worker/worker.py), run as users run it. */
final class ExampleWorker {

  private static final Path SCRIPT = Path.of("..", "examples", "worker", "worker.py");

  private ExampleWorker() {}

  /**
   * Runs the worker against the service behind {@code api} until it has completed {@code tasks}
   * tasks of {@code queue}; an AssertionError when it fails or takes over a minute.
   */
  static void completeTasks(ApiClient api, String queue, int tasks)
      throws IOException, InterruptedException {
    Process worker =
        new ProcessBuilder(
                "python3",
                SCRIPT.toString(),
                "--url",
                api.uri("").toString(),
                "--queue",
                queue,
                "--tasks",
                String.valueOf(tasks))
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker finished").isTrue();
      String printed = new String(worker.getInputStream().readAllBytes());
      assertThat(worker.exitValue()).as(printed).isZero();
    } finally {
      worker.destroyForcibly();
    }
  }
}
