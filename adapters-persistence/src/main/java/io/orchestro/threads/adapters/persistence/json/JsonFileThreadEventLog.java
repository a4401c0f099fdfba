package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Every thread's events, one JSON line each (the event as the API shows it), numbered by {@code
 * seq}, appended to segment files {@code events/<seq of its first event, 20 digits>.jsonl}. A
 * segment is only ever appended to; a new one starts once it holds {@link #SEGMENT_BYTES}, so that
 * start-up reads one bounded file.
 *
 * <p>An append is not atomic the way a rename is: a crash during one can leave part of a line at
 * the end. Start-up cuts everything after the last whole event, and the thread files give back the
 * events that were lost that way (see {@link JsonStoreDirectory}). Lines are appended in {@code
 * seq} order, so the log never holds event N+1 without every event before it.
 *
 * <p>Writing is not thread-safe: the store calls it under its one writer lock. Reading ({@link
 * ThreadEventLog}) is, and never waits for writes: readers see the events up to {@link #lastSeq},
 * which moves only once an append is on disk, so they never see event N+1 before event N. The
 * newest events ({@link #RECENT_EVENTS} by default) are also kept in memory, where the live readers
 * (the broadcaster, webhooks) find them; older ones are read from the segment files.
 */
final class JsonFileThreadEventLog implements ThreadEventLog, AutoCloseable {

  static final long SEGMENT_BYTES = 8L << 20;

  /** How many of the newest events are kept in memory, by default. */
  static final int RECENT_EVENTS = 20_000;

  private static final System.Logger LOG = System.getLogger(JsonFileThreadEventLog.class.getName());
  private static final String SEGMENT_SUFFIX = ".jsonl";

  private final Path directory;

  /** The store's one writer lock: a progress event is appended under it, as any write's events. */
  private final SerialWrites writes;

  /** The segment appended to, or null before the first append into an empty log. */
  private FileChannel segment;

  /** Where the last whole line of {@link #segment} ends: appends start here. */
  private long segmentSize;

  /** The newest event in the log (on disk), 0 while it is empty: what readers may see. */
  private volatile long lastSeq;

  private long nextSeq;

  /** The newest events in the log, at most {@link #recentCapacity}, by seq. */
  private final ConcurrentSkipListMap<Long, LoggedEvent> recent = new ConcurrentSkipListMap<>();

  private final int recentCapacity;

  /** The size at which a new segment starts: {@link #SEGMENT_BYTES} but in tests. */
  private final long segmentBytes;

  /** The events numbered up to this were pruned with their segments: 0 while none was. */
  private volatile long prunedUpTo;

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Events whose write has committed but that are not in the log yet (the log failed). */
  private List<LoggedEvent> pending = List.of();

  /** Runs once {@link #pending} is in the log (removing a tombstone), or null. */
  private Runnable afterPending;

  private JsonFileThreadEventLog(
      Path directory, int recentCapacity, long segmentBytes, SerialWrites writes) {
    this.directory = directory;
    this.writes = writes;
    this.recentCapacity = recentCapacity;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens the log, cutting off what a crash left half-appended at its end.
   *
   * @param recentCapacity how many of the newest events to keep in memory for readers
   * @param segmentBytes the size at which a new segment starts
   * @param writes the store's writer lock, under which the log appends progress events
   */
  static JsonFileThreadEventLog open(
      Path directory, int recentCapacity, long segmentBytes, SerialWrites writes)
      throws IOException {
    JsonFileThreadEventLog log =
        new JsonFileThreadEventLog(directory, recentCapacity, segmentBytes, writes);
    List<Path> segments = segments(directory);
    if (!segments.isEmpty()) {
      log.prunedUpTo = firstSeqOf(segments.get(0)) - 1;
      log.openLastSegment(segments.get(segments.size() - 1));
    }
    log.nextSeq = log.lastSeq + 1;
    return log;
  }

  private void openLastSegment(Path file) throws IOException {
    segment = FileChannel.open(file, StandardOpenOption.WRITE);
    byte[] content = Files.readAllBytes(file);
    lastSeq = firstSeqOf(file) - 1;
    int wholeEnd = 0;
    int damaged = 0;
    for (Line line : lines(content)) {
      try {
        LoggedEvent event = ThreadFileMapping.readEventLine(line.bytes());
        lastSeq = event.seq();
        remember(List.of(event));
        wholeEnd = line.end();
      } catch (IllegalArgumentException notAnEvent) {
        damaged++;
      }
    }
    if (wholeEnd < content.length) {
      // a torn append (or garbage after the last event): cut, the thread files give it back
      segment.truncate(wholeEnd);
      segment.force(true);
      LOG.log(
          Level.WARNING,
          "event log {0}: cut {1} byte(s) after its last whole event, left by an interrupted write",
          file,
          content.length - wholeEnd);
    } else if (damaged > 0) {
      LOG.log(Level.WARNING, "event log {0}: {1} damaged line(s) left in place", file, damaged);
    }
    segmentSize = wholeEnd;
  }

  /**
   * Gives the events the numbers they get if the write that records them commits, and their times
   * as the log keeps them (see {@link #asKept}).
   */
  List<LoggedEvent> number(List<ThreadEvent> events) {
    List<LoggedEvent> numbered = new ArrayList<>(events.size());
    long seq = nextSeq;
    for (ThreadEvent event : events) {
      numbered.add(asKept(new LoggedEvent(seq++, event)));
    }
    return numbered;
  }

  /**
   * The event with its time cut to milliseconds: the log's lines hold events as the API shows them,
   * so what memory holds is then what a later read of the files gives.
   */
  private static LoggedEvent asKept(LoggedEvent logged) {
    ThreadEvent event = logged.event();
    Instant at = event.at().truncatedTo(ChronoUnit.MILLIS);
    return at.equals(event.at()) ? logged : new LoggedEvent(logged.seq(), event.at(at));
  }

  /**
   * The write that carries these events has committed: appends them. When the log cannot be written
   * the events wait in memory (and in their thread file) and the next write tries again first.
   *
   * @param afterLogged runs once they are in the log, or null
   */
  void committed(List<LoggedEvent> events, Runnable afterLogged) {
    if (!events.isEmpty()) {
      nextSeq = events.get(events.size() - 1).seq() + 1;
    }
    pending = events;
    afterPending = afterLogged;
    try {
      appendPending();
    } catch (UncheckedIOException logFailed) {
      LOG.log(
          Level.WARNING,
          "could not append to the event log; the next write tries again first",
          logFailed);
    }
  }

  /**
   * Appends the events of a committed write that are not in the log yet. Every write calls this
   * first, so at most one write's events are ever missing from the log: the ones its thread file
   * still carries.
   *
   * @throws UncheckedIOException when the log still cannot be written; the caller's write must not
   *     go ahead
   */
  void appendPending() {
    if (!pending.isEmpty()) {
      append(pending);
      pending = List.of();
    }
    if (afterPending != null) {
      Runnable after = afterPending;
      afterPending = null;
      after.run();
    }
  }

  /**
   * Appends events that committed thread files carry but the log lacks (a crash came between the
   * two), in {@code seq} order, and numbers later events after them.
   *
   * @return how many were appended
   */
  int recover(List<LoggedEvent> carried) {
    List<LoggedEvent> missing =
        carried.stream()
            .filter(event -> event.seq() > lastSeq)
            .sorted(Comparator.comparingLong(LoggedEvent::seq))
            .map(JsonFileThreadEventLog::asKept)
            .toList();
    if (!missing.isEmpty()) {
      append(missing);
    }
    nextSeq = lastSeq + 1;
    return missing.size();
  }

  private void append(List<LoggedEvent> events) {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (LoggedEvent event : events) {
      lines.writeBytes(ThreadFileMapping.eventLine(event));
      lines.write('\n');
    }
    try {
      if (segment == null || segmentSize >= segmentBytes) {
        startSegment(events.get(0).seq());
      }
      if (segment.size() > segmentSize) {
        // what a failed append left behind
        segment.truncate(segmentSize);
      }
      // written at the end of the last whole line, whatever a failed append left after it
      ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
      long position = segmentSize;
      while (buffer.hasRemaining()) {
        position += segment.write(buffer, position);
      }
      segment.force(true);
      segmentSize += lines.size();
      remember(events);
      lastSeq = events.get(events.size() - 1).seq();
    } catch (IOException failed) {
      throw new UncheckedIOException("could not append to the event log in " + directory, failed);
    }
    listeners.forEach(Runnable::run);
  }

  private void remember(List<LoggedEvent> events) {
    for (LoggedEvent event : events) {
      recent.put(event.seq(), event);
    }
    while (recent.size() > recentCapacity) {
      recent.pollFirstEntry();
    }
  }

  // ---- ThreadEventLog ----

  /**
   * Appends the progress event, numbered after every committed write's events. No thread file
   * carries it, so a crash in the middle of its append loses it: progress need not be kept.
   */
  @Override
  public void appendProgress(ThreadEvent progress) {
    if (progress.type() != ThreadEventType.STEP_PROGRESS) {
      throw new IllegalArgumentException("not a step_progress event: " + progress.type());
    }
    writes.run(
        () -> {
          appendPending();
          append(number(List.of(progress)));
          nextSeq = lastSeq + 1;
          return null;
        });
  }

  /** Appended as progress is: no thread file carries it, so a crash in its append loses it. */
  @Override
  public void appendOnItsOwn(ThreadEvent event) {
    writes.run(
        () -> {
          appendPending();
          append(number(List.of(event)));
          nextSeq = lastSeq + 1;
          return null;
        });
  }

  @Override
  public long prunedUpTo() {
    return prunedUpTo;
  }

  /**
   * Deletes the oldest segment file once its last event is older than {@code before}; never the
   * segment appended to. The files are the log: what is pruned is whole segments, whatever {@code
   * limit} says, and the mark is the number before the first event of the oldest file left, which a
   * restart reads back from the file names. Safe beside writes and readers: a reader that has a
   * pruned file open still reads it (or, where the system refuses, fails and retries), and readers
   * from memory never see a gap they did not ask for (they ask after the mark).
   */
  @Override
  public int pruneBefore(Instant before, int limit) {
    try {
      List<Path> segments = segments(directory);
      if (segments.size() < 2) {
        return 0;
      }
      Path oldest = segments.get(0);
      List<Line> lines = lines(Files.readAllBytes(oldest));
      LoggedEvent last = null;
      for (int i = lines.size() - 1; i >= 0 && last == null; i--) {
        try {
          last = ThreadFileMapping.readEventLine(lines.get(i).bytes());
        } catch (IllegalArgumentException notAnEvent) {
          // a damaged line: the one before it tells
        }
      }
      if (last != null && !last.event().at().isBefore(before)) {
        return 0;
      }
      long upTo = firstSeqOf(segments.get(1)) - 1;
      Files.delete(oldest);
      AtomicFiles.syncDirectory(directory);
      prunedUpTo = upTo;
      recent.headMap(upTo, true).clear();
      return lines.size();
    } catch (IOException failed) {
      throw new UncheckedIOException("could not prune the event log in " + directory, failed);
    }
  }

  @Override
  public long lastSeq() {
    return lastSeq;
  }

  @Override
  public void onAppended(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * From memory when the events after {@code after} are all still there, from the segment files
   * otherwise (a thread's history from its start, a reader that fell far behind).
   */
  @Override
  public List<LoggedEvent> read(long after, EventFilter filter, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be 1 or more");
    }
    long upTo = lastSeq;
    if (after >= upTo) {
      return List.of();
    }
    List<LoggedEvent> fromMemory = readRecent(after, upTo, filter, limit);
    if (fromMemory != null) {
      return fromMemory;
    }
    try {
      return readSegments(after, upTo, filter, limit);
    } catch (IOException failed) {
      throw new UncheckedIOException("could not read the event log in " + directory, failed);
    }
  }

  /**
   * The answer from memory, or null when memory no longer holds every event after {@code after}.
   */
  private List<LoggedEvent> readRecent(long after, long upTo, EventFilter filter, int limit) {
    List<LoggedEvent> found = new ArrayList<>();
    long expected = after + 1;
    for (Map.Entry<Long, LoggedEvent> entry : recent.tailMap(after, false).entrySet()) {
      if (entry.getKey() > upTo) {
        break;
      }
      if (entry.getKey() != expected) {
        // trimmed away meanwhile, or never in memory
        return null;
      }
      expected++;
      if (filter.matches(entry.getValue().event())) {
        found.add(entry.getValue());
        if (found.size() == limit) {
          return found;
        }
      }
    }
    return expected > upTo ? found : null;
  }

  private List<LoggedEvent> readSegments(long after, long upTo, EventFilter filter, int limit)
      throws IOException {
    List<Path> segments = segments(directory);
    int first = 0;
    for (int i = 0; i < segments.size(); i++) {
      if (firstSeqOf(segments.get(i)) <= after + 1) {
        first = i;
      }
    }
    List<LoggedEvent> found = new ArrayList<>();
    for (Path file : segments.subList(first, segments.size())) {
      byte[] content;
      try {
        content = Files.readAllBytes(file);
      } catch (NoSuchFileException pruned) {
        // pruned since the listing: its events are older than what a reader may ask for
        continue;
      }
      for (Line line : lines(content)) {
        LoggedEvent event;
        try {
          event = ThreadFileMapping.readEventLine(line.bytes());
        } catch (IllegalArgumentException notAnEvent) {
          continue;
        }
        if (event.seq() > upTo) {
          return found;
        }
        if (event.seq() > after && filter.matches(event.event())) {
          found.add(event);
          if (found.size() == limit) {
            return found;
          }
        }
      }
    }
    return found;
  }

  private void startSegment(long firstSeq) throws IOException {
    if (segment != null) {
      segment.close();
    }
    Path file = directory.resolve(String.format("%020d", firstSeq) + SEGMENT_SUFFIX);
    segment = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    segmentSize = 0;
    AtomicFiles.syncDirectory(directory);
  }

  /** Every event in the log, oldest first, skipping damaged lines. Reads every segment. */
  List<LoggedEvent> readAll() throws IOException {
    List<LoggedEvent> events = new ArrayList<>();
    for (Path file : segments(directory)) {
      for (Line line : lines(Files.readAllBytes(file))) {
        try {
          events.add(ThreadFileMapping.readEventLine(line.bytes()));
        } catch (IllegalArgumentException notAnEvent) {
          // reported at start-up
        }
      }
    }
    return events;
  }

  /** Appends what is still pending, if it can, and closes the segment. */
  @Override
  public void close() throws IOException {
    try {
      appendPending();
    } catch (UncheckedIOException logFailed) {
      LOG.log(
          Level.WARNING,
          "closing with events not in the event log; the next start-up appends them",
          logFailed);
    }
    if (segment != null) {
      segment.close();
    }
  }

  private static List<Path> segments(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(file -> firstSeqOf(file) > 0)
          .sorted(Comparator.comparingLong(JsonFileThreadEventLog::firstSeqOf))
          .toList();
    }
  }

  /** The seq a segment's name gives, or 0 when the file is not a segment. */
  private static long firstSeqOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(SEGMENT_SUFFIX) || name.length() != 20 + SEGMENT_SUFFIX.length()) {
      return 0;
    }
    try {
      return Long.parseLong(name.substring(0, 20));
    } catch (NumberFormatException notASegment) {
      return 0;
    }
  }

  /**
   * A line of a segment.
   *
   * @param end where the next line starts: just after this one's line break
   */
  private record Line(byte[] bytes, int end) {}

  /** The lines that end with a line break; a last line without one is a torn append. */
  private static List<Line> lines(byte[] content) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\n') {
        lines.add(new Line(Arrays.copyOfRange(content, start, i), i + 1));
        start = i + 1;
      }
    }
    return lines;
  }
}
