package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.domain.ThreadId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The threads' step logs: {@code threads/<thread_id>.steps.jsonl}, one line per write that changed
 * a thread after its file was last written whole, holding only what that write changed ({@link
 * ThreadFileMapping#stepLogJson}). So a step's result appends one short line, whatever the number
 * of steps, where rewriting the thread's file would copy every step; the thread's file is written
 * whole again (and its log emptied) when its status changes or its log has grown long.
 *
 * <p>Each thread file names a generation ({@code log_generation}, new at each whole write), and
 * only the log lines of that generation continue it: lines a crash left behind after the file was
 * written whole again are ignored, so replacing the file is the only commit point of a whole write
 * and removing the log is mere tidying.
 *
 * <p>An append is one write at the end of the log's last whole line, forced to the disk before it
 * returns: that is the commit point of a step write. A crash mid-append leaves a torn last line,
 * which loading ignores (that write had not returned) and the next append overwrites. A line that
 * does not read in the middle of the log is damage, not a crash: the thread goes to quarantine.
 */
final class StepLogs {

  private static final System.Logger LOG = System.getLogger(StepLogs.class.getName());

  static final String SUFFIX = ".steps.jsonl";

  /**
   * How many lines a log may hold before the next write rewrites the thread's file: bounds what a
   * start-up replays per thread.
   */
  static final int MAX_LINES = 64;

  /**
   * Where a thread's log stands. Kept by the store under its serial writes.
   *
   * @param generation the generation of the thread's file; 0 for a file written before step logs,
   *     which must be written whole before a log may continue it
   * @param lines the lines of that generation in the log
   * @param bytes where they end: the next line goes there, over whatever a failed append left
   */
  record State(long generation, int lines, long bytes) {

    static State fresh(long generation) {
      return new State(generation, 0, 0);
    }

    State after(int lineBytes) {
      return new State(generation, lines + 1, bytes + lineBytes);
    }

    /** True when the next write must rewrite the thread's file rather than append. */
    boolean full() {
      return generation == 0 || lines >= MAX_LINES;
    }
  }

  /** A log as loading read it: the lines that continue the thread's file, and where they end. */
  record Read(List<Map<String, Object>> lines, long bytes) {}

  private final Path directory;

  StepLogs(Path directory) {
    this.directory = directory;
  }

  static String fileName(ThreadId id) {
    return id + SUFFIX;
  }

  /** The id a step log's file name stands for, or null when it is not one. */
  static ThreadId idOfFileName(String name) {
    if (!name.endsWith(SUFFIX)) {
      return null;
    }
    return ThreadFileMapping.idOfFileName(
        name.substring(0, name.length() - SUFFIX.length()) + ".json");
  }

  /** A generation for a thread file written whole: random, so that no stale log line matches it. */
  static long newGeneration() {
    long generation;
    do {
      generation = ThreadLocalRandom.current().nextLong();
    } while (generation == 0);
    return generation;
  }

  /**
   * Appends a line (the line end added here) at the end of the log's last whole line and forces it
   * to the disk. The file is created by the first line of a generation, and the directory is then
   * forced so that the file lasts too.
   *
   * @return the log's state after it
   * @throws UncheckedIOException when the line could not be written; the state is then unchanged (a
   *     partial line is overwritten by the next append)
   */
  State append(ThreadId id, State state, byte[] line) {
    StagedWrite.writeNow(stage(id, state, line));
    if (state.lines() == 0) {
      AtomicFiles.syncDirectory(directory);
    }
    return state.after(line.length + 1);
  }

  /**
   * Writes a line as {@link #append} does but neither forces nor closes it: the caller forces it
   * (its commit point) with the other writes of its batch, then commits it, and forces the
   * directory when the line was its log's first ({@link State#lines()} 0).
   */
  StagedWrite stage(ThreadId id, State state, byte[] line) {
    Path file = directory.resolve(fileName(id));
    byte[] withEnd = Arrays.copyOf(line, line.length + 1);
    withEnd[line.length] = '\n';
    try {
      // at the end of the last whole line: over a failed append, or lines of an earlier generation
      return StagedWrite.append(file, state.bytes(), withEnd);
    } catch (IOException failed) {
      throw new UncheckedIOException("could not append to " + file, failed);
    }
  }

  /**
   * Removes a thread's log, if there is one. Not forced: a log that comes back after a power cut
   * holds lines of an earlier generation, which nothing reads.
   */
  void delete(ThreadId id) {
    Path file = directory.resolve(fileName(id));
    try {
      Files.deleteIfExists(file);
    } catch (IOException failed) {
      // harmless, as above; start-up removes it, or the next append overwrites it
      LOG.log(Level.WARNING, "could not remove the step log " + file, failed);
    }
  }

  /**
   * Reads the lines of a log that continue a thread file of {@code generation}: those of another
   * generation are skipped, a torn last line is ignored.
   *
   * @throws IllegalArgumentException when a line before the last is not a step log line
   */
  static Read read(Path file, long generation) throws IOException {
    byte[] content = Files.readAllBytes(file);
    List<Map<String, Object>> lines = new ArrayList<>();
    long end = 0;
    int start = 0;
    int number = 0;
    while (start < content.length) {
      number++;
      int lineEnd = start;
      while (lineEnd < content.length && content[lineEnd] != '\n') {
        lineEnd++;
      }
      boolean last = lineEnd >= content.length - 1;
      Map<String, Object> line;
      try {
        if (lineEnd == content.length) {
          // no line end: an append that a crash cut short
          break;
        }
        byte[] text = new byte[lineEnd - start];
        System.arraycopy(content, start, text, 0, text.length);
        line = JsonText.parseObject(text);
        ThreadFileMapping.generationOf(line);
      } catch (RuntimeException unreadable) {
        if (last) {
          // torn by a crash with its line end written: that write had not returned either
          break;
        }
        throw new IllegalArgumentException(
            "line " + number + " of its step log: " + unreadable.getMessage());
      }
      start = lineEnd + 1;
      if (ThreadFileMapping.generationOf(line) == generation) {
        lines.add(line);
        end = start;
      }
    }
    return new Read(List.copyOf(lines), end);
  }
}
