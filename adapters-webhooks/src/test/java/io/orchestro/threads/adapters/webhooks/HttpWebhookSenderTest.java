package io.orchestro.threads.adapters.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.out.WebhookSender.Outcome;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.Webhook;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a real local HTTP receiver ({@link WebhookReceiver}, the JDK's own server). */
class HttpWebhookSenderTest {

  private static final String SECRET = "a secret of the receiver's";

  private final WebhookReceiver receiver = WebhookReceiver.start(SECRET);
  private final HttpWebhookSender sender = new HttpWebhookSender(Duration.ofSeconds(2));

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void postsTheEventSignedWithTheSecret() throws Exception {
    Webhook webhook = webhook(receiver.url());
    LoggedEvent event = event();

    Outcome outcome = sender.send(webhook, event);

    assertThat(outcome).isEqualTo(new Outcome(true, 204, null));
    WebhookReceiver.Delivery delivery = receiver.deliveries().get(0);
    String json = new String(delivery.body(), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"seq\":42,\"type\":\"step_completed\",\"thread_id\":\""
                + event.event().threadId()
                + "\",\"at\":\"2026-11-28T10:00:01.500Z\",\"status\":\"running\",\"step\":\"plan\","
                + "\"progress\":{\"completed\":1,\"total\":4,\"current_step\":\"draft\","
                + "\"percent\":25},\"actor\":\"engine\"}");
    assertThat(delivery.headers())
        .containsEntry("X-orchestro-signature", "sha256=" + receiver.hmac(delivery.body()))
        .containsEntry("X-orchestro-event-id", "42")
        .containsEntry("X-orchestro-event-type", "step_completed")
        .containsEntry("X-orchestro-webhook-id", webhook.id().toString())
        .containsEntry("Content-type", "application/json");
  }

  @Test
  void anAnswerOtherThan2xxIsAFailedAttempt() {
    receiver.answer(503);

    Outcome outcome = sender.send(webhook(receiver.url()), event());

    assertThat(outcome).isEqualTo(new Outcome(false, 503, "the receiver answered 503"));
  }

  @Test
  void aReceiverThatIsDownIsAFailedAttemptWithoutAStatus() {
    receiver.stop();

    Outcome outcome = sender.send(webhook(receiver.url()), event());

    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.responseStatus()).isNull();
    assertThat(outcome.error()).contains("ConnectException");
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
