package io.orchestro.threads.application.testing;

import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhooks, their delivery progress (compare-and-set) and their deliveries in memory, as the real
 * stores keep them.
 */
public final class InMemoryWebhookStore implements WebhookStore {

  /** In the order of registration: the list's order. */
  private final Map<UUID, Webhook> webhooks = new LinkedHashMap<>();

  /** Per webhook, the last outcome of each event's delivery, by event number. */
  private final Map<UUID, Map<Long, WebhookDelivery>> deliveries = new LinkedHashMap<>();

  private int listCalls;

  @Override
  public synchronized void insert(Webhook webhook) {
    if (webhooks.putIfAbsent(webhook.id(), webhook) != null) {
      throw new IllegalStateException("webhook " + webhook.id() + " exists already");
    }
  }

  @Override
  public synchronized Optional<Webhook> find(UUID id) {
    return Optional.ofNullable(webhooks.get(id));
  }

  @Override
  public synchronized List<Webhook> list() {
    listCalls++;
    return List.copyOf(webhooks.values());
  }

  @Override
  public synchronized boolean delete(UUID id) {
    deliveries.remove(id);
    return webhooks.remove(id) != null;
  }

  @Override
  public synchronized boolean saveProgress(Webhook webhook, long expectedDeliveredUpTo) {
    Webhook stored = webhooks.get(webhook.id());
    if (stored == null || stored.deliveredUpTo() != expectedDeliveredUpTo) {
      return false;
    }
    webhooks.put(webhook.id(), webhook);
    return true;
  }

  @Override
  public synchronized boolean saveSecret(UUID id, String secret) {
    Webhook stored = webhooks.get(id);
    if (stored == null) {
      return false;
    }
    webhooks.put(id, stored.withSecret(secret));
    return true;
  }

  /** Nothing for a webhook deleted meanwhile: its deliveries went with it. */
  @Override
  public synchronized void recordDelivery(WebhookDelivery delivery) {
    if (!webhooks.containsKey(delivery.webhookId())) {
      return;
    }
    deliveries
        .computeIfAbsent(delivery.webhookId(), id -> new LinkedHashMap<>())
        .put(delivery.seq(), delivery);
  }

  @Override
  public synchronized void deleteDeliveriesOf(ThreadId threadId) {
    deliveries
        .values()
        .forEach(kept -> kept.values().removeIf(delivery -> delivery.threadId().equals(threadId)));
  }

  @Override
  public synchronized void deleteDeliveriesUpTo(long seq) {
    deliveries.values().forEach(kept -> kept.keySet().removeIf(number -> number <= seq));
  }

  @Override
  public synchronized List<WebhookDelivery> deliveries(UUID webhookId, int limit) {
    return deliveries.getOrDefault(webhookId, Map.of()).values().stream()
        .sorted(Comparator.comparingLong(WebhookDelivery::seq).reversed())
        .limit(limit)
        .toList();
  }

  /**
   * How often {@link #list} was called: the webhook dispatcher calls it once at the start of each
   * round, so a test can tell that a round began.
   */
  public synchronized int listCalls() {
    return listCalls;
  }
}
