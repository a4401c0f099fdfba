package io.orchestro.threads.adapters.persistence;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.orchestro.threads.application.port.in.EventsPrunedException;
import io.orchestro.threads.application.port.out.DeliveryObserver;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.service.EventBroadcaster;
import io.orchestro.threads.application.service.RetentionService;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import io.orchestro.threads.domain.WorkflowThread;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention on every store (docs/api.md "Keeping the store small"): {@link RetentionService} on the
 * store's own threads, event log and webhooks. Only finished threads older than their status's age
 * go, with their deliveries and a {@code thread_deleted} each; only events older than the resume
 * window are pruned, from the start of the log; a resume from before what is kept is refused.
 */
public abstract class RetentionContractTest {

  /** Ten days after the threads of {@link TestWorkflows}, which finish at T0 + 1 s. */
  private static final Instant NOW = T0.plus(Duration.ofDays(10));

  private static final Duration DAY = Duration.ofDays(1);

  protected WorkflowThreadStore threads;
  protected ThreadEventLog events;
  protected WebhookStore webhooks;

  /**
   * Sets the three fields to empty stores of one kind, sharing one place (and, for the JSON store,
   * an event log that starts a new segment file with each write, so that it can prune event by
   * event as a database does).
   */
  protected abstract void openEmpty();

  /** Makes the events of every committed write readable (see ThreadEventLogContractTest). */
  protected abstract void makeCommittedEventsReadable();

  @BeforeEach
  void startEmpty() {
    openEmpty();
  }

  @Test
  void deletesOnlyTheFinishedThreadsOlderThanTheirStatussAgeWithTheirDeliveries() {
    WorkflowThread oldCompleted = insert(TestWorkflows.threadIn(ThreadStatus.COMPLETED));
    WorkflowThread oldFailed = insert(TestWorkflows.threadIn(ThreadStatus.FAILED));
    WorkflowThread recentCompleted = insert(finished(ThreadStatus.COMPLETED, NOW.minusSeconds(60)));
    // created as long ago as the old ones, but not finished: never deleted, however old
    WorkflowThread running = insert(TestWorkflows.threadIn(ThreadStatus.RUNNING));
    WorkflowThread paused = insert(TestWorkflows.threadIn(ThreadStatus.PAUSED));
    WorkflowThread pending = insert(TestWorkflows.threadIn(ThreadStatus.PENDING));
    makeCommittedEventsReadable();
    Webhook webhook = webhookWithDeliveriesOf(oldCompleted, running);
    long before = events.lastSeq();

    RetentionService.Outcome outcome = retention(DAY, DAY, null).runOnce();
    makeCommittedEventsReadable();

    assertThat(outcome.threadsDeleted()).isEqualTo(2);
    assertThat(threads.find(oldCompleted.id())).isEmpty();
    assertThat(threads.find(oldFailed.id())).isEmpty();
    for (WorkflowThread kept : List.of(recentCompleted, running, paused, pending)) {
      assertThat(threads.find(kept.id())).get().returns(kept.status(), WorkflowThread::status);
    }
    assertThat(events.read(before, EventFilter.ALL, 100))
        .extracting(logged -> logged.event().type(), logged -> logged.event().threadId())
        .containsExactlyInAnyOrder(
            tuple(ThreadEventType.THREAD_DELETED, oldCompleted.id()),
            tuple(ThreadEventType.THREAD_DELETED, oldFailed.id()));
    assertThat(webhooks.deliveries(webhook.id(), 10))
        .extracting(WebhookDelivery::threadId)
        .containsExactly(running.id());
  }

  @Test
  void keepsFinishedThreadsOfAStatusWithoutAnAge() {
    WorkflowThread oldCompleted = insert(TestWorkflows.threadIn(ThreadStatus.COMPLETED));
    WorkflowThread oldFailed = insert(TestWorkflows.threadIn(ThreadStatus.FAILED));

    RetentionService.Outcome outcome = retention(null, DAY, null).runOnce();

    assertThat(outcome.threadsDeleted()).isEqualTo(1);
    assertThat(threads.find(oldCompleted.id())).isPresent();
    assertThat(threads.find(oldFailed.id())).isEmpty();
  }

  /** More expired threads than a batch holds: every one goes, batch after batch. */
  @Test
  void deletesABacklogInBatches() {
    List<ThreadId> expired = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      expired.add(insert(TestWorkflows.threadIn(ThreadStatus.COMPLETED)).id());
    }

    RetentionService.Outcome outcome =
        new RetentionService(
                threads,
                events,
                webhooks,
                Clock.fixed(NOW, ZoneOffset.UTC),
                Map.of(ThreadStatus.COMPLETED, DAY),
                null,
                3)
            .runOnce();

