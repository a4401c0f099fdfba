package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.webhooks.WebhookReceiver;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Over real HTTP: a receiver that keeps failing is disabled after {@code
 * orchestro.webhooks.disable-after} (a second here instead of days) and gets nothing more until it
 * is enabled again, then gets what waited, a {@code webhook_disabled} event recording it; and the
 * database keeps its secret encrypted.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:webhook-disabling-test;DB_CLOSE_DELAY=-1",
      "orchestro.webhooks.poll-interval=50ms",
      "orchestro.webhooks.initial-backoff=100ms",
      "orchestro.webhooks.max-backoff=200ms",
      "orchestro.webhooks.disable-after=1s",
      "orchestro.egress.allow=127.0.0.1"
    })
class WebhookDisablingTest {

  private static final String SECRET = "whsec_dGhlIHJlY2VpdmVyJ3Mgb3duIHNlY3JldCBrZXk=";

  @LocalServerPort int port;
  @Autowired DataSource dataSource;
  @Autowired ApplicationRunner secretsStoredInTheClearEncrypted;

  private final WebhookReceiver receiver = WebhookReceiver.start(SECRET);

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void aReceiverFailingForTooLongIsDisabledThenEnabledAgainGetsWhatWaited() {
    ApiClient api = new ApiClient(port);
    receiver.stop();
    String webhook = register(api);
    String thread = api.createThread("disabling", "general");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !api.get("/api/webhooks/" + webhook).body().get("enabled").asBoolean());
    JsonNode disabled = api.get("/api/webhooks/" + webhook).body();
    assertThat(disabled.get("disabled_at").isNull()).isFalse();
    assertThat(disabled.get("failing_since").isNull()).isFalse();
    JsonNode stoppedAt = api.get("/api/webhooks/" + webhook + "/deliveries").body().get(0);
    assertThat(stoppedAt.get("status").asString()).isEqualTo("disabled");
    assertThat(stoppedAt.get("error").asString()).contains("ConnectException");
    // recorded as an event of the thread it stopped at, for the streams and other webhooks
    JsonNode recorded =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> webhookDisabledEvent(api, thread, webhook), event -> event != null);
    assertThat(recorded.get("thread_id").asString()).isEqualTo(thread);
    assertThat(recorded.get("actor").asString()).isEqualTo("engine");
    assertThat(recorded.get("detail").asString())
        .startsWith("webhook " + webhook + " is disabled: its receiver has failed since ");

    receiver.restart();
    ApiClient.Reply enabled = api.post("/api/webhooks/" + webhook + "/enable");
    assertThat(enabled.status()).isEqualTo(200);
    assertThat(enabled.body().get("enabled").asBoolean()).isTrue();
    assertThat(enabled.body().get("failing_since").isNull()).isTrue();

    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() >= 1);
    assertThat(receiver.deliveries().get(0).signatureValid()).isTrue();
    assertThat(receiver.deliveries().get(0).eventType()).isEqualTo("thread_created");
  }

  @Test
  void theDatabaseKeepsTheSecretEncrypted() {
    String webhook = register(new ApiClient(port));

    Map<String, Object> row =
        new JdbcTemplate(dataSource)
            .queryForMap("SELECT * FROM webhook WHERE id = CAST(? AS UUID)", webhook);

    assertThat(row.toString()).doesNotContain(SECRET).doesNotContain(SECRET.substring(6));
    assertThat(String.valueOf(row.get("SECRET"))).startsWith("enc:v1:");
  }

  @Test
  void aSecretStoredInTheClearByAnEarlierVersionIsEncryptedOnStart() throws Exception {
    String webhook = register(new ApiClient(port));
    JdbcTemplate sql = new JdbcTemplate(dataSource);
    // as an earlier version stored it
    sql.update("UPDATE webhook SET secret = ? WHERE id = CAST(? AS UUID)", SECRET, webhook);

    secretsStoredInTheClearEncrypted.run(new DefaultApplicationArguments());

    String stored =
        sql.queryForObject(
            "SELECT secret FROM webhook WHERE id = CAST(? AS UUID)", String.class, webhook);
    assertThat(stored).startsWith("enc:v1:").doesNotContain(SECRET.substring(6));
    // and it still signs with the same secret
    new ApiClient(port).createThread("signed as before", "general");
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() >= 1);
    assertThat(receiver.deliveries().get(0).signatureValid()).isTrue();
  }

  @Test
  void enablingAnUnknownWebhookIsA404() {
    ApiClient api = new ApiClient(port);
    ApiClient.assertProblem(
        api.post("/api/webhooks/0b8f0a8e-8f5c-4f7e-9d4c-3c2a1b0e9f11/enable"), 404);
  }

  /** The thread's webhook_disabled event, from its history; null while there is none. */
  /** This webhook's {@code webhook_disabled} event: another test's webhook may stop there too. */
  private static JsonNode webhookDisabledEvent(ApiClient api, String thread, String webhook) {
    for (JsonNode event :
        api.get("/api/threads/" + thread + "/events", "Accept", "application/json").body()) {
      if (event.get("type").asString().equals("webhook_disabled")
          && event.get("detail").asString().startsWith("webhook " + webhook + " ")) {
        return event;
      }
    }
    return null;
  }

  private String register(ApiClient api) {
    ApiClient.Reply created =
        api.post(
            "/api/webhooks",
            "{\"url\": \""
                + receiver.url()
                + "\", \"secret\": \""
                + SECRET
                + "\", \"event_types\": [\"thread_created\"]}");
    assertThat(created.status()).isEqualTo(201);
    return created.body().get("webhook_id").asString();
  }
}
