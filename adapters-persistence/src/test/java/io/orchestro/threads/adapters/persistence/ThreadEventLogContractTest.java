package io.orchestro.threads.adapters.persistence;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ThreadEventLog} does, whatever store appends to it: each implementation's test
 * extends this class and hands over a store and the log it appends to.
 */
public abstract class ThreadEventLogContractTest {

  protected WorkflowThreadStore store;
  protected ThreadEventLog log;

  /** The number of the last event before the test: a database keeps counting across tests. */
  private long before;

  /** Sets {@link #store} to a store holding no threads and {@link #log} to its event log. */
  protected abstract void openEmpty();

  /**
   * Makes the events of every committed write readable, as the log's own background work would
   * (nothing to do where events are readable when the write returns).
   */
  protected abstract void makeCommittedEventsReadable();

  @BeforeEach
  void startEmpty() {
    openEmpty();
    before = log.lastSeq();
  }

  @Test
  void numbersEveryEventOnceConsecutivelyInTheOrderOfTheWrites() {
    List<ThreadEvent> recorded = new ArrayList<>();
    WorkflowThread first = insert(TestWorkflows.pendingThread(), recorded);
    WorkflowThread second = insert(TestWorkflows.pendingThread(), recorded);
    first.start(T0.plusSeconds(1));
    first.startStep("a", T0.plusSeconds(1));
    first = update(first, recorded);
    second.pause(T0.plusSeconds(2));
    update(second, recorded);
    first.completeStep("a", Map.of(), T0.plusSeconds(3));
    update(first, recorded);
    makeCommittedEventsReadable();

    List<LoggedEvent> read = log.read(before, EventFilter.ALL, 100);

    assertThat(read).extracting(LoggedEvent::event).containsExactlyElementsOf(recorded);
    assertThat(recorded).hasSize(6);
    assertThat(read).extracting(LoggedEvent::seq).containsExactly(numbersAfter(before, 6));
    assertThat(log.lastSeq()).isEqualTo(before + 6);
  }

  @Test
  void readsOnlyTheEventsAfterTheGivenNumberAtMostTheLimitAtATime() {
    List<ThreadEvent> recorded = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      insert(TestWorkflows.pendingThread(), recorded);
    }
    makeCommittedEventsReadable();

