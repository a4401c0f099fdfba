package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_CREATED;
import static io.orchestro.threads.domain.ThreadEventType.THREAD_PAUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.orchestro.threads.application.port.out.DeliveryObserver;
import io.orchestro.threads.application.port.out.WebhookSender;
import io.orchestro.threads.application.service.WebhookService;
import io.orchestro.threads.application.testing.InMemoryThreadStore;
import io.orchestro.threads.application.testing.InMemoryWebhookStore;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.domain.EgressPolicy;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import io.orchestro.threads.domain.WorkflowThread;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhook deliveries from the event log in memory to a receiver that can be down, on a clock that
 * moves only when the test moves it. The dispatcher never polls here (an hour): it works when the
 * log tells it of new events, or when the test wakes it.
 */
@Timeout(60)
class WebhookDispatcherTest {

  private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration DISABLE_AFTER = Duration.ofDays(1);

  private final InMemoryThreadStore threads = new InMemoryThreadStore();
  private final InMemoryWebhookStore store = new InMemoryWebhookStore();
  private final SettableClock clock = SettableClock.standingStill();
  private final WebhookService webhooks =
      new WebhookService(store, threads, clock, new EgressPolicy(List.of()));
  private final Receiver receiver = new Receiver();

  /** Delivers on the loop's own thread: a round ends when its deliveries have. */
  private final WebhookDispatcher dispatcher =
      new WebhookDispatcher(
          store,
          threads,
          receiver,
          clock,
          Runnable::run,
          Duration.ofHours(1),
          INITIAL_BACKOFF,
          MAX_BACKOFF,
          DISABLE_AFTER,
          DeliveryObserver.NONE);

  @AfterEach
  void stop() {
    dispatcher.close();
  }

  @Test
  void aReceiverGetsTheEventsItWantsInOrderAndTheProgressIsStored() {
    threads.insert(TestWorkflows.pendingThread());
    Webhook webhook = webhooks.register(receiver.url, Set.of(THREAD_CREATED, THREAD_PAUSED), "s");
    dispatcher.start();

    WorkflowThread first = threads.insert(TestWorkflows.pendingThread());
    first.pause(SettableClock.START);
    first = threads.update(first);
    first.resume(SettableClock.START);
    threads.update(first);
    threads.insert(TestWorkflows.pendingThread());

    // created, paused, resumed (not wanted), created
    eventually().until(() -> receiver.received.size() == 3);
    assertThat(receiver.received)
        .extracting(event -> event.event().type())
        .containsExactly(THREAD_CREATED, THREAD_PAUSED, THREAD_CREATED);
    assertThat(receiver.received).extracting(LoggedEvent::seq).containsExactly(2L, 3L, 5L);
    eventually().until(() -> store.find(webhook.id()).orElseThrow().deliveredUpTo() == 5);
    assertThat(store.deliveries(webhook.id(), 10))
        .extracting(WebhookDelivery::seq, WebhookDelivery::status, WebhookDelivery::attempts)
        .containsExactly(
            tuple(5L, WebhookDelivery.Status.DELIVERED, 1),
            tuple(3L, WebhookDelivery.Status.DELIVERED, 1),
            tuple(2L, WebhookDelivery.Status.DELIVERED, 1));
  }

  @Test
  void aReceiverThatIsDownIsTriedAgainAfterTheBackoffAndLaterEventsWaitBehind() {
    Webhook webhook = webhooks.register(receiver.url, Set.of(), "s");
    dispatcher.start();
    receiver.up = false;

    threads.insert(TestWorkflows.pendingThread());

    eventually().until(() -> store.find(webhook.id()).orElseThrow().failedAttempts() == 1);
    Webhook failing = store.find(webhook.id()).orElseThrow();
    assertThat(failing.nextAttemptAt()).isEqualTo(SettableClock.START.plus(INITIAL_BACKOFF));
    assertThat(store.deliveries(webhook.id(), 10))
        .singleElement()
        .satisfies(
            delivery -> {
              assertThat(delivery.status()).isEqualTo(WebhookDelivery.Status.RETRYING);
              assertThat(delivery.responseStatus()).isEqualTo(503);
            });

    // the receiver is back and a second event comes, but the backoff still runs: nothing is sent
    receiver.up = true;
    threads.insert(TestWorkflows.pendingThread());
    clock.advance(INITIAL_BACKOFF.minusMillis(1));
    awaitARoundBegunNow();
    assertThat(receiver.received).isEmpty();
    assertThat(receiver.attempts).hasSize(1);

    clock.advance(Duration.ofMillis(1));
    dispatcher.wake();

    eventually().until(() -> receiver.received.size() == 2);
    assertThat(receiver.received).extracting(LoggedEvent::seq).containsExactly(1L, 2L);
    Webhook delivered = store.find(webhook.id()).orElseThrow();
    assertThat(delivered.deliveredUpTo()).isEqualTo(2);
    assertThat(delivered.failedAttempts()).isZero();
    assertThat(delivered.nextAttemptAt()).isNull();
    assertThat(store.deliveries(webhook.id(), 10))
        .extracting(WebhookDelivery::seq, WebhookDelivery::attempts)
        .containsExactly(tuple(2L, 1), tuple(1L, 2));
  }

