package io.orchestro.threads.adapters.persistence;

import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * A webhook store (SQL or JSON files) that keeps each webhook's secret encrypted ({@link
 * SecretEncryption}): webhooks go in with the secret encrypted and come out with it decrypted, so
 * the rest of the service sees the secret it signs with, and the store only its ciphertext.
 */
public final class EncryptingWebhookStore implements WebhookStore {

  private final WebhookStore store;
  private final SecretEncryption encryption;

  public EncryptingWebhookStore(WebhookStore store, SecretEncryption encryption) {
    this.store = store;
    this.encryption = encryption;
  }

  @Override
  public void insert(Webhook webhook) {
    store.insert(sealed(webhook));
  }

  @Override
  public Optional<Webhook> find(UUID id) {
    return store.find(id).map(this::opened);
  }

  @Override
  public List<Webhook> list() {
    return store.list().stream().map(this::opened).toList();
  }

  @Override
  public boolean delete(UUID id) {
    return store.delete(id);
  }

  @Override
  public boolean saveProgress(Webhook webhook, long expectedDeliveredUpTo) {
    // the JSON store writes the whole webhook again, its secret included
    return store.saveProgress(sealed(webhook), expectedDeliveredUpTo);
  }

  @Override
  public boolean saveSecret(UUID id, String secret) {
    return store.saveSecret(id, encryption.encrypt(secret, context(id)));
  }

  /**
   * Encrypts the secrets stored in the clear, before secrets were encrypted: a copy of the store
   * made afterwards gives none away. Safe to run on every start, on several nodes at once: an
   * encrypted secret is left as it is, and two nodes encrypting one at once each write a ciphertext
   * of the same secret.
   *
   * @return how many secrets it encrypted
   */
  public int encryptSecretsStoredInTheClear() {
    int encrypted = 0;
    for (Webhook stored : store.list()) {
      if (!SecretEncryption.isEncrypted(stored.secret())
          && store.saveSecret(
              stored.id(), encryption.encrypt(stored.secret(), context(stored.id())))) {
        encrypted++;
      }
    }
    return encrypted;
  }

  @Override
  public void recordDelivery(WebhookDelivery delivery) {
    store.recordDelivery(delivery);
  }

  @Override
  public List<WebhookDelivery> deliveries(UUID webhookId, int limit) {
    return store.deliveries(webhookId, limit);
  }

  @Override
  public void deleteDeliveriesOf(ThreadId threadId) {
    store.deleteDeliveriesOf(threadId);
  }

  @Override
  public void deleteDeliveriesUpTo(long seq) {
    store.deleteDeliveriesUpTo(seq);
  }

  private Webhook sealed(Webhook webhook) {
    return withSecret(webhook, encryption::encrypt);
  }

  private Webhook opened(Webhook webhook) {
    return withSecret(webhook, encryption::decrypt);
  }

  private static Webhook withSecret(
      Webhook webhook, BiFunction<String, String, String> secretAndContext) {
    return webhook.withSecret(secretAndContext.apply(webhook.secret(), context(webhook.id())));
  }

  /** What a webhook's encrypted secret is bound to: it decrypts in no other webhook's row. */
  private static String context(UUID id) {
    return "webhook " + id;
  }
}
