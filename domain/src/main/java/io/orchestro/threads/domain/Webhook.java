package io.orchestro.threads.domain;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A receiver that wants threads' events POSTed to it, and how far delivery to it has come.
 *
 * @param eventTypes the types it wants; empty for every type
 * @param secret the key of the HMAC-SHA256 signature of each delivery; never shown again
 * @param deliveredUpTo the number of the last event handled (delivered, or not of a wanted type):
 *     delivery goes on after it
 * @param failedAttempts failed attempts at the event after {@code deliveredUpTo}, in a row
 * @param nextAttemptAt when to try that event again after a failure, or null to try at once
 * @param failingSince when the first of the failed attempts in a row was made; null while the last
 *     attempt succeeded
 * @param disabledAt when delivery to it stopped because its receiver had failed for too long; null
 *     while it is enabled
 */
public record Webhook(
    UUID id,
    URI url,
    Set<ThreadEventType> eventTypes,
    String secret,
    Instant createdAt,
    long deliveredUpTo,
    int failedAttempts,
    Instant nextAttemptAt,
    Instant failingSince,
    Instant disabledAt) {

  public Webhook {
    Objects.requireNonNull(id, "id");
    checkUrl(url);
    eventTypes = eventTypes == null ? Set.of() : Set.copyOf(eventTypes);
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("a webhook needs a secret to sign its deliveries");
    }
    Objects.requireNonNull(createdAt, "createdAt");
    if (deliveredUpTo < 0 || failedAttempts < 0) {
      throw new IllegalArgumentException("delivery progress cannot be negative");
    }
  }

  /** A new webhook: it gets the events committed after {@code lastSeq}. */
  public static Webhook register(
      URI url, Set<ThreadEventType> eventTypes, String secret, Instant now, long lastSeq) {
    return new Webhook(
        UUID.randomUUID(), url, eventTypes, secret, now, lastSeq, 0, null, null, null);
  }

  public boolean isEnabled() {
    return disabledAt == null;
  }

  /** Whether an attempt is due now: enabled, and no backoff still running. */
  public boolean isDue(Instant now) {
    return isEnabled() && (nextAttemptAt == null || !now.isBefore(nextAttemptAt));
  }

  /** Delivery has reached {@code seq}: the next attempt is at the event after it, at once. */
  public Webhook handledUpTo(long seq) {
    return new Webhook(id, url, eventTypes, secret, createdAt, seq, 0, null, null, disabledAt);
  }

  /** An attempt at the next event failed: try again after the backoff. */
  public Webhook attemptFailed(Instant now, Duration backoff) {
    return new Webhook(
        id,
        url,
        eventTypes,
        secret,
        createdAt,
        deliveredUpTo,
        failedAttempts + 1,
        now.plus(backoff),
        failingSince == null ? now : failingSince,
        disabledAt);
  }

  /** Its receiver has failed for too long: no more attempts until it is enabled again. */
  public Webhook disabled(Instant now) {
    return new Webhook(
        id,
        url,
        eventTypes,
        secret,
        createdAt,
        deliveredUpTo,
        failedAttempts,
        null,
        failingSince,
        now);
  }

  /** Enabled again: the event it stopped at is tried at once, the failures forgotten. */
  public Webhook enabled() {
    return new Webhook(id, url, eventTypes, secret, createdAt, deliveredUpTo, 0, null, null, null);
  }

  /** The same webhook with its secret in another form (encrypted for the store, say). */
  public Webhook withSecret(String otherSecret) {
    return new Webhook(
        id,
        url,
        eventTypes,
        otherSecret,
        createdAt,
        deliveredUpTo,
        failedAttempts,
        nextAttemptAt,
        failingSince,
        disabledAt);
  }

  /** How it shows in logs and errors: the secret never appears. */
  @Override
  public String toString() {
    return "Webhook[" + id + ", " + url + ", delivered up to " + deliveredUpTo + "]";
  }

  private static void checkUrl(URI url) {
    if (url == null) {
      throw new IllegalArgumentException("a webhook needs a url");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute()
        || !(scheme.equals("http") || scheme.equals("https"))
        || url.getHost() == null
        || url.getHost().isBlank()) {
      throw new IllegalArgumentException(
          "a webhook url must be an absolute http or https URL with a host, not '" + url + "'");
    }
  }
}
