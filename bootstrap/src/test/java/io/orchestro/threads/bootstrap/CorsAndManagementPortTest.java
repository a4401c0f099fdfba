package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two settings of "Running it safely" in one application over real HTTP: CORS for one configured
 * site (that site's pages may use the API, no other site's may, and another site's changes stay
 * refused), and the actuator on a port of its own ({@code management.server.port}), which the API
 * port no longer serves and which keeps the API's rules: health open, the rest admin-only.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:cors-and-management-port;DB_CLOSE_DELAY=-1",
      "orchestro.security.cors.allowed-origins=http://app.example",
      "management.server.port=0"
    })
@Import(EngineTestSupport.Beans.class)
class CorsAndManagementPortTest {

  private static final String APP = "http://app.example";
  private static final String EVIL = "http://evil.example";
  private static final String ADMIN = "admin-key-5d1e0b7a2c9f4e38";
  private static final String VIEWER = "viewer-key-8b2f6c0d4e1a7395";

  @DynamicPropertySource
  static void apiKeys(DynamicPropertyRegistry registry) {
    ApiKeyAccessTest.configureKey(registry, 0, ADMIN, "admin", "ada");
    ApiKeyAccessTest.configureKey(registry, 1, VIEWER, "viewer", "vera");
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  private ApiClient admin() {
    return new ApiClient(port).as(ADMIN);
  }

  /** A browser's preflight before a page of {@code origin} sends a POST with a credential. */
  private ApiClient.Reply preflight(String origin, String path) {
    return new ApiClient(port)
        .send(
            HttpRequest.newBuilder(new ApiClient(port).uri(path))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
  }

  private static String allowedOrigin(ApiClient.Reply reply) {
    return reply.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null);
  }

  @Test
  void theConfiguredSiteMayUseTheApiAndNoOtherSiteMay() {
    ApiClient.Reply allowed = preflight(APP, "/api/threads");
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowedOrigin(allowed)).isEqualTo(APP);
    assertThat(allowed.raw().headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .containsIgnoringCase("authorization");
    assertThat(allowed.raw().headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

    ApiClient.Reply refused = preflight(EVIL, "/api/threads");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(allowedOrigin(refused)).isNull();

    ApiClient.Reply read = admin().get("/api/threads", "Origin", APP);
    assertThat(read.status()).isEqualTo(200);
    assertThat(allowedOrigin(read)).isEqualTo(APP);
    assertThat(allowedOrigin(admin().get("/api/threads", "Origin", EVIL))).isNull();
  }

  @Test
  void onlyTheConfiguredSitesPagesMayChangeThreads() {
    assertThat(admin().putDelayWorkflow("cors-slow", 1, 600_000).status()).isIn(200, 201);
    String id = admin().createThread("stay as you are", "cors-slow");
    String path = "/api/threads/" + id;

    // another site's page, whatever credential it sends, still changes nothing
    assertProblem(admin().withHeaders("Origin", EVIL).post(path + "/pause"), 403);
    assertProblem(
        admin()
            .send(
                HttpRequest.newBuilder(admin().uri(path + "/pause"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Sec-Fetch-Site", "cross-site")
                    .header("Origin", EVIL)
                    .POST(HttpRequest.BodyPublishers.ofString("x=1"))),
        403);
    assertProblem(admin().withHeaders("Origin", EVIL).delete(path), 403);
    assertThat(admin().status(id)).isIn("pending", "running");

    // the configured site's page, with a credential, may (its browser says cross-site too)
    ApiClient.Reply paused =
        admin().withHeaders("Origin", APP, "Sec-Fetch-Site", "cross-site").post(path + "/pause");
    assertThat(paused.status()).as(paused.raw().body()).isEqualTo(200);
    assertThat(allowedOrigin(paused)).isEqualTo(APP);
    // and still needs one, like any client
    assertProblem(new ApiClient(port).withHeaders("Origin", APP).post(path + "/resume"), 401);
    assertThat(admin().delete(path).status()).isEqualTo(204);
  }

  @Test
  void theActuatorIsServedOnItsOwnPortOnlyWithTheSameRules() {
    assertThat(admin().get("/actuator/prometheus").status()).isEqualTo(404);
    assertThat(admin().get("/actuator/health").status()).isEqualTo(404);

    ApiClient management = new ApiClient(managementPort);
    assertThat(managementPort).isNotEqualTo(port);
    assertThat(management.get("/actuator/health").status()).isEqualTo(200);
    assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);
    assertProblem(management.get("/actuator/prometheus"), 401);
    assertProblem(management.as(VIEWER).get("/actuator/prometheus"), 403);
    ApiClient.Reply scraped = management.as(ADMIN).get("/actuator/prometheus");
    assertThat(scraped.status()).isEqualTo(200);
    assertThat(scraped.raw().body()).contains("orchestro_");
  }
}
