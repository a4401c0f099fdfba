package io.orchestro.threads.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.port.in.EventSubscription;
import io.orchestro.threads.application.port.in.WatcherTooSlowException;
import io.orchestro.threads.application.port.out.DeliveryObserver;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over from a watcher's history to its live events, on an event log in memory: every event
 * once, in order, whatever the broadcaster's position when the watcher comes.
 */
class EventBroadcasterTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final MemoryLog log = new MemoryLog();
  // no thread store: these tests watch every thread, which needs none
  private final EventBroadcaster broadcaster =
      new EventBroadcaster(
          log, null, Duration.ofHours(1), Clock.systemUTC(), DeliveryObserver.NONE);

  @AfterEach
  void stop() {
    broadcaster.close();
  }

  @Test
  void aWatcherResumingAfterAnEventGetsTheRestOfTheHistoryThenLiveEvents() throws Exception {
    log.append(5);
    broadcaster.start();
    EventSubscription watcher = broadcaster.watch(Caller.LOCAL_ADMIN, EventFilter.ALL, 2L, 10);

    List<Long> received = next(watcher, 3);
    log.append(2);
    received.addAll(next(watcher, 2));

    assertThat(received).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(watcher.next(Duration.ofMillis(50))).isNull();
  }

  @Test
  void aNonAdminWatcherGetsOnlyTheEventsOfItsOwnThreadsInHistoryAndLive() throws Exception {
    log.append("alice", 1);
    log.append("bob", 1);
    broadcaster.start();
    Caller alice = new Caller("alice", Caller.Role.VIEWER);
    EventSubscription watcher = broadcaster.watch(alice, EventFilter.ALL.withOwner("bob"), 0L, 10);

    log.append("bob", 2);
    log.append("alice", 1);

    assertThat(next(watcher, 2)).containsExactly(1L, 5L);
    assertThat(watcher.next(Duration.ofMillis(50))).isNull();
  }

  @Test
  void aWatcherWithoutAPositionGetsOnlyLaterEvents() throws Exception {
    log.append(3);
    broadcaster.start();
    EventSubscription watcher = broadcaster.watch(Caller.LOCAL_ADMIN, EventFilter.ALL, null, 10);

    log.append(1);

    assertThat(next(watcher, 1)).containsExactly(4L);
  }

  /**
   * While nobody watches, the broadcaster reads nothing; the first watcher still misses nothing.
   */
  @Test
  void aFirstWatcherAfterEventsNobodyWatchedGetsOnlyLaterOnesAndNothingWasRead() throws Exception {
    broadcaster.start();
    log.append(3);
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> log.reads() == 0);
    EventSubscription watcher = broadcaster.watch(Caller.LOCAL_ADMIN, EventFilter.ALL, null, 10);

    log.append(1);

    assertThat(next(watcher, 1)).containsExactly(4L);
    assertThat(watcher.next(Duration.ofMillis(50))).isNull();
  }

  /** It resumes after an event another node served before this node's broadcaster read it. */
  @Test
  void aWatcherAheadOfThisNodeGetsNothingTwice() throws Exception {
    log.append(5);
    broadcaster.start();
    log.appendUnannounced(2);
    EventSubscription watcher = broadcaster.watch(Caller.LOCAL_ADMIN, EventFilter.ALL, 7L, 10);

    log.append(1);

    assertThat(next(watcher, 1)).containsExactly(8L);
  }

  @Test
  void aWatcherWhoseBufferFillsUpIsDroppedAndTold() throws Exception {
    broadcaster.start();
    EventSubscription watcher = broadcaster.watch(Caller.LOCAL_ADMIN, EventFilter.ALL, null, 2);

    log.append(3);

    await().atMost(WAIT).until(() -> broadcaster.watcherCount() == 0);
    assertThatThrownBy(() -> watcher.next(WAIT)).isInstanceOf(WatcherTooSlowException.class);
  }

  private static List<Long> next(EventSubscription watcher, int count) throws Exception {
    List<Long> numbers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      LoggedEvent event = watcher.next(WAIT);
      assertThat(event).as("event %d of %d", i + 1, count).isNotNull();
      numbers.add(event.seq());
    }
    return numbers;
  }

  /** Numbers events 1, 2, 3 ... as they are appended, and announces them like a store does. */
  private static final class MemoryLog implements ThreadEventLog {

    private final List<LoggedEvent> events = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

    int reads() {
      return reads.get();
    }

    void append(int count) {
      append(Caller.LOCAL_OWNER, count);
    }

    void append(String owner, int count) {
      appendUnannounced(owner, count);
      listeners.forEach(Runnable::run);
    }

    /** As events committed by another node: readable, but nobody is told. */
    void appendUnannounced(int count) {
      appendUnannounced(Caller.LOCAL_OWNER, count);
    }

    void appendUnannounced(String owner, int count) {
      for (int i = 0; i < count; i++) {
        events.add(
            new LoggedEvent(
                events.size() + 1,
                new ThreadEvent(
                    ThreadEventType.THREAD_CREATED,
                    ThreadId.generate(),
                    Instant.EPOCH,
                    ThreadStatus.PENDING,
                    null,
                    Progress.of(0, 1, "only"),
                    owner,
                    owner)));
      }
    }

    @Override
    public List<LoggedEvent> read(long after, EventFilter filter, int limit) {
      reads.incrementAndGet();
      return events.stream()
          .filter(event -> event.seq() > after && filter.matches(event.event()))
          .limit(limit)
          .toList();
    }

    @Override
    public void appendProgress(ThreadEvent progress) {
      throw new UnsupportedOperationException("the broadcaster only reads");
    }

    @Override
    public void appendOnItsOwn(ThreadEvent event) {
      throw new UnsupportedOperationException("the broadcaster only reads");
    }

    @Override
    public long lastSeq() {
      return events.size();
    }

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
  }
}
