package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The delivery of one event to one webhook, as its last attempt left it.
 *
 * @param attempts how many attempts were made
 * @param responseStatus the receiver's HTTP status at the last attempt, or null when none came
 * @param error why the last attempt failed, or null when it succeeded
 */
public record WebhookDelivery(
    UUID webhookId,
    long seq,
    ThreadEventType eventType,
    ThreadId threadId,
    Status status,
    int attempts,
    Instant lastAttemptAt,
    Integer responseStatus,
    String error) {

  /**
   * Delivered: the receiver answered 2xx. Retrying: the last attempt failed, more will follow.
   * Disabled: the last attempt failed and the webhook was disabled, its receiver having failed for
   * too long; no more follow until it is enabled again.
   */
  public enum Status {
    DELIVERED,
    RETRYING,
    DISABLED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromWireName(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  public WebhookDelivery {
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(threadId, "threadId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
  }
}
