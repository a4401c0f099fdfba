package io.orchestro.threads.application.service;

import io.orchestro.threads.application.engine.WakeableLoop;
import io.orchestro.threads.application.port.in.EventSubscription;
import io.orchestro.threads.application.port.in.EventsPrunedException;
import io.orchestro.threads.application.port.in.ThreadNotFoundException;
import io.orchestro.threads.application.port.in.WatchEventsUseCase;
import io.orchestro.threads.application.port.in.WatcherTooSlowException;
import io.orchestro.threads.application.port.out.DeliveryObserver;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fans the event log out to every watcher of this node: one thread reads the log once for all of
 * them, woken right after this node's writes become readable ({@link ThreadEventLog#onAppended}),
 * and every {@code pollInterval} anyway, which is how events committed by other nodes of a shared
 * database arrive.
 *
 * <p>A watcher gets its history and its live events without a gap or a repeat: it is registered
 * between two fan-outs, at the broadcaster's position P; from then on the broadcaster hands it the
 * events above P, and the history it asked for ends at P, read by the watcher's own thread from the
 * log (everything up to P is readable by then: the broadcaster has read it). Live events wait in
 * the watcher's bounded buffer; one that fills up is dropped (and learns it from {@link
 * EventSubscription#next}), so a slow client costs the server a bounded amount of memory.
 */
public final class EventBroadcaster implements WatchEventsUseCase, AutoCloseable {

  /** Events read from the log at a time, by the broadcaster and by watchers reading history. */
  static final int BATCH = 500;

  private final ThreadEventLog log;
  private final WorkflowThreadStore threads;
  private final Clock clock;
  private final DeliveryObserver observer;
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();

  private final WakeableLoop reader;

  /** Guards {@link #position} and {@link #started}: a watcher registers between two fan-outs. */
  private final ReentrantLock lock = new ReentrantLock();

  private boolean started;

  /** The number of the last event handed to the watchers; guarded by {@link #lock}. */
  private long position;

  /**
   * @param clock tells the delivery lag of live events, reported to {@code observer}
   */
  public EventBroadcaster(
      ThreadEventLog log,
      WorkflowThreadStore threads,
      Duration pollInterval,
      Clock clock,
      DeliveryObserver observer) {
    this.log = log;
    this.threads = threads;
    this.clock = clock;
    this.observer = observer;
    this.reader =
        new WakeableLoop("orchestro-event-broadcaster", pollInterval, woken -> fanOutAll());
    log.onAppended(this::wake);
  }

  /** Starts fanning out from the newest event in the log. */
  public void start() {
    lock.lock();
    try {
      if (started) {
        return;
      }
      started = true;
      position = log.lastSeq();
    } finally {
      lock.unlock();
    }
    reader.start();
  }

  /** False once its reading loop has died ({@link WakeableLoop#isAlive}). */
  public boolean isAlive() {
    return reader.isAlive();
  }

  /** Stops fanning out; watchers get nothing more. */
  @Override
  public void close() {
    reader.close();
    watchers.clear();
  }

  /** New events are readable: read them now rather than at the next poll. */
  void wake() {
    reader.wake();
  }

  // ---- WatchEventsUseCase ----

  @Override
  public List<LoggedEvent> threadHistory(Caller caller, ThreadId id, long after, int limit) {
    requireVisible(caller, id);
    if (after > 0) {
      requireKeptAfter(after);
    }
    return log.read(after, EventFilter.ofThread(id).withOwner(caller.ownerFilter()), limit);
  }

  @Override
  public EventSubscription watchThread(Caller caller, ThreadId id, long after, int bufferCapacity) {
    requireVisible(caller, id);
    if (after > 0) {
      requireKeptAfter(after);
    }
    return subscribe(
        EventFilter.ofThread(id).withOwner(caller.ownerFilter()), after, bufferCapacity);
  }

  @Override
  public EventSubscription watch(
      Caller caller, EventFilter filter, Long after, int bufferCapacity) {
    if (after != null) {
      requireKeptAfter(after);
    }
    // the caller's owner replaces whatever the filter said: only an admin sees every owner's
    return subscribe(filter.withOwner(caller.ownerFilter()), after, bufferCapacity);
  }

