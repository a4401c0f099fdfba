package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.orchestro.threads.adapters.agents.FakeModelServer;
import io.orchestro.threads.adapters.agents.FakeModelServer.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Workflows whose steps call a real HTTP receiver ({@code http}) and fake model servers speaking
 * OpenAI's and Anthropic's protocols ({@code llm}), over the REST API, on JSON files so that every
 * byte the service stored can be searched for a secret.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "orchestro.storage=json",
      "orchestro.webhooks.enabled=false",
      // the services and fake model servers the agents call listen on this machine
      "orchestro.egress.allow=127.0.0.1"
    })
@ExtendWith(OutputCaptureExtension.class)
class AgentsEndToEndTest {

  private static final String TOKEN = "enrich-token-7c1d5e0b9a";
  private static final String OPENAI_KEY = "sk-openai-key-51f0e2";
  private static final String ANTHROPIC_KEY = "sk-ant-key-a83b47";

  @TempDir static Path directory;

  static final FakeModelServer openAi = new FakeModelServer(Protocol.OPENAI, "gpt-fake");
  static final FakeModelServer anthropic = new FakeModelServer(Protocol.ANTHROPIC, "claude-fake");

  /** How the receiver answers, in order: status and body. */
  record Answer(int status, String body) {}

  static final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  static final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
  static final HttpServer receiver = startReceiver();

  /** A service that can hold a request unanswered and sees the caller close the connection. */
  static final HoldingReceiver holding = new HoldingReceiver();

  @DynamicPropertySource
  static void configuration(DynamicPropertyRegistry registry) {
    registry.add("orchestro.storage.json.dir", () -> directory.toString());
    registry.add("orchestro.secrets.ENRICH_TOKEN", () -> TOKEN);
    registry.add("orchestro.agents.llm.providers.default.kind", () -> "openai");
    registry.add("orchestro.agents.llm.providers.default.base-url", openAi::baseUrl);
    registry.add("orchestro.agents.llm.providers.default.api-key", () -> OPENAI_KEY);
    registry.add("orchestro.agents.llm.providers.default.default-model", () -> "gpt-fake");
    registry.add("orchestro.agents.llm.providers.claude.kind", () -> "anthropic");
    registry.add("orchestro.agents.llm.providers.claude.base-url", anthropic::baseUrl);
    registry.add("orchestro.agents.llm.providers.claude.api-key", () -> ANTHROPIC_KEY);
  }

  @AfterAll
  static void stopServers() {
    receiver.stop(0);
    holding.close();
    openAi.close();
    anthropic.close();
  }

  @LocalServerPort int port;

  @Test
  void aWorkflowOfHttpAndLlmStepsCompletesOverTheApi(CapturedOutput log) {
    ApiClient api = new ApiClient(port);
    putWorkflow(api, "enrich-and-draft", "{\"max_attempts\": 2, \"backoff_millis\": 10}");
    answers.add(new Answer(503, "busy"));
    answers.add(new Answer(200, "{\"topic\": \"sales\"}"));
    openAi.answers(21, 4, "A draft ", "on sales.");
    anthropic.answers(30, 6, "{\"verdict\": ", "\"good\"}");

    String id = createThread(api, "enrich-and-draft", "Summarise \"Q3\"");
    JsonNode thread = awaitFinished(api, id);

    assertThat(thread.get("status").asString()).isEqualTo("completed");
    JsonNode steps = thread.get("steps");
    assertThat(steps.get(0).get("attempts").asInt()).isEqualTo(2);
    assertThat(steps.get(0).get("output").get("topic").asString()).isEqualTo("sales");
    assertThat(steps.get(1).get("output").get("text").asString()).isEqualTo("A draft on sales.");
    assertThat(steps.get(1).get("output").get("usage").get("input_tokens").asLong()).isEqualTo(21);
    assertThat(steps.get(2).get("output").get("json").get("verdict").asString()).isEqualTo("good");
    assertThat(steps.get(2).get("output").get("model").asString()).isEqualTo("claude-fake");
    assertThat(authorizations).contains("Bearer " + TOKEN);
    // the earlier step's output reached the model in the prompt
    assertThat(openAi.requests().get(openAi.requests().size() - 1).body().toString())
        .contains("Write about sales");

    String scrape =
        api.send(HttpRequest.newBuilder(api.uri("/actuator/prometheus")).GET()).raw().body();
    PrometheusScrape meters = new PrometheusScrape(scrape);
    assertThat(
            meters.value(
                "orchestro_llm_tokens_total",
                Map.of("provider", "default", "model", "gpt-fake", "direction", "input")))
        .isGreaterThanOrEqualTo(21);
    assertThat(
            meters.value(
                "orchestro_llm_tokens_total",
                Map.of("provider", "claude", "model", "claude-fake", "direction", "output")))
        .isGreaterThanOrEqualTo(6);

    assertNoSecretAnywhere(api, id, log);
  }

