package io.orchestro.threads.adapters.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.orchestro.threads.application.port.out.WebhookSender.Outcome;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.Webhook;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a real local HTTP receiver (the JDK's own server). */
class HttpWebhookSenderTest {

  private static final String SECRET = "a secret of the receiver's";

  private HttpServer receiver;
  private final AtomicInteger answer = new AtomicInteger(204);
  private final AtomicReference<byte[]> body = new AtomicReference<>();
  private final Map<String, String> headers = new ConcurrentHashMap<>();
  private final HttpWebhookSender sender = new HttpWebhookSender(Duration.ofSeconds(2));

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          body.set(exchange.getRequestBody().readAllBytes());
          exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
          exchange.sendResponseHeaders(answer.get(), -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void postsTheEventSignedWithTheSecret() throws Exception {
    Webhook webhook = webhook(URI.create(url()));
    LoggedEvent event = event();

    Outcome outcome = sender.send(webhook, event);

    assertThat(outcome).isEqualTo(new Outcome(true, 204, null));
    String json = new String(body.get(), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"seq\":42,\"type\":\"step_completed\",\"thread_id\":\""
                + event.event().threadId()
                + "\",\"at\":\"2026-11-28T10:00:01.500Z\",\"status\":\"running\",\"step\":\"plan\","
                + "\"progress\":{\"completed\":1,\"total\":4,\"current_step\":\"draft\","
                + "\"percent\":25}}");
    assertThat(headers)
        .containsEntry("X-orchestro-signature", "sha256=" + hmac(body.get()))
        .containsEntry("X-orchestro-event-id", "42")
        .containsEntry("X-orchestro-event-type", "step_completed")
        .containsEntry("X-orchestro-webhook-id", webhook.id().toString())
        .containsEntry("Content-type", "application/json");
  }

  @Test
  void anAnswerOtherThan2xxIsAFailedAttempt() {
    answer.set(503);

    Outcome outcome = sender.send(webhook(URI.create(url())), event());

    assertThat(outcome).isEqualTo(new Outcome(false, 503, "the receiver answered 503"));
  }

  @Test
  void aReceiverThatIsDownIsAFailedAttemptWithoutAStatus() {
    String url = url();
    receiver.stop(0);

    Outcome outcome = sender.send(webhook(URI.create(url)), event());

    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.responseStatus()).isNull();
    assertThat(outcome.error()).contains("ConnectException");
  }

  private String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  /** The receiver's side of the signature, written from the documentation. */
  private static String hmac(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    StringBuilder hex = new StringBuilder();
    for (byte b : mac.doFinal(body)) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  private static Webhook webhook(URI url) {
    return Webhook.register(url, Set.of(), SECRET, Instant.parse("2026-11-28T10:00:00Z"), 0);
  }

  private static LoggedEvent event() {
    return new LoggedEvent(
        42,
        new ThreadEvent(
            ThreadEventType.STEP_COMPLETED,
            ThreadId.random(),
            Instant.parse("2026-11-28T10:00:01.500Z"),
            ThreadStatus.RUNNING,
            "plan",
            Progress.of(1, 4, "draft")));
  }
}
