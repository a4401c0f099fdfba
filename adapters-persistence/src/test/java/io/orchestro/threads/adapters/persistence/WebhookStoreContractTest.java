package io.orchestro.threads.adapters.persistence;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link WebhookStore} does; each implementation's test hands over an empty one. */
public abstract class WebhookStoreContractTest {

  protected WebhookStore store;

  protected abstract WebhookStore emptyStore();

  /** Everything the store keeps of its webhooks, as a copy of it would show it. */
  protected abstract String rawStoredText();

  @BeforeEach
  void startEmpty() {
    store = emptyStore();
  }

  @Test
  void givesBackAWebhookFieldForField() {
    Webhook webhook =
        webhook(Set.of(ThreadEventType.THREAD_COMPLETED, ThreadEventType.THREAD_FAILED))
            .attemptFailed(T0.plusSeconds(1), Duration.ofSeconds(4));
    Webhook every = webhook(Set.of());

    store.insert(webhook);
    store.insert(every);

    assertThat(store.find(webhook.id())).contains(webhook);
    assertThat(store.find(every.id())).contains(every);
    assertThat(store.find(UUID.randomUUID())).isEmpty();
    assertThat(store.list()).containsExactlyInAnyOrder(webhook, every);
  }

  @Test
  void keepsSinceWhenAReceiverFailsAndWhenItWasDisabled() {
    Webhook webhook = webhook(Set.of());
    store.insert(webhook);
    Webhook disabled =
        webhook
            .attemptFailed(T0.plusSeconds(1), Duration.ofSeconds(4))
            .attemptFailed(T0.plusSeconds(5), Duration.ofSeconds(8))
            .disabled(T0.plusSeconds(13));

    assertThat(store.saveProgress(disabled, 10)).isTrue();
    assertThat(store.find(webhook.id())).contains(disabled);
    assertThat(disabled.failingSince()).isEqualTo(T0.plusSeconds(1));

    assertThat(store.saveProgress(disabled.enabled(), 10)).isTrue();
    assertThat(store.find(webhook.id())).contains(webhook);
  }

  @Test
  void throughEncryptionTheStoreKeepsNoSecretInTheClear() {
    String secret = "whsec_c2VjcmV0IHRoYXQgbXVzdCBub3QgbGVhaw==";
    WebhookStore encrypting = new EncryptingWebhookStore(store, new SecretEncryption(new byte[32]));
    Webhook webhook =
        Webhook.register(URI.create("https://receiver.example/"), Set.of(), secret, T0, 10);

    encrypting.insert(webhook);
    encrypting.saveProgress(webhook.handledUpTo(11), 10);

    assertThat(encrypting.find(webhook.id())).contains(webhook.handledUpTo(11));
    assertThat(encrypting.list()).containsExactly(webhook.handledUpTo(11));
    String raw = rawStoredText();
    assertThat(raw).contains(webhook.id().toString()).contains("enc:v1:");
    assertThat(raw).doesNotContain(secret).doesNotContain("c2VjcmV0IHRoYXQgbXVzdCBub3QgbGVhaw");
    // the store's own reading gives the ciphertext, not the secret
    assertThat(store.find(webhook.id()).orElseThrow().secret()).startsWith("enc:v1:");
  }

