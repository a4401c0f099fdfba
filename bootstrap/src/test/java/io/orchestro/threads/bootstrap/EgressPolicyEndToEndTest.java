package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * With the default egress policy (nothing listed in {@code orchestro.egress.allow}), a webhook or a
 * workflow whose URL points at this machine, the private network or a cloud metadata address can
 * never send anything: registering it is a 400 problem over real HTTP, and nothing is stored.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:api-test;DB_CLOSE_DELAY=-1")
@Import(EngineTestSupport.Beans.class)
class EgressPolicyEndToEndTest {

  private static final List<String> NEVER_REACHABLE =
      List.of(
          "http://127.0.0.1:8080/hook",
          "http://10.0.0.1/hook",
          "http://169.254.169.254/latest/meta-data/",
          "http://[::1]/hook",
          "http://localhost:8080/hook",
          "http://metadata.google.internal/computeMetadata/v1/",
          "file:///etc/passwd");

  @LocalServerPort int port;

  @Test
  void aWebhookThatCouldNeverBeDeliveredIsA400() {
    ApiClient api = new ApiClient(port);
    int before = api.get("/api/webhooks").body().size();
    for (String url : NEVER_REACHABLE) {
      ApiClient.Reply refused =
          api.post("/api/webhooks", "{\"url\": \"" + url + "\", \"secret\": \"s\"}");

      assertProblem(refused, 400);
      if (url.startsWith("http")) {
        assertThat(refused.body().get("detail").asString())
            .as(url)
            .contains("egress policy")
            .contains("orchestro.egress.allow");
      }
    }
    assertThat(api.get("/api/webhooks").body().size()).isEqualTo(before);
  }

  @Test
  void aWorkflowCallingAnAddressThatIsNotPublicIsA400() {
    ApiClient api = new ApiClient(port);
    for (String url : NEVER_REACHABLE) {
      ApiClient.Reply refused =
          api.put(
              "/api/workflows/egress-refused",
              "{\"steps\": [{\"name\": \"call\", \"agent\": \"http\", \"config\": {\"url\": \""
                  + url
                  + "\"}}]}");

      assertProblem(refused, 400);
    }
    assertThat(api.get("/api/workflows/egress-refused").status()).isEqualTo(404);
  }
}