  @Test
  void aRefusalFailsTheThreadAtOnceWithTheStatusAndNoSecretInAnyRecord(CapturedOutput log) {
    ApiClient api = new ApiClient(port);
    putWorkflow(api, "enrich-refused", "{\"max_attempts\": 3, \"backoff_millis\": 10}");
    answers.add(new Answer(401, "{\"error\": \"bad token " + TOKEN + "\"}"));

    String id = createThread(api, "enrich-refused", "anything");
    JsonNode thread = awaitFinished(api, id);

    assertThat(thread.get("status").asString()).isEqualTo("failed");
    assertThat(thread.get("steps").get(0).get("attempts").asInt()).isEqualTo(1);
    assertThat(thread.get("error_message").asString())
        .startsWith("the service answered HTTP 401: {\"error\": \"bad token [redacted]\"}");
    assertNoSecretAnywhere(api, id, log);
  }

  @Test
  void aProvider429HoldsTheAttemptBackWithoutUsingItUntilItsRetryAfter() {
    // that the agent's other calls wait too is the engine's rule, shown on a manual clock in
    // ThreadEngineAgentAndWorkflowLimitsTest: here a thread created "after the 429" could still
    // start its call before the engine has read the 429 the provider sent
    ApiClient api = new ApiClient(port);
    putAskOnce(api);
    int requestsBefore = openAi.requests().size();
    openAi.fails(429, "2").answers(1, 1, "one");

    String id = createThread(api, "ask-once", "first");
    await().until(() -> openAi.requests().size() == requestsBefore + 1);
    // the 429 came after the attempt started: its Retry-After runs out 2 s after that at least
    Instant started = stepStartedAt(api, id);

    JsonNode thread = awaitFinished(api, id);
    // its only attempt was held back, not used up: the step completes with it
    assertThat(thread.get("status").asString()).isEqualTo("completed");
    JsonNode step = thread.get("steps").get(0);
    assertThat(step.get("attempts").asInt()).isEqualTo(1);
    assertThat(step.get("error").isNull()).isTrue();
    assertThat(step.get("output").get("text").asString()).isEqualTo("one");
    assertThat(Instant.parse(step.get("finished_at").asString()))
        .isAfterOrEqualTo(started.plusSeconds(2).minus(LimitMeasures.START_SKEW));
    assertThat(openAi.requests()).hasSize(requestsBefore + 2);
  }

  @Test
  void aProvider429WithoutRetryAfterHoldsTheAttemptBackASecondWithoutUsingIt() {
    ApiClient api = new ApiClient(port);
    putAskOnce(api);
    int requestsBefore = openAi.requests().size();
    openAi.fails(429, null).answers(1, 1, "at last");

    String id = createThread(api, "ask-once", "no retry-after");

    JsonNode thread = awaitFinished(api, id);
    assertThat(thread.get("status").asString()).isEqualTo("completed");
    JsonNode step = thread.get("steps").get(0);
    assertThat(step.get("attempts").asInt()).isEqualTo(1);
    assertThat(step.get("output").get("text").asString()).isEqualTo("at last");
    assertThat(Instant.parse(step.get("finished_at").asString()))
        .isAfterOrEqualTo(stepStartedAt(api, id).plusSeconds(1).minus(LimitMeasures.START_SKEW));
    assertThat(openAi.requests()).hasSize(requestsBefore + 2);
  }

