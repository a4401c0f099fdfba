package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.in.WebhooksUseCase;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.domain.EgressPolicy;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The webhook use cases; {@link WebhookDispatcher} does the delivering. */
public final class WebhookService implements WebhooksUseCase {

  private final WebhookStore store;
  private final ThreadEventLog log;
  private final Clock clock;
  private final EgressPolicy egress;
  private final SecureRandom random = new SecureRandom();

  public WebhookService(WebhookStore store, ThreadEventLog log, Clock clock, EgressPolicy egress) {
    this.store = store;
    this.log = log;
    this.clock = clock;
    this.egress = egress;
  }

  @Override
  public Webhook register(URI url, Set<ThreadEventType> eventTypes, String secret) {
    egress.checkUrl(url);
    // whole milliseconds: what every store keeps, and the API shows
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String key = secret == null || secret.isBlank() ? newSecret() : secret;
    Webhook webhook = Webhook.register(url, eventTypes, key, now, log.lastSeq());
    store.insert(webhook);
    return webhook;
  }

  /** A Standard Webhooks secret: {@code whsec_} and the base64 of 32 random bytes. */
  private String newSecret() {
    byte[] key = new byte[32];
    random.nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  @Override
  public List<Webhook> list() {
    return store.list();
  }

  @Override
  public Webhook get(UUID id) {
    return store.find(id).orElseThrow(() -> new WebhookNotFoundException(id));
  }

  @Override
  public void delete(UUID id) {
    if (!store.delete(id)) {
      throw new WebhookNotFoundException(id);
    }
  }

  @Override
  public Webhook enable(UUID id) {
    Webhook webhook = get(id);
    if (webhook.isEnabled()) {
      return webhook;
    }
    Webhook enabled = webhook.enabled();
    if (!store.saveProgress(enabled, webhook.deliveredUpTo())) {
      // deleted meanwhile (a disabled webhook's progress moves no other way)
      return get(id);
    }
    return enabled;
  }

  @Override
  public List<WebhookDelivery> deliveries(UUID id, int limit) {
    if (limit < 1 || limit > MAX_DELIVERIES_LISTED) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_DELIVERIES_LISTED);
    }
    get(id);
    return store.deliveries(id, limit);
  }
}
