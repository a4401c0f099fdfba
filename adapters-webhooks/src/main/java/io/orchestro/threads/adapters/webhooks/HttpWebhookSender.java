package io.orchestro.threads.adapters.webhooks;

import io.orchestro.threads.application.port.out.WebhookSender;
import io.orchestro.threads.domain.EventJson;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Webhook;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers an event to a webhook's receiver: a {@code POST} of the event as docs/api.md shapes it,
 * with
 *
 * <ul>
 *   <li>{@code X-Orchestro-Signature: sha256=<hex>}: HMAC-SHA256 of the exact body bytes, keyed
 *       with the webhook's secret (UTF-8); a receiver recomputes it and compares in constant time;
 *   <li>{@code X-Orchestro-Event-Id}: the event's number, the same on every attempt, by which a
 *       receiver recognises a repeated delivery;
 *   <li>{@code X-Orchestro-Event-Type} and {@code X-Orchestro-Webhook-Id}.
 * </ul>
 *
 * Any 2xx answer is a delivery; anything else, a refused connection or no answer within the
 * timeout, a failed attempt.
 */
public final class HttpWebhookSender implements WebhookSender {

  static final String SIGNATURE = "X-Orchestro-Signature";
  static final String EVENT_ID = "X-Orchestro-Event-Id";
  static final String EVENT_TYPE = "X-Orchestro-Event-Type";
  static final String WEBHOOK_ID = "X-Orchestro-Webhook-Id";

  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param timeout how long to wait for a connection, and then for the receiver's answer
   */
  public HttpWebhookSender(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public Outcome send(Webhook webhook, LoggedEvent event) {
    // docs/api.md's event, field for field, as the event streams send it
    byte[] body = json.writeValueAsBytes(EventJson.of(event));
    HttpRequest request =
        HttpRequest.newBuilder(webhook.url())
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header(SIGNATURE, "sha256=" + sign(body, webhook.secret()))
            .header(EVENT_ID, Long.toString(event.seq()))
            .header(EVENT_TYPE, event.event().type().wireName())
            .header(WEBHOOK_ID, webhook.id().toString())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status / 100 == 2
          ? new Outcome(true, status, null)
          : new Outcome(false, status, "the receiver answered " + status);
    } catch (IOException unreachable) {
      String reason = unreachable.getMessage();
      return new Outcome(
          false,
          null,
          unreachable.getClass().getSimpleName() + (reason == null ? "" : ": " + reason));
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      return new Outcome(false, null, "interrupted: the service is stopping");
    }
  }

  /** The hex HMAC-SHA256 of the body with the secret as key. */
  static String sign(byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
      // every JDK has HmacSHA256, and any non-empty key fits it
      throw new IllegalStateException(impossible);
    }
  }
}
