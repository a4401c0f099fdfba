package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.Prerequisite;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small disk of a store's own, to fill up or make read-only: an 8 MB tmpfs. Mounting needs root
 * (CI runs as root); without it a test is skipped, under {@code CI=true} it fails.
 */
final class SmallDisk implements AutoCloseable {

  private final Path root;

  private SmallDisk(Path root) {
    this.root = root;
  }

  static SmallDisk mount() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    Prerequisite.require(
        root,
        () ->
            "Mounting a small tmpfs as a disk that fills up or turns read-only needs root"
                + " (CI runs as root).");
    Path directory = Files.createTempDirectory("orchestro-small-disk");
    run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", directory.toString());
    return new SmallDisk(directory);
  }

  /** A new directory on the disk. */
  Path directory(String name) throws IOException {
    return Files.createDirectory(root.resolve(name));
  }

  /** Writes a file until the disk refuses more; deleting the file frees the space again. */
  Path fill() throws IOException {
    Path filler = root.resolve("filler");
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full).hasMessageContaining("No space left on device");
    }
    return filler;
  }

  /**
   * Makes a directory read-only, as a remount would (root ignores file permissions, not a read-only
   * mount), until the answer is closed: a read-only bind mount of it over itself. Files already
   * open for writing stay writable.
   */
  AutoCloseable readOnly(Path directory) throws Exception {
    String path = directory.toString();
    run("mount", "--bind", path, path);
    AutoCloseable writableAgain = () -> run("umount", path);
    try {
      run("mount", "-o", "remount,bind,ro", path);
    } catch (Exception | AssertionError failed) {
      writableAgain.close();
      throw failed;
    }
    return writableAgain;
  }

  @Override
  public void close() throws Exception {
    // lazily: a store may still hold its files open until its application is stopped
    run("umount", "-l", root.toString());
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }
}
