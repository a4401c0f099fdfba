package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/orchestro-threads.jar}) running as a process of its own, on a
 * free port, as an operator starts it; for the tests that kill or stop it. Its output goes to a log
 * file under {@code target/}, kept for reading after a failure.
 */
final class JarProcess implements AutoCloseable {

  private final Process process;
  private final ApiClient api;

  private JarProcess(Process process, int port) {
    this.process = process;
    this.api = new ApiClient(port);
  }

  /**
   * Starts the jar with these arguments (plus {@code --server.port}).
   *
   * @param log where its output goes, under {@code target/}
   */
  static JarProcess start(Path log, List<String> arguments) throws IOException {
    return start(log, List.of(), arguments);
  }

  /**
   * Starts the jar with these JVM options ({@code -Dname=value}, before {@code -jar}) and
   * arguments.
   */
  static JarProcess start(Path log, List<String> jvmOptions, List<String> arguments)
      throws IOException {
    Path jar = Path.of("target", "orchestro-threads.jar").toAbsolutePath();
    assertThat(jar).exists();
    Files.createDirectories(log.toAbsolutePath().getParent());
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.port=" + port);
    command.addAll(arguments);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new JarProcess(process, port);
  }

  ApiClient api() {
    return api;
  }

  /** Waits until the API answers: a few seconds on an idle machine, minutes on a loaded one. */
  JarProcess awaitUp() {
    await()
        .atMost(Duration.ofSeconds(300))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(process.isAlive()).as("the jar exited; see its log").isTrue();
              return api.get("/api/workflows").status() == 200;
            });
    return this;
  }

  /** SIGKILL: the process gets no chance to clean up. Returns once it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /**
   * SIGTERM, as an orchestrator stops a node in a rolling restart: the process shuts down in its
   * own time.
   *
   * @return how long it took to exit, or null when it was still running after {@code atMost}
   */
  Duration terminate(Duration atMost) throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
