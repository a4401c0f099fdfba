package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.webhooks.WebhookReceiver;
import io.orchestro.threads.adapters.webhooks.WebhookReceiver.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks over real HTTP both ways: registered through the API, delivered to a real local HTTP
 * receiver ({@link WebhookReceiver}, the JDK's server), signed; and delivered after the receiver
 * comes back from being down, with the failed attempts visible through the API meanwhile.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:webhooks-test;DB_CLOSE_DELAY=-1",
      "orchestro.webhooks.poll-interval=50ms",
      "orchestro.webhooks.initial-backoff=100ms",
      "orchestro.webhooks.max-backoff=400ms",
      // the receiver listens on this machine
      "orchestro.egress.allow=127.0.0.1"
    })
class WebhooksEndToEndTest {

  private static final String SECRET = "whsec_c2VjcmV0IG9mIHRoZSByZWNlaXZlcidzIG93bg==";

  @LocalServerPort int port;

  private final WebhookReceiver receiver = WebhookReceiver.start(SECRET);

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void aReceiverGetsEveryWantedEventSignedWithTheSecretItWasGivenAndInOrder() {
    ApiClient api = new ApiClient(port);
    ApiClient.Reply created =
        api.post(
            "/api/webhooks",
            "{\"url\": \""
                + receiver.url()
                + "\", \"event_types\": [\"thread_created\", \"thread_completed\"]}");
    assertThat(created.status()).isEqualTo(201);
    String webhook = created.body().get("webhook_id").asString();
    String secret = created.body().get("secret").asString();
    assertThat(secret).startsWith("whsec_");
    receiver.useSecret(secret);
    String thread = api.createThread("hook", "general");

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.count() == 2);

