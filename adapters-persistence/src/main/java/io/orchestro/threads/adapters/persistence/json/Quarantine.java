package io.orchestro.threads.adapters.persistence.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where start-up moves the files it cannot load ({@code quarantine/}, keeping their path under the
 * store's directory), so that one broken file does not keep the service from starting with all the
 * others. Nothing is deleted: a person can repair a file and move it back.
 */
final class Quarantine {

  private static final System.Logger LOG = System.getLogger(Quarantine.class.getName());
  private static final String REASON_SUFFIX = ".reason.txt";

  private final Path storeDirectory;
  private final Path quarantineDirectory;
  private final List<DamagedFile> damaged = new ArrayList<>();

  Quarantine(Path storeDirectory, Path quarantineDirectory) {
    this.storeDirectory = storeDirectory;
    this.quarantineDirectory = quarantineDirectory;
  }

  /** Reports the file with the reason and moves it aside, with the reason written next to it. */
  void moveAside(Path file, String reason) {
    Path relative = storeDirectory.relativize(file);
    Path movedTo = null;
    try {
      Path target = freeName(quarantineDirectory.resolve(relative));
      Files.createDirectories(target.getParent());
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.syncDirectory(file.getParent());
      AtomicFiles.replace(
          target.resolveSibling(target.getFileName() + REASON_SUFFIX),
          (relative + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8));
      movedTo = storeDirectory.relativize(target);
      LOG.log(Level.WARNING, "damaged file {0} moved to {1}: {2}", relative, movedTo, reason);
    } catch (IOException | UncheckedIOException failed) {
      LOG.log(
          Level.WARNING,
          "damaged file {0} skipped, but it could not be moved aside ({1}): {2}",
          relative,
          failed.getMessage(),
          reason);
    }
    damaged.add(new DamagedFile(relative, movedTo, reason));
  }

  List<DamagedFile> damaged() {
    return List.copyOf(damaged);
  }

  /** The path, or the path with .1, .2 ... added when an earlier damaged file took the name. */
  private static Path freeName(Path target) {
    Path candidate = target;
    for (int n = 1; Files.exists(candidate); n++) {
      candidate = target.resolveSibling(target.getFileName() + "." + n);
    }
    return candidate;
  }
}