  private EventSubscription subscribe(EventFilter filter, Long after, int bufferCapacity) {
    if (after != null && after < 0) {
      throw new IllegalArgumentException("an event number is 0 or more");
    }
    if (bufferCapacity < 1) {
      throw new IllegalArgumentException("the buffer holds at least one event");
    }
    lock.lock();
    try {
      if (watchers.isEmpty()) {
        // nobody watched, so the reader skipped its rounds: live events start after the log's end
        position = Math.max(position, log.lastSeq());
      }
      Watcher watcher =
          new Watcher(filter, after == null ? position : after, position, bufferCapacity);
      watchers.add(watcher);
      return watcher;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A reader resuming after {@code after} must not skip pruned events in silence. (A thread's whole
   * history, asked for with 0, is what the log still keeps of it: no gap inside it.)
   */
  private void requireKeptAfter(long after) {
    long prunedUpTo = log.prunedUpTo();
    if (after < prunedUpTo) {
      throw new EventsPrunedException(after, prunedUpTo);
    }
  }

  private void requireVisible(Caller caller, ThreadId id) {
    if (threads.find(id).filter(thread -> caller.sees(thread.owner())).isEmpty()) {
      throw new ThreadNotFoundException(id);
    }
  }

  // ---- fanning out ----

  /**
   * Hands every readable event after the position to the watchers (a failed read is retried). With
   * no watcher it reads nothing: a node nobody watches would otherwise read the log after every
   * numbering round and every poll, a transaction each, for no one (the first watcher moves the
   * position up to the log's end, {@link #subscribe}).
   */
  private void fanOutAll() {
    if (watchers.isEmpty()) {
      return;
    }
    List<LoggedEvent> batch;
    do {
      batch = log.read(currentPosition(), EventFilter.ALL, BATCH);
      fanOut(batch);
    } while (batch.size() == BATCH);
  }

  private long currentPosition() {
    lock.lock();
    try {
      return position;
    } finally {
      lock.unlock();
    }
  }

  /** Hands the events to the watchers and moves on, as one step that no registration splits. */
  private void fanOut(List<LoggedEvent> batch) {
    if (batch.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      for (Watcher watcher : watchers) {
        for (LoggedEvent event : batch) {
          if (!watcher.offer(event)) {
            break;
          }
        }
      }
      // never backwards: a first watcher may have moved it to the log's end meanwhile
      position = Math.max(position, batch.get(batch.size() - 1).seq());
    } finally {
      lock.unlock();
    }
  }

  /** How many watchers this node serves now. */
  public int watcherCount() {
    return watchers.size();
  }

  /**
   * One watcher: its history, read on its own thread, then the live events the broadcaster puts in
   * its buffer.
   */
  private final class Watcher implements EventSubscription {

    private final EventFilter filter;
    private final int capacity;
    private final BlockingQueue<LoggedEvent> live;

    /** The history still to read: the matching events in (historyAfter, historyUntil]. */
    private long historyAfter;

    private final long historyUntil;

    /** Live events go in the buffer when numbered above this. */
    private final long liveAfter;

    private final Deque<LoggedEvent> historyPage = new ArrayDeque<>();
    private volatile boolean tooSlow;
    private volatile boolean closed;

    /**
     * @param after the last event the watcher has, or the broadcaster's position for none
     * @param position the broadcaster's position: the live events come after it
     */
    Watcher(EventFilter filter, long after, long position, int capacity) {
      this.filter = filter;
      this.historyAfter = after;
      this.historyUntil = position;
      // a watcher may be ahead of this node (it resumes after an event another node served)
      this.liveAfter = Math.max(after, position);
      this.capacity = capacity;
      this.live = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * @return false once this watcher takes nothing more
     */
    boolean offer(LoggedEvent event) {
      if (closed) {
        return false;
      }
      if (event.seq() <= liveAfter || !filter.matches(event.event())) {
        return true;
      }
      if (!live.offer(event)) {
        tooSlow = true;
        live.clear();
        close();
        return false;
      }
      return true;
    }

    @Override
    public LoggedEvent next(Duration wait) throws InterruptedException {
      LoggedEvent fromHistory = nextFromHistory();
      if (fromHistory != null) {
        return fromHistory;
      }
      if (tooSlow) {
        throw new WatcherTooSlowException(capacity);
      }
      if (closed) {
        throw new IllegalStateException("the subscription is closed");
      }
      LoggedEvent event = live.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
      if (event == null && tooSlow) {
        throw new WatcherTooSlowException(capacity);
      }
      if (event != null) {
        observer.eventDelivered(Duration.between(event.event().at(), clock.instant()));
      }
      return event;
    }

    private LoggedEvent nextFromHistory() {
      if (historyPage.isEmpty() && historyAfter < historyUntil) {
        for (LoggedEvent event : log.read(historyAfter, filter, BATCH)) {
          if (event.seq() > historyUntil) {
            break;
          }
          historyPage.add(event);
        }
        historyAfter = historyPage.isEmpty() ? historyUntil : historyPage.getLast().seq();
      }
      return historyPage.poll();
    }

    @Override
    public void close() {
      closed = true;
      watchers.remove(this);
    }
  }
}