    List<Delivery> got = receiver.deliveries();
    assertThat(got).allSatisfy(delivery -> assertThat(delivery.signatureValid()).isTrue());
    assertThat(got)
        .extracting(Delivery::eventType)
        .containsExactly("thread_created", "thread_completed");
    assertThat(got)
        .allSatisfy(
            delivery -> assertThat(delivery.event().get("thread_id").asString()).isEqualTo(thread));
    assertThat(got.get(0).event().get("seq").asString()).isEqualTo(got.get(0).eventId());
    JsonNode deliveries = api.get("/api/webhooks/" + webhook + "/deliveries").body();
    assertThat(deliveries.size()).isEqualTo(2);
    assertThat(deliveries.get(0).get("event_type").asString()).isEqualTo("thread_completed");
    assertThat(deliveries.get(0).get("status").asString()).isEqualTo("delivered");
    assertThat(deliveries.get(0).get("response_status").asInt()).isEqualTo(204);
    assertThat(api.get("/api/webhooks/" + webhook).body().has("secret")).isFalse();
  }

  @Test
  void eventsCommittedWhileTheReceiverIsDownArriveOnceItIsBack() {
    ApiClient api = new ApiClient(port);
    receiver.stop();
    String webhook = register(api, "[\"thread_created\", \"thread_completed\"]");
    List<String> threads =
        List.of(api.createThread("hook", "general"), api.createThread("hook", "general"));

    // nobody listens: attempts fail and are retried with growing waits
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              JsonNode first = api.get("/api/webhooks/" + webhook + "/deliveries").body();
              return first.size() == 1 && first.get(0).get("attempts").asInt() >= 3;
            });
    JsonNode retrying = api.get("/api/webhooks/" + webhook + "/deliveries").body().get(0);
    assertThat(retrying.get("status").asString()).isEqualTo("retrying");
    assertThat(retrying.get("error").asString()).contains("ConnectException");
    assertThat(retrying.get("response_status").isNull()).isTrue();
    assertThat(api.get("/api/webhooks/" + webhook).body().get("failed_attempts").asInt())
        .isGreaterThanOrEqualTo(3);

    receiver.restart();

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.count() >= 4);
    List<Delivery> got = receiver.deliveries();
    assertThat(got).allSatisfy(delivery -> assertThat(delivery.signatureValid()).isTrue());
    assertThat(got)
        .extracting(Delivery::eventId)
        .isSortedAccordingTo((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    for (String thread : threads) {
      assertThat(got)
          .filteredOn(delivery -> delivery.event().get("thread_id").asString().equals(thread))
          .extracting(Delivery::eventType)
          .containsExactly("thread_created", "thread_completed");
    }
    JsonNode deliveries = api.get("/api/webhooks/" + webhook + "/deliveries").body();
    assertThat(deliveries.size()).isEqualTo(4);
    deliveries.forEach(
        delivery -> assertThat(delivery.get("status").asString()).isEqualTo("delivered"));
    assertThat(deliveries.get(3).get("attempts").asInt()).isGreaterThanOrEqualTo(4);
  }

  /**
   * An event has one JSON wherever it goes: a webhook's request body is, byte for byte, the data
   * the event streams send for the same event.
   */
  @Test
  void aWebhookBodyIsTheEventStreamsDataByteForByte() throws Exception {
    ApiClient api = new ApiClient(port);
    register(api, "[]");
    String thread = UUID.randomUUID().toString();

    List<SseClient.Event> streamed;
    try (SseClient stream = SseClient.open(api.uri("/api/events?thread_id=" + thread), null)) {
      assertThat(
              api.post(
                      "/api/threads",
                      "{\"thread_id\": \""
                          + thread
                          + "\", \"prompt\": \"hook\", \"workflow_type\": \"general\"}")
                  .status())
          .isEqualTo(201);
      streamed = stream.until("thread_completed");
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> deliveriesOf(thread).size() == streamed.size());

    assertThat(streamed)
        .extracting(SseClient.Event::name)
        .contains("thread_created", "step_started", "step_completed", "thread_completed");
    List<Delivery> delivered = deliveriesOf(thread);
    for (int i = 0; i < streamed.size(); i++) {
      assertThat(delivered.get(i).eventId()).isEqualTo(Long.toString(streamed.get(i).id()));
      assertThat(new String(delivered.get(i).body(), StandardCharsets.UTF_8))
          .isEqualTo(streamed.get(i).dataText());
    }
  }

  @Test
  void registrationErrorsAreProblems() {
    ApiClient api = new ApiClient(port);
    assertThat(api.post("/api/webhooks", "{\"url\": \"ftp://x/y\", \"secret\": \"s\"}").status())
        .isEqualTo(400);
    assertThat(api.post("/api/webhooks", "{\"url\": \"not a url\", \"secret\": \"s\"}").status())
        .isEqualTo(400);
    assertThat(api.post("/api/webhooks", "{\"url\": \"/relative\", \"secret\": \"s\"}").status())
        .isEqualTo(400);
    assertThat(
            api.post("/api/webhooks", "{\"url\": \"http://10.0.0.1/x\", \"secret\": \"s\"}")
                .status())
        .isEqualTo(400);
    ApiClient.Reply badType =
        api.post(
            "/api/webhooks",
            "{\"url\": \"http://127.0.0.1/x\", \"secret\": \"s\", \"event_types\": [\"nope\"]}");
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.contentType()).startsWith("application/problem+json");
    assertThat(api.get("/api/webhooks/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(api.get("/api/webhooks/" + UUID.randomUUID() + "/deliveries").status())
        .isEqualTo(404);
    assertThat(api.delete("/api/webhooks/" + UUID.randomUUID()).status()).isEqualTo(404);

    ApiClient.Reply created =
        api.post("/api/webhooks", "{\"url\": \"http://127.0.0.1:9/x\", \"secret\": \"s\"}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("webhook_id").asString();
    assertThat(created.raw().headers().firstValue("Location")).hasValue("/api/webhooks/" + id);
    assertThat(created.body().get("secret").asString()).isEqualTo("s");
    assertThat(api.get("/api/webhooks/" + id).body().has("secret")).isFalse();
    assertThat(api.get("/api/webhooks").body().get(0).has("secret")).isFalse();
    assertThat(api.delete("/api/webhooks/" + id).status()).isEqualTo(204);
    assertThat(api.get("/api/webhooks/" + id).status()).isEqualTo(404);
  }

  private String register(ApiClient api, String types) {
    ApiClient.Reply created =
        api.post(
            "/api/webhooks",
            "{\"url\": \""
                + receiver.url()
                + "\", \"secret\": \""
                + SECRET
                + "\", \"event_types\": "
                + types
                + "}");
    assertThat(created.status()).isEqualTo(201);
    return created.body().get("webhook_id").asString();
  }

  private List<Delivery> deliveriesOf(String thread) {
    return receiver.deliveries().stream()
        .filter(delivery -> delivery.event().get("thread_id").asString().equals(thread))
        .toList();
  }
}
