package io.orchestro.threads.adapters.persistence.json;

import static io.orchestro.threads.adapters.persistence.StoredJson.array;
import static io.orchestro.threads.adapters.persistence.StoredJson.element;
import static io.orchestro.threads.adapters.persistence.StoredJson.integer;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalText;
import static io.orchestro.threads.adapters.persistence.StoredJson.optionalTime;
import static io.orchestro.threads.adapters.persistence.StoredJson.text;
import static io.orchestro.threads.adapters.persistence.StoredJson.time;
import static io.orchestro.threads.adapters.persistence.StoredJson.whole;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Webhooks in JSON files, one per webhook ({@code webhooks/<id>.json}): its registration, how far
 * delivery has come, and its latest {@link #DELIVERIES_KEPT} deliveries. Every write replaces the
 * file atomically under the store's one writer lock; reads come from memory, loaded at start-up.
 */
public final class JsonFileWebhookStore implements WebhookStore {

  /** The deliveries a webhook's file keeps, newest first; older ones are dropped. */
  static final int DELIVERIES_KEPT = 200;

  private record Stored(Webhook webhook, List<WebhookDelivery> deliveries) {}

  private final Path directory;
  private final SerialWrites writes;
  private final Map<UUID, Stored> byId = new ConcurrentHashMap<>();

  JsonFileWebhookStore(Path directory, SerialWrites writes, List<byte[]> files) {
    this.directory = directory;
    this.writes = writes;
    for (byte[] file : files) {
      Stored stored = read(file);
      byId.put(stored.webhook().id(), stored);
    }
  }

  @Override
  public void insert(Webhook webhook) {
    writes.run(
        () -> {
          write(new Stored(webhook, List.of()));
          return null;
        });
  }

  @Override
  public Optional<Webhook> find(UUID id) {
    return Optional.ofNullable(byId.get(id)).map(Stored::webhook);
  }

  @Override
  public List<Webhook> list() {
    return byId.values().stream()
        .map(Stored::webhook)
        .sorted(Comparator.comparing(Webhook::createdAt).thenComparing(Webhook::id))
        .toList();
  }

  @Override
  public boolean delete(UUID id) {
    return writes.run(
        () -> {
          if (byId.remove(id) == null) {
            return false;
          }
          AtomicFiles.delete(fileOf(id));
          return true;
        });
  }

  @Override
  public boolean saveProgress(Webhook webhook, long expectedDeliveredUpTo) {
    return writes.run(
        () -> {
          Stored stored = byId.get(webhook.id());
          if (stored == null || stored.webhook().deliveredUpTo() != expectedDeliveredUpTo) {
            return false;
          }
          write(new Stored(webhook, stored.deliveries()));
          return true;
        });
  }

  @Override
  public boolean saveSecret(UUID id, String secret) {
    return writes.run(
        () -> {
          Stored stored = byId.get(id);
          if (stored == null) {
            return false;
          }
          write(new Stored(stored.webhook().withSecret(secret), stored.deliveries()));
          return true;
        });
  }

  @Override
  public void recordDelivery(WebhookDelivery delivery) {
    writes.run(
        () -> {
          Stored stored = byId.get(delivery.webhookId());
          if (stored == null) {
            return null;
          }
          List<WebhookDelivery> deliveries = new ArrayList<>();
          deliveries.add(delivery);
          stored.deliveries().stream()
              .filter(earlier -> earlier.seq() != delivery.seq())
              .limit(DELIVERIES_KEPT - 1)
              .forEach(deliveries::add);
          deliveries.sort(Comparator.comparingLong(WebhookDelivery::seq).reversed());
          write(new Stored(stored.webhook(), deliveries));
          return null;
        });
  }

  @Override
  public List<WebhookDelivery> deliveries(UUID webhookId, int limit) {
    Stored stored = byId.get(webhookId);
    return stored == null ? List.of() : stored.deliveries().stream().limit(limit).toList();
  }

  @Override
  public void deleteDeliveriesOf(ThreadId threadId) {
    removeDeliveries(delivery -> delivery.threadId().equals(threadId));
  }

  @Override
  public void deleteDeliveriesUpTo(long seq) {
    removeDeliveries(delivery -> delivery.seq() <= seq);
  }

  /** Rewrites the files of the webhooks that have such deliveries, and only those. */
  private void removeDeliveries(Predicate<WebhookDelivery> removed) {
    writes.run(
        () -> {
          for (Stored stored : List.copyOf(byId.values())) {
            if (stored.deliveries().stream().anyMatch(removed)) {
              write(
                  new Stored(
                      stored.webhook(),
                      stored.deliveries().stream().filter(removed.negate()).toList()));
            }
          }
          return null;
        });
  }

  /** Writes the file, then the index: a failed write leaves both as they were. */
  private void write(Stored stored) {
    AtomicFiles.replace(fileOf(stored.webhook().id()), JsonText.pretty(json(stored)));
    byId.put(stored.webhook().id(), stored);
  }

  private Path fileOf(UUID id) {
    return directory.resolve(id + ".json");
  }

  private static Map<String, Object> json(Stored stored) {
    Webhook webhook = stored.webhook();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("webhook_id", webhook.id().toString());
    json.put("url", webhook.url().toString());
    json.put(
        "event_types",
        webhook.eventTypes().stream().map(ThreadEventType::wireName).sorted().toList());
    json.put("secret", webhook.secret());
    json.put("created_at", time(webhook.createdAt()));
    json.put("delivered_up_to", webhook.deliveredUpTo());
    json.put("failed_attempts", webhook.failedAttempts());
    json.put("next_attempt_at", time(webhook.nextAttemptAt()));
    json.put("failing_since", time(webhook.failingSince()));
    json.put("disabled_at", time(webhook.disabledAt()));
    List<Map<String, Object>> deliveries = new ArrayList<>();
    for (WebhookDelivery delivery : stored.deliveries()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("seq", delivery.seq());
      entry.put("event_type", delivery.eventType().wireName());
      entry.put("thread_id", delivery.threadId().toString());
      entry.put("status", delivery.status().wireName());
      entry.put("attempts", delivery.attempts());
      entry.put("last_attempt_at", time(delivery.lastAttemptAt()));
      entry.put("response_status", delivery.responseStatus());
      entry.put("error", delivery.error());
      deliveries.add(entry);
    }
    json.put("deliveries", deliveries);
    return json;
  }

  /**
   * @throws IllegalArgumentException when the file is not a webhook
   */
  static UUID idOf(byte[] file) {
    return read(file).webhook().id();
  }

  private static Stored read(byte[] file) {
    Map<String, Object> json = JsonText.parseObject(file);
    UUID id = UUID.fromString(text(json, "webhook_id"));
    Webhook webhook =
        new Webhook(
            id,
            URI.create(text(json, "url")),
            array(json, "event_types").stream()
                .map(name -> ThreadEventType.fromWireName(String.valueOf(name)))
                .collect(Collectors.toSet()),
            text(json, "secret"),
            time(json, "created_at"),
            whole(json, "delivered_up_to"),
            integer(json, "failed_attempts"),
            optionalTime(json, "next_attempt_at"),
            // absent from files written before receivers could be disabled
            optionalTime(json, "failing_since"),
            optionalTime(json, "disabled_at"));
    List<WebhookDelivery> deliveries = new ArrayList<>();
    for (Object value : array(json, "deliveries")) {
      Map<String, Object> entry = element(value, "delivery");
      Object status = entry.get("response_status");
      deliveries.add(
          new WebhookDelivery(
              id,
              whole(entry, "seq"),
              ThreadEventType.fromWireName(text(entry, "event_type")),
              ThreadId.parse(text(entry, "thread_id")),
              WebhookDelivery.Status.fromWireName(text(entry, "status")),
              integer(entry, "attempts"),
              time(entry, "last_attempt_at"),
              status == null ? null : ((Number) status).intValue(),
              optionalText(entry, "error")));
    }
    return new Stored(webhook, deliveries);
  }
}
