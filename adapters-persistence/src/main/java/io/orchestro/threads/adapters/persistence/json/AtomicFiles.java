package io.orchestro.threads.adapters.persistence.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * File writes that a crash (a kill -9, a power cut) leaves either old or new, never torn: the new
 * content goes to a temporary file in the same directory, is forced to the disk, then renamed over
 * the old file in one atomic step, and the directory is forced so that the rename itself lasts.
 */
final class AtomicFiles {

  /**
   * Temporary files are hidden and end with this; one left over by a crash is deleted at start-up.
   */
  static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /**
   * Replaces {@code file} (or creates it) with {@code content}, then forces its directory.
   *
   * @throws UncheckedIOException when the file could not be written; it then holds what it held
   */
  static void replace(Path file, byte[] content) {
    replaceWithoutDirectorySync(file, content);
    syncDirectory(file.getParent());
  }

  /**
   * Like {@link #replace} but leaves forcing the directory to the caller, who writes several files
   * of one directory and forces it once. Until then, a power cut may undo the renames (each file
   * old or new all the same); a kill -9 cannot, the rename being done in the kernel.
   */
  static void replaceWithoutDirectorySync(Path file, byte[] content) {
    StagedWrite staged;
    try {
      staged = StagedWrite.replacing(file, content);
    } catch (IOException failed) {
      throw new UncheckedIOException("could not write " + file, failed);
    }
    // the content must be on the disk before the rename makes it the file
    StagedWrite.writeNow(staged);
  }

  /** Deletes the file if it is there, then forces its directory so that the deletion lasts. */
  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException failed) {
      throw new UncheckedIOException("could not delete " + file, failed);
    }
    syncDirectory(file.getParent());
  }

  /**
   * Forces a directory's entries (new, renamed, deleted files) to the disk. Some file systems and
   * operating systems cannot open or force a directory; they give an IOException, which is ignored:
   * there is nothing more this process can do there.
   */
  static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException unsupported) {
      // ignored, see above
    }
  }

  /** True for the name of a temporary file of {@link #replace}. */
  static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
  }
}