  @Test
  void theBackoffDoublesAfterEachFailureUpToTheMost() {
    assertThat(List.of(1, 2, 3, 4, 5, 100).stream().map(dispatcher::backoffAfter).toList())
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            MAX_BACKOFF,
            MAX_BACKOFF,
            MAX_BACKOFF);
  }

  @Test
  void aWebhookDeletedWhileEventsAreDeliveredGetsNoMore() {
    Webhook webhook = webhooks.register(receiver.url, Set.of(), "s");
    threads.insert(TestWorkflows.pendingThread());
    threads.insert(TestWorkflows.pendingThread());
    webhooks.delete(webhook.id());

    dispatcher.deliver(webhook);

    // the first event was on its way; storing its progress found the webhook gone
    assertThat(receiver.received).extracting(LoggedEvent::seq).containsExactly(1L);
    assertThat(store.find(webhook.id())).isEmpty();
  }

  @Test
  void aWebhookThatWantsNoneOfTheNewEventsSkipsThemWithoutSendingAny() {
    Webhook webhook =
        webhooks.register(receiver.url, Set.of(ThreadEventType.THREAD_COMPLETED), "s");
    threads.insert(TestWorkflows.pendingThread());
    threads.insert(TestWorkflows.pendingThread());

    dispatcher.deliver(webhook);

    assertThat(receiver.attempts).isEmpty();
    assertThat(store.find(webhook.id()).orElseThrow().deliveredUpTo()).isEqualTo(2);
    assertThat(store.deliveries(webhook.id(), 10)).isEmpty();
  }

  /**
   * Wakes the dispatcher and waits until a round that began after the wake-up has ended: rounds run
   * one at a time and each begins by listing the webhooks, so the one after it has begun.
   */
  @Test
  void aReceiverFailingForTooLongIsDisabledUntilEnabledAgainThenGetsWhatWaited() {
    Webhook webhook = webhooks.register(receiver.url, Set.of(), "s");
    dispatcher.start();
    receiver.up = false;
    threads.insert(TestWorkflows.pendingThread());
    eventually().until(() -> store.find(webhook.id()).orElseThrow().failedAttempts() == 1);
    assertThat(store.find(webhook.id()).orElseThrow().failingSince())
        .isEqualTo(SettableClock.START);

    // failing for less than a day: still tried
    clock.advance(DISABLE_AFTER.minusMinutes(1));
    awaitARoundBegunNow();
    Webhook failing = store.find(webhook.id()).orElseThrow();
    assertThat(failing.failedAttempts()).isEqualTo(2);
    assertThat(failing.isEnabled()).isTrue();

    // a day of failures: disabled at this attempt
    clock.advance(Duration.ofMinutes(1));
    awaitARoundBegunNow();
    Webhook disabled = store.find(webhook.id()).orElseThrow();
    assertThat(disabled.isEnabled()).isFalse();
    assertThat(disabled.disabledAt()).isEqualTo(SettableClock.START.plus(DISABLE_AFTER));
    assertThat(store.deliveries(webhook.id(), 10))
        .singleElement()
        .satisfies(
            delivery -> {
              assertThat(delivery.status()).isEqualTo(WebhookDelivery.Status.DISABLED);
              assertThat(delivery.attempts()).isEqualTo(3);
            });

    // back up, and more events come: a disabled webhook gets no attempt, however long it waits
    receiver.up = true;
    threads.insert(TestWorkflows.pendingThread());
    clock.advance(Duration.ofDays(3));
    awaitARoundBegunNow();
    assertThat(receiver.attempts).hasSize(3);

    Webhook enabled = webhooks.enable(webhook.id());
    assertThat(enabled.isEnabled()).isTrue();
    assertThat(enabled.failingSince()).isNull();
    dispatcher.wake();

    // what waited, its own webhook_disabled event (seq 2) among it, since it takes every type
    eventually().until(() -> receiver.received.size() == 3);
    assertThat(receiver.received).extracting(LoggedEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(receiver.received.get(1).event().type()).isEqualTo(ThreadEventType.WEBHOOK_DISABLED);
    assertThat(receiver.received.get(1).event().detail())
        .startsWith("webhook " + webhook.id() + " is disabled: its receiver has failed since ");
    assertThat(store.find(webhook.id()).orElseThrow())
        .satisfies(
            delivered -> {
              assertThat(delivered.deliveredUpTo()).isEqualTo(3);
              assertThat(delivered.failedAttempts()).isZero();
              assertThat(delivered.failingSince()).isNull();
            });
  }

  private void awaitARoundBegunNow() {
    int before = store.listCalls();
    dispatcher.wake();
    eventually().until(() -> store.listCalls() > before);
    dispatcher.wake();
    eventually().until(() -> store.listCalls() > before + 1);
  }

  /** Takes every event while up; answers 503 while down. */
  private static final class Receiver implements WebhookSender {

    final URI url = URI.create("http://receiver.example/hook");
    final List<LoggedEvent> attempts = new CopyOnWriteArrayList<>();
    final List<LoggedEvent> received = new CopyOnWriteArrayList<>();
    volatile boolean up = true;

    @Override
    public Outcome send(Webhook webhook, LoggedEvent event) {
      attempts.add(event);
      if (!up) {
        return new Outcome(false, 503, "the receiver answered 503");
      }
      received.add(event);
      return new Outcome(true, 204, null);
    }
  }
}
