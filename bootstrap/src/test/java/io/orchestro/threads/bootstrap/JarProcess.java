package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged jar ({@code target/orchestro-threads.jar}) running as a process of its own, on a
 * free port, as an operator starts it (extracted, or the jar itself); for the tests that kill or
 * stop it. Its output goes to a log file under {@code target/}, kept for reading after a failure.
 */
final class JarProcess implements AutoCloseable {

  private final Process process;
  private final ApiClient api;

  private JarProcess(Process process, int port) {
    this.process = process;
    this.api = new ApiClient(port);
  }

  /**
   * Starts the application of the packaged jar with these arguments (plus {@code --server.port}),
   * the fast way the README documents: the jar extracted (plain jars on the class path) with a
   * class-data archive of the classes a start loads, made once per build of the jar.
   *
   * @param log where its output goes, under {@code target/}
   */
  static JarProcess start(Path log, List<String> arguments) throws IOException {
    return launch(log, FastStart.prepared(), arguments);
  }

  /**
   * Starts the packaged jar itself ({@code java -jar}, through its launcher) with these JVM options
   * ({@code -Dname=value}, before {@code -jar}) and arguments: for what only the launcher does,
   * such as {@code -Dloader.path}.
   */
  static JarProcess startWholeJar(Path log, List<String> jvmOptions, List<String> arguments)
      throws IOException {
    List<String> jvm = new ArrayList<>(jvmOptions);
    jvm.add("-jar");
    jvm.add(packagedJar().toString());
    return launch(log, jvm, arguments);
  }

  private static JarProcess launch(Path log, List<String> jvm, List<String> arguments)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    int port = freePort();
    List<String> command = javaCommand();
    command.addAll(jvm);
    command.add("--server.port=" + port);
    command.addAll(arguments);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new JarProcess(process, port);
  }

  private static Path packagedJar() {
    Path jar = Path.of("target", "orchestro-threads.jar").toAbsolutePath();
    assertThat(jar).exists();
    return jar;
  }

  /**
   * The java of this JVM, with the client compiler only: these processes start and serve a few
   * requests, where the optimizing compiler's work on a busy 2-core machine costs more than it
   * saves.
   */
  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    return command;
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

  /**
   * The packaged jar extracted under {@code target/jar-start/} with a class-data archive (CDS) made
   * by one training start that exits once the application has started; redone when the jar changes.
   * Where the JVM made no archive, the extracted jar starts without one.
   */
  private static final class FastStart {

    private static final Path DIRECTORY = Path.of("target", "jar-start").toAbsolutePath();
    private static final Path APP = DIRECTORY.resolve("app");
    private static final Path ARCHIVE = DIRECTORY.resolve("app.jsa");
    private static final Path STAMP = DIRECTORY.resolve("made-from");

    private static List<String> command;

    private FastStart() {}

    /** The JVM options and {@code -jar} of the extracted jar, preparing it first if needed. */
    static synchronized List<String> prepared() throws IOException {
      if (command == null) {
        Path jar = packagedJar();
        String stamp = Files.getLastModifiedTime(jar).toMillis() + " " + Files.size(jar);
        if (!Files.exists(STAMP) || !Files.readString(STAMP).equals(stamp)) {
          prepare(jar);
          Files.writeString(STAMP, stamp);
        }
        Path extracted = APP.resolve(jar.getFileName());
        command = new ArrayList<>();
        if (Files.exists(ARCHIVE)) {
          command.add("-XX:SharedArchiveFile=" + ARCHIVE);
        }
        command.add("-jar");
        command.add(extracted.toString());
      }
      return new ArrayList<>(command);
    }

    private static void prepare(Path jar) throws IOException {
      if (Files.exists(DIRECTORY)) {
        try (Stream<Path> files = Files.walk(DIRECTORY)) {
          for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(file);
          }
        }
      }
      Files.createDirectories(DIRECTORY);
      List<String> extract = javaCommand();
      extract.addAll(
          List.of("-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination"));
      extract.add(APP.toString());
      run(extract, "extract.log");
      List<String> training = javaCommand();
      training.addAll(
          List.of(
              "-XX:ArchiveClassesAtExit=" + ARCHIVE,
              "-Dspring.context.exit=onRefresh",
              "-jar",
              APP.resolve(jar.getFileName()).toString(),
              "--server.port=0",
              "--spring.datasource.url=jdbc:h2:mem:training"));
      run(training, "training.log");
    }

    /** Runs the command in the directory, its output to a log there; fails if it fails. */
    private static void run(List<String> command, String log) throws IOException {
      Process process =
          new ProcessBuilder(command)
              .directory(DIRECTORY.toFile())
              .redirectErrorStream(true)
              .redirectOutput(DIRECTORY.resolve(log).toFile())
              .start();
      try {
        boolean exited = process.waitFor(5, TimeUnit.MINUTES);
        assertThat(exited).as("%s ended within 5 minutes; see %s", command, log).isTrue();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while preparing the jar", interrupted);
      } finally {
        process.destroyForcibly();
      }
      assertThat(process.exitValue()).as("%s; see %s", command, DIRECTORY.resolve(log)).isZero();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
