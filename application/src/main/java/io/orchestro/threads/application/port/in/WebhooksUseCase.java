package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Registering webhooks and seeing their deliveries. A webhook gets the events committed after its
 * registration, at least once each, in order.
 */
public interface WebhooksUseCase {

  /** The most deliveries one call of {@link #deliveries} lists. */
  int MAX_DELIVERIES_LISTED = 500;

  /**
   * @param eventTypes the types wanted; empty for all
   * @param secret the key of the deliveries' signatures; null or blank for a new {@code whsec_}
   *     one, which the returned webhook carries
   * @throws IllegalArgumentException for a url that is not absolute http(s), or one the egress
   *     policy can never let a request go to
   */
  Webhook register(URI url, Set<ThreadEventType> eventTypes, String secret);

  List<Webhook> list();

  /**
   * @throws WebhookNotFoundException when there is no such webhook
   */
  Webhook get(UUID id);

  /**
   * @throws WebhookNotFoundException when there is no such webhook
   */
  void delete(UUID id);

  /**
   * Delivers to a webhook again after it was disabled (its receiver had failed for too long): the
   * event it stopped at is tried at once, then the ones that waited behind it. An enabled webhook
   * is left as it is.
   *
   * @return the webhook as it is now
   * @throws WebhookNotFoundException when there is no such webhook
   */
  Webhook enable(UUID id);

  /**
   * The latest deliveries, newest event first.
   *
   * @param limit at most this many, 1 to {@link #MAX_DELIVERIES_LISTED}
   * @throws IllegalArgumentException for a limit out of that range
   * @throws WebhookNotFoundException when there is no such webhook
   */
  List<WebhookDelivery> deliveries(UUID id, int limit);

  class WebhookNotFoundException extends RuntimeException {
    public WebhookNotFoundException(UUID id) {
      super("no webhook " + id);
    }
  }
}
