package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.testing.GateAgent;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * The API of docs/api.md over real HTTP against the whole application on a random port: every
 * endpoint but the event streams, and every row of the error table.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:api-test;DB_CLOSE_DELAY=-1")
@Import(EngineTestSupport.Beans.class)
class ApiEndToEndTest {

  @LocalServerPort int port;
  @Autowired GateAgent gate;

  private ApiClient api() {
    return new ApiClient(port);
  }

  @Test
  void createsAThreadDetectingItsWorkflowFromThePrompt() {
    ApiClient.Reply created =
        api()
            .post(
                "/api/threads",
                "{\"prompt\": \"Please research and compare the Q3 sales figures\"}");

    assertThat(created.status()).isEqualTo(201);
    JsonNode thread = created.body();
    String id = thread.get("thread_id").asString();
    assertThat(created.raw().headers().firstValue("Location")).hasValue("/api/threads/" + id);
    // every field that the OpenAPI document declares, and no other
    JsonNode declared =
        api()
            .get("/v3/api-docs")
            .body()
            .get("components")
            .get("schemas")
            .get("ThreadResponse")
            .get("properties");
    assertThat(thread.propertyNames())
        .containsExactlyInAnyOrderElementsOf(declared.propertyNames());
    assertThat(thread.get("workflow_type").asString()).isEqualTo("research");
    assertThat(thread.get("title").asString())
        .isEqualTo("Workflow - Please research and compare th...");
    assertThat(thread.get("input").get("prompt").asString())
        .isEqualTo("Please research and compare the Q3 sales figures");
    assertThat(thread.get("total_steps").asInt()).isEqualTo(4);
    assertThat(thread.get("created_at").asString())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(thread.get("error_message").isNull()).isTrue();
    assertThat(thread.get("finished_at").isNull()).isTrue();

    api().awaitStatus(id, "completed");
    JsonNode done = api().get("/api/threads/" + id).body();
    assertThat(done.get("percent").asInt()).isEqualTo(100);
    assertThat(done.get("current_step").isNull()).isTrue();
    assertThat(done.get("steps").get(3).get("output").get("text").asString())
        .isEqualTo("Summary: Findings on Please research and compare the Q3 sales figures");
  }

  @Test
  void aPromptWithoutKeywordsGetsTheGeneralWorkflow() {
    JsonNode thread = api().post("/api/threads", "{\"prompt\": \"hello there\"}").body();
    assertThat(thread.get("workflow_type").asString()).isEqualTo("general");
    assertThat(thread.get("title").asString()).isEqualTo("Workflow - hello there");
  }

  @Test
  void creatingTheSameClientIdAgainIsIdempotentAndADifferentBodyConflicts() {
    String id = UUID.randomUUID().toString();
    String body =
        "{\"thread_id\": \"" + id + "\", \"prompt\": \"write a report\", \"input\": {\"n\": 1}}";
    assertThat(api().post("/api/threads", body).status()).isEqualTo(201);

    ApiClient.Reply again = api().post("/api/threads", body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("thread_id").asString()).isEqualTo(id);

    ApiClient.Reply different =
        api()
            .post(
                "/api/threads", "{\"thread_id\": \"" + id + "\", \"prompt\": \"something else\"}");
    assertProblem(different, 409);
  }

  @Test
  void listsThreadsNewestFirstWithFiltersPagingAndTotal() {
    api().put("/api/workflows/listing", "{\"steps\": [{\"name\": \"hold\", \"agent\": \"gate\"}]}");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(api().createThread("list " + i, "listing"));
    }
    api().post("/api/threads/" + ids.get(0) + "/pause");

    JsonNode page = api().get("/api/threads?workflow_type=listing&size=2&page=0").body();
    assertThat(page.get("total").asInt()).isEqualTo(3);
    assertThat(page.get("page").asInt()).isZero();
    assertThat(page.get("size").asInt()).isEqualTo(2);
    assertThat(page.get("items"))
        .extracting(item -> item.get("thread_id").asString())
        .containsExactly(ids.get(2), ids.get(1));
    assertThat(page.get("items").get(0).has("steps")).isFalse();
    assertThat(page.get("items").get(0).has("input")).isFalse();
    assertThat(page.get("items").get(0).has("current_step")).isTrue();
    JsonNode second = api().get("/api/threads?workflow_type=listing&size=2&page=1").body();
    assertThat(second.get("items"))
        .extracting(item -> item.get("thread_id").asString())
        .containsExactly(ids.get(0));

