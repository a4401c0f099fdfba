package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where webhooks, their delivery progress and their deliveries are kept, durably. */
public interface WebhookStore {

  void insert(Webhook webhook);

  Optional<Webhook> find(UUID id);

  /** Every webhook, oldest first. */
  List<Webhook> list();

  /**
   * Removes a webhook with its deliveries.
   *
   * @return false when it was not there
   */
  boolean delete(UUID id);

  /**
   * Saves how far delivery has come, provided nobody moved it since {@code expectedDeliveredUpTo}
   * (another node delivering the same webhook, or a deletion).
   *
   * @return false when the stored progress had moved on, or the webhook is gone
   */
  boolean saveProgress(Webhook webhook, long expectedDeliveredUpTo);

  /**
   * Replaces a webhook's stored secret with the same secret in another form (encrypted, where it
   * was stored before secrets were), leaving the rest of it as it is.
   *
   * @return false when the webhook is gone
   */
  boolean saveSecret(UUID id, String secret);

  /** Records an attempt's outcome, replacing the earlier record of the same event's delivery. */
  void recordDelivery(WebhookDelivery delivery);

  /** A webhook's deliveries, newest event first, at most {@code limit}. */
  List<WebhookDelivery> deliveries(UUID webhookId, int limit);

  /** Removes every webhook's deliveries of a thread's events (retention deleted the thread). */
  void deleteDeliveriesOf(ThreadId threadId);

  /** Removes the deliveries of events numbered up to {@code seq} (pruned from the event log). */
  void deleteDeliveriesUpTo(long seq);
}
