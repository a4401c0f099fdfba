package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * API keys over real HTTP: configured only as hashes, each with a role and an owner. Once a key is
 * configured, a client on the loopback is no longer the local admin: it needs a key like anyone.
 * Each role may do what docs/api.md "Who may do what" says and gets a 403 problem for the rest; a
 * missing or unknown key is a 401 problem with {@code WWW-Authenticate: Bearer}.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:api-keys;DB_CLOSE_DELAY=-1")
@Import(EngineTestSupport.Beans.class)
class ApiKeyAccessTest {

  static final String VIEWER = "viewer-key-3f1c2a9e6f0b4d7e";
  static final String OPERATOR = "operator-key-9a550c1f7d2b8e41";
  static final String ADMIN = "admin-key-0c1f7d2b8e413f1c";

  @DynamicPropertySource
  static void apiKeys(DynamicPropertyRegistry registry) {
    configureKey(registry, 0, VIEWER, "viewer", "vera");
    configureKey(registry, 1, OPERATOR, "operator", "otto");
    configureKey(registry, 2, ADMIN, "admin", "ada");
  }

  static void configureKey(
      DynamicPropertyRegistry registry, int index, String key, String role, String owner) {
    String prefix = "orchestro.security.api-keys[" + index + "].";
    registry.add(prefix + "sha256", () -> sha256(key));
    registry.add(prefix + "role", () -> role);
    registry.add(prefix + "owner", () -> owner);
  }

  static String sha256(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @LocalServerPort int port;

  private ApiClient as(String key) {
    return new ApiClient(port).as(key);
  }

  private ApiClient anonymous() {
    return new ApiClient(port);
  }

  @Test
  void withoutAKeyEvenTheLoopbackGetsA401() {
    ApiClient api = anonymous();
    for (ApiClient.Reply reply :
        new ApiClient.Reply[] {
          api.get("/api/threads"),
          api.post("/api/threads", "{\"prompt\":\"hello\"}"),
          api.get("/api/me"),
          api.get("/api/events", "Accept", "text/event-stream"),
          api.get("/v3/api-docs"),
          api.get("/actuator/prometheus")
        }) {
      assertProblem(reply, 401);
      assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(reply.body().get("detail").asString()).contains("Authorization: Bearer");
    }
  }

  @Test
  void anUnknownKeyIsA401() {
    ApiClient.Reply reply = as("not-a-configured-key").get("/api/threads");
    assertProblem(reply, 401);
    assertThat(reply.raw().headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer error=\"invalid_token\"");
    // the hash of a key is not a key
    assertProblem(as(sha256(ADMIN)).get("/api/threads"), 401);
  }

  @Test
  void aViewerReadsAndChangesNothing() {
    ApiClient viewer = as(VIEWER);
    assertThat(viewer.get("/api/me").body().toString())
        .isEqualTo("{\"owner\":\"vera\",\"role\":\"viewer\"}");
    assertThat(viewer.get("/api/threads").status()).isEqualTo(200);
    assertThat(viewer.get("/api/workflows").status()).isEqualTo(200);
    assertThat(viewer.get("/api/schedules").status()).isEqualTo(200);
    // Swagger UI follows the API's rule (its page redirects to the UI's files)
    assertThat(viewer.get("/swagger-ui.html").status()).isEqualTo(302);
    assertProblem(anonymous().get("/swagger-ui.html"), 401);
    try (SseClient events = SseClient.openWith(URI.create(base() + "/api/events"), VIEWER)) {
      assertThat(events.status()).isEqualTo(200);
    }

    long threadsBefore = threadCount(viewer);
    ApiClient.Reply create = viewer.post("/api/threads", "{\"prompt\":\"hello\"}");
    assertProblem(create, 403);
    assertThat(create.body().get("detail").asString()).contains("viewer");
    assertProblem(viewer.post("/api/threads/bulk", "{\"action\":\"pause\",\"filter\":{}}"), 403);
    assertProblem(viewer.post("/api/tasks/poll", "{\"queues\":[\"q\"],\"worker_id\":\"w\"}"), 403);
    assertProblem(viewer.putDelayWorkflow("viewer-made", 1, 1), 403);
    assertProblem(viewer.get("/api/webhooks"), 403);
    assertProblem(viewer.get("/actuator/prometheus"), 403);
    assertThat(threadCount(viewer)).isEqualTo(threadsBefore);
  }

  @Test
  void anOperatorWorksThreadsAndTasksButNotDefinitions() {
    ApiClient operator = as(OPERATOR);
    assertThat(operator.get("/api/me").body().get("role").asString()).isEqualTo("operator");
    String id = operator.createThread("operated", "general");
    assertThat(operator.post("/api/threads/" + id + "/pause").status()).isIn(200, 409);
    assertThat(operator.delete("/api/threads/" + id).status()).isEqualTo(204);
    ApiClient.Reply poll =
        operator.post(
            "/api/tasks/poll", "{\"queues\":[\"q\"],\"worker_id\":\"w\",\"wait_millis\":0}");
    assertThat(poll.status()).as(poll.raw().body()).isEqualTo(200);

    assertProblem(operator.putDelayWorkflow("operator-made", 1, 1), 403);
    assertProblem(operator.put("/api/schedules/nightly", "{\"cron\":\"0 0 * * * *\"}"), 403);
    assertProblem(operator.post("/api/webhooks", "{\"url\":\"https://example.com\"}"), 403);
    assertProblem(operator.get("/actuator/metrics"), 403);
  }

  @Test
  void anAdminManagesDefinitionsWebhooksAndTheActuator() {
    ApiClient admin = as(ADMIN);
    assertThat(admin.get("/api/me").body().toString())
        .isEqualTo("{\"owner\":\"ada\",\"role\":\"admin\"}");
    assertThat(admin.putDelayWorkflow("admin-made", 1, 1).status()).isIn(200, 201);
    assertThat(admin.get("/api/webhooks").status()).isEqualTo(200);
    assertThat(admin.get("/actuator/prometheus").status()).isEqualTo(200);
    assertThat(admin.createThread("administered", "admin-made")).isNotBlank();
  }

  @Test
  void healthAndTheDashboardsFilesAreOpenWithStrictHeaders() {
    assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
    assertThat(anonymous().get("/actuator/health/liveness").status()).isEqualTo(200);

    ApiClient.Reply page = anonymous().get("/index.html");
    assertThat(page.status()).isEqualTo(200);
    var headers = page.raw().headers();
    assertThat(headers.firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'");
    assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
    // the files keep their caching rule: browsers ask each time (docs: no stale modules)
    assertThat(headers.firstValue("Cache-Control")).hasValue("no-cache");
  }

  private long threadCount(ApiClient viewer) {
    return viewer.get("/api/threads").body().get("total").asLong();
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }
}