    JsonNode paused = api().get("/api/threads?workflow_type=listing&status=paused").body();
    assertThat(paused.get("total").asInt()).isEqualTo(1);
    assertThat(actions(paused.get("items").get(0))).containsExactly("resume", "cancel", "delete");
    JsonNode pausedOrRunning =
        api()
            .get("/api/threads?workflow_type=listing&status=paused&status=running&status=pending")
            .body();
    assertThat(pausedOrRunning.get("total").asInt()).isEqualTo(3);
    assertThat(api().get("/api/threads?workflow_type=no-such-type").body().get("total").asInt())
        .isZero();
    ids.forEach(id -> api().delete("/api/threads/" + id));
  }

  @Test
  void pauseResumeRetryAndDeleteFollowTheLifecycleTable() {
    api()
        .put(
            "/api/workflows/lifecycle",
            "{\"steps\": [{\"name\": \"hold\", \"agent\": \"gate\"}, {\"name\": \"boom\", \"agent\": \"fail\", \"config\": {\"times\": 1}}]}");
    String id = api().createThread("cycle", "lifecycle");
    await().until(() -> gate.hasStarted(id, "hold"));

    assertThat(api().post("/api/threads/" + id + "/resume").status()).isEqualTo(200);
    assertProblem(api().post("/api/threads/" + id + "/retry"), 409);
    ApiClient.Reply paused = api().post("/api/threads/" + id + "/pause");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.body().get("status").asString()).isEqualTo("paused");
    assertThat(paused.body().get("steps").get(0).get("status").asString()).isEqualTo("running");
    assertThat(actions(paused.body())).containsExactly("resume", "cancel", "delete");
    assertThat(api().post("/api/threads/" + id + "/pause").body().get("status").asString())
        .isEqualTo("paused");
    assertProblem(api().post("/api/threads/" + id + "/retry"), 409);

    gate.open(id, "hold");
    ApiClient.Reply resumed = api().post("/api/threads/" + id + "/resume");
    assertThat(resumed.status()).isEqualTo(200);
    api().awaitStatus(id, "failed");
    JsonNode failed = api().get("/api/threads/" + id).body();
    assertThat(failed.get("error_message").asString()).isEqualTo("failed on purpose");
    assertThat(actions(failed)).containsExactly("retry", "delete");
    assertProblem(api().post("/api/threads/" + id + "/pause"), 409);
    assertProblem(api().post("/api/threads/" + id + "/resume"), 409);

    assertThat(api().post("/api/threads/" + id + "/retry").status()).isEqualTo(200);
    api().awaitStatus(id, "completed");
    assertProblem(api().post("/api/threads/" + id + "/pause"), 409);
    assertProblem(api().post("/api/threads/" + id + "/resume"), 409);
    assertProblem(api().post("/api/threads/" + id + "/retry"), 409);

    assertThat(api().delete("/api/threads/" + id).status()).isEqualTo(204);
    assertProblem(api().get("/api/threads/" + id), 404);
    assertProblem(api().delete("/api/threads/" + id), 404);
    assertProblem(api().post("/api/threads/" + id + "/pause"), 404);
    assertProblem(api().post("/api/threads/" + id + "/resume"), 404);
    assertProblem(api().post("/api/threads/" + id + "/retry"), 404);
  }

  @Test
  void cancelStopsTheStepInFlightAndKeepsTheThreadAsFailed() {
    api()
        .put(
            "/api/workflows/cancelling",
            "{\"steps\": [{\"name\": \"hold\", \"agent\": \"gate\"}]}");
    String id = api().createThread("cancel me", "cancelling");
    await().until(() -> gate.hasStarted(id, "hold"));

    ApiClient.Reply cancelled = api().post("/api/threads/" + id + "/cancel");

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().get("status").asString()).isEqualTo("failed");
    assertThat(cancelled.body().get("error_message").asString()).isEqualTo("cancelled");
    assertThat(cancelled.body().get("steps").get(0).get("status").asString()).isEqualTo("failed");
    assertThat(actions(cancelled.body())).containsExactly("retry", "delete");
    await().until(() -> gate.wasCancelled(id, "hold"));
    assertProblem(api().post("/api/threads/" + id + "/cancel"), 409);
    assertProblem(api().post("/api/threads/" + UUID.randomUUID() + "/cancel"), 404);
    assertThat(api().get("/api/threads/" + id).body().get("status").asString()).isEqualTo("failed");
    api().delete("/api/threads/" + id);
  }

  @Test
  void workflowDefinitionsAreVersionedAndThreadsKeepTheirVersion() {
    JsonNode all = api().get("/api/workflows").body();
    assertThat(all)
        .extracting(definition -> definition.get("type").asString())
        .contains("general", "research", "report");
    assertThat(
            api()
                .get("/api/workflows/report")
                .body()
                .get("steps")
                .get(2)
                .get("retry")
                .get("max_attempts")
                .asInt())
        .isEqualTo(2);
    assertProblem(api().get("/api/workflows/no-such-workflow"), 404);

    ApiClient.Reply created =
        api()
            .put(
                "/api/workflows/versioned",
                "{\"keywords\": [\"versioned\"], \"steps\": [{\"name\": \"a\", \"agent\": \"gate\"}]}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("version").asInt()).isEqualTo(1);
    String id = api().createThread("keep my version", "versioned");

    ApiClient.Reply replaced =
        api()
            .put(
                "/api/workflows/versioned",
                "{\"steps\": [{\"name\": \"a\", \"agent\": \"gate\"}, {\"name\": \"b\", \"agent\": \"echo\"}]}");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.body().get("version").asInt()).isEqualTo(2);
    assertThat(api().get("/api/workflows/versioned").body().get("version").asInt()).isEqualTo(2);

    gate.open(id, "a");
    api().awaitStatus(id, "completed");
    assertThat(api().get("/api/threads/" + id).body().get("total_steps").asInt()).isEqualTo(1);
  }

  @Test
  void everyRowOfTheErrorTableIsAProblem() {
    // 400: malformed JSON, wrong types, bad UUID, bad filters and paging
    assertProblem(api().post("/api/threads", "{\"prompt\": "), 400);
    assertProblem(api().post("/api/threads", "{\"prompt\": 12}"), 400);
    assertProblem(
        api().post("/api/threads", "{\"prompt\": \"x\", \"input\": \"not an object\"}"), 400);
    assertProblem(api().post("/api/threads", "{\"prompt\": \"x\", \"thread_id\": \"nope\"}"), 400);
    assertProblem(api().get("/api/threads/not-a-uuid"), 400);
    assertProblem(api().get("/api/threads?status=sleeping"), 400);
    assertProblem(api().get("/api/threads?page=-1"), 400);
    assertProblem(api().get("/api/threads?size=0"), 400);
    assertProblem(api().get("/api/threads?size=501"), 400);
    assertProblem(api().get("/api/threads?size=abc"), 400);
    assertProblem(api().post("/api/threads", "{}"), 400);
    // 400: unknown workflow type; bad definitions
    assertProblem(
        api().post("/api/threads", "{\"prompt\": \"x\", \"workflow_type\": \"no-such\"}"), 400);
    assertProblem(api().put("/api/workflows/empty", "{\"steps\": []}"), 400);
    assertProblem(
        api()
            .put(
                "/api/workflows/twice",
                "{\"steps\": [{\"name\": \"a\", \"agent\": \"echo\"}, {\"name\": \"a\", \"agent\": \"echo\"}]}"),
        400);
    assertProblem(
        api()
            .put(
                "/api/workflows/stranger",
                "{\"steps\": [{\"name\": \"a\", \"agent\": \"nobody\"}]}"),
        400);
    // 404
    assertProblem(api().get("/api/threads/" + UUID.randomUUID()), 404);
    assertProblem(api().get("/api/workflows/nothing-here"), 404);
    // 413: more than 64 KiB
    String big = "{\"prompt\": \"" + "x".repeat(70 * 1024) + "\"}";
    assertProblem(api().post("/api/threads", big), 413);
    // 415: not JSON
    assertProblem(
        api()
            .send(
                HttpRequest.newBuilder(api().uri("/api/threads"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("prompt=hello"))),
        415);
    // nothing of the above left a thread behind
    assertThat(api().get("/api/threads?workflow_type=no-such").body().get("total").asInt())
        .isZero();
  }

  @Test
  void servesTheOpenApiDocumentAndSwaggerUi() {
    ApiClient.Reply docs = api().get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body().get("paths").has("/api/threads/{id}/pause")).isTrue();
    ApiClient.Reply ui = api().get("/swagger-ui.html");
    assertThat(ui.status()).isIn(200, 302);
  }

  private static List<String> actions(JsonNode thread) {
    return thread.get("allowed_actions").valueStream().map(JsonNode::asString).toList();
  }
}