    assertThat(outcome.threadsDeleted()).isEqualTo(7);
    expired.forEach(id -> assertThat(threads.find(id)).isEmpty());
  }

  /** A retry made after retention read the thread wins: the thread stays, running again. */
  @Test
  void aThreadChangedSinceItWasReadIsNotDeleted() {
    WorkflowThread failed = insert(TestWorkflows.threadIn(ThreadStatus.FAILED));
    WorkflowThread asRetentionReadIt = threads.find(failed.id()).orElseThrow();
    WorkflowThread retried = threads.find(failed.id()).orElseThrow();
    retried.retry(NOW);
    threads.update(retried);

    asRetentionReadIt.delete(NOW);

    assertThat(threads.deleteUnchanged(asRetentionReadIt)).isFalse();
    assertThat(threads.find(failed.id())).get().returns(retried.status(), WorkflowThread::status);
  }

  @Test
  void prunesOnlyTheEventsOlderThanTheWindowFromTheStartOfTheLog() {
    // one thread created each hour: one thread_created event each, the log's only events
    List<WorkflowThread> created = new ArrayList<>();
    for (int hour = 0; hour < 6; hour++) {
      created.add(insert(pendingAt(T0.plus(Duration.ofHours(hour)))));
    }
    makeCommittedEventsReadable();
    List<LoggedEvent> all = events.read(0, EventFilter.ALL, 100);
    Webhook webhook = webhookWithDeliveriesOf(created.get(0), created.get(5));
    Instant cutoff = T0.plus(Duration.ofMinutes(210));

    RetentionService.Outcome outcome =
        retention(null, null, Duration.between(cutoff, NOW)).runOnce();

    assertThat(outcome.eventsPruned()).isEqualTo(4);
    assertThat(events.prunedUpTo()).isEqualTo(all.get(3).seq());
    assertThat(events.read(0, EventFilter.ALL, 100)).containsExactlyElementsOf(all.subList(4, 6));
    assertThat(webhooks.deliveries(webhook.id(), 10))
        .extracting(WebhookDelivery::threadId)
        .containsExactly(created.get(5).id());
    // the threads themselves stay: only their old events went
    created.forEach(thread -> assertThat(threads.find(thread.id())).isPresent());
    assertThat(retention(null, null, Duration.between(cutoff, NOW)).runOnce().eventsPruned())
        .isZero();
  }

  /**
   * Resuming after a pruned event would skip events in silence: refused; after the mark, served.
   */
  @Test
  void aResumeFromBeforeWhatIsKeptIsRefused() throws InterruptedException {
    List<WorkflowThread> created = new ArrayList<>();
    for (int hour = 0; hour < 3; hour++) {
      created.add(insert(pendingAt(T0.plus(Duration.ofHours(hour)))));
    }
    makeCommittedEventsReadable();
    retention(null, null, Duration.between(T0.plus(Duration.ofMinutes(90)), NOW)).runOnce();
    long prunedUpTo = events.prunedUpTo();
    ThreadId keptThread = created.get(2).id();

    try (EventBroadcaster broadcaster =
        new EventBroadcaster(
            events, threads, Duration.ofHours(1), Clock.systemUTC(), DeliveryObserver.NONE)) {
      broadcaster.start();
      assertThatThrownBy(
              () -> broadcaster.watch(Caller.LOCAL_ADMIN, EventFilter.ALL, prunedUpTo - 1, 10))
          .isInstanceOf(EventsPrunedException.class);
      assertThatThrownBy(() -> broadcaster.watch(Caller.LOCAL_ADMIN, EventFilter.ALL, 0L, 10))
          .isInstanceOf(EventsPrunedException.class);
      assertThatThrownBy(
              () -> broadcaster.threadHistory(Caller.LOCAL_ADMIN, keptThread, prunedUpTo - 1, 10))
          .isInstanceOf(EventsPrunedException.class);
      try (var resumed = broadcaster.watch(Caller.LOCAL_ADMIN, EventFilter.ALL, prunedUpTo, 10)) {
        assertThat(resumed.next(Duration.ofSeconds(5)).event().threadId()).isEqualTo(keptThread);
      }
      // a thread's whole history (0) is what is kept of it, without a refusal
      assertThat(broadcaster.threadHistory(Caller.LOCAL_ADMIN, keptThread, 0, 10))
          .extracting(logged -> logged.event().type())
          .containsExactly(ThreadEventType.THREAD_CREATED);
    }
  }

  private RetentionService retention(Duration completed, Duration failed, Duration window) {
    Map<ThreadStatus, Duration> ages = new EnumMap<>(ThreadStatus.class);
    if (completed != null) {
      ages.put(ThreadStatus.COMPLETED, completed);
    }
    if (failed != null) {
      ages.put(ThreadStatus.FAILED, failed);
    }
    return new RetentionService(
        threads, events, webhooks, Clock.fixed(NOW, ZoneOffset.UTC), ages, window, 100);
  }

  private WorkflowThread insert(WorkflowThread thread) {
    return threads.insert(thread);
  }

  private static WorkflowThread pendingAt(Instant at) {
    return WorkflowThread.create(
        ThreadId.generate(),
        TestWorkflows.request("do the thing"),
        TestWorkflows.definition("test", "a"),
        at);
  }

  /** A one-step thread created, run and finished (completed or failed) at {@code at}. */
  private static WorkflowThread finished(ThreadStatus status, Instant at) {
    WorkflowThread thread = pendingAt(at);
    thread.start(at);
    thread.startStep("a", at);
    if (status == ThreadStatus.COMPLETED) {
      thread.completeStep("a", Map.of(), at);
    } else {
      thread.failStep("a", "boom", RetryPolicy.NONE, at);
    }
    return thread;
  }

  /** A webhook with a delivery of each thread's first event. */
  private Webhook webhookWithDeliveriesOf(WorkflowThread... delivered) {
    Webhook webhook =
        Webhook.register(URI.create("https://example.com/hook"), Set.of(), "secret", T0, 0);
    webhooks.insert(webhook);
    for (WorkflowThread thread : delivered) {
      LoggedEvent first = events.read(0, EventFilter.ofThread(thread.id()), 1).get(0);
      webhooks.recordDelivery(
          new WebhookDelivery(
              webhook.id(),
              first.seq(),
              first.event().type(),
              thread.id(),
              WebhookDelivery.Status.DELIVERED,
              1,
              T0,
              200,
              null));
    }
    return webhook;
  }
}
