package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.webhooks.WebhookReceiver;
import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.StepContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * What an operator sees of a running service, over real HTTP: the meters at {@code
 * /actuator/prometheus}, health with its liveness and readiness groups, and JSON logs (switched on
 * with Spring Boot's own setting) whose lines about a thread carry its id.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:operations-test;DB_CLOSE_DELAY=-1",
      "logging.structured.format.console=ecs",
      // the webhook receiver listens on this machine
      "orchestro.egress.allow=127.0.0.1"
    })
@Import(OperationsEndpointsTest.TalkingAgentConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class OperationsEndpointsTest {

  @LocalServerPort int port;

  private ApiClient api() {
    return new ApiClient(port);
  }

  @Test
  void aWorkflowRunAdvancesTheStepCountersTheDurationsAndTheClaimLag() {
    String type = "metered-" + UUID.randomUUID().toString().substring(0, 8);
    putWorkflow(type);
    PrometheusScrape before = scrape();

    String id = startThread(type);
    api().awaitStatus(id, "completed");

    PrometheusScrape after = scrape();
    Map<String, String> echo = Map.of("workflow_type", type, "agent", "echo");
    Map<String, String> fail = Map.of("workflow_type", type, "agent", "fail");
    assertThat(advance(before, after, "orchestro_steps_started_total", echo)).isEqualTo(1);
    assertThat(advance(before, after, "orchestro_steps_completed_total", echo)).isEqualTo(1);
    assertThat(advance(before, after, "orchestro_steps_failed_total", echo)).isZero();
    // the flaky step fails its first attempt and passes its second
    assertThat(advance(before, after, "orchestro_steps_started_total", fail)).isEqualTo(2);
    assertThat(advance(before, after, "orchestro_steps_completed_total", fail)).isEqualTo(1);
    assertThat(advance(before, after, "orchestro_steps_failed_total", fail)).isEqualTo(1);
    assertThat(
            advance(
                before,
                after,
                "orchestro_step_duration_seconds_count",
                Map.of("workflow_type", type, "agent", "fail", "outcome", "failed")))
        .isEqualTo(1);
    assertThat(
            advance(
                before,
                after,
                "orchestro_step_duration_seconds_bucket",
                Map.of(
                    "workflow_type", type, "agent", "echo", "outcome", "completed", "le", "+Inf")))
        .isEqualTo(1);
    assertThat(
            advance(
                before, after, "orchestro_claim_lag_seconds_count", Map.of("workflow_type", type)))
        .isEqualTo(1);
  }

  @Test
  void aLiveEventOnAStreamAdvancesTheEventDeliveryLag() throws Exception {
    String type = "streamed-" + UUID.randomUUID().toString().substring(0, 8);
    putWorkflow(type);
    try (SseClient stream = SseClient.open(api().uri("/api/events?type=thread_created"), null)) {
      assertThat(stream.status()).isEqualTo(200);
      PrometheusScrape before = scrape();

      String id = startThread(type);
      SseClient.Event created = stream.take(1).get(0);
      assertThat(created.data().get("thread_id").asString()).isEqualTo(id);

      PrometheusScrape after = scrape();
      assertThat(advance(before, after, "orchestro_event_delivery_lag_seconds_count", Map.of()))
          .isEqualTo(1);
      assertThat(
              advance(
                  before,
                  after,
                  "orchestro_event_delivery_lag_seconds_bucket",
                  Map.of("le", "+Inf")))
          .isEqualTo(1);
    }
  }

  @Test
  void aWebhookWhoseReceiverAnswers500AdvancesTheWebhookFailures() {
    String webhook = null;
    try (WebhookReceiver receiver = WebhookReceiver.start("s")) {
      receiver.answer(500);
      double before = scrape().value("orchestro_webhook_failures_total", Map.of());
      ApiClient.Reply registered =
          api()
              .post(
                  "/api/webhooks",
                  "{\"url\": \""
                      + receiver.url()
                      + "\", \"secret\": \"s\", \"event_types\": [\"thread_created\"]}");
      assertThat(registered.status()).isEqualTo(201);
      webhook = registered.body().get("webhook_id").asString();
      putWorkflow("hooked");
      startThread("hooked");

      await()
          .until(() -> scrape().value("orchestro_webhook_failures_total", Map.of()) >= before + 1);
      JsonNode deliveries = api().get("/api/webhooks/" + webhook + "/deliveries").body();
      assertThat(deliveries.get(0).get("response_status").asInt()).isEqualTo(500);
    } finally {
      if (webhook != null) {
        api().delete("/api/webhooks/" + webhook);
      }
    }
  }

  @Test
  void countsTheStoredThreadsByStatus() {
    String type = "counted-" + UUID.randomUUID().toString().substring(0, 8);
    putWorkflow(type);
    double completedBefore = scrape().value("orchestro_threads", Map.of("status", "completed"));

    String id = startThread(type);
    api().awaitStatus(id, "completed");

    // the count is refreshed at most every few seconds
    await()
        .atMost(ThreadStatusGauges.FRESH_FOR.multipliedBy(3))
        .until(
            () ->
                scrape().value("orchestro_threads", Map.of("status", "completed"))
                    >= completedBefore + 1);
    assertThat(scrape().has("orchestro_threads")).isTrue();
  }

  @Test
  void healthAndItsLivenessAndReadinessGroupsAreUpWithTheStoreInReadiness() {
    JsonNode health = api().get("/actuator/health").body();
    assertThat(health.get("status").asString()).isEqualTo("UP");

    ApiClient.Reply liveness = api().get("/actuator/health/liveness");
    assertThat(liveness.status()).isEqualTo(200);
    assertThat(liveness.body().get("status").asString()).isEqualTo("UP");
    assertThat(liveness.body().at("/components/loops/status").asString()).isEqualTo("UP");

    ApiClient.Reply readiness = api().get("/actuator/health/readiness");
    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.body().get("status").asString()).isEqualTo("UP");
    assertThat(readiness.body().get("components").get("store").get("status").asString())
        .isEqualTo("UP");
  }

  @Test
  void logLinesAboutAThreadCarryItsIdAsAJsonField(CapturedOutput output) {
    String type = "logged-" + UUID.randomUUID().toString().substring(0, 8);
    api()
        .put(
            "/api/workflows/" + type,
            """
            {"steps": [
              {"name": "talk", "agent": "talk"},
              {"name": "flaky", "agent": "fail", "config": {"times": 1, "message": "not yet"},
               "retry": {"max_attempts": 2, "backoff_millis": 0}}
            ]}""");

    String id = startThread(type);
    api().awaitStatus(id, "completed");

    List<JsonNode> lines =
        output.getOut().lines().filter(line -> line.startsWith("{")).map(ApiClient::parse).toList();
    // a line of the engine's own, and one that the agent logged on the attempt's worker
    assertThat(lines)
        .filteredOn(line -> line.get("message").asString().contains("attempt 1 failed"))
        .filteredOn(line -> line.get("message").asString().contains(id))
        .singleElement()
        .satisfies(line -> assertThat(threadIdOf(line)).isEqualTo(id));
    assertThat(lines)
        .filteredOn(line -> line.get("message").asString().equals("talking about " + id))
        .singleElement()
        .satisfies(line -> assertThat(threadIdOf(line)).isEqualTo(id));
  }

  private static String threadIdOf(JsonNode logLine) {
    return logLine.has("thread_id") ? logLine.get("thread_id").asString() : null;
  }

  private void putWorkflow(String type) {
    ApiClient.Reply put =
        api()
            .put(
                "/api/workflows/" + type,
                """
                {"steps": [
                  {"name": "say", "agent": "echo", "config": {"template": "hi"}},
                  {"name": "flaky", "agent": "fail", "config": {"times": 1},
                   "retry": {"max_attempts": 2, "backoff_millis": 0}}
                ]}""");
    assertThat(put.status()).isEqualTo(201);
  }

  private String startThread(String type) {
    return api().createThread("measure me", type);
  }

  private PrometheusScrape scrape() {
    return PrometheusScrape.of(api());
  }

  private static double advance(
      PrometheusScrape before, PrometheusScrape after, String name, Map<String, String> labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  /** An agent that logs through SLF4J, as any agent of a user's might. */
  @TestConfiguration(proxyBeanMethods = false)
  static class TalkingAgentConfiguration {

    @Bean
    Agent talkingAgent() {
      return new Agent() {
        @Override
        public String name() {
          return "talk";
        }

        @Override
        public Map<String, Object> run(StepContext context) {
          LoggerFactory.getLogger("test.agent").info("talking about {}", context.threadId());
          return Map.of();
        }
      };
    }
  }
}
