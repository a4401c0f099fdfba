package io.orchestro.threads.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.application.port.in.WebhooksUseCase.WebhookNotFoundException;
import io.orchestro.threads.application.testing.InMemoryThreadStore;
import io.orchestro.threads.application.testing.InMemoryWebhookStore;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.domain.EgressPolicy;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Registering webhooks and reading their deliveries; the delivering is the dispatcher's. */
class WebhookServiceTest {

  private static final URI RECEIVER = URI.create("https://receiver.example/hook");

  private final InMemoryThreadStore threads = new InMemoryThreadStore();
  private final InMemoryWebhookStore store = new InMemoryWebhookStore();
  private final SettableClock clock = SettableClock.standingStill();
  private final WebhookService webhooks =
      new WebhookService(store, threads, clock, new EgressPolicy(List.of()));

  @Test
  void aNewWebhookGetsOnlyTheEventsAfterItsRegistration() {
    threads.insert(TestWorkflows.pendingThread());
    threads.insert(TestWorkflows.pendingThread());
    clock.advance(Duration.ofNanos(1_234_567));

    Webhook webhook =
        webhooks.register(RECEIVER, Set.of(ThreadEventType.THREAD_COMPLETED), "a secret");

    assertThat(webhook.deliveredUpTo()).isEqualTo(2);
    assertThat(webhook.failedAttempts()).isZero();
    assertThat(webhook.nextAttemptAt()).isNull();
    // whole milliseconds, as every store keeps them
    assertThat(webhook.createdAt()).isEqualTo(SettableClock.START.plusMillis(1));
    assertThat(webhooks.get(webhook.id())).isEqualTo(webhook);
    assertThat(webhooks.list()).containsExactly(webhook);
  }

  @Test
  void aWebhookThatCannotBeDeliveredToIsRefusedAndNotStored() {
    assertThatThrownBy(
            () -> webhooks.register(URI.create("ftp://receiver.example/"), Set.of(), "secret"))
        .isInstanceOf(IllegalArgumentException.class);
    for (String local :
        List.of(
            "http://127.0.0.1:8080/hook",
            "http://10.0.0.1/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/hook",
            "http://localhost/hook",
            "http://metadata.google.internal/")) {
      assertThatThrownBy(() -> webhooks.register(URI.create(local), Set.of(), "secret"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("egress policy");
    }

    assertThat(webhooks.list()).isEmpty();
  }

  @Test
  void aLocalReceiverListedInTheEgressAllowListIsRegistered() {
    WebhookService allowing =
        new WebhookService(
            store, threads, clock, new EgressPolicy(List.of("127.0.0.1", "localhost")));

    allowing.register(URI.create("http://127.0.0.1:8080/hook"), Set.of(), "secret");
    allowing.register(URI.create("http://localhost:8080/hook"), Set.of(), "secret");

    assertThat(webhooks.list()).hasSize(2);
  }

  @Test
  void aWebhookWithoutASecretGetsANewStandardWebhooksSecret() {
    Webhook first = webhooks.register(RECEIVER, Set.of(), null);
    Webhook second = webhooks.register(RECEIVER, Set.of(), " ");

    assertThat(first.secret()).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(first.secret().substring("whsec_".length()))).hasSize(32);
    assertThat(second.secret()).startsWith("whsec_").isNotEqualTo(first.secret());
  }

  @Test
  void deleteRemovesTheWebhookWithItsDeliveries() {
    Webhook webhook = webhooks.register(RECEIVER, Set.of(), "a secret");
    store.recordDelivery(delivered(webhook, 1));

    webhooks.delete(webhook.id());

    assertThatThrownBy(() -> webhooks.get(webhook.id()))
        .isInstanceOf(WebhookNotFoundException.class);
    assertThatThrownBy(() -> webhooks.deliveries(webhook.id(), 10))
        .isInstanceOf(WebhookNotFoundException.class);
    assertThatThrownBy(() -> webhooks.delete(webhook.id()))
        .isInstanceOf(WebhookNotFoundException.class);
    assertThat(store.deliveries(webhook.id(), 10)).isEmpty();
  }

  @Test
  void listsTheLatestDeliveriesNewestEventFirstUpToTheLimit() {
    Webhook webhook = webhooks.register(RECEIVER, Set.of(), "a secret");
    for (long seq = 1; seq <= 5; seq++) {
      store.recordDelivery(delivered(webhook, seq));
    }

    assertThat(webhooks.deliveries(webhook.id(), 3))
        .extracting(WebhookDelivery::seq)
        .containsExactly(5L, 4L, 3L);
    assertThat(webhooks.deliveries(webhook.id(), WebhookService.MAX_DELIVERIES_LISTED)).hasSize(5);
  }

  @Test
  void aLimitOutsideOneToTheMostIsRefused() {
    Webhook webhook = webhooks.register(RECEIVER, Set.of(), "a secret");

    assertThatThrownBy(() -> webhooks.deliveries(webhook.id(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> webhooks.deliveries(webhook.id(), WebhookService.MAX_DELIVERIES_LISTED + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDeliveriesOfAnUnknownWebhookAreNotFound() {
    assertThatThrownBy(() -> webhooks.deliveries(UUID.randomUUID(), 10))
        .isInstanceOf(WebhookNotFoundException.class);
  }

  private static WebhookDelivery delivered(Webhook webhook, long seq) {
    return new WebhookDelivery(
        webhook.id(),
        seq,
        ThreadEventType.THREAD_CREATED,
        ThreadId.generate(),
        WebhookDelivery.Status.DELIVERED,
        1,
        Instant.EPOCH,
        204,
        null);
  }
}
