package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/threads/batch} over real HTTP against the whole application (H2): all or
 * nothing, in order, the failing item named by index and JSON pointer. The same application as
 * {@link ApiEndToEndTest}'s (one context for both); its threads are of the type {@code batch}.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:api-test;DB_CLOSE_DELAY=-1")
@Import(EngineTestSupport.Beans.class)
class BatchCreateTest {

  @LocalServerPort int port;

  private ApiClient api() {
    return new ApiClient(port);
  }

  @BeforeEach
  void batchWorkflow() {
    api().put("/api/workflows/batch", "{\"steps\": [{\"name\": \"hold\", \"agent\": \"gate\"}]}");
  }

  @Test
  void createsEveryThreadInTheOrderGivenAndGivesBackOnesCreatedBefore() {
    String before = api().createThread("made before", "batch");
    UUID chosen = UUID.randomUUID();

    ApiClient.Reply reply =
        api()
            .post(
                "/api/threads/batch",
                "{\"threads\": ["
                    + item("first")
                    + ", {\"thread_id\": \""
                    + chosen
                    + "\", \"prompt\": \"chosen\", \"workflow_type\": \"batch\"}"
                    + ", {\"thread_id\": \""
                    + before
                    + "\", \"prompt\": \"made before\", \"workflow_type\": \"batch\"}"
                    + ", "
                    + item("last")
                    + "]}");

    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    JsonNode threads = reply.body().get("threads");
    assertThat(threads)
        .extracting(thread -> thread.get("input").get("prompt").asString())
        .containsExactly("first", "chosen", "made before", "last");
    assertThat(threads.get(1).get("thread_id").asString()).isEqualTo(chosen.toString());
    assertThat(threads.get(2).get("thread_id").asString()).isEqualTo(before);
    assertThat(threads.get(0).get("status").asString()).isEqualTo("pending");
    for (JsonNode thread : threads) {
      assertThat(api().get("/api/threads/" + thread.get("thread_id").asString()).status())
          .isEqualTo(200);
    }
  }

  @Test
  void anInvalidItemCreatesNothingAndIsNamedByIndexAndPointer() {
    UUID first = UUID.randomUUID();
    String unknownType = batch(first, "{\"prompt\": \"x\", \"workflow_type\": \"no-such-type\"}");
    String wrongType = batch(first, "{\"prompt\": 12}");
    String titleTooLong =
        batch(first, "{\"prompt\": \"x\", \"title\": \"" + "t".repeat(201) + "\"}");
    String neitherPromptNorInput = batch(first, "{\"workflow_type\": \"batch\"}");

    assertItemProblem(api().post("/api/threads/batch", unknownType), 400, "/threads/1");
    assertItemProblem(api().post("/api/threads/batch", wrongType), 400, "/threads/1/prompt");
    assertItemProblem(api().post("/api/threads/batch", titleTooLong), 400, "/threads/1/title");
    assertItemProblem(api().post("/api/threads/batch", neitherPromptNorInput), 400, "/threads/1");
    String before = api().createThread("made before", "batch");
    assertItemProblem(
        api()
            .post(
                "/api/threads/batch",
                batch(first, "{\"thread_id\": \"" + before + "\", \"prompt\": \"other\"}")),
        409,
        "/threads/1");
    assertThat(api().get("/api/threads/" + first).status()).isEqualTo(404);
  }

  @Test
  void takesUpToAThousandThreadsAndFourMebibytes() {
    List<String> items = new ArrayList<>();
    String padding = "p".repeat(3_000);
    for (int i = 0; i < 1_000; i++) {
      items.add(
          "{\"prompt\": \"many "
              + i
              + "\", \"workflow_type\": \"batch\", \"input\": {\"pad\": \""
              + padding
              + "\"}}");
    }
    String thousand = "{\"threads\": [" + String.join(", ", items) + "]}";
    items.add(item("one too many"));
    String thousandAndOne = "{\"threads\": [" + String.join(", ", items) + "]}";
    String overFourMebibytes =
        "{\"threads\": [{\"prompt\": \"" + "p".repeat(4 * 1024 * 1024) + "\"}]}";

    ApiClient.Reply created = api().post("/api/threads/batch", thousand);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
    assertThat(created.body().get("threads").size()).isEqualTo(1_000);
    assertProblem(api().post("/api/threads/batch", thousandAndOne), 400);
    assertProblem(api().post("/api/threads/batch", overFourMebibytes), 413);
    assertProblem(api().post("/api/threads/batch", "{}"), 400);
  }

  private static String item(String prompt) {
    return "{\"prompt\": \"" + prompt + "\", \"workflow_type\": \"batch\"}";
  }

  /** A batch of a valid item with a chosen id, then {@code second}. */
  private static String batch(UUID first, String second) {
    return "{\"threads\": [{\"thread_id\": \""
        + first
        + "\", \"prompt\": \"fine\", \"workflow_type\": \"batch\"}, "
        + second
        + "]}";
  }

  private static void assertItemProblem(ApiClient.Reply reply, int status, String pointer) {
    assertProblem(reply, status);
    assertThat(reply.body().get("index").asInt()).isEqualTo(1);
    assertThat(reply.body().get("pointer").asString()).isEqualTo(pointer);
  }
}
