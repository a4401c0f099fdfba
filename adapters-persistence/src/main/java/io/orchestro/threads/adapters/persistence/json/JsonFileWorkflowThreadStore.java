package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.adapters.persistence.StoredJson.micros;

import io.orchestro.threads.adapters.persistence.GroupCommit;
import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.DuplicateThreadException;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Threads in JSON files, one per thread ({@code threads/<thread_id>.json}, see {@link
 * ThreadFileMapping}), and the engine's claims in the same files, so that a fenced step write
 * checks the claim and saves the step in one file replacement. Created by {@link
 * JsonStoreDirectory}, which opens the directory.
 *
 * <p>A write that keeps the thread's status appends what it changed (the steps it changed, not the
 * others) to the thread's step log ({@link StepLogs}); a write that changes the status, or finds
 * the log long, replaces the thread's file atomically ({@link AtomicFiles}) and empties the log.
 * Then the write appends the events it recorded to the {@link JsonFileThreadEventLog}. The log line
 * or the file is the commit point and carries those events, so a crash between the two loses none:
 * start-up appends what the log lacks. A step write therefore costs one short line and its events,
 * however many steps the thread has and however many threads are stored.
 *
 * <p>Reads are served from an in-memory index built at start-up (by id, newest first for the list,
 * oldest first for the engine's claims), without touching the disk or waiting for writes. Writes
 * run one at a time ({@link SerialWrites}); each checks the version (or the claim) it expects
 * against the index and changes the index only once its file is written.
 *
 * <p>A renewal extends a claim in memory only; the file catches up with the thread's next write.
 * The lease matters only while its owner runs, and only this process can run on the directory (its
 * lock file); after a crash the next run ends every earlier claim at start-up anyway. Claims taken,
 * released and ended are written at once: the next run needs to know which threads were left
 * claimed, and until when a retry backoff lasts.
 */
public final class JsonFileWorkflowThreadStore implements WorkflowThreadStore, ThreadClaims {

  private static final System.Logger LOG =
      System.getLogger(JsonFileWorkflowThreadStore.class.getName());

  /** The database's order: creation time, then the id's text (PostgreSQL's and H2's uuid order). */
  private static final Comparator<Position> OLDEST_FIRST =
      Comparator.comparing(Position::createdAt).thenComparing(Position::id);

  private static final Comparator<Position> NEWEST_FIRST = OLDEST_FIRST.reversed();

  /** The engine's order: highest priority first, then oldest, as in the database's claim. */
  private static final Comparator<Position> CLAIM_ORDER =
      Comparator.comparingInt((Position position) -> -position.priority())
          .thenComparing(OLDEST_FIRST);

  /**
   * Where a thread sorts; the id is kept as text because the order is the text's. A thread's
   * priority never changes, so two positions of one thread differ only when its time does.
   */
  private record Position(Instant createdAt, String id, int priority) {

    static Position of(StoredThread thread) {
      return new Position(
          thread.snapshot().createdAt(),
          thread.id().toString(),
          thread.snapshot().request().effectivePriority());
    }
  }

  /** A fenced write of the engine, as the group commit hands it to a batch. */
  private record FencedWrite(WorkflowThread thread, String owner) {}

  /**
   * A write decided under {@link #writes}: the thread as stored, its next state, the steps changed
   * and the events recorded, and the step log it continues, or null when the file is written whole.
   */
  private record Planned(
      StoredThread stored,
      StoredThread next,
      SortedSet<Integer> changedSteps,
      List<ThreadEvent> recorded,
      StepLogs.State log) {

    boolean whole() {
      return log == null;
    }
  }

  /** At most this many fenced writes share a batch. */
  static final int MAX_BATCH = 64;

  private final Path directory;
  private final SerialWrites writes;
  private final JsonFileThreadEventLog events;
  private final BatchJournal batchJournal;
  private final StepLogs stepLogs;

  /** The engine's fenced writes, written in batches by one writer thread. */
  private final GroupCommit<FencedWrite, WorkflowThread> stepWrites =
      new GroupCommit<>("orchestro-json-step-writer", 1, MAX_BATCH, this::writeTogether);

  /** Forces the files of a batch at once ({@link StagedWrite#forceAll}). */
  private final ExecutorService forcing = StagedWrite.forcingThreads();

  /** What else goes with a deleted thread (its tasks), under {@link #writes}, once it is gone. */
  private final Consumer<WorkflowThread> deleted;

  /** Where each thread's step log stands. Used only under {@link #writes}. */
  private final Map<ThreadId, StepLogs.State> logs = new HashMap<>();

  private final Map<ThreadId, StoredThread> byId = new ConcurrentHashMap<>();
  private final NavigableMap<Position, StoredThread> newestFirst =
      new ConcurrentSkipListMap<>(NEWEST_FIRST);

  /**
   * The threads the engine may have to claim ({@link StoredThread#mayNeedAWorker()}), in claim
   * order. Finished and settled threads are not here, so claiming does not slow down as they pile
   * up. Used only under {@link #writes}.
   */
  private final NavigableMap<Position, ThreadId> claimable = new TreeMap<>(CLAIM_ORDER);

  JsonFileWorkflowThreadStore(
      Path directory,
      SerialWrites writes,
      JsonFileThreadEventLog events,
      BatchJournal batchJournal,
      Collection<StoredThread> loaded,
      Map<ThreadId, StepLogs.State> loadedLogs,
      Consumer<WorkflowThread> deleted) {
    this.directory = directory;
    this.deleted = deleted;
    this.writes = writes;
    this.events = events;
    this.batchJournal = batchJournal;
    this.stepLogs = new StepLogs(directory);
    loaded.forEach(this::index);
    logs.putAll(loadedLogs);
  }

  /** Stops the writer of the engine's fenced writes; those still waiting fail. */
  void stopWriters() {
    stepWrites.close();
    forcing.shutdown();
  }

  // ---- WorkflowThreadStore ----

  /** Stores the thread with version 0. */
  @Override
  public WorkflowThread insert(WorkflowThread thread) {
    return writes.run(
        () -> {
          if (byId.containsKey(thread.id())) {
            throw new DuplicateThreadException(thread.id());
          }
          // a start time ahead is a claim that no owner holds until then, as a retry backoff is
          StoredThread fresh =
              new StoredThread(thread.snapshot().withVersion(0), null, micros(thread.startAt()));
          return write(fresh, thread.newEvents()).restore();
        });
  }

  /**
   * Stores the threads with version 0, all or nothing, through the batch journal: the journal file
   * holding every new thread file (with its events) is written first, and that write is the commit
   * point; then each thread's file is written and the journal removed. A crash before the journal
   * is written leaves none of them, a crash after it leaves all of them: start-up writes out what
   * the journal holds ({@link BatchJournal#replay}).
   */
  @Override
  public List<WorkflowThread> insertAll(List<WorkflowThread> threads) {
    if (threads.size() == 1) {
      return List.of(insert(threads.get(0)));
    }
    return writes.run(
        () -> {
          Set<ThreadId> ids = new HashSet<>();
          for (WorkflowThread thread : threads) {
            if (byId.containsKey(thread.id()) || !ids.add(thread.id())) {
              throw new DuplicateThreadException(thread.id());
            }
          }
          events.appendPending();
          List<LoggedEvent> numbered =
              events.number(threads.stream().flatMap(each -> each.newEvents().stream()).toList());
          Map<String, byte[]> files = new LinkedHashMap<>();
          List<StoredThread> stored = new ArrayList<>();
          Map<ThreadId, Long> generations = new HashMap<>();
          int firstEvent = 0;
          for (WorkflowThread thread : threads) {
            int lastEvent = firstEvent + thread.newEvents().size();
            StoredThread fresh = new StoredThread(thread.snapshot().withVersion(0), null, null);
            long generation = StepLogs.newGeneration();
            byte[] content =
                ThreadFileMapping.threadFile(
                    fresh, generation, numbered.subList(firstEvent, lastEvent));
            files.put(ThreadFileMapping.fileName(thread.id()), content);
            stored.add(ThreadFileMapping.read(content).thread());
            generations.put(thread.id(), generation);
            firstEvent = lastEvent;
          }
          batchJournal.write(files);
          stored.forEach(this::index);
          generations.forEach(this::writtenWhole);
          events.committed(numbered, null);
          return stored.stream().map(StoredThread::restore).toList();
        });
  }

  /**
   * Saves the thread if the stored version is still the one it was loaded with. As in the database
   * store, an update that changes no field keeps the version; its events, if any, are still stored.
   */
  @Override
  public WorkflowThread update(WorkflowThread thread) {
    return writes.run(
        () -> {
          StoredThread stored = byId.get(thread.id());
          if (stored == null || stored.version() != thread.version()) {
            throw new ConcurrentThreadUpdateException(thread.id());
          }
          // a person's cancel finishes the thread: nobody needs its claim any more
          if (thread.isSettled() && thread.status().isFinished()) {
            return update(stored, thread, null, null);
          }
          // a settled thread nobody holds waits for nothing: a resume runs it at once
          boolean waitEnds = thread.isSettled() && stored.claimOwner() == null;
          return update(stored, thread, stored.claimOwner(), waitEnds ? null : stored.claimUntil());
        });
  }

  /**
   * The fenced write of the claim's owner: refused unless the owner still holds the claim; ends the
   * claim once the thread needs no worker. Written by the group commit with the other fenced writes
   * waiting at that moment ({@link #writeTogether}); returns once on the disk.
   */
  @Override
  public WorkflowThread updateIfHeld(WorkflowThread thread, String owner) {
    return stepWrites.submit(new FencedWrite(thread, owner));
  }

  /** One fenced write alone, under {@link #writes}. */
  private WorkflowThread updateHeld(FencedWrite write) {
    StoredThread stored = held(write);
    Planned plan = planHeld(stored, write.thread());
    return plan == null ? stored.restore() : writeAlone(plan);
  }

  /**
   * The stored thread a fenced write may change, under {@link #writes}.
   *
   * @throws ClaimLostException when the owner no longer holds the claim
   * @throws ConcurrentThreadUpdateException when the thread was saved in between
   */
  private StoredThread held(FencedWrite write) {
    WorkflowThread thread = write.thread();
    StoredThread stored = byId.get(thread.id());
    if (stored == null || !write.owner().equals(stored.claimOwner())) {
      throw new ClaimLostException(thread.id(), write.owner());
    }
    if (stored.version() != thread.version()) {
      throw new ConcurrentThreadUpdateException(thread.id());
    }
    return stored;
  }

  /** What a fenced write stores: the claim ends once the thread is settled. */
  private Planned planHeld(StoredThread stored, WorkflowThread thread) {
    return thread.isSettled()
        ? plan(stored, thread, null, null)
        : plan(stored, thread, stored.claimOwner(), stored.claimUntil());
  }

  /**
   * Writes a batch of fenced writes under one hold of {@link #writes}: each thread fenced by its
   * own claim and refused alone; the others' step log lines and thread files written, then forced
   * to the disk together ({@link StagedWrite#forceAll}), then their events appended to the event
   * log in one append. When a file of the batch cannot be written, each write is done again alone,
   * so that only the one at fault fails. A second write of one thread in the batch goes alone after
   * the first.
   */
  private void writeTogether(List<GroupCommit.Pending<FencedWrite, WorkflowThread>> batch) {
    writes.run(
        () -> {
          List<GroupCommit.Pending<FencedWrite, WorkflowThread>> alone = new ArrayList<>();
          List<GroupCommit.Pending<FencedWrite, WorkflowThread>> planned = new ArrayList<>();
          List<Planned> plans = new ArrayList<>();
          Set<ThreadId> seen = new HashSet<>();
          for (GroupCommit.Pending<FencedWrite, WorkflowThread> pending : batch) {
            if (!seen.add(pending.item().thread().id())) {
              alone.add(pending);
              continue;
            }
            try {
              StoredThread stored = held(pending.item());
              Planned plan = planHeld(stored, pending.item().thread());
              if (plan == null) {
                pending.succeed(stored.restore());
              } else {
                planned.add(pending);
                plans.add(plan);
              }
            } catch (RuntimeException refused) {
              pending.fail(refused);
            }
          }
          if (plans.size() == 1 || !plans.isEmpty() && !writtenTogether(planned, plans)) {
            alone.addAll(0, planned);
          }
          for (GroupCommit.Pending<FencedWrite, WorkflowThread> pending : alone) {
            try {
              pending.succeed(updateHeld(pending.item()));
            } catch (RuntimeException refused) {
              pending.fail(refused);
            }
          }
          return null;
        });
  }

  /**
   * Writes these threads' fenced writes as one batch, the way the group commit writes whatever is
   * waiting: for tests, which cannot time a batch's make-up from outside.
   */
  List<CompletableFuture<WorkflowThread>> writeAsOneBatch(
      List<WorkflowThread> threads, String owner) {
    return GroupCommit.asOneBatch(
        threads.stream().map(thread -> new FencedWrite(thread, owner)).toList(),
        this::writeTogether);
  }

  /**
   * Writes the planned writes of a batch together, under {@link #writes}: numbers their events in
   * the batch's order, writes each line or thread file, forces them all, then commits each (a
   * thread file's rename) and forces the directory once.
   *
   * @return false, having undone every write, when a file could not be written or forced: the
   *     caller then writes each alone
   */
  private boolean writtenTogether(
      List<GroupCommit.Pending<FencedWrite, WorkflowThread>> pendings, List<Planned> plans) {
    try {
      events.appendPending();
    } catch (UncheckedIOException logFailed) {
      // each write alone meets the same refusal
      return false;
    }
    List<LoggedEvent> numbered =
        events.number(plans.stream().flatMap(plan -> plan.recorded().stream()).toList());
    List<StagedWrite> staged = new ArrayList<>();
    List<StoredThread> written = new ArrayList<>();
    // each thread's step log once its write is committed
    List<StepLogs.State> logsAfter = new ArrayList<>();
    boolean newFiles = false;
    try {
      int firstEvent = 0;
      for (Planned plan : plans) {
        int lastEvent = firstEvent + plan.recorded().size();
        List<LoggedEvent> own = numbered.subList(firstEvent, lastEvent);
        firstEvent = lastEvent;
        if (plan.whole()) {
          long generation = StepLogs.newGeneration();
          byte[] content = ThreadFileMapping.threadFile(plan.next(), generation, own);
          staged.add(StagedWrite.replacing(fileOf(plan.next().id()), content));
          written.add(ThreadFileMapping.read(content).thread());
          logsAfter.add(StepLogs.State.fresh(generation));
          newFiles = true;
        } else {
          Map<String, Object> json =
              ThreadFileMapping.stepLogJson(
                  plan.log().generation(), plan.next(), plan.changedSteps(), own);
          byte[] line = JsonText.compact(json);
          staged.add(stepLogs.stage(plan.stored().id(), plan.log(), line));
          written.add(ThreadFileMapping.applyBuilt(plan.stored(), json));
          logsAfter.add(plan.log().after(line.length + 1));
          // a log's first line creates its file
          newFiles |= plan.log().lines() == 0;
        }
      }
      StagedWrite.forceAll(staged, forcing);
    } catch (IOException | RuntimeException failed) {
      staged.forEach(StagedWrite::abandon);
      LOG.log(Level.WARNING, "a batch of step writes failed; writing each alone", failed);
      return false;
    }
    boolean[] failed = new boolean[plans.size()];
    for (int i = 0; i < plans.size(); i++) {
      try {
        staged.get(i).commit();
      } catch (IOException renameFailed) {
        // only a thread file's rename fails here: that write did not happen, and its events'
        // numbers stay unused
        staged.get(i).abandon();
        failed[i] = true;
        pendings
            .get(i)
            .fail(
                new UncheckedIOException(
                    "could not write " + plans.get(i).next().id(), renameFailed));
      }
    }
    if (newFiles) {
      AtomicFiles.syncDirectory(directory);
    }
    List<LoggedEvent> committed = new ArrayList<>();
    int firstEvent = 0;
    for (int i = 0; i < plans.size(); i++) {
      Planned plan = plans.get(i);
      int lastEvent = firstEvent + plan.recorded().size();
      if (!failed[i]) {
        committed.addAll(numbered.subList(firstEvent, lastEvent));
        index(written.get(i));
        if (plan.whole()) {
          writtenWhole(plan.next().id(), logsAfter.get(i).generation());
        } else {
          logs.put(plan.next().id(), logsAfter.get(i));
        }
      }
      firstEvent = lastEvent;
    }
    // as a write alone: its events are in the log (or waiting for the next write) when it returns
    events.committed(committed, null);
    for (int i = 0; i < plans.size(); i++) {
      if (!failed[i]) {
        pendings.get(i).succeed(written.get(i).restore());
      }
    }
    return true;
  }

  /** Under {@link #writes}, the version checked. */
  private WorkflowThread update(
      StoredThread stored, WorkflowThread thread, String owner, Instant until) {
    Planned plan = plan(stored, thread, owner, until);
    return plan == null ? stored.restore() : writeAlone(plan);
  }

  /**
   * What a write stores, decided under {@link #writes} with the version checked: the thread's next
   * state, the steps it changed, its events, and how (a whole file, or a line of the step log).
   *
   * @return null when it changes nothing and records no event
   */
  private Planned plan(StoredThread stored, WorkflowThread thread, String owner, Instant until) {
    StoredThread sameVersion =
        new StoredThread(thread.snapshot().withVersion(stored.version()), owner, until);
    // the files' JSON decides what a change is, as the columns do for the database; only the
    // steps the thread says it changed are compared
    SortedSet<Integer> changedSteps =
        ThreadFileMapping.changedSteps(stored, sameVersion, thread.changedSteps());
    boolean changed =
        !changedSteps.isEmpty() || !ThreadFileMapping.sameChangeableFields(stored, sameVersion);
    List<ThreadEvent> recorded = thread.newEvents();
    if (!changed && recorded.isEmpty()) {
      return null;
    }
    StoredThread next =
        changed
            ? new StoredThread(thread.snapshot().withVersion(stored.version() + 1), owner, until)
            : sameVersion;
    StepLogs.State log = logs.get(stored.id());
    // a change of status is a turn in the thread's life: its file is written whole, and its log
    // starts again empty
    if (log == null || log.full() || next.snapshot().status() != stored.snapshot().status()) {
      log = null;
    }
    return new Planned(stored, next, changedSteps, recorded, log);
  }

  /** Writes a planned write on its own, under {@link #writes}. */
  private WorkflowThread writeAlone(Planned plan) {
    return plan.whole()
        ? write(plan.next(), plan.recorded()).restore()
        : append(plan.stored(), plan.next(), plan.changedSteps(), plan.log(), plan.recorded())
            .restore();
  }

  /**
   * Saves a write that keeps the thread's status as a line of its step log, carrying the steps it
   * changed and its events: numbers them, appends the line (the commit point), updates the index,
   * appends the events to the event log. Under {@link #writes}.
   *
   * @return the thread as a restart would load it
   */
  private StoredThread append(
      StoredThread stored,
      StoredThread next,
      SortedSet<Integer> changedSteps,
      StepLogs.State log,
      List<ThreadEvent> recorded) {
    events.appendPending();
    List<LoggedEvent> numbered = events.number(recorded);
    Map<String, Object> json =
        ThreadFileMapping.stepLogJson(log.generation(), next, changedSteps, numbered);
    byte[] line = JsonText.compact(json);
    StoredThread written = ThreadFileMapping.applyBuilt(stored, json);
    logs.put(stored.id(), stepLogs.append(stored.id(), log, line));
    index(written);
    events.committed(numbered, null);
    return written;
  }

  @Override
  public Optional<WorkflowThread> find(ThreadId id) {
    return Optional.ofNullable(byId.get(id)).map(StoredThread::restore);
  }

  /**
   * Deletes the file without a version check. With events to store, the file first becomes a
   * tombstone carrying them: that replacement is the commit point, and the tombstone goes once the
   * events are in the log.
   */
  @Override
  public boolean delete(WorkflowThread thread) {
    return delete(thread, false);
  }

  /**
   * As {@link #delete}, with the version checked. The thread's events in the log stay there until
   * the resume window prunes their segment (the log is only ever appended to); the thread file,
   * which carried them too, goes now.
   */
  @Override
  public boolean deleteUnchanged(WorkflowThread thread) {
    return delete(thread, true);
  }

  private boolean delete(WorkflowThread thread, boolean unchangedOnly) {
    return writes.run(
        () -> {
          StoredThread stored = byId.get(thread.id());
          if (stored == null || (unchangedOnly && stored.version() != thread.version())) {
            return false;
          }
          events.appendPending();
          List<LoggedEvent> numbered = events.number(thread.newEvents());
          Path file = fileOf(thread.id());
          if (numbered.isEmpty()) {
            AtomicFiles.delete(file);
            unindex(stored);
            forgetLog(thread.id());
            deleted.accept(thread);
            return true;
          }
          AtomicFiles.replace(file, ThreadFileMapping.tombstone(thread.id(), numbered));
          unindex(stored);
          forgetLog(thread.id());
          events.committed(numbered, () -> removeTombstone(file));
          deleted.accept(thread);
          return true;
        });
  }

  private static void removeTombstone(Path file) {
    try {
      AtomicFiles.delete(file);
    } catch (UncheckedIOException failed) {
      // harmless: its events are logged, and start-up removes it (or a new thread of the id
      // replaces it)
      LOG.log(Level.WARNING, "could not remove the tombstone " + file, failed);
    }
  }

  /** From the in-memory index: every thread is looked at, no file is read. */
  @Override
  public List<ThreadId> finishedBefore(ThreadStatus status, Instant before, int limit) {
    return byId.values().stream()
        .map(StoredThread::snapshot)
        .filter(
            thread ->
                thread.status() == status
                    && thread.finishedAt() != null
                    && thread.finishedAt().isBefore(before))
        .sorted(Comparator.comparing(ThreadSnapshot::finishedAt))
        .limit(limit)
        .map(ThreadSnapshot::id)
        .toList();
  }

  /** Filters and pages the in-memory index, newest first. */
  @Override
  public ThreadPage list(ListThreadsQuery query) {
    List<StoredThread> matching = new ArrayList<>();
    for (StoredThread thread : newestFirst.values()) {
      if (query.matches(thread.snapshot())) {
        matching.add(thread);
      }
    }
    // the index is newest first by creation: any other order sorts the matches
    if (query.sortBy() != ListThreadsQuery.SortBy.CREATED_AT || query.ascending()) {
      matching.sort(Comparator.comparing(StoredThread::snapshot, query.order()));
    }
    List<WorkflowThread> items =
        matching.stream()
            .skip(query.offset())
            .limit(query.size())
            .map(StoredThread::restore)
            .toList();
    return new ThreadPage(items, query.page(), query.size(), matching.size());
  }

  /** From the in-memory index, oldest first: no file is read. */
  @Override
  public List<Cursor> positionsAfter(ListThreadsQuery filter, Cursor after, int limit) {
    NavigableMap<Position, StoredThread> oldestFirst = newestFirst.descendingMap();
    if (after != null) {
      // the creation order compares the time and the id only: the priority does not matter here
      oldestFirst =
          oldestFirst.tailMap(new Position(after.createdAt(), after.id().toString(), 0), false);
    }
    List<Cursor> positions = new ArrayList<>();
    for (StoredThread thread : oldestFirst.values()) {
      if (positions.size() == limit) {
        break;
      }
      if (filter.matches(thread.snapshot())) {
        positions.add(new Cursor(thread.snapshot().createdAt(), thread.id()));
      }
    }
    return positions;
  }

  /** Counts over the in-memory index: no file is read. */
  @Override
  public Map<ThreadStatus, Long> countByStatus() {
    Map<ThreadStatus, Long> counts = new EnumMap<>(ThreadStatus.class);
    for (ThreadStatus status : ThreadStatus.values()) {
      counts.put(status, 0L);
    }
    for (StoredThread thread : byId.values()) {
      counts.merge(thread.snapshot().status(), 1L, Long::sum);
    }
    return counts;
  }

  // ---- ThreadClaims ----

  @Override
  public List<WorkflowThread> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    return writes.run(
        () -> {
          List<StoredThread> free = new ArrayList<>();
          for (ThreadId id : claimable.values()) {
            if (free.size() >= limit) {
              break;
            }
            StoredThread thread = byId.get(id);
            if (thread.claimEndedBy(now)) {
              free.add(thread);
            }
          }
          List<WorkflowThread> claimed = new ArrayList<>();
          writeClaims(
              free.stream().map(thread -> thread.withClaim(owner, micros(leaseUntil))).toList(),
              taken -> claimed.add(taken.restore()));
          return claimed;
        });
  }

  @Override
  public Optional<Instant> nextClaimableAt(Instant now) {
    return writes.run(
        () ->
            claimable.values().stream()
                .map(byId::get)
                .filter(thread -> thread.claimOwner() == null && thread.claimUntil() != null)
                .map(StoredThread::claimUntil)
                .filter(until -> until.isAfter(now))
                .min(Comparator.naturalOrder()));
  }

  /** Extends the owner's claims in memory; see the class comment for why not on disk. */
  @Override
  public Set<ThreadId> renew(String owner, Collection<ThreadId> ids, Instant leaseUntil) {
    return writes.run(
        () -> {
          Set<ThreadId> held = held(owner, ids);
          held.forEach(id -> index(byId.get(id).withClaim(owner, micros(leaseUntil))));
          return held;
        });
  }

  @Override
  public Map<ThreadId, ThreadStatus> heldStatuses(String owner, Collection<ThreadId> ids) {
    // a read of the index, like find: no write lock
    Map<ThreadId, ThreadStatus> held = new HashMap<>();
    for (ThreadId id : ids) {
      StoredThread thread = byId.get(id);
      if (thread != null && owner.equals(thread.claimOwner())) {
        held.put(id, thread.snapshot().status());
      }
    }
    return held;
  }

  @Override
  public void release(ThreadId id, String owner, Instant notBefore) {
    writes.run(
        () -> {
          StoredThread thread = byId.get(id);
          if (thread != null && owner.equals(thread.claimOwner())) {
            writeClaims(List.of(thread.withClaim(null, micros(notBefore))), released -> {});
          }
          return null;
        });
  }

  @Override
  public boolean wake(ThreadId id) {
    return writes.run(
        () -> {
          StoredThread thread = byId.get(id);
          if (thread != null && thread.claimOwner() == null && thread.claimUntil() != null) {
            writeClaims(List.of(thread.withClaim(null, null)), woken -> {});
            return true;
          }
          return false;
        });
  }

  /** Ends other owners' claims but keeps their names, which mark the threads as left claimed. */
  @Override
  public int expireOtherOwners(String owner) {
    return writes.run(
        () -> {
          int ended = 0;
          List<StoredThread> toEnd = new ArrayList<>();
          // every thread with an owner is claimable
          for (ThreadId id : claimable.values()) {
            StoredThread thread = byId.get(id);
            if (thread.claimOwner() != null && !thread.claimOwner().equals(owner)) {
              ended++;
              if (thread.claimUntil() != null) {
                toEnd.add(thread.withClaim(thread.claimOwner(), null));
              }
            }
          }
          writeClaims(toEnd, expired -> {});
          return ended;
        });
  }

  /**
   * Writes threads whose claim changed, forcing the directory once for all of them. Under {@link
   * #writes}. A failure part way leaves the threads written so far claimed (on disk and here) and
   * the rest as they were; the caller does not learn of the former, whose lease then simply runs
   * out.
   */
  private void writeClaims(
      List<StoredThread> changed, java.util.function.Consumer<StoredThread> written) {
    if (changed.isEmpty()) {
      return;
    }
    // a claim rewrites the file without the events it carried: they must be in the log first
    events.appendPending();
    for (StoredThread thread : changed) {
      long generation = StepLogs.newGeneration();
      AtomicFiles.replaceWithoutDirectorySync(
          fileOf(thread.id()), ThreadFileMapping.threadFile(thread, generation, List.of()));
      index(thread);
      writtenWhole(thread.id(), generation);
      written.accept(thread);
    }
    AtomicFiles.syncDirectory(directory);
  }

  // ---- writing and the index ----

  /**
   * Saves a thread with the events it recorded: numbers them, writes the thread's file carrying
   * them (the commit point), updates the index, appends them to the log. Under {@link #writes}.
   *
   * @return the thread as a restart would load it: times cut to microseconds, numbers as JSON gives
   *     them back
   */
  private StoredThread write(StoredThread next, List<ThreadEvent> recorded) {
    // refuse to go ahead while an earlier write's events are not in the log yet
    events.appendPending();
    List<LoggedEvent> numbered = events.number(recorded);
    long generation = StepLogs.newGeneration();
    byte[] content = ThreadFileMapping.threadFile(next, generation, numbered);
    StoredThread stored = ThreadFileMapping.read(content).thread();
    AtomicFiles.replace(fileOf(next.id()), content);
    index(stored);
    writtenWhole(next.id(), generation);
    events.committed(numbered, null);
    return stored;
  }

  /** After a thread's file was written whole: its step log starts again, empty. */
  private void writtenWhole(ThreadId id, long generation) {
    StepLogs.State old = logs.put(id, StepLogs.State.fresh(generation));
    if (old != null && old.lines() > 0) {
      stepLogs.delete(id);
    }
  }

  /** After a thread's file was deleted (or became a tombstone). */
  private void forgetLog(ThreadId id) {
    StepLogs.State old = logs.remove(id);
    if (old != null && old.lines() > 0) {
      stepLogs.delete(id);
    }
  }

  private Path fileOf(ThreadId id) {
    return directory.resolve(ThreadFileMapping.fileName(id));
  }

  private void index(StoredThread thread) {
    Position position = Position.of(thread);
    StoredThread old = byId.put(thread.id(), thread);
    if (old != null) {
      Position was = Position.of(old);
      if (!was.equals(position)) {
        newestFirst.remove(was);
      }
      claimable.remove(was);
    }
    newestFirst.put(position, thread);
    if (thread.mayNeedAWorker()) {
      claimable.put(position, thread.id());
    }
  }

  private void unindex(StoredThread thread) {
    Position position = Position.of(thread);
    byId.remove(thread.id());
    newestFirst.remove(position);
    claimable.remove(position);
  }
}