  /** A workflow of one llm step with a single attempt: no retry at all. */
  private static void putAskOnce(ApiClient api) {
    ApiClient.Reply put =
        api.put(
            "/api/workflows/ask-once",
            """
            {"steps": [{"name": "ask", "agent": "llm",
              "retry": {"max_attempts": 1},
              "config": {"prompt": "{{prompt}}"}}]}
            """);
    assertThat(put.status()).as(put.raw().body()).isIn(200, 201);
  }

  private static Instant stepStartedAt(ApiClient api, String id) {
    return Instant.parse(api.thread(id).get("steps").get(0).get("started_at").asString());
  }

  @Test
  void aDefinitionNamingAnUnknownSecretOrProviderIsRefused() {
    ApiClient api = new ApiClient(port);

    ApiClient.Reply unknownSecret =
        api.put(
            "/api/workflows/bad-secret",
            """
            {"steps": [{"name": "call", "agent": "http", "config": {
              "url": "http://127.0.0.1:1/", "headers": {"X-Key": "{{secret.NOT_CONFIGURED}}"}}}]}
            """);
    ApiClient.Reply unknownProvider =
        api.put(
            "/api/workflows/bad-provider",
            """
            {"steps": [{"name": "ask", "agent": "llm", "config": {
              "provider": "nowhere", "prompt": "{{prompt}}"}}]}
            """);
    ApiClient.Reply laterStep =
        api.put(
            "/api/workflows/bad-step",
            """
            {"steps": [{"name": "ask", "agent": "llm", "config": {
              "prompt": "{{steps.later.output.text}}"}},
              {"name": "later", "agent": "echo"}]}
            """);

    assertThat(unknownSecret.status()).isEqualTo(400);
    assertThat(unknownSecret.contentType()).startsWith("application/problem+json");
    assertThat(unknownSecret.body().get("detail").asString())
        .contains("step 'call'")
        .contains("{{secret.NOT_CONFIGURED}}");
    assertThat(unknownProvider.status()).isEqualTo(400);
    assertThat(unknownProvider.body().get("detail").asString())
        .contains("step 'ask'")
        .contains("no LLM provider named 'nowhere'");
    assertThat(laterStep.status()).isEqualTo(400);
    assertThat(laterStep.body().get("detail").asString()).contains("'later' is not a step before");
  }

  @Test
  void pausingWhileAnHttpCallIsInFlightAbortsItAndResumeCallsAgain() {
    ApiClient api = new ApiClient(port);
    putHeldCall(api, "held-call", "null");
    holding.holds().answers("{\"answered\": true}");

    String id = createThread(api, "held-call", "pause me");
    await().until(() -> holding.held().contains(id + ":call:1"));
    ApiClient.Reply paused = api.post("/api/threads/" + id + "/pause");

    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.body().get("status").asString()).isEqualTo("paused");
    // the request is given up, not waited for: the service closed the connection unanswered
    await().until(() -> holding.aborted().contains(id + ":call:1"));
    await().until(() -> eventTypes(api, id).contains("thread_paused"));
    JsonNode settled = api.get("/api/threads/" + id).body();
    assertThat(settled.get("status").asString()).isEqualTo("paused");
    JsonNode cutShort = settled.get("steps").get(0);
    // counted, but not a failure: no error, and the step waits for the resume
    assertThat(cutShort.get("status").asString()).isEqualTo("pending");
    assertThat(cutShort.get("attempts").asInt()).isEqualTo(1);
    assertThat(cutShort.get("error").isNull()).isTrue();
    assertThat(eventTypes(api, id)).doesNotContain("step_failed");

    assertThat(api.post("/api/threads/" + id + "/resume").status()).isEqualTo(200);
    JsonNode thread = awaitFinished(api, id);