  @Test
  void aSecretStoredInTheClearBeforeEncryptionIsEncryptedInPlace() {
    String secret = "whsec_b2xkIHNlY3JldCBzdG9yZWQgaW4gdGhlIGNsZWFy";
    Webhook old =
        Webhook.register(URI.create("https://receiver.example/"), Set.of(), secret, T0, 10);
    Webhook encryptedAlready =
        Webhook.register(URI.create("https://other.example/"), Set.of(), "whsec_bmV3ZXI=", T0, 10);
    // the old way: straight into the store, as the service wrote it before secrets were encrypted
    store.insert(old);
    EncryptingWebhookStore encrypting =
        new EncryptingWebhookStore(store, new SecretEncryption(new byte[32]));
    encrypting.insert(encryptedAlready);
    String encryptedBefore = store.find(encryptedAlready.id()).orElseThrow().secret();

    assertThat(encrypting.find(old.id())).contains(old);
    assertThat(encrypting.encryptSecretsStoredInTheClear()).isEqualTo(1);

    assertThat(rawStoredText())
        .doesNotContain(secret)
        .doesNotContain("b2xkIHNlY3JldCBzdG9yZWQgaW4gdGhlIGNsZWFy");
    assertThat(store.find(old.id()).orElseThrow().secret()).startsWith("enc:v1:");
    assertThat(store.find(encryptedAlready.id()).orElseThrow().secret()).isEqualTo(encryptedBefore);
    assertThat(encrypting.find(old.id())).contains(old);
    assertThat(encrypting.encryptSecretsStoredInTheClear()).isZero();
    assertThat(store.saveSecret(UUID.randomUUID(), "x")).isFalse();
  }

  @Test
  void savesProgressOnlyFromTheProgressItExpects() {
    Webhook webhook = webhook(Set.of());
    store.insert(webhook);

    assertThat(store.saveProgress(webhook.handledUpTo(12), 10)).isTrue();
    assertThat(store.saveProgress(webhook.handledUpTo(13), 10)).isFalse();
    assertThat(store.find(webhook.id()).orElseThrow().deliveredUpTo()).isEqualTo(12);
    store.delete(webhook.id());
    assertThat(store.saveProgress(webhook.handledUpTo(14), 12)).isFalse();
  }

  @Test
  void keepsTheLastOutcomeOfEachDeliveryNewestEventFirst() {
    Webhook webhook = webhook(Set.of());
    store.insert(webhook);
    ThreadId thread = ThreadId.generate();
    WebhookDelivery firstFailed = delivery(webhook, 11, thread, 1, WebhookDelivery.Status.RETRYING);
    WebhookDelivery thenDelivered =
        delivery(webhook, 11, thread, 2, WebhookDelivery.Status.DELIVERED);
    WebhookDelivery next = delivery(webhook, 12, thread, 1, WebhookDelivery.Status.DELIVERED);

    store.recordDelivery(firstFailed);
    store.recordDelivery(thenDelivered);
    store.recordDelivery(next);

    assertThat(store.deliveries(webhook.id(), 10)).containsExactly(next, thenDelivered);
    assertThat(store.deliveries(webhook.id(), 1)).containsExactly(next);
    assertThat(store.deliveries(UUID.randomUUID(), 10)).isEmpty();
  }

  @Test
  void deletingAWebhookDeletesItsDeliveries() {
    Webhook webhook = webhook(Set.of());
    store.insert(webhook);
    store.recordDelivery(
        delivery(webhook, 11, ThreadId.generate(), 1, WebhookDelivery.Status.DELIVERED));

    assertThat(store.delete(webhook.id())).isTrue();
    assertThat(store.delete(webhook.id())).isFalse();

    assertThat(store.find(webhook.id())).isEmpty();
    assertThat(store.list()).isEmpty();
    assertThat(store.deliveries(webhook.id(), 10)).isEmpty();
  }

  protected static Webhook webhook(Set<ThreadEventType> types) {
    return Webhook.register(
        URI.create("http://127.0.0.1:9/hook?x=1"), types, "s3cret", T0.plusMillis(7), 10);
  }

  private static WebhookDelivery delivery(
      Webhook webhook, long seq, ThreadId thread, int attempts, WebhookDelivery.Status status) {
    boolean delivered = status == WebhookDelivery.Status.DELIVERED;
    return new WebhookDelivery(
        webhook.id(),
        seq,
        ThreadEventType.STEP_COMPLETED,
        thread,
        status,
        attempts,
        T0.plusSeconds(attempts),
        delivered ? 204 : 503,
        delivered ? null : "the receiver answered 503");
  }
}
