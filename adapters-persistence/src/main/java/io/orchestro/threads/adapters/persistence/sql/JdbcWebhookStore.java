package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.Webhook;
import io.orchestro.threads.domain.WebhookDelivery;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Webhooks in the database ({@code webhook} and {@code webhook_delivery}), in plain SQL: every
 * write is a single statement on a single row, which needs neither entities nor a transaction of
 * its own.
 */
public final class JdbcWebhookStore implements WebhookStore {

  private static final String WEBHOOK_COLUMNS =
      "id, url, event_types, secret, created_at, delivered_up_to, failed_attempts, next_attempt_at,"
          + " failing_since, disabled_at";

  private final JdbcTemplate jdbc;

  public JdbcWebhookStore(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  @Override
  public void insert(Webhook webhook) {
    jdbc.update(
        "INSERT INTO webhook (" + WEBHOOK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        webhook.id(),
        webhook.url().toString(),
        typesText(webhook.eventTypes()),
        webhook.secret(),
        SqlTimes.parameter(webhook.createdAt()),
        webhook.deliveredUpTo(),
        webhook.failedAttempts(),
        SqlTimes.parameter(webhook.nextAttemptAt()),
        SqlTimes.parameter(webhook.failingSince()),
        SqlTimes.parameter(webhook.disabledAt()));
  }

  @Override
  public Optional<Webhook> find(UUID id) {
    return jdbc
        .query(
            "SELECT " + WEBHOOK_COLUMNS + " FROM webhook WHERE id = ?",
            JdbcWebhookStore::webhook,
            id)
        .stream()
        .findFirst();
  }

  @Override
  public List<Webhook> list() {
    return jdbc.query(
        "SELECT " + WEBHOOK_COLUMNS + " FROM webhook ORDER BY created_at, id",
        JdbcWebhookStore::webhook);
  }

  /** Its deliveries go with it ({@code ON DELETE CASCADE}). */
  @Override
  public boolean delete(UUID id) {
    return jdbc.update("DELETE FROM webhook WHERE id = ?", id) == 1;
  }

  @Override
  public boolean saveProgress(Webhook webhook, long expectedDeliveredUpTo) {
    return jdbc.update(
            "UPDATE webhook SET delivered_up_to = ?, failed_attempts = ?, next_attempt_at = ?,"
                + " failing_since = ?, disabled_at = ? WHERE id = ? AND delivered_up_to = ?",
            webhook.deliveredUpTo(),
            webhook.failedAttempts(),
            SqlTimes.parameter(webhook.nextAttemptAt()),
            SqlTimes.parameter(webhook.failingSince()),
            SqlTimes.parameter(webhook.disabledAt()),
            webhook.id(),
            expectedDeliveredUpTo)
        == 1;
  }

  @Override
  public boolean saveSecret(UUID id, String secret) {
    return jdbc.update("UPDATE webhook SET secret = ? WHERE id = ?", secret, id) == 1;
  }

  /**
   * An update, or an insert for an event's first attempt. One node delivers an event at a time (see
   * the dispatcher), so the two never race for one row but in a rare multi-node overlap, where the
   * primary key keeps one record.
   */
  @Override
  public void recordDelivery(WebhookDelivery delivery) {
    int updated =
        jdbc.update(
            "UPDATE webhook_delivery SET status = ?, attempts = ?, last_attempt_at = ?,"
                + " response_status = ?, error = ? WHERE webhook_id = ? AND seq = ?",
            delivery.status().wireName(),
            delivery.attempts(),
            SqlTimes.parameter(delivery.lastAttemptAt()),
            delivery.responseStatus(),
            delivery.error(),
            delivery.webhookId(),
            delivery.seq());
    if (updated == 0) {
      jdbc.update(
          "INSERT INTO webhook_delivery (webhook_id, seq, event_type, thread_id, status, attempts,"
              + " last_attempt_at, response_status, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          delivery.webhookId(),
          delivery.seq(),
          delivery.eventType().wireName(),
          delivery.threadId().value(),
          delivery.status().wireName(),
          delivery.attempts(),
          SqlTimes.parameter(delivery.lastAttemptAt()),
          delivery.responseStatus(),
          delivery.error());
    }
  }

  @Override
  public List<WebhookDelivery> deliveries(UUID webhookId, int limit) {
    return jdbc.query(
        "SELECT webhook_id, seq, event_type, thread_id, status, attempts, last_attempt_at,"
            + " response_status, error FROM webhook_delivery WHERE webhook_id = ?"
            + " ORDER BY seq DESC LIMIT ?",
        JdbcWebhookStore::delivery,
        webhookId,
        limit);
  }

  private static Webhook webhook(ResultSet row, int rowNumber) throws SQLException {
    return new Webhook(
        row.getObject("id", UUID.class),
        URI.create(row.getString("url")),
        types(row.getString("event_types")),
        row.getString("secret"),
        SqlTimes.instant(row, "created_at"),
        row.getLong("delivered_up_to"),
        row.getInt("failed_attempts"),
        SqlTimes.instant(row, "next_attempt_at"),
        SqlTimes.instant(row, "failing_since"),
        SqlTimes.instant(row, "disabled_at"));
  }

  private static WebhookDelivery delivery(ResultSet row, int rowNumber) throws SQLException {
    return new WebhookDelivery(
        row.getObject("webhook_id", UUID.class),
        row.getLong("seq"),
        ThreadEventType.fromWireName(row.getString("event_type")),
        new ThreadId(row.getObject("thread_id", UUID.class)),
        WebhookDelivery.Status.fromWireName(row.getString("status")),
        row.getInt("attempts"),
        SqlTimes.instant(row, "last_attempt_at"),
        row.getObject("response_status", Integer.class),
        row.getString("error"));
  }

  private static String typesText(Set<ThreadEventType> types) {
    return types.stream().map(ThreadEventType::wireName).sorted().collect(Collectors.joining(" "));
  }

  private static Set<ThreadEventType> types(String text) {
    return text.isBlank()
        ? Set.of()
        : Arrays.stream(text.split(" "))
            .map(ThreadEventType::fromWireName)
            .collect(Collectors.toSet());
  }

  @Override
  public void deleteDeliveriesOf(ThreadId threadId) {
    jdbc.update("DELETE FROM webhook_delivery WHERE thread_id = ?", threadId.value());
  }

  @Override
  public void deleteDeliveriesUpTo(long seq) {
    jdbc.update("DELETE FROM webhook_delivery WHERE seq <= ?", seq);
  }
}
