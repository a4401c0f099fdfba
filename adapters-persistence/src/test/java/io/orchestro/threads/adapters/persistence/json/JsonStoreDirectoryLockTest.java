package io.orchestro.threads.adapters.persistence.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.domain.TestWorkflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per directory: a second process is refused at once, naming the directory, and so is a
 * second store of the same process; closing lets the directory go.
 */
class JsonStoreDirectoryLockTest {

  /** Generous: starting a JVM on a loaded machine. The test does not wait for it otherwise. */
  private static final long PROCESS_TIMEOUT_SECONDS = 120;

  @RegisterExtension final FreshStores stores = new FreshStores();
  private Path directory;

  /** The second processes' output files. */
  @TempDir Path outputs;

  @BeforeEach
  void chooseDirectory() {
    directory = stores.newDirectory();
  }

  @Test
  void aSecondProcessIsRefusedAtOnceWithTheDirectoryInItsMessage() throws Exception {
    stores.open(directory).threads().insert(TestWorkflows.pendingThread());

    ProcessResult second = openInAnotherProcess(directory);

    assertThat(second.exitCode()).as(second.output()).isEqualTo(SecondStoreProcess.IN_USE);
    assertThat(second.output())
        .contains("the JSON store directory " + directory + " is in use by another process")
        .contains("(pid " + ProcessHandle.current().pid() + ")");
  }

  @Test
  void aSecondProcessOpensTheDirectoryOnceTheFirstClosedIt() throws Exception {
    stores.open(directory).close();

    ProcessResult second = openInAnotherProcess(directory);

    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("opened " + directory);
  }

  @Test
  void aSecondStoreInThisProcessIsRefusedAndTheFirstKeepsTheDirectory() throws Exception {
    stores.open(directory);

    assertThatThrownBy(() -> new JsonStoreDirectory(directory))
        .isInstanceOf(StoreDirectoryInUseException.class)
        .hasMessageContaining("the JSON store directory " + directory + " is in use")
        .extracting(refused -> ((StoreDirectoryInUseException) refused).directory())
        .isEqualTo(directory);
    assertThat(openInAnotherProcess(directory).exitCode()).isEqualTo(SecondStoreProcess.IN_USE);
  }

  @Test
  void aClosedStoreRefusesWritesAndLetsTheDirectoryGo() {
    JsonStoreDirectory first = stores.open(directory);
    first.close();
    first.close();

    assertThatThrownBy(() -> first.threads().insert(TestWorkflows.pendingThread()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(directory + " is closed");
    assertThatThrownBy(() -> first.catalog().add(TestWorkflows.definition("general", "a")))
        .isInstanceOf(IllegalStateException.class);
    JsonStoreDirectory second = stores.open(directory);
    assertThat(second.threads().insert(TestWorkflows.pendingThread()).version()).isZero();
  }

  private record ProcessResult(int exitCode, String output) {}

  /** Runs {@link SecondStoreProcess} on the directory with this JVM and its class path. */
  private ProcessResult openInAnotherProcess(Path directory)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path output = Files.createTempFile(outputs, "second-process", ".log");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SecondStoreProcess.class.getName(),
                directory.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the second process did not finish: " + Files.readString(output));
    }
    return new ProcessResult(process.exitValue(), Files.readString(output));
  }
}
