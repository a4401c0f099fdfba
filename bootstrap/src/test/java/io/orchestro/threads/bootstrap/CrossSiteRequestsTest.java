package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * A page of another site, open in a browser that can reach the service, must not change anything: a
 * form posted from {@code http://evil.example} is refused over real HTTP and leaves the thread as
 * it was, while the service's own pages and non-browser clients keep working.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:api-test;DB_CLOSE_DELAY=-1")
@Import(EngineTestSupport.Beans.class)
class CrossSiteRequestsTest {

  private static final String FORM = "application/x-www-form-urlencoded";

  @LocalServerPort int port;

  private ApiClient api() {
    return new ApiClient(port);
  }

  /** A POST as a browser sends a form: form-encoded, with the given header. */
  private ApiClient.Reply formPost(String path, String header, String value) {
    return api()
        .send(
            HttpRequest.newBuilder(api().uri(path))
                .header("Content-Type", FORM)
                .header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString("x=1")));
  }

  @Test
  void formPostsFromAnotherSiteChangeNoThread() {
    assertThat(api().putDelayWorkflow("cross-site-slow", 1, 600_000).status()).isIn(200, 201);
    String id = api().createThread("stay as you are", "cross-site-slow");
    String path = "/api/threads/" + id;

    for (String action : new String[] {"pause", "cancel", "retry", "resume"}) {
      assertProblem(formPost(path + "/" + action, "Origin", "http://evil.example"), 403);
      assertProblem(formPost(path + "/" + action, "Origin", "null"), 403);
      assertProblem(formPost(path + "/" + action, "Sec-Fetch-Site", "cross-site"), 403);
    }
    assertProblem(
        api()
            .send(
                HttpRequest.newBuilder(api().uri(path))
                    .header("Origin", "http://evil.example")
                    .DELETE()),
        403);
    assertThat(api().status(id)).isIn("pending", "running");

    // The service's own page (same origin) and a client that is no browser may change it.
    ApiClient.Reply paused = formPost(path + "/pause", "Origin", "http://127.0.0.1:" + port);
    assertThat(paused.status()).as(paused.raw().body()).isEqualTo(200);
    assertProblem(formPost(path + "/resume", "Origin", "http://evil.example"), 403);
    assertThat(api().status(id)).isEqualTo("paused");
    assertThat(api().delete(path).status()).isEqualTo(204);
  }

  @Test
  void workflowsAndWebhooksCannotBeChangedFromAnotherSite() {
    ApiClient.Reply workflow =
        api()
            .send(
                HttpRequest.newBuilder(api().uri("/api/workflows/evil"))
                    .header("Content-Type", "application/json")
                    .header("Origin", "http://evil.example")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"steps\":[{\"name\":\"a\",\"agent\":\"echo\"}]}")));
    assertProblem(workflow, 403);
    assertThat(api().get("/api/workflows/evil").status()).isEqualTo(404);

    assertProblem(formPost("/api/webhooks", "Sec-Fetch-Site", "cross-site"), 403);
    assertProblem(formPost("/api/threads", "Origin", "http://evil.example"), 403);
  }

  @Test
  void readsFromAnotherSiteAreAnsweredAsUsual() {
    assertThat(api().get("/api/threads", "Origin", "http://evil.example").status()).isEqualTo(200);
  }

  @Test
  void corsIsOffUnlessConfigured() {
    ApiClient.Reply preflight =
        api()
            .send(
                HttpRequest.newBuilder(api().uri("/api/threads"))
                    .header("Origin", "http://evil.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    ApiClient.Reply read = api().get("/api/threads", "Origin", "http://evil.example");

    for (ApiClient.Reply reply : new ApiClient.Reply[] {preflight, read}) {
      assertThat(reply.raw().headers().map().keySet())
          .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"));
    }
  }
}
