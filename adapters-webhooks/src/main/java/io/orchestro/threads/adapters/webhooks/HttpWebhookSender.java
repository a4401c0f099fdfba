package io.orchestro.threads.adapters.webhooks;

import io.orchestro.threads.application.port.out.WebhookSender;
import io.orchestro.threads.domain.EgressPolicy;
import io.orchestro.threads.domain.EventJson;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Webhook;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers an event to a webhook's receiver: a {@code POST} of the event as docs/api.md shapes it,
 * signed by the Standard Webhooks scheme:
 *
 * <ul>
 *   <li>{@code webhook-id}: the event's number, the same on every attempt, by which a receiver
 *       recognises a repeated delivery (also sent as {@code X-Orchestro-Event-Id});
 *   <li>{@code webhook-timestamp}: the attempt's time in seconds since the epoch;
 *   <li>{@code webhook-signature: v1,<base64>}: HMAC-SHA256 of {@code id.timestamp.body}, keyed
 *       with the webhook's secret ({@link #signingKey}); a receiver recomputes it and compares in
 *       constant time;
 *   <li>{@code X-Orchestro-Event-Type} and {@code X-Orchestro-Webhook-Id}.
 * </ul>
 *
 * Requests go only where the {@link EgressPolicy} lets them, to the addresses it checked; redirects
 * are not followed. Any 2xx answer is a delivery; anything else, a refused destination or
 * connection or no answer within the timeout, a failed attempt.
 */
public final class HttpWebhookSender implements WebhookSender {

  static final String WEBHOOK_ID = "webhook-id";
  static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
  static final String WEBHOOK_SIGNATURE = "webhook-signature";
  static final String EVENT_ID = "X-Orchestro-Event-Id";
  static final String EVENT_TYPE = "X-Orchestro-Event-Type";
  static final String ORCHESTRO_WEBHOOK_ID = "X-Orchestro-Webhook-Id";
  private static final String SECRET_PREFIX = "whsec_";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final JsonMapper json = JsonMapper.builder().build();
  private final OkHttpClient http;
  private final EgressPolicy egress;
  private final Clock clock;

  /**
   * @param timeout how long to wait for a connection, and then for the receiver's answer
   */
  public HttpWebhookSender(Duration timeout, EgressPolicy egress, Clock clock) {
    this.clock = clock;
    this.egress = egress;
    this.http =
        new OkHttpClient.Builder()
            // the policy resolves a host name and checks every address; only those are connected
            // to (an address written in the URL is checked before: OkHttp does not resolve it)
            .dns(egress::resolve)
            // a proxy would resolve the host itself, past the policy
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            // a request the other side may have taken is never sent again behind the caller's
            // back: the webhook's backoff, or the step's retry policy, decides
            .retryOnConnectionFailure(false)
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .build();
  }

  @Override
  public Outcome send(Webhook webhook, LoggedEvent event) {
    try {
      egress.checkUrl(webhook.url());
    } catch (IllegalArgumentException refused) {
      return new Outcome(false, null, refused.getMessage());
    }
    // docs/api.md's event, field for field, as the event streams send it
    byte[] body = json.writeValueAsBytes(EventJson.of(event));
    String id = Long.toString(event.seq());
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    Request request =
        new Request.Builder()
            .url(webhook.url().toString())
            .header(WEBHOOK_ID, id)
            .header(WEBHOOK_TIMESTAMP, timestamp)
            .header(WEBHOOK_SIGNATURE, "v1," + sign(id, timestamp, body, webhook.secret()))
            .header(EVENT_ID, id)
            .header(EVENT_TYPE, event.event().type().wireName())
            .header(ORCHESTRO_WEBHOOK_ID, webhook.id().toString())
            .post(RequestBody.create(body, JSON_TYPE))
            .build();
    try (Response response = http.newCall(request).execute()) {
      int status = response.code();
      return status / 100 == 2
          ? new Outcome(true, status, null)
          : new Outcome(false, status, "the receiver answered " + status);
    } catch (EgressPolicy.RefusedDestinationException refused) {
      return new Outcome(false, null, refused.getMessage());
    } catch (IOException unreachable) {
      if (unreachable instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
        return new Outcome(false, null, "interrupted: the service is stopping");
      }
      String reason = unreachable.getMessage();
      return new Outcome(
          false,
          null,
          unreachable.getClass().getSimpleName() + (reason == null ? "" : ": " + reason));
    }
  }

  /** The base64 HMAC-SHA256 of {@code id.timestamp.body}, keyed with the secret's key. */
  static String sign(String id, String timestamp, byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey(secret), "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
      // every JDK has HmacSHA256, and any non-empty key fits it
      throw new IllegalStateException(impossible);
    }
  }

  /**
   * A {@code whsec_} secret's key is the base64 after the prefix, as Standard Webhooks libraries
   * read it; any other secret (given so when the webhook was registered) is used as its UTF-8
   * bytes.
   */
  static byte[] signingKey(String secret) {
    if (secret.startsWith(SECRET_PREFIX)) {
      try {
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
      } catch (IllegalArgumentException notBase64) {
        // a secret that only looks like one: its bytes, as for any other
      }
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }
}