    assertThat(log.read(before, EventFilter.ALL, 2))
        .extracting(LoggedEvent::seq)
        .containsExactly(before + 1, before + 2);
    assertThat(log.read(before + 2, EventFilter.ALL, 2))
        .extracting(LoggedEvent::event)
        .containsExactly(recorded.get(2), recorded.get(3));
    assertThat(log.read(before + 4, EventFilter.ALL, 2))
        .extracting(LoggedEvent::seq)
        .containsExactly(before + 5);
    assertThat(log.read(before + 5, EventFilter.ALL, 2)).isEmpty();
  }

  @Test
  void filtersByThreadAndByType() {
    List<ThreadEvent> recorded = new ArrayList<>();
    WorkflowThread watched = insert(TestWorkflows.pendingThread(), recorded);
    WorkflowThread other = insert(TestWorkflows.pendingThread(), recorded);
    watched.start(T0.plusSeconds(1));
    watched.startStep("a", T0.plusSeconds(1));
    update(watched, recorded);
    other.start(T0.plusSeconds(1));
    other.startStep("a", T0.plusSeconds(1));
    update(other, recorded);
    makeCommittedEventsReadable();

    assertThat(log.read(before, EventFilter.ofThread(watched.id()), 100))
        .extracting(logged -> logged.event().type())
        .containsExactly(
            ThreadEventType.THREAD_CREATED,
            ThreadEventType.THREAD_STARTED,
            ThreadEventType.STEP_STARTED);
    assertThat(log.read(before, new EventFilter(null, Set.of(ThreadEventType.STEP_STARTED)), 100))
        .extracting(logged -> logged.event().threadId())
        .containsExactly(watched.id(), other.id());
    assertThat(
            log.read(
                before,
                new EventFilter(
                    other.id(),
                    Set.of(ThreadEventType.THREAD_CREATED, ThreadEventType.STEP_STARTED)),
                100))
        .extracting(logged -> logged.event().type())
        .containsExactly(ThreadEventType.THREAD_CREATED, ThreadEventType.STEP_STARTED);
  }

  @Test
  void filtersByTheOwnerOfTheThreadEvenAfterItIsDeleted() {
    List<ThreadEvent> recorded = new ArrayList<>();
    WorkflowThread alices =
        insert(
            WorkflowThread.create(
                ThreadId.generate(),
                "alice",
                TestWorkflows.request("mine"),
                TestWorkflows.definition("test", "a"),
                T0),
            recorded);
    insert(TestWorkflows.pendingThread(), recorded);
    alices.delete("an-admin", T0.plusSeconds(1));
    store.delete(alices);
    makeCommittedEventsReadable();

    assertThat(log.read(before, EventFilter.ALL.withOwner("alice"), 100))
        .extracting(LoggedEvent::event)
        .extracting(ThreadEvent::threadId, ThreadEvent::type, ThreadEvent::actor)
        .containsExactly(
            tuple(alices.id(), ThreadEventType.THREAD_CREATED, "alice"),
            tuple(alices.id(), ThreadEventType.THREAD_DELETED, "an-admin"));
    assertThat(log.read(before, EventFilter.ofThread(alices.id()).withOwner("bob"), 100)).isEmpty();
    assertThat(log.read(before, EventFilter.ALL, 100)).hasSize(3);
  }

  /** Each write's events, a thread's whole life long, in the order the aggregate recorded them. */
  @Test
  void appendsTheRecordedEventsInOrderWithEachWrite() {
    List<ThreadEvent> recorded = new ArrayList<>();
    WorkflowThread thread = insert(TestWorkflows.pendingThread(), recorded);
    thread.start(T0.plusSeconds(1));
    thread.startStep("a", T0.plusSeconds(1));
    thread.completeStep("a", Map.of("ok", true), T0.plusSeconds(2));
    thread = update(thread, recorded);
    thread.pause(T0.plusSeconds(3));
    thread = update(thread, recorded);
    thread.delete(T0.plusSeconds(4));
    recorded.addAll(thread.newEvents());
    store.delete(thread);
    WorkflowThread other = insert(TestWorkflows.pendingThread(), recorded);
    makeCommittedEventsReadable();

    List<LoggedEvent> read = log.read(before, EventFilter.ALL, 100);

    assertThat(read).extracting(LoggedEvent::event).containsExactlyElementsOf(recorded);
    assertThat(read)
        .extracting(LoggedEvent::seq)
        .containsExactly(numbersAfter(before, read.size()));
    assertThat(read)
        .extracting(logged -> logged.event().type())
        .startsWith(ThreadEventType.THREAD_CREATED, ThreadEventType.THREAD_STARTED)
        .endsWith(ThreadEventType.THREAD_DELETED, ThreadEventType.THREAD_CREATED)
        .hasSizeGreaterThan(5);
    assertThat(read.get(read.size() - 1).event().threadId()).isEqualTo(other.id());
  }

  /**
   * Progress is appended on its own, numbered among the writes' events; a log may drop a step's
   * earlier progress, never its newest.
   */
  @Test
  void appendsProgressEventsBetweenTheWritesEventsWithTheirAttemptAndDetail() {
    WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
    thread.start(T0.plusSeconds(1));
    thread.startStep("a", T0.plusSeconds(1));
    thread = store.update(thread);
    log.appendProgress(progress(thread, T0.plusSeconds(2), "The answer"));
    ThreadEvent newest = progress(thread, T0.plusSeconds(3), "The answer, \"quoted\" and ü");
    log.appendProgress(newest);
    thread.completeStep("a", Map.of("text", "The answer."), T0.plusSeconds(4));
    store.update(thread);
    makeCommittedEventsReadable();

    List<LoggedEvent> read = log.read(before, EventFilter.ofThread(thread.id()), 100);

    List<ThreadEventType> types = read.stream().map(logged -> logged.event().type()).toList();
    int completed = types.indexOf(ThreadEventType.STEP_COMPLETED);
    assertThat(read.get(completed - 1).event()).isEqualTo(newest);
    assertThat(types.subList(types.indexOf(ThreadEventType.STEP_STARTED) + 1, completed))
        .isNotEmpty()
        .containsOnly(ThreadEventType.STEP_PROGRESS);
    assertThat(read).extracting(LoggedEvent::seq).isSorted();
    assertThat(log.read(before, new EventFilter(null, Set.of(ThreadEventType.STEP_PROGRESS)), 100))
        .extracting(LoggedEvent::event)
        .endsWith(newest);
  }

  /** A webhook_disabled event is appended on its own and read back as it was, its detail too. */
  @Test
  void appendsAWebhookDisabledEventWithItsDetail() {
    WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
    makeCommittedEventsReadable();
    long before = log.lastSeq();
    ThreadEvent stoppedAt = log.read(0, EventFilter.ofThread(thread.id()), 1).get(0).event();
    ThreadEvent disabled =
        ThreadEvent.webhookDisabled(stoppedAt, T0.plusSeconds(9), "webhook w is disabled");

    log.appendOnItsOwn(disabled);
    makeCommittedEventsReadable();

    assertThat(log.read(before, EventFilter.ofThread(thread.id()), 100))
        .extracting(LoggedEvent::event)
        .containsExactly(disabled);
  }

  protected static ThreadEvent progress(WorkflowThread thread, Instant at, String detail) {
    return ThreadEvent.stepProgress(
        thread.id(), at, thread.status(), "a", thread.progress(), 1, detail);
  }

  @Test
  void keepsTheEventsOfADeletedThreadEndingWithItsDeletion() {
    WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
    thread.delete(T0.plusSeconds(1));
    store.delete(thread);
    makeCommittedEventsReadable();

    assertThat(log.read(before, EventFilter.ofThread(thread.id()), 100))
        .extracting(logged -> logged.event().type())
        .containsExactly(ThreadEventType.THREAD_CREATED, ThreadEventType.THREAD_DELETED);
  }

  @Test
  void tellsItsListenersOnceEventsWrittenHereAreReadable() throws InterruptedException {
    CountDownLatch told = new CountDownLatch(1);
    List<Long> readableWhenTold = new ArrayList<>();
    log.onAppended(
        () -> {
          synchronized (readableWhenTold) {
            readableWhenTold.add(log.lastSeq());
          }
          told.countDown();
        });

    store.insert(TestWorkflows.pendingThread());

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    synchronized (readableWhenTold) {
      assertThat(readableWhenTold.get(0)).isGreaterThan(before);
    }
  }

  /**
   * The promise readers build on: a reader that keeps asking for the events after the last one it
   * saw, while writers commit concurrently, sees every event exactly once, with no number skipped.
   */
  @Test
  void aReaderTailingTheLogWhileWritersRaceSeesEveryEventOnceWithoutAGap() throws Exception {
    int writers = 8;
    int threadsPerWriter = 25;
    List<Callable<Void>> calls = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      calls.add(
          () -> {
            for (int i = 0; i < threadsPerWriter; i++) {
              WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
              thread.start(T0.plusSeconds(1));
              thread.startStep("a", T0.plusSeconds(1));
              store.update(thread);
            }
            return null;
          });
    }
    // thread_created, then thread_started and step_started
    int expected = writers * threadsPerWriter * 3;
    List<LoggedEvent> seen = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              long cursor = before;
              while (seen.size() < expected && !Thread.currentThread().isInterrupted()) {
                makeCommittedEventsReadable();
                List<LoggedEvent> batch = log.read(cursor, EventFilter.ALL, 37);
                for (LoggedEvent event : batch) {
                  synchronized (seen) {
                    seen.add(event);
                  }
                  cursor = event.seq();
                }
              }
            });
    reader.start();
    try {
      assertThat(Race.failuresOf(calls)).isEmpty();
      await().atMost(Duration.ofSeconds(30)).until(() -> sizeOf(seen) == expected);
    } finally {
      reader.interrupt();
      reader.join();
    }

    synchronized (seen) {
      assertThat(seen).extracting(LoggedEvent::seq).containsExactly(numbersAfter(before, expected));
      Set<String> createdThenStarted = new HashSet<>();
      for (LoggedEvent event : seen) {
        String id = event.event().threadId().toString();
        if (event.event().type() == ThreadEventType.THREAD_CREATED) {
          assertThat(createdThenStarted.add(id)).isTrue();
        } else {
          assertThat(createdThenStarted).as("created before started").contains(id);
        }
      }
    }
  }

  private static int sizeOf(List<LoggedEvent> seen) {
    synchronized (seen) {
      return seen.size();
    }
  }

  protected static Long[] numbersAfter(long after, int count) {
    Long[] numbers = new Long[count];
    for (int i = 0; i < count; i++) {
      numbers[i] = after + 1 + i;
    }
    return numbers;
  }

  private WorkflowThread insert(WorkflowThread thread, List<ThreadEvent> recorded) {
    recorded.addAll(thread.newEvents());
    return store.insert(thread);
  }

  private WorkflowThread update(WorkflowThread thread, List<ThreadEvent> recorded) {
    recorded.addAll(thread.newEvents());
    return store.update(thread);
  }
}
