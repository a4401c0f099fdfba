package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.DuplicateThreadException;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Threads, their claims and their events in memory, with the semantics of the real stores (the
 * persistence module's contract tests run against it too): versions checked on every write, claims
 * with an owner and an end judged by the {@code now} the caller passes, fenced writes refused to
 * anyone but the owner, a settled thread's claim released by the write that settles it, and every
 * write's events appended in the same step, numbered 1, 2, 3 ... in the order of the writes. Times
 * are cut to microseconds as both databases and the JSON files keep them.
 *
 * <p>One lock guards everything, so each call is atomic, as a transaction is. Besides the ports it
 * tells tests what a store would show them: a thread's claim, and each {@link #claim} call made (a
 * test's proof that an engine looked for work and found none).
 */
public final class InMemoryThreadStore
    implements WorkflowThreadStore, ThreadClaims, ThreadEventLog {

  /** The databases' order: creation time, then the id's text (their uuid order). */
  private static final Comparator<Stored> OLDEST_FIRST =
      Comparator.comparing((Stored stored) -> stored.snapshot().createdAt())
          .thenComparing(stored -> stored.snapshot().id().toString());

  private static final Comparator<Stored> CLAIM_ORDER =
      Comparator.comparingInt((Stored stored) -> -stored.snapshot().request().effectivePriority())
          .thenComparing(OLDEST_FIRST);

  /**
   * One call of {@link #claim}.
   *
   * @param now the time the claimer gave
   * @param claimed the threads it got
   */
  public record ClaimCall(String owner, Instant now, List<ThreadId> claimed) {}

  /**
   * A thread's claim as stored.
   *
   * @param owner the node holding it, or null
   * @param until until when nobody else may claim it, or null
   */
  public record Claim(String owner, Instant until) {}

  private record Stored(ThreadSnapshot snapshot, String claimOwner, Instant claimUntil) {

    Stored withClaim(String owner, Instant until) {
      return new Stored(snapshot, owner, until);
    }

    /** Pending or running, or left claimed (a dead owner's thread paused with a step in flight). */
    boolean claimableAt(Instant now) {
      return (snapshot.status().isActive() || claimOwner != null)
          && (claimUntil == null || !claimUntil.isAfter(now));
    }
  }

  private final Map<ThreadId, Stored> threads = new HashMap<>();
  private final List<LoggedEvent> events = new ArrayList<>();
  private final List<ClaimCall> claimCalls = new ArrayList<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  // ---- WorkflowThreadStore ----

  @Override
  public WorkflowThread insert(WorkflowThread thread) {
    // a start time ahead is a claim no owner holds until then, as in the real stores
    return insert(thread, null, thread.startAt());
  }

  @Override
  public boolean insertsClaimed() {
    return true;
  }

  @Override
  public WorkflowThread insertClaimed(WorkflowThread thread, String owner, Instant leaseUntil) {
    return insert(thread, owner, leaseUntil);
  }

  private WorkflowThread insert(WorkflowThread thread, String claimOwner, Instant claimUntil) {
    WorkflowThread stored;
    synchronized (this) {
      if (threads.containsKey(thread.id())) {
        throw new DuplicateThreadException(thread.id());
      }
      stored =
          save(
              new Stored(micros(thread.snapshot().withVersion(0)), claimOwner, micros(claimUntil)),
              thread);
    }
    tellListeners(thread);
    return stored;
  }

  @Override
  public List<WorkflowThread> insertAll(List<WorkflowThread> batch) {
    return insertAllClaimed(batch, null, Collections.nCopies(batch.size(), null));
  }

  @Override
  public List<WorkflowThread> insertAllClaimed(
      List<WorkflowThread> batch, String owner, List<Instant> leaseUntil) {
    List<WorkflowThread> stored = new ArrayList<>();
    synchronized (this) {
      int eventsBefore = events.size();
      for (int i = 0; i < batch.size(); i++) {
        WorkflowThread thread = batch.get(i);
        if (threads.containsKey(thread.id())) {
          // nothing of the batch is kept
          stored.forEach(done -> threads.remove(done.id()));
          events.subList(eventsBefore, events.size()).clear();
          throw new DuplicateThreadException(thread.id());
        }
        Instant until = leaseUntil.get(i);
        // unclaimed, a start time ahead is a claim no owner holds until then, as in insert
        stored.add(
            save(
                new Stored(
                    micros(thread.snapshot().withVersion(0)),
                    until == null ? null : owner,
                    micros(until == null ? thread.startAt() : until)),
                thread));
      }
    }
    batch.forEach(this::tellListeners);
    return stored;
  }

  /** As in the real stores, a write that changes no field keeps the version. */
  @Override
  public WorkflowThread update(WorkflowThread thread) {
    WorkflowThread stored;
    synchronized (this) {
      Stored current = threads.get(thread.id());
      if (current == null || current.snapshot().version() != thread.version()) {
        throw new ConcurrentThreadUpdateException(thread.id());
      }
      // a person's cancel finishes the thread: nobody needs its claim any more; a settled thread
      // nobody holds waits for nothing: a resume runs it at once
      boolean finished = thread.isSettled() && thread.status().isFinished();
      boolean waitEnds = thread.isSettled() && current.claimOwner() == null;
      stored =
          saveChanges(
              current,
              thread,
              finished ? null : current.claimOwner(),
              finished || waitEnds ? null : current.claimUntil());
    }
    tellListeners(thread);
    return stored;
  }

  @Override
  public synchronized Optional<WorkflowThread> find(ThreadId id) {
    return Optional.ofNullable(threads.get(id)).map(stored -> restore(stored.snapshot()));
  }

  @Override
  public boolean delete(WorkflowThread thread) {
    synchronized (this) {
      if (threads.remove(thread.id()) == null) {
        return false;
      }
      append(thread.newEvents());
    }
    tellListeners(thread);
    return true;
  }

  @Override
  public synchronized List<ThreadId> finishedBefore(
      ThreadStatus status, Instant before, int limit) {
    return threads.values().stream()
        .map(Stored::snapshot)
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

  /**
   * As {@link #delete} with the version checked; the thread's events stay (see {@link
   * #pruneBefore}).
   */
  @Override
  public boolean deleteUnchanged(WorkflowThread thread) {
    synchronized (this) {
      Stored stored = threads.get(thread.id());
      if (stored == null || stored.snapshot().version() != thread.version()) {
        return false;
      }
    }
    return delete(thread);
  }

  @Override
  public synchronized ThreadPage list(ListThreadsQuery query) {
    List<WorkflowThread> matching =
        threads.values().stream()
            .map(Stored::snapshot)
            .filter(query::matches)
            .sorted(query.order())
            .map(InMemoryThreadStore::restore)
            .toList();
    List<WorkflowThread> page = matching.stream().skip(query.offset()).limit(query.size()).toList();
    return new ThreadPage(page, query.page(), query.size(), matching.size());
  }

  @Override
  public synchronized List<Cursor> positionsAfter(
      ListThreadsQuery filter, Cursor after, int limit) {
    Comparator<Cursor> oldestFirst =
        Comparator.comparing(Cursor::createdAt).thenComparing(cursor -> cursor.id().toString());
    return threads.values().stream()
        .map(Stored::snapshot)
        .filter(filter::matches)
        .map(snapshot -> new Cursor(snapshot.createdAt(), snapshot.id()))
        .filter(cursor -> after == null || oldestFirst.compare(cursor, after) > 0)
        .sorted(oldestFirst)
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Map<ThreadStatus, Long> countByStatus() {
    Map<ThreadStatus, Long> counts = new EnumMap<>(ThreadStatus.class);
    for (ThreadStatus status : ThreadStatus.values()) {
      counts.put(status, 0L);
    }
    threads.values().forEach(stored -> counts.merge(stored.snapshot().status(), 1L, Long::sum));
    return counts;
  }

  // ---- ThreadClaims ----

  @Override
  public synchronized List<WorkflowThread> claim(
      String owner, Instant now, Instant leaseUntil, int limit) {
    List<Stored> free =
        threads.values().stream()
            .filter(stored -> stored.claimableAt(now))
            .sorted(CLAIM_ORDER)
            .limit(limit)
            .toList();
    List<WorkflowThread> claimed = new ArrayList<>();
    for (Stored stored : free) {
      threads.put(stored.snapshot().id(), stored.withClaim(owner, micros(leaseUntil)));
      claimed.add(restore(stored.snapshot()));
    }
    claimCalls.add(new ClaimCall(owner, now, claimed.stream().map(WorkflowThread::id).toList()));
    return claimed;
  }

  @Override
  public synchronized Optional<Instant> nextClaimableAt(Instant now) {
    return threads.values().stream()
        .filter(stored -> stored.claimOwner() == null && stored.snapshot().status().isActive())
        .map(Stored::claimUntil)
        .filter(until -> until != null && until.isAfter(now))
        .min(Comparator.naturalOrder());
  }

  @Override
  public synchronized Set<ThreadId> renew(
      String owner, Collection<ThreadId> ids, Instant leaseUntil) {
    Set<ThreadId> held = held(owner, ids);
    held.forEach(id -> threads.put(id, threads.get(id).withClaim(owner, micros(leaseUntil))));
    return held;
  }

  @Override
  public synchronized Map<ThreadId, ThreadStatus> heldStatuses(
      String owner, Collection<ThreadId> ids) {
    Map<ThreadId, ThreadStatus> held = new HashMap<>();
    for (ThreadId id : ids) {
      Stored stored = threads.get(id);
      if (stored != null && owner.equals(stored.claimOwner())) {
        held.put(id, stored.snapshot().status());
      }
    }
    return held;
  }

  @Override
  public WorkflowThread updateIfHeld(WorkflowThread thread, String owner) {
    WorkflowThread stored;
    synchronized (this) {
      Stored current = threads.get(thread.id());
      if (current == null || !owner.equals(current.claimOwner())) {
        throw new ClaimLostException(thread.id(), owner);
      }
      if (current.snapshot().version() != thread.version()) {
        throw new ConcurrentThreadUpdateException(thread.id());
      }
      stored =
          thread.isSettled()
              ? saveChanges(current, thread, null, null)
              : saveChanges(current, thread, current.claimOwner(), current.claimUntil());
    }
    tellListeners(thread);
    return stored;
  }

  @Override
  public synchronized void release(ThreadId id, String owner, Instant notBefore) {
    Stored stored = threads.get(id);
    if (stored != null && owner.equals(stored.claimOwner())) {
      threads.put(id, stored.withClaim(null, micros(notBefore)));
    }
  }

  @Override
  public synchronized boolean wake(ThreadId id) {
    Stored stored = threads.get(id);
    if (stored != null && stored.claimOwner() == null && stored.claimUntil() != null) {
      threads.put(id, stored.withClaim(null, null));
      return true;
    }
    return false;
  }

  /** Ends the other owners' claims, keeping their names: they mark the threads as left claimed. */
  @Override
  public synchronized int expireOtherOwners(String owner) {
    int ended = 0;
    for (Stored stored : List.copyOf(threads.values())) {
      if (stored.claimOwner() != null && !stored.claimOwner().equals(owner)) {
        threads.put(stored.snapshot().id(), stored.withClaim(stored.claimOwner(), null));
        ended++;
      }
    }
    return ended;
  }

  // ---- ThreadEventLog ----

  @Override
  public synchronized List<LoggedEvent> read(long after, EventFilter filter, int limit) {
    return events.stream()
        .filter(logged -> logged.seq() > after && filter.matches(logged.event()))
        .limit(limit)
        .toList();
  }

  /** Keeps every progress event: no log has to drop the earlier ones. */
  @Override
  public void appendProgress(ThreadEvent progress) {
    synchronized (this) {
      append(List.of(progress));
    }
    listeners.forEach(Runnable::run);
  }

  @Override
  public void appendOnItsOwn(ThreadEvent event) {
    appendProgress(event);
  }

  @Override
  public synchronized long lastSeq() {
    return events.size();
  }

  /** This log keeps every event: the tests that use it read what they wrote. */
  @Override
  public long prunedUpTo() {
    return 0;
  }

  @Override
  public int pruneBefore(Instant before, int limit) {
    return 0;
  }

  @Override
  public void onAppended(Runnable listener) {
    listeners.add(listener);
  }

  // ---- what tests look at ----

  /** The thread's claim as stored, or null when the thread is not there. */
  public synchronized Claim claimOf(ThreadId id) {
    Stored stored = threads.get(id);
    return stored == null ? null : new Claim(stored.claimOwner(), stored.claimUntil());
  }

  /** Every {@link #claim} call so far, oldest first. */
  public synchronized List<ClaimCall> claimCalls() {
    return List.copyOf(claimCalls);
  }

  /** A thread's events, in the order they were stored. */
  public synchronized List<ThreadEvent> eventsOf(ThreadId id) {
    return events.stream()
        .map(LoggedEvent::event)
        .filter(event -> event.threadId().equals(id))
        .toList();
  }

  /** The types of a thread's events, in the order they were stored. */
  public List<ThreadEventType> eventTypesOf(ThreadId id) {
    return eventsOf(id).stream().map(ThreadEvent::type).toList();
  }

  // ---- writing ----

  /** Under the lock, the version (or claim) checked. */
  private WorkflowThread saveChanges(
      Stored current, WorkflowThread thread, String owner, Instant until) {
    ThreadSnapshot sameVersion = micros(thread.snapshot());
    long version =
        sameVersion.equals(current.snapshot())
            ? current.snapshot().version()
            : current.snapshot().version() + 1;
    return save(new Stored(sameVersion.withVersion(version), owner, until), thread);
  }

  /** Under the lock: the thread and the events it recorded, in one step. */
  private WorkflowThread save(Stored next, WorkflowThread thread) {
    threads.put(next.snapshot().id(), next);
    append(thread.newEvents());
    return restore(next.snapshot());
  }

  private void append(List<ThreadEvent> recorded) {
    for (ThreadEvent event : recorded) {
      events.add(new LoggedEvent(events.size() + 1, event));
    }
  }

  /** Outside the lock, as a real log tells its listeners once the write has committed. */
  private void tellListeners(WorkflowThread written) {
    if (!written.newEvents().isEmpty()) {
      listeners.forEach(Runnable::run);
    }
  }

  private static WorkflowThread restore(ThreadSnapshot snapshot) {
    return WorkflowThread.restore(snapshot);
  }

  private static ThreadSnapshot micros(ThreadSnapshot s) {
    List<ThreadStep> steps =
        s.steps().stream()
            .map(
                step ->
                    new ThreadStep(
                        step.name(),
                        step.agent(),
                        step.status(),
                        step.attempts(),
                        step.failures(),
                        micros(step.startedAt()),
                        micros(step.finishedAt()),
                        step.output(),
                        step.error(),
                        micros(step.dueAt())))
            .toList();
    return new ThreadSnapshot(
        s.id(),
        s.owner(),
        s.title(),
        s.workflowType(),
        s.workflowVersion(),
        s.request(),
        s.status(),
        steps,
        s.errorMessage(),
        micros(s.createdAt()),
        micros(s.startTime()),
        micros(s.lastUpdated()),
        micros(s.finishedAt()),
        s.version());
  }

  private static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }
}
