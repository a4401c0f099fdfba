package io.orchestro.threads.adapters.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.orchestro.threads.application.port.out.WebhookSender.Outcome;
import io.orchestro.threads.domain.EgressPolicy;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.Webhook;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deliveries to a real local HTTP receiver ({@link WebhookReceiver}, the JDK's own server), which
 * checks the Standard Webhooks signature with its own code; and destinations the egress policy
 * refuses, to which nothing is sent.
 */
class HttpWebhookSenderTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  /** A name no DNS knows: only this test's resolver, which says it is this machine. */
  private static final String LOOPBACK_NAME = "receiver.test";

  private final WebhookReceiver receiver = WebhookReceiver.start(SECRET);

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void postsTheEventSignedByTheStandardWebhooksScheme() throws Exception {
    Webhook webhook = webhook(receiver.url());
    LoggedEvent event = event();
    long before = Instant.now().getEpochSecond();

    Outcome outcome = sender("127.0.0.1").send(webhook, event);

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
    assertThat(delivery.signatureValid()).isTrue();
    String timestamp = delivery.headers().get("Webhook-timestamp");
    assertThat(Long.parseLong(timestamp)).isBetween(before, Instant.now().getEpochSecond());
    assertThat(delivery.headers())
        .containsEntry("Webhook-id", "42")
        .containsEntry(
            "Webhook-signature", "v1," + receiver.signature("42", timestamp, delivery.body()))
        .containsEntry("X-orchestro-event-id", "42")
        .containsEntry("X-orchestro-event-type", "step_completed")
        .containsEntry("X-orchestro-webhook-id", webhook.id().toString())
        .containsEntry("Content-type", "application/json");
  }

  @Test
  void aSignatureByAnotherSecretIsNotValid() {
    receiver.useSecret("whsec_" + "A".repeat(32));

    sender("127.0.0.1").send(webhook(receiver.url()), event());

    assertThat(receiver.deliveries().get(0).signatureValid()).isFalse();
  }

  @Test
  void anAnswerOtherThan2xxIsAFailedAttempt() {
    receiver.answer(503);

    Outcome outcome = sender("127.0.0.1").send(webhook(receiver.url()), event());

    assertThat(outcome).isEqualTo(new Outcome(false, 503, "the receiver answered 503"));
  }

  @Test
  void aReceiverThatIsDownIsAFailedAttemptWithoutAStatus() {
    receiver.stop();

    Outcome outcome = sender("127.0.0.1").send(webhook(receiver.url()), event());

    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.responseStatus()).isNull();
    assertThat(outcome.error()).contains("ConnectException");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", LOOPBACK_NAME, "[::1]"})
  void aReceiverOnThisMachineGetsNothingUnlessTheAllowListNamesIt(String host) {
    Outcome outcome = sender().send(webhook(receiver.url(host)), event());

    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.responseStatus()).isNull();
    assertThat(outcome.error()).startsWith("the egress policy refuses");
    assertThat(receiver.count()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10.0.0.1", "169.254.169.254", "[fd00:ec2::254]", "metadata.google.internal"})
  void privateAndMetadataAddressesAreRefusedWithoutConnecting(String host) {
    long started = System.nanoTime();

    Outcome outcome = sender().send(webhook(URI.create("http://" + host + "/hook")), event());

    assertThat(outcome.error()).startsWith("the egress policy refuses");
    // refused before connecting: no connection timeout was waited for
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void listedHostsAndRangesAreDeliveredTo() {
    assertThat(
            sender("127.0.0.0/8").send(webhook(receiver.url(LOOPBACK_NAME)), event()).delivered())
        .isTrue();
    assertThat(sender("localhost").send(webhook(receiver.url("localhost")), event()).delivered())
        .isTrue();

    assertThat(receiver.count()).isEqualTo(2);
  }

  @Test
  void aRedirectToThisMachineIsNotFollowed() throws IOException {
    AtomicInteger reachedByRedirect = new AtomicInteger();
    HttpServer inside = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    inside.createContext(
        "/",
        exchange -> {
          reachedByRedirect.incrementAndGet();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    inside.start();
    HttpServer redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    redirecting.createContext(
        "/",
        exchange -> {
          exchange
              .getResponseHeaders()
              .add("Location", "http://127.0.0.1:" + inside.getAddress().getPort() + "/");
          exchange.sendResponseHeaders(307, -1);
          exchange.close();
        });
    redirecting.start();
    try {
      // the redirecting receiver is listed by its port's address range; the redirect is not taken
      URI url = URI.create("http://127.0.0.1:" + redirecting.getAddress().getPort() + "/hook");

      Outcome outcome = sender("127.0.0.1").send(webhook(url), event());

      assertThat(outcome).isEqualTo(new Outcome(false, 307, "the receiver answered 307"));
      assertThat(reachedByRedirect).hasValue(0);
    } finally {
      redirecting.stop(0);
      inside.stop(0);
    }
  }

  private static HttpWebhookSender sender(String... allow) {
    EgressPolicy policy = new EgressPolicy(List.of(allow), HttpWebhookSenderTest::resolve);
    return new HttpWebhookSender(Duration.ofSeconds(2), policy, Clock.systemUTC());
  }

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    return host.equals(LOOPBACK_NAME)
        ? new InetAddress[] {InetAddress.getByName("127.0.0.1")}
        : InetAddress.getAllByName(host);
  }

  private static Webhook webhook(URI url) {
    return Webhook.register(url, Set.of(), SECRET, Instant.parse("2026-11-28T10:00:00Z"), 0);
  }

  private static LoggedEvent event() {
    return new LoggedEvent(
        42,
        new ThreadEvent(
            ThreadEventType.STEP_COMPLETED,
            ThreadId.generate(),
            Instant.parse("2026-11-28T10:00:01.500Z"),
            ThreadStatus.RUNNING,
            "plan",
            Progress.of(1, 4, "draft")));
  }
}