    assertThat(thread.get("status").asString()).isEqualTo("completed");
    assertThat(thread.get("steps").get(0).get("attempts").asInt()).isEqualTo(2);
    assertThat(thread.get("steps").get(0).get("output").get("answered").asBoolean()).isTrue();
    assertThat(holding.keys()).containsSubsequence(id + ":call:1", id + ":call:2");
    assertThat(eventTypes(api, id))
        .containsSubsequence("step_started", "thread_paused", "thread_resumed", "step_completed")
        .doesNotContain("step_failed");
  }

  @Test
  void deletingWhileAnHttpCallIsInFlightAbortsItAndRecordsNothingMore() {
    ApiClient api = new ApiClient(port);
    putHeldCall(api, "held-call-deleted", "null");
    holding.holds();

    String id = createThread(api, "held-call-deleted", "delete me");
    await().until(() -> holding.held().contains(id + ":call:1"));
    assertThat(api.delete("/api/threads/" + id).status()).isEqualTo(204);

    await().until(() -> holding.aborted().contains(id + ":call:1"));
    // nothing was written back after the abort: the thread stays gone
    assertThat(api.get("/api/threads/" + id).status()).isEqualTo(404);
    assertThat(threadFiles(id)).isEmpty();
    assertThat(holding.keys()).containsOnlyOnce(id + ":call:1");
  }

  @Test
  void aStepTimeoutWhileTheServiceHoldsTheAnswerAbortsTheCallAndTheRetrySucceeds() {
    ApiClient api = new ApiClient(port);
    putHeldCall(api, "held-call-timeout", "500");
    holding.holds().answers("{\"answered\": true}");

    String id = createThread(api, "held-call-timeout", "time me out");

    assertThat(awaitStepError(api, id)).isEqualTo("timed out after 500 ms");
    await().until(() -> holding.aborted().contains(id + ":call:1"));
    JsonNode thread = awaitFinished(api, id);
    assertThat(thread.get("status").asString()).isEqualTo("completed");
    assertThat(thread.get("steps").get(0).get("attempts").asInt()).isEqualTo(2);
    assertThat(holding.keys()).containsSubsequence(id + ":call:1", id + ":call:2");
    assertThat(eventTypes(api, id)).containsOnlyOnce("step_failed");
  }

  @Test
  void pausingWhileAnAnswerStreamsInClosesTheStreamAndResumeAsksAgain() {
    ApiClient api = new ApiClient(port);
    putAsk(api, "ask-paused");
    int requestsBefore = openAi.requests().size();
    int cutShortBefore = openAi.answersCutShort();
    openAi.answersSlowly(200, words(40)).answers(3, 2, "Asked ", "again.");

    String id = createThread(api, "ask-paused", "pause me");
    await().until(() -> openAi.requests().size() == requestsBefore + 1);
    assertThat(openAi.requests().get(requestsBefore).body().toString()).contains("pause me");
    assertThat(api.post("/api/threads/" + id + "/pause").status()).isEqualTo(200);

    // the server could not write its answer to the end: the service closed the stream
    await().until(() -> openAi.answersCutShort() == cutShortBefore + 1);
    await().until(() -> eventTypes(api, id).contains("thread_paused"));
    JsonNode cutShort = api.get("/api/threads/" + id).body().get("steps").get(0);
    assertThat(cutShort.get("status").asString()).isEqualTo("pending");
    assertThat(cutShort.get("attempts").asInt()).isEqualTo(1);
    assertThat(cutShort.get("error").isNull()).isTrue();

    assertThat(api.post("/api/threads/" + id + "/resume").status()).isEqualTo(200);
    JsonNode thread = awaitFinished(api, id);

    assertThat(thread.get("status").asString()).isEqualTo("completed");
    JsonNode step = thread.get("steps").get(0);
    assertThat(step.get("attempts").asInt()).isEqualTo(2);
    assertThat(step.get("output").get("text").asString()).isEqualTo("Asked again.");
    assertThat(openAi.requests()).hasSize(requestsBefore + 2);
    assertThat(eventTypes(api, id)).doesNotContain("step_failed");
  }

  @Test
  void deletingWhileAnAnswerStreamsInClosesTheStreamAndRecordsNothingMore() {
    ApiClient api = new ApiClient(port);
    putAsk(api, "ask-deleted");
    int requestsBefore = openAi.requests().size();
    int cutShortBefore = openAi.answersCutShort();
    openAi.answersSlowly(200, words(40));

    String id = createThread(api, "ask-deleted", "delete me");
    await().until(() -> openAi.requests().size() == requestsBefore + 1);
    assertThat(openAi.requests().get(requestsBefore).body().toString()).contains("delete me");
    assertThat(api.delete("/api/threads/" + id).status()).isEqualTo(204);

    await().until(() -> openAi.answersCutShort() == cutShortBefore + 1);
    assertThat(api.get("/api/threads/" + id).status()).isEqualTo(404);
    assertThat(threadFiles(id)).isEmpty();
    assertThat(openAi.requests()).hasSize(requestsBefore + 1);
  }

  @Test
  void aStepTimeoutOnAStalledAnswerClosesItsConnectionAndTheRetryIsAnsweredAtOnce() {
    ApiClient api = new ApiClient(port);
    // three attempts: the first may time out before its request goes out (a cold model client on a
    // loaded machine), and then the second is the one that stalls
    ApiClient.Reply put =
        api.put(
            "/api/workflows/ask-stalled",
            """
            {"steps": [{"name": "ask", "agent": "llm", "timeout_millis": 5000,
              "retry": {"max_attempts": 3, "backoff_millis": 2000},
              "config": {"provider": "claude", "model": "claude-fake", "max_tokens": 50,
                "prompt": "{{prompt}}"}}]}
            """);
    assertThat(put.status()).as(put.raw().body()).isIn(200, 201);
    int requestsBefore = anthropic.requests().size();
    int cutShortBefore = anthropic.answersCutShort();
    anthropic.stalls().answers(4, 2, "Answered ", "at last.");

    long created = System.nanoTime();
    String id = createThread(api, "ask-stalled", "stall me");

    assertThat(awaitStepError(api, id)).isEqualTo("timed out after 5000 ms");
    // no call left hanging: the stalled answer's connection was closed when its attempt timed out
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> anthropic.cutShort(cutShortBefore + 1));
    JsonNode thread = awaitFinished(api, id);
    Duration took = Duration.ofNanos(System.nanoTime() - created);

    assertThat(thread.get("status").asString()).isEqualTo("completed");
    JsonNode step = thread.get("steps").get(0);
    int attempts = step.get("attempts").asInt();
    assertThat(attempts).isIn(2, 3);
    assertThat(step.get("output").get("text").asString()).isEqualTo("Answered at last.");
    // the stalled request and the retry's, which was answered
    assertThat(anthropic.requests()).hasSize(requestsBefore + 2);
    assertThat(anthropic.requests().get(requestsBefore + 1).body().toString()).contains("stall me");
    List<String> types = eventTypes(api, id);
    assertThat(types)
        .containsSubsequence(
            "step_started", "step_failed", "step_started", "step_completed", "thread_completed");
    assertThat(types.stream().filter("step_failed"::equals).count()).isEqualTo(attempts - 1);
    // timeouts and backoffs, then the retry answered at once: a call held up by the stalled
    // one's leftovers waited about a minute
    assertThat(took).isLessThan(Duration.ofSeconds(45));
  }

  /** One {@code http} step calling the holding receiver; {@code stepTimeout} in ms or null. */
  private static void putHeldCall(ApiClient api, String type, String stepTimeout) {
    ApiClient.Reply put =
        api.put(
            "/api/workflows/" + type,
            """
            {"steps": [{"name": "call", "agent": "http", "timeout_millis": %s,
              "retry": {"max_attempts": 2, "backoff_millis": 1000},
              "config": {"url": "%s", "body": {"text": "{{prompt}}"}}}]}
            """
                .formatted(stepTimeout, holding.url("/call")));
    assertThat(put.status()).as(put.raw().body()).isIn(200, 201);
  }

  /** One {@code llm} step asking the fake OpenAI server. */
  private static void putAsk(ApiClient api, String type) {
    ApiClient.Reply put =
        api.put(
            "/api/workflows/" + type,
            """
            {"steps": [{"name": "ask", "agent": "llm", "config": {"prompt": "{{prompt}}"}}]}
            """);
    assertThat(put.status()).as(put.raw().body()).isIn(200, 201);
  }

  private static String[] words(int count) {
    String[] words = new String[count];
    for (int i = 0; i < count; i++) {
      words[i] = "word" + i + " ";
    }
    return words;
  }

  private static List<JsonNode> events(ApiClient api, String id) {
    JsonNode history =
        api.get("/api/threads/" + id + "/events", "Accept", "application/json").body();
    List<JsonNode> events = new ArrayList<>();
    history.forEach(events::add);
    return events;
  }

  private static List<String> eventTypes(ApiClient api, String id) {
    return events(api, id).stream().map(event -> event.get("type").asString()).toList();
  }

  /** The error of the first step's failed attempt, shown while the retry's backoff runs. */
  private static String awaitStepError(ApiClient api, String id) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> api.get("/api/threads/" + id).body().get("steps").get(0),
            step -> !step.get("error").isNull())
        .get("error")
        .asString();
  }

  /** The stored files that name the thread: none once it is deleted. */
  private static List<Path> threadFiles(String id) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(file -> file.getFileName().toString().contains(id)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void putWorkflow(ApiClient api, String type, String httpRetry) {
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/enrich";
    ApiClient.Reply put =
        api.put(
            "/api/workflows/" + type,
            """
            {"steps": [
              {"name": "enrich", "agent": "http", "retry": %s, "config": {
                "url": "%s",
                "headers": {"Authorization": "Bearer {{secret.ENRICH_TOKEN}}"},
                "body": {"text": "{{prompt}}"}, "timeout_millis": 5000}},
              {"name": "draft", "agent": "llm", "config": {
                "system": "You write concise reports.",
                "prompt": "Write about {{steps.enrich.output.topic}}: {{prompt}}"}},
              {"name": "review", "agent": "llm", "config": {
                "provider": "claude", "model": "claude-fake", "max_tokens": 200,
                "prompt": "Rate this as JSON: {{steps.draft.output.text}}",
                "response_format": "json"}}]}
            """
                .formatted(httpRetry, url));
    assertThat(put.status()).as(put.raw().body()).isIn(200, 201);
  }

  private static String createThread(ApiClient api, String type, String prompt) {
    ApiClient.Reply created =
        api.post(
            "/api/threads",
            "{\"workflow_type\": \"" + type + "\", \"prompt\": " + quoted(prompt) + "}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.body().get("thread_id").asString();
  }

  private static JsonNode awaitFinished(ApiClient api, String id) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> api.get("/api/threads/" + id).body(),
            thread -> List.of("completed", "failed").contains(thread.get("status").asString()));
  }

  /** The secret is nowhere: not in a stored file, an API answer or a log line. */
  private static void assertNoSecretAnywhere(ApiClient api, String id, CapturedOutput log) {
    List<String> secrets = List.of(TOKEN, OPENAI_KEY, ANTHROPIC_KEY);
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        for (String secret : secrets) {
          assertThat(content).as(file.toString()).doesNotContain(secret);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String path :
        List.of(
            "/api/threads/" + id,
            "/api/threads",
            "/api/workflows",
            "/api/threads/" + id + "/events")) {
      String answer =
          api.send(HttpRequest.newBuilder(api.uri(path)).header("Accept", "application/json").GET())
              .raw()
              .body();
      for (String secret : secrets) {
        assertThat(answer).as(path).doesNotContain(secret);
      }
    }
    for (String secret : secrets) {
      assertThat(log.getAll()).doesNotContain(secret);
    }
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static HttpServer startReceiver() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/enrich",
          exchange -> {
            try (exchange) {
              exchange.getRequestBody().readAllBytes();
              authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
              Answer answer = answers.poll();
              if (answer == null) {
                answer = new Answer(500, "no answer prepared");
              }
              byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().add("Content-Type", "application/json");
              exchange.sendResponseHeaders(answer.status(), body.length);
              exchange.getResponseBody().write(body);
            }
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
