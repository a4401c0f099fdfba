package io.orchestro.threads.bootstrap;

import io.orchestro.threads.domain.Caller.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Every endpoint over HTTP (the event streams and the task API included), as no credential, an
 * unknown key, and each role: the status says who may do what (docs/api.md "Who may call what").
 * Run on H2 and on PostgreSQL by its two subclasses.
 */
abstract class AccessMatrix {

  static final String VIEWER = "matrix-viewer-7c1e";
  static final String OPERATOR = "matrix-operator-2b9d";
  static final String ADMIN = "matrix-admin-5f3a";

  static void configureKeys(DynamicPropertyRegistry registry) {
    ApiKeyAccessTest.configureKey(registry, 0, VIEWER, "viewer", "vera");
    ApiKeyAccessTest.configureKey(registry, 1, OPERATOR, "operator", "otto");
    ApiKeyAccessTest.configureKey(registry, 2, ADMIN, "admin", "ada");
  }

  @LocalServerPort int port;

  /** One call, the least role that may make it, and the statuses that role may get. */
  record Call(String method, String path, String body, Role least, Set<Integer> answers) {
    boolean isStream() {
      return path.endsWith("/events") && "stream".equals(body);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static Call call(String method, String path, String body, Role least, Integer... ok) {
    return new Call(method, path, body, least, Set.of(ok));
  }

  private List<Call> everyEndpoint(String thread) {
    String unknown = UUID.randomUUID().toString();
    String threadPath = "/api/threads/" + thread;
    List<Call> calls = new ArrayList<>();
    calls.add(call("GET", "/api/me", null, Role.VIEWER, 200));
    calls.add(call("GET", "/api/threads", null, Role.VIEWER, 200));
    calls.add(call("GET", "/api/threads/counts", null, Role.VIEWER, 200));
    calls.add(call("GET", threadPath, null, Role.VIEWER, 200, 404));
    calls.add(call("GET", threadPath + "/events", null, Role.VIEWER, 200, 404));
    calls.add(call("GET", threadPath + "/events", "stream", Role.VIEWER, 200, 404));
    calls.add(call("GET", "/api/events", "stream", Role.VIEWER, 200));
    calls.add(call("POST", "/api/threads", "{\"prompt\":\"matrix\"}", Role.OPERATOR, 201));
    calls.add(
        call(
            "POST",
            "/api/threads/batch",
            "{\"threads\":[{\"prompt\":\"matrix\"}]}",
            Role.OPERATOR,
            200));
    for (String action : List.of("pause", "resume", "retry", "cancel")) {
      calls.add(call("POST", threadPath + "/" + action, null, Role.OPERATOR, 200, 404, 409));
    }
    calls.add(
        call(
            "POST",
            "/api/threads/bulk",
            "{\"action\":\"pause\",\"filter\":{\"thread_ids\":[\"" + thread + "\"]}}",
            Role.OPERATOR,
            200));
    calls.add(call("DELETE", "/api/threads/" + unknown, null, Role.OPERATOR, 404));
    calls.add(call("GET", "/api/workflows", null, Role.VIEWER, 200));
    calls.add(call("GET", "/api/workflows/general", null, Role.VIEWER, 200));
    calls.add(
        call(
            "PUT",
            "/api/workflows/matrix",
            "{\"steps\":[{\"name\":\"a\",\"agent\":\"echo\"}]}",
            Role.ADMIN,
            200,
            201));
    calls.add(call("GET", "/api/schedules", null, Role.VIEWER, 200));
    calls.add(call("GET", "/api/schedules/none", null, Role.VIEWER, 404));
    calls.add(
        call(
            "PUT",
            "/api/schedules/matrix",
            "{\"cron\":\"0 0 3 * * *\",\"workflow_type\":\"general\",\"prompt\":\"nightly\","
                + "\"enabled\":false}",
            Role.ADMIN,
            200,
            201));
    calls.add(call("DELETE", "/api/schedules/none", null, Role.ADMIN, 404));
    calls.add(call("GET", "/api/webhooks", null, Role.ADMIN, 200));
    calls.add(
        call(
            "POST",
            "/api/webhooks",
            "{\"url\":\"https://hooks.example/in\"}",
            Role.ADMIN,
            201,
            400));
    calls.add(call("GET", "/api/webhooks/" + unknown, null, Role.ADMIN, 404));
    calls.add(call("GET", "/api/webhooks/" + unknown + "/deliveries", null, Role.ADMIN, 404));
    calls.add(call("DELETE", "/api/webhooks/" + unknown, null, Role.ADMIN, 404));
    calls.add(
        call(
            "POST",
            "/api/tasks/poll",
            "{\"queues\":[\"matrix\"],\"worker_id\":\"w\",\"wait_millis\":0}",
            Role.OPERATOR,
            200));
    calls.add(call("POST", "/api/tasks/" + unknown + "/heartbeat", "{}", Role.OPERATOR, 404));
    calls.add(
        call("POST", "/api/tasks/" + unknown + "/complete", "{\"output\":{}}", Role.OPERATOR, 404));
    calls.add(
        call(
            "POST",
            "/api/tasks/" + unknown + "/fail",
            "{\"error\":\"no\",\"retryable\":false}",
            Role.OPERATOR,
            404));
    calls.add(call("GET", "/swagger-ui.html", null, Role.VIEWER, 302));
    calls.add(call("GET", "/actuator/prometheus", null, Role.ADMIN, 200));
    calls.add(call("GET", "/actuator/info", null, Role.ADMIN, 200));
    return calls;
  }

  @Test
  void everyEndpointAnswersEachCredentialAsItsRoleAllows() {
    String thread = new ApiClient(port).as(OPERATOR).createThread("the matrix's thread", "general");
    SoftAssertions softly = new SoftAssertions();
    for (Call call : everyEndpoint(thread)) {
      softly.assertThat(status(call, null)).as("%s without a credential", call).isEqualTo(401);
      softly.assertThat(status(call, "no-such-key")).as("%s with a wrong key", call).isEqualTo(401);
      for (var entry :
          List.of(
              java.util.Map.entry(Role.VIEWER, VIEWER),
              java.util.Map.entry(Role.OPERATOR, OPERATOR),
              java.util.Map.entry(Role.ADMIN, ADMIN))) {
        int status = status(call, entry.getValue());
        if (entry.getKey().includes(call.least())) {
          softly
              .assertThat(call.answers())
              .as("%s as %s: %s", call, entry.getKey(), status)
              .contains(status);
        } else {
          softly.assertThat(status).as("%s as %s", call, entry.getKey()).isEqualTo(403);
        }
      }
    }
    softly
        .assertThat(status(call("GET", "/actuator/health", null, Role.VIEWER), null))
        .isEqualTo(200);
    softly.assertAll();
  }

  private int status(Call call, String credential) {
    URI uri = URI.create("http://127.0.0.1:" + port + call.path());
    if (call.isStream()) {
      try (SseClient stream =
          credential == null ? SseClient.open(uri, null) : SseClient.openWith(uri, credential)) {
        return stream.status();
      }
    }
    ApiClient api = credential == null ? new ApiClient(port) : new ApiClient(port).as(credential);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (call.path().startsWith("/api/")) {
      request.header("Accept", "application/json"); // one thread's events as JSON, not a stream
    }
    if (call.body() != null) {
      request
          .header("Content-Type", "application/json")
          .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body()));
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    return api.send(request).status();
  }
}
