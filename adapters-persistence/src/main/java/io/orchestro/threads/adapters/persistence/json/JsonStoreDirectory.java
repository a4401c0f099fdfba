package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JSON-file store: opens a directory, holds it for as long as it is open, and gives the store
 * ports over it, {@link #threads()} (threads and claims) and {@link #catalog()} (workflow
 * definitions). Plain Java and Jackson; {@link #close()} lets the directory go.
 *
 * <pre>
 * &lt;directory&gt;/
 *   .lock                          held (an operating-system lock) while a store has it open
 *   batch-journal.json             new thread files of a batch being written (BatchJournal)
 *   threads/&lt;thread_id&gt;.json       one thread: its fields, version, claim, last write's events
 *   threads/&lt;thread_id&gt;.steps.jsonl the writes since the file was written whole (StepLogs)
 *   workflows/&lt;type&gt;/&lt;version&gt;.json one version of a workflow definition
 *   events/&lt;first seq&gt;.jsonl       the event log: one event per line, in seq order
 *   webhooks/&lt;id&gt;.json            one webhook: its registration, progress and latest deliveries
 *   tasks/&lt;id&gt;.json               one task of a worker step: what the worker was given, its lease, its result
 *   schedules.json                 every cron schedule with its next and last run
 *   quarantine/                    files that start-up could not load, each with a .reason.txt
 * </pre>
 *
 * <p>What a crash (kill -9, power cut) can and cannot do:
 *
 * <ul>
 *   <li>Every thread and definition file is old or new, never torn: each is written to a temporary
 *       file, forced to disk, renamed over the old one, and the directory is forced. A step log may
 *       end in a torn line, which start-up ignores.
 *   <li>A write that returned is on disk, events included. A write in progress when the crash came
 *       is all there after the restart, or not at all: its thread file or step log line is the
 *       commit point and carries its events, and start-up appends those the log lacks (in seq
 *       order, so the log never shows an event before all earlier ones).
 *   <li>Lost: the writes in progress that had not reached their rename, and lease renewals (which
 *       only a live owner needs; see {@link JsonFileWorkflowThreadStore}).
 *   <li>Temporary files left behind are deleted at start-up; files that are not valid JSON or not a
 *       thread or definition are reported and moved to {@code quarantine/}.
 * </ul>
 *
 * <p>One writer: opening takes an operating-system lock on {@code .lock} (and refuses a second
 * store of this process on the same directory), so a second process fails at once with {@link
 * StoreDirectoryInUseException}.
 */
public final class JsonStoreDirectory implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(JsonStoreDirectory.class.getName());

  static final String THREADS = "threads";
  static final String WORKFLOWS = "workflows";
  static final String EVENTS = "events";
  static final String WEBHOOKS = "webhooks";
  static final String TASKS = "tasks";
  static final String QUARANTINE = "quarantine";
  static final String LOCK_FILE = ".lock";

  /**
   * The directories that stores of this JVM hold. The operating system's lock belongs to the
   * process, so it cannot tell two stores of one JVM apart; and trying it from a second channel
   * would be worse than useless, since closing that channel may drop the first one's lock (see
   * {@link FileLock}). So a second store of this JVM is refused here, before it opens anything.
   */
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  /** Channels that must never be closed; see {@link #lock}. */
  private static final List<FileChannel> NEVER_CLOSED =
      Collections.synchronizedList(new ArrayList<>());

  private final Path directory;
  private final Path heldPath;

  /** Holds the operating-system lock: closing it lets the directory go. */
  private final FileChannel lockChannel;

  private final SerialWrites writes;
  private final JsonFileThreadEventLog eventLog;
  private final JsonFileWorkflowThreadStore threads;
  private final JsonFileWorkflowCatalog catalog;
  private final JsonFileWebhookStore webhooks;
  private final JsonFileWorkerTaskStore tasks;
  private final JsonFileScheduleStore schedules;
  private final List<DamagedFile> damagedFiles;

  /**
   * Opens the directory (creating it if need be), takes its lock, and loads it: removes leftover
   * temporary files, moves damaged files aside, and appends the events a crash kept out of the log.
   *
   * @throws StoreDirectoryInUseException when another process, or another store of this one, holds
   *     the directory
   * @throws UncheckedIOException when the directory cannot be created, locked or read
   */
  public JsonStoreDirectory(Path directory) {
    this(directory, JsonFileThreadEventLog.RECENT_EVENTS);
  }

  /**
   * @param recentEvents how many of the newest events the event log keeps in memory for readers
   */
  JsonStoreDirectory(Path directory, int recentEvents) {
    this(directory, recentEvents, JsonFileThreadEventLog.SEGMENT_BYTES);
  }

  /**
   * @param eventSegmentBytes the size at which the event log starts a new segment file
   */
  JsonStoreDirectory(Path directory, int recentEvents, long eventSegmentBytes) {
    this.directory = directory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.directory);
      this.heldPath = this.directory.toRealPath();
    } catch (IOException failed) {
      throw new UncheckedIOException(
          "could not create the JSON store directory " + this.directory, failed);
    }
    if (!HELD_IN_THIS_JVM.add(heldPath)) {
      throw new StoreDirectoryInUseException(
          this.directory,
          "another store of this process (pid " + ProcessHandle.current().pid() + ")");
    }
    FileChannel channel = null;
    JsonFileThreadEventLog log = null;
    try {
      channel =
          FileChannel.open(
              heldPath.resolve(LOCK_FILE),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      lock(channel);
      this.lockChannel = channel;
      this.writes = new SerialWrites(this.directory);
      Path quarantineDirectory = Files.createDirectories(heldPath.resolve(QUARANTINE));
      removeLeftovers(quarantineDirectory);
      Quarantine quarantine = new Quarantine(heldPath, quarantineDirectory);
      List<WorkflowDefinition> definitions =
          loadDefinitions(Files.createDirectories(heldPath.resolve(WORKFLOWS)), quarantine);
      Path threadsDirectory = Files.createDirectories(heldPath.resolve(THREADS));
      BatchJournal batchJournal = new BatchJournal(heldPath, threadsDirectory);
      int replayed = batchJournal.replay();
      if (replayed > 0) {
        LOG.log(
            Level.INFO, "wrote {0} thread file(s) of a batch that a crash interrupted", replayed);
      }
      LoadedThreads loaded = loadThreads(threadsDirectory, quarantine);
      log =
          JsonFileThreadEventLog.open(
              Files.createDirectories(heldPath.resolve(EVENTS)),
              recentEvents,
              eventSegmentBytes,
              writes);
      this.eventLog = log;
      int recovered = log.recover(loaded.carriedEvents());
      if (recovered > 0) {
        LOG.log(
            Level.INFO,
            "appended {0} event(s) that an interrupted write had kept out of the event log",
            recovered);
      }
      // their events are in the log now
      loaded.tombstones().forEach(AtomicFiles::delete);
      this.threads =
          new JsonFileWorkflowThreadStore(
              threadsDirectory,
              writes,
              eventLog,
              batchJournal,
              loaded.threads(),
              loaded.logs(),
              this::tasksGoWith);
      this.catalog = new JsonFileWorkflowCatalog(heldPath.resolve(WORKFLOWS), writes, definitions);
      this.webhooks =
          new JsonFileWebhookStore(
              heldPath.resolve(WEBHOOKS),
              writes,
              loadNamedFiles(
                  Files.createDirectories(heldPath.resolve(WEBHOOKS)),
                  quarantine,
                  "webhook",
                  JsonFileWebhookStore::idOf));
      this.tasks =
          new JsonFileWorkerTaskStore(
              heldPath.resolve(TASKS),
              writes,
              loadNamedFiles(
                  Files.createDirectories(heldPath.resolve(TASKS)),
                  quarantine,
                  "task",
                  JsonFileWorkerTaskStore::idOf),
              loaded.threads().stream().map(StoredThread::id).collect(Collectors.toSet()),
              id -> threads.find(id).map(WorkflowThread::owner).orElse(null));
      this.schedules = new JsonFileScheduleStore(heldPath, writes);
      this.damagedFiles = quarantine.damaged();
      LOG.log(
          Level.INFO,
          "JSON store {0} opened: {1} thread(s), {2} workflow definition(s), {3} damaged file(s)"
              + " moved to quarantine",
          this.directory,
          loaded.threads().size(),
          definitions.size(),
          damagedFiles.size());
    } catch (IOException | RuntimeException failed) {
      closeQuietly(log);
      letGo(channel);
      if (failed instanceof IOException io) {
        throw new UncheckedIOException(
            "could not open the JSON store directory " + this.directory, io);
      }
      throw (RuntimeException) failed;
    }
  }

  /** A thread was deleted: its tasks go too, those that a worker holds marked cancelled. */
  private void tasksGoWith(WorkflowThread deleted) {
    tasks.threadDeleted(deleted);
  }

  /** The thread store, which also keeps the engine's claims. */
  public JsonFileWorkflowThreadStore threads() {
    return threads;
  }

  public JsonFileWorkflowCatalog catalog() {
    return catalog;
  }

  public JsonFileWebhookStore webhooks() {
    return webhooks;
  }

  public JsonFileWorkerTaskStore tasks() {
    return tasks;
  }

  public JsonFileScheduleStore schedules() {
    return schedules;
  }

  /** The event log, for reading: the thread store appends to it. */
  public ThreadEventLog events() {
    return eventLog;
  }

  public Path directory() {
    return directory;
  }

  /** The files that start-up could not load and moved aside (each was also logged). */
  public List<DamagedFile> damagedFiles() {
    return damagedFiles;
  }

  /**
   * Waits for the write in progress, appends any events still waiting, and lets the directory go.
   * Every later write is refused; reads keep answering from memory. Closing twice does nothing.
   */
  @Override
  public void close() {
    threads.stopWriters();
    writes.close(
        () -> {
          try {
            eventLog.close();
          } catch (IOException failed) {
            LOG.log(Level.WARNING, "could not close the event log in " + directory, failed);
          }
          letGo(lockChannel);
        });
  }

  /** Every event in the log, oldest first. Reads every segment: for tests and tools. */
  List<LoggedEvent> loggedEvents() throws IOException {
    return eventLog.readAll();
  }

  /**
   * Takes the operating-system lock, for this store's lifetime, and notes this process's id in the
   * file for the message that a second process shows.
   */
  private void lock(FileChannel channel) throws IOException {
    FileLock taken;
    try {
      taken = channel.tryLock();
    } catch (OverlappingFileLockException heldHere) {
      // this JVM holds the lock through another channel, on a path HELD_IN_THIS_JVM did not
      // recognise (a hard link). Closing this channel could drop that lock: keep it open.
      NEVER_CLOSED.add(channel);
      throw new StoreDirectoryInUseException(directory, "another store of this process");
    }
    if (taken == null) {
      String holder = "another process" + holderOf(channel);
      throw new StoreDirectoryInUseException(directory, holder);
    }
    byte[] note = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(note), 0);
  }

  /** " (pid N)" as the holder noted it, or nothing when the file cannot be read. */
  private static String holderOf(FileChannel channel) {
    try {
      ByteBuffer content = ByteBuffer.allocate(64);
      channel.read(content, 0);
      String note = new String(content.array(), 0, content.position(), StandardCharsets.UTF_8);
      return note.startsWith("pid ") ? " (" + note.strip() + ")" : "";
    } catch (IOException lockedAgainstReading) {
      // some systems do not let anyone else read a locked file
      return "";
    }
  }

  private static void closeQuietly(JsonFileThreadEventLog log) {
    try {
      if (log != null) {
        log.close();
      }
    } catch (IOException | RuntimeException alreadyFailing) {
      // the failure that made opening stop is the one to report
    }
  }

  /** Releases the lock (closing the channel does) and the claim of this JVM on the directory. */
  private void letGo(FileChannel channel) {
    if (channel != null && !NEVER_CLOSED.contains(channel)) {
      try {
        channel.close();
      } catch (IOException failed) {
        LOG.log(Level.WARNING, "could not release the lock of " + directory, failed);
      }
    }
    HELD_IN_THIS_JVM.remove(heldPath);
  }

  // ---- loading ----

  private record LoadedThreads(
      List<StoredThread> threads,
      Map<ThreadId, StepLogs.State> logs,
      List<LoggedEvent> carriedEvents,
      List<Path> tombstones) {}

  /**
   * Reads each thread's file and the lines of its step log that continue it. A log that continues
   * no file (its thread deleted, or written whole since) is removed.
   */
  private static LoadedThreads loadThreads(Path directory, Quarantine quarantine)
      throws IOException {
    List<StoredThread> threads = new ArrayList<>();
    Map<ThreadId, StepLogs.State> logs = new HashMap<>();
    List<LoggedEvent> carried = new ArrayList<>();
    List<Path> tombstones = new ArrayList<>();
    List<Path> files = ownFiles(directory);
    Map<ThreadId, Path> stepLogs = new HashMap<>();
    for (Path file : files) {
      ThreadId id = StepLogs.idOfFileName(file.getFileName().toString());
      if (id != null) {
        stepLogs.put(id, file);
      }
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (StepLogs.idOfFileName(name) != null) {
        continue;
      }
      ThreadId id = ThreadFileMapping.idOfFileName(name);
      if (id == null) {
        quarantine.moveAside(file, "its name is not <thread id>.json");
        continue;
      }
      Path stepLog = stepLogs.get(id);
      ThreadFileMapping.ThreadFile content;
      StoredThread thread;
      StepLogs.State log;
      List<LoggedEvent> lineEvents = new ArrayList<>();
      try {
        content = ThreadFileMapping.read(Files.readAllBytes(file));
        thread = content.thread();
        log = StepLogs.State.fresh(content.logGeneration());
        if (!content.isTombstone() && stepLog != null && content.logGeneration() != 0) {
          StepLogs.Read read = StepLogs.read(stepLog, content.logGeneration());
          for (Map<String, Object> line : read.lines()) {
            thread = ThreadFileMapping.apply(thread, line);
            lineEvents.addAll(ThreadFileMapping.eventsOf(line));
          }
          // the aggregate's own checks, as for the file
          WorkflowThread.restore(thread.snapshot());
          log = new StepLogs.State(content.logGeneration(), read.lines().size(), read.bytes());
        }
      } catch (RuntimeException damaged) {
        // whatever the mapping or the aggregate's checks throw makes this one thread damaged
        quarantine.moveAside(file, reasonOf(damaged));
        if (stepLog != null) {
          quarantine.moveAside(stepLog, "its thread's file or this log is damaged");
          stepLogs.remove(id);
        }
        continue;
      }
      if (!content.id().equals(id)) {
        quarantine.moveAside(file, "it holds thread " + content.id() + ", not " + id);
        if (stepLog != null) {
          quarantine.moveAside(stepLog, "its thread's file holds another thread");
          stepLogs.remove(id);
        }
        continue;
      }
      carried.addAll(content.lastWriteEvents());
      carried.addAll(lineEvents);
      if (content.isTombstone()) {
        tombstones.add(file);
      } else {
        threads.add(thread);
        logs.put(id, log);
        if (log.lines() > 0) {
          stepLogs.remove(id);
        }
      }
    }
    // what is left continues no thread's file
    for (Path unread : stepLogs.values()) {
      Files.deleteIfExists(unread);
    }
    return new LoadedThreads(threads, logs, carried, tombstones);
  }

  /**
   * The files of a directory of one object per file ({@code <id>.json}) that hold the object their
   * name says; the others are moved aside.
   *
   * @param what what the files hold, for the reason given when one is moved aside
   */
  private static List<byte[]> loadNamedFiles(
      Path directory, Quarantine quarantine, String what, Function<byte[], UUID> idOf)
      throws IOException {
    List<byte[]> loaded = new ArrayList<>();
    for (Path file : ownFiles(directory)) {
      byte[] content = Files.readAllBytes(file);
      try {
        String id = idOf.apply(content).toString();
        if (!file.getFileName().toString().equals(id + ".json")) {
          quarantine.moveAside(file, "it holds " + what + " " + id + ", not the one its name says");
          continue;
        }
      } catch (RuntimeException damaged) {
        quarantine.moveAside(file, reasonOf(damaged));
        continue;
      }
      loaded.add(content);
    }
    return loaded;
  }

  private static List<WorkflowDefinition> loadDefinitions(Path directory, Quarantine quarantine)
      throws IOException {
    List<WorkflowDefinition> definitions = new ArrayList<>();
    for (Path entry : ownFiles(directory)) {
      quarantine.moveAside(entry, "definitions go in workflows/<type>/<version>.json");
    }
    for (Path typeDirectory : subdirectories(directory)) {
      String type = typeDirectory.getFileName().toString();
      for (Path file : ownFiles(typeDirectory)) {
        int version = WorkflowFileMapping.versionOfFileName(file.getFileName().toString());
        if (version == 0) {
          quarantine.moveAside(file, "its name is not <version>.json");
          continue;
        }
        WorkflowDefinition definition;
        try {
          definition = WorkflowFileMapping.read(Files.readAllBytes(file));
        } catch (RuntimeException damaged) {
          quarantine.moveAside(file, reasonOf(damaged));
          continue;
        }
        if (!definition.type().equals(type) || definition.version() != version) {
          quarantine.moveAside(
              file,
              "it holds version "
                  + definition.version()
                  + " of workflow '"
                  + definition.type()
                  + "', not version "
                  + version
                  + " of '"
                  + type
                  + "'");
          continue;
        }
        definitions.add(definition);
      }
    }
    return definitions;
  }

  /**
   * The regular files of a directory that the store wrote, after deleting the temporary files that
   * an interrupted write left there; hidden files (a desktop's notes, say) are left alone.
   */
  private static List<Path> ownFiles(Path directory) throws IOException {
    List<Path> files = new ArrayList<>();
    int leftovers = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (!Files.isRegularFile(entry)) {
          continue;
        }
        if (AtomicFiles.isTemporary(entry)) {
          Files.delete(entry);
          leftovers++;
        } else if (!entry.getFileName().toString().startsWith(".")) {
          files.add(entry);
        }
      }
    }
    if (leftovers > 0) {
      AtomicFiles.syncDirectory(directory);
      LOG.log(
          Level.INFO,
          "removed {0} temporary file(s) that an interrupted write left in {1}",
          leftovers,
          directory);
    }
    return files;
  }

  /** Deletes the temporary files that an interrupted write left anywhere under the directory. */
  private static void removeLeftovers(Path directory) throws IOException {
    List<Path> leftovers;
    try (Stream<Path> files = Files.walk(directory)) {
      leftovers = files.filter(AtomicFiles::isTemporary).toList();
    }
    for (Path leftover : leftovers) {
      AtomicFiles.delete(leftover);
    }
  }

  private static List<Path> subdirectories(Path directory) throws IOException {
    List<Path> subdirectories = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isDirectory)) {
      entries.forEach(subdirectories::add);
    }
    return subdirectories;
  }

  private static String reasonOf(RuntimeException damaged) {
    String message = damaged.getMessage();
    return message == null || message.isBlank() ? damaged.getClass().getSimpleName() : message;
  }
}
