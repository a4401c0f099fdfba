package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.adapters.persistence.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes a write of many thread files all or nothing. The files' names and contents are first
 * written together into one journal file, {@value #FILE_NAME} next to {@code threads/}; that atomic
 * replacement is the commit point. Then each thread file is written and the journal removed. A
 * crash before the journal's rename leaves none of the files; a crash after it leaves the journal,
 * and the next start writes out what it holds ({@link #replay}) before the threads are loaded.
 */
final class BatchJournal {

  private static final System.Logger LOG = System.getLogger(BatchJournal.class.getName());

  static final String FILE_NAME = "batch-journal.json";

  private final Path journal;
  private final Path threadsDirectory;

  BatchJournal(Path storeDirectory, Path threadsDirectory) {
    this.journal = storeDirectory.resolve(FILE_NAME);
    this.threadsDirectory = threadsDirectory;
  }

  /**
   * Writes the files, all or nothing (see the class comment). Under the store's serial writes.
   *
   * @param files by file name inside {@code threads/}
   * @throws UncheckedIOException when the journal could not be written: then no file was
   */
  void write(Map<String, byte[]> files) {
    Map<String, Object> content = new LinkedHashMap<>();
    files.forEach((name, bytes) -> content.put(name, new String(bytes, StandardCharsets.UTF_8)));
    AtomicFiles.replace(journal, JsonText.compact(Map.of("files", content)));
    writeOut(files);
    try {
      AtomicFiles.delete(journal);
    } catch (UncheckedIOException failed) {
      // the batch is stored all the same; a replay only writes files that are missing
      LOG.log(Level.WARNING, "could not remove the batch journal " + journal, failed);
    }
  }

  /**
   * At start-up, before the threads are loaded: writes out the files of a batch whose journal
   * committed but was not removed, leaving alone any file that is already there, then removes it.
   *
   * @return how many files it wrote
   */
  int replay() throws IOException {
    if (!Files.exists(journal)) {
      return 0;
    }
    Map<String, Object> content = JsonText.parseObject(Files.readAllBytes(journal));
    Map<String, byte[]> missing = new LinkedHashMap<>();
    if (content.get("files") instanceof Map<?, ?> files) {
      files.forEach(
          (name, text) -> {
            Path file = threadsDirectory.resolve(String.valueOf(name));
            if (file.getParent().equals(threadsDirectory) && !Files.exists(file)) {
              missing.put(
                  String.valueOf(name), String.valueOf(text).getBytes(StandardCharsets.UTF_8));
            }
          });
    }
    writeOut(missing);
    AtomicFiles.delete(journal);
    return missing.size();
  }

  private void writeOut(Map<String, byte[]> files) {
    files.forEach(
        (name, bytes) ->
            AtomicFiles.replaceWithoutDirectorySync(threadsDirectory.resolve(name), bytes));
    AtomicFiles.syncDirectory(threadsDirectory);
  }
}
