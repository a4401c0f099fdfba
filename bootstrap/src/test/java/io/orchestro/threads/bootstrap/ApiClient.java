package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A plain HTTP client for the API, as any script or service would talk to it. */
final class ApiClient {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  /** Headers sent with every request (a credential, say), as name, value, name, value... */
  private final List<String> headers;

  ApiClient(int port) {
    this("http://127.0.0.1:" + port, List.of());
  }

  private ApiClient(String base, List<String> headers) {
    this.base = base;
    this.headers = headers;
  }

  /** The same API, with these headers (name, value, name, value...) added to every request. */
  ApiClient withHeaders(String... namesAndValues) {
    List<String> all = new ArrayList<>(headers);
    all.addAll(List.of(namesAndValues));
    return new ApiClient(base, List.copyOf(all));
  }

  /** The same API, every request sent with {@code Authorization: Bearer credential}. */
  ApiClient as(String credential) {
    return withHeaders("Authorization", "Bearer " + credential);
  }

  /** The same API reached at another address of this machine, for example a non-loopback one. */
  ApiClient at(String host, int port) {
    return new ApiClient("http://" + host + ":" + port, headers);
  }

  /** The headers this client adds to every request, as name, value, name, value... */
  String[] headers() {
    return headers.toArray(String[]::new);
  }

  /** The API of an application started in this JVM. */
  static ApiClient of(ApplicationContext application) {
    return new ApiClient(
        application.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
  }

  /** A response: the status, its headers and the body parsed as JSON (null when empty). */
  record Reply(int status, HttpResponse<String> raw, JsonNode body) {
    String contentType() {
      return raw.headers().firstValue("Content-Type").orElse("");
    }
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** A GET with these headers, given as name, value, name, value... */
  Reply get(String path, String... headers) {
    return send(HttpRequest.newBuilder(uri(path)).headers(headers).GET());
  }

  Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  Reply post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  Reply put(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  /**
   * Creates a thread and returns its id.
   *
   * @param workflowType null to let the service pick the workflow from the prompt
   * @throws AssertionError unless the answer is 201
   */
  String createThread(String prompt, String workflowType) {
    ObjectNode body = JSON.createObjectNode().put("prompt", prompt);
    if (workflowType != null) {
      body.put("workflow_type", workflowType);
    }
    Reply created = post("/api/threads", body.toString());
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.body().get("thread_id").asString();
  }

  /** The thread resource; an AssertionError unless it is there. */
  JsonNode thread(String id) {
    Reply thread = get("/api/threads/" + id);
    assertThat(thread.status()).as(thread.raw().body()).isEqualTo(200);
    return thread.body();
  }

  String status(String id) {
    return thread(id).get("status").asString();
  }

  /**
   * Waits until the thread has this status, up to 30 s: Awaitility's default of 10 s was too short
   * for a thread's next step on a machine this loaded (a completion through another node timed out
   * so).
   */
  void awaitStatus(String id, String status) {
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals(status));
  }

  /**
   * Stores a workflow of {@code count} steps {@code s1}, {@code s2}... that each wait {@code
   * millis}.
   */
  Reply putDelayWorkflow(String type, int count, int millis) {
    ObjectNode definition = JSON.createObjectNode();
    ArrayNode steps = definition.putArray("steps");
    for (int i = 1; i <= count; i++) {
      steps
          .addObject()
          .put("name", "s" + i)
          .put("agent", "delay")
          .set("config", JSON.createObjectNode().put("millis", millis));
    }
    return put("/api/workflows/" + type, definition.toString());
  }

  /** Stores a workflow definition; an AssertionError unless it is stored (200 or 201). */
  /** The types of a thread's stored events, in order. */
  List<String> eventTypes(String id) {
    JsonNode history = get("/api/threads/" + id + "/events", "Accept", "application/json").body();
    List<String> types = new ArrayList<>();
    history.forEach(event -> types.add(event.get("type").asString()));
    return types;
  }

  void putWorkflow(String type, String definition) {
    Reply stored = put("/api/workflows/" + type, definition);
    assertThat(stored.status()).as(stored.raw().body()).isIn(200, 201);
  }

  /**
   * Stores workflow {@code queue}: one {@code worker} step, {@code work}, on the queue so named.
   */
  void putWorkerWorkflow(String queue, int heartbeatTimeoutMillis) {
    putWorkflow(
        queue,
        """
        {"steps": [{"name": "work", "agent": "worker",
                    "config": {"queue": "%s", "heartbeat_timeout_millis": %d}}]}
        """
            .formatted(queue, heartbeatTimeoutMillis));
  }

  /**
   * Long-polls {@code queue} as {@code worker} (waiting 20 s at most) and returns the one task
   * handed out; an AssertionError when none came.
   */
  JsonNode pollTask(String queue, String worker) {
    Reply reply =
        post(
            "/api/tasks/poll",
            JSON.createObjectNode()
                .put("worker_id", worker)
                .put("wait_millis", 20000)
                .set("queues", JSON.createArrayNode().add(queue))
                .toString());
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    assertThat(reply.body()).hasSize(1);
    return reply.body().get(0);
  }

  Reply heartbeatTask(JsonNode task) {
    return post("/api/tasks/" + task.get("task_id").asString() + "/heartbeat", "{}");
  }

  Reply completeTask(JsonNode task, String body) {
    return post("/api/tasks/" + task.get("task_id").asString() + "/complete", body);
  }

  Reply send(HttpRequest.Builder request) {
    if (!headers.isEmpty()) {
      request.headers(headers());
    }
    try {
      HttpResponse<String> response =
          http.send(
              // 60 s: the first /v3/api-docs of a fresh application is generated on the spot, and
              // took 30 s on a build machine loaded twenty-fold (springdoc's schema resolution)
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
      return new Reply(
          response.statusCode(), response, json && !body.isEmpty() ? JSON.readTree(body) : null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create(base + path);
  }

  static JsonNode parse(String json) {
    return JSON.readTree(json);
  }

  /** Asserts that the answer is a problem+json of this status, with every field RFC 9457 names. */
  static void assertProblem(Reply reply, int status) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.body().get("status").asInt()).isEqualTo(status);
    assertThat(reply.body().has("title")).isTrue();
    assertThat(reply.body().has("detail")).isTrue();
    assertThat(reply.body().has("type")).isTrue();
  }
}
