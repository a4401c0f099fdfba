package io.orchestro.threads.adapters.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.agents.FakeModelServer.Protocol;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.application.port.out.StepContext;
import io.orchestro.threads.domain.EgressPolicy;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** The llm agent against fake servers that speak each provider's real protocol. */
class LlmAgentTest {

  private static final String KEY = "sk-test-3f9a7c21";

  /** The fake model server listens on this machine, which the egress policy must be told of. */
  private static final EgressPolicy LOCAL = new EgressPolicy(List.of("127.0.0.1"));

  private final List<String> usage = new CopyOnWriteArrayList<>();
  private final Steps steps = new Steps();
  private FakeModelServer server;
  private LlmAgent agent;

  private void start(Protocol protocol) {
    server = new FakeModelServer(protocol, "fake-model-1");
    LlmProvider provider =
        new LlmProvider(
            "default",
            LlmProvider.Kind.valueOf(protocol.name()),
            server.baseUrl(),
            KEY,
            "fake-model-1");
    Secrets secrets = Secrets.none();
    agent =
        new LlmAgent(
            new LlmProviders(List.of(provider), new OutboundHttp(Duration.ofSeconds(2), LOCAL)),
            new Templates(secrets),
            secrets,
            (name, model, input, output) ->
                usage.add(name + "/" + model + "/" + input + "/" + output),
            Clock.systemUTC());
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void streamsTheAnswerAndReturnsItWithItsModelFinishReasonAndUsage(Protocol protocol)
      throws Exception {
    start(protocol);
    server.answers(12, 5, "Hello", ", ", "world");
    steps.outputs = Map.of("research", Map.of("text", "notes"));

    Map<String, Object> output =
        agent.run(
            steps.first(
                "draft",
                Map.of(
                    "system",
                    "You write concise reports.",
                    "prompt",
                    "Write on: {{prompt}} / {{steps.research.output.text}}",
                    "temperature",
                    0.2,
                    "max_tokens",
                    800)));

    assertThat(output)
        .containsEntry("text", "Hello, world")
        .containsEntry("model", "fake-model-1")
        .containsEntry("usage", Map.of("input_tokens", 12L, "output_tokens", 5L));
    assertThat((String) output.get("finish_reason")).isIn("stop", "end_turn");
    assertThat(output).doesNotContainKey("json");
    assertThat(usage).containsExactly("default/fake-model-1/12/5");
    assertThat(steps.progress).last().isEqualTo("Hello, world");

    FakeModelServer.Request request = server.requests().get(0);
    // the header that ties the request to its attempt's calls stays on this side
    assertThat(request.headers()).doesNotContainKey("x-orchestro-call-group");
    JsonNode body = request.body();
    assertThat(body.get("model").asString()).isEqualTo("fake-model-1");
    assertThat(body.toString())
        .contains("You write concise reports.")
        .contains("Write on: Summarise \\\"Q3\\\"\\nsales / notes");
    switch (protocol) {
      case OPENAI -> {
        assertThat(request.headers()).containsEntry("authorization", "Bearer " + KEY);
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("stream").asBoolean()).isTrue();
      }
      case ANTHROPIC -> {
        assertThat(request.headers()).containsEntry("x-api-key", KEY);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(800);
        assertThat(body.get("stream").asBoolean()).isTrue();
      }
      case OLLAMA -> assertThat(body.get("options").get("temperature").asDouble()).isEqualTo(0.2);
    }
  }

  @Test
  void publishesTheTextSoFarAFewTimesASecondWhileTheAnswerStreams() throws Exception {
    start(Protocol.OPENAI);
    String[] words = new String[20];
    for (int i = 0; i < words.length; i++) {
      words[i] = "w" + i + " ";
    }
    server.answersSlowly(50, words);

    long started = System.nanoTime();
    Map<String, Object> output = agent.run(steps.first("draft", Map.of("prompt", "{{prompt}}")));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    String text = (String) output.get("text");
    assertThat(text).isEqualTo(String.join("", words));
    assertThat(steps.progress).last().isEqualTo(text);
    assertThat(steps.progress.size()).isGreaterThan(1);
    // at most one every 250 ms, plus the final one
    assertThat((long) steps.progress.size()).isLessThanOrEqualTo(took.toMillis() / 250 + 2);
    for (int i = 1; i < steps.progress.size(); i++) {
      assertThat(steps.progress.get(i)).startsWith(steps.progress.get(i - 1));
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void tooManyRequestsIsRetryableAfterItsRetryAfterAndTheRetrySucceeds(Protocol protocol)
      throws Exception {
    start(protocol);
    server.fails(429, "3").answers(1, 1, "ok");
    Map<String, Object> config = Map.of("prompt", "{{prompt}}");

    assertThatThrownBy(() -> agent.run(steps.attempt("draft", config, 1)))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isTrue();
              // the provider's limit, which the engine holds every call of the agent back by
              assertThat(failure.rateLimited()).isTrue();
              assertThat(failure.retryAfter()).contains(Duration.ofSeconds(3));
              assertThat(failure.getMessage())
                  .startsWith("provider 'default' answered HTTP 429")
                  .contains("scripted failure 429");
            });
    assertThat(agent.run(steps.attempt("draft", config, 2))).containsEntry("text", "ok");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aServerErrorIsRetryableAndARefusalIsFinal(Protocol protocol) {
    start(protocol);
    server.fails(500, null).fails(400, null);
    Map<String, Object> config = Map.of("prompt", "{{prompt}}");

    assertThatThrownBy(() -> agent.run(steps.first("draft", config)))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isTrue();
              assertThat(failure.rateLimited()).isFalse();
              assertThat(failure.getMessage()).contains("HTTP 500");
            });
    assertThatThrownBy(() -> agent.run(steps.first("draft", config)))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isFalse();
              assertThat(failure.getMessage()).contains("HTTP 400").doesNotContain(KEY);
            });
  }

  @Test
  void aJsonAnswerIsParsedAndAMalformedOneIsARetryableFailure() throws Exception {
    start(Protocol.OPENAI);
    server
        .answers(3, 4, "```json\n{\"score\": ", "7, \"tags\": [\"a\"]}\n```")
        .answers(3, 4, "{oops");
    Map<String, Object> config = Map.of("prompt", "{{prompt}}", "response_format", "json");

    Map<String, Object> output = agent.run(steps.first("rate", config));
    assertThat(output.get("json")).isEqualTo(Map.of("score", 7, "tags", List.of("a")));

    assertThatThrownBy(() -> agent.run(steps.first("rate", config)))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isTrue();
              assertThat(failure.getMessage()).startsWith("the answer is not the JSON");
            });
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aCancelledAttemptStopsWaitingAndClosesTheStream(Protocol protocol) throws Exception {
    start(protocol);
    server.answersSlowly(100, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
    CompletableFuture<Map<String, Object>> running =
        runAsync(steps.first("draft", Map.of("prompt", "{{prompt}}")));
    await().atMost(Duration.ofSeconds(20)).until(() -> !steps.progress.isEmpty());

    steps.cancellation.cancel();

    assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CancellationException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.answersCutShort() == 1);
  }

  /**
   * A stalled answer's cancelled attempt leaves nothing behind that the next call waits for: its
   * connection is closed (the server learns the client went away), and the next call is answered at
   * once. Two stalls in a row, as a step's timeout and then a pause would cut them short.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void theCallAfterAStalledOneWasCancelledIsAnsweredAtOnce(Protocol protocol) throws Exception {
    start(protocol);
    server.stalls().stalls().answers(1, 1, "at once");
    Map<String, Object> config = Map.of("prompt", "{{prompt}}");

    for (int stalled = 1; stalled <= 2; stalled++) {
      Steps attempt = new Steps();
      CompletableFuture<Map<String, Object>> running = runAsync(attempt.first("draft", config));
      int requests = stalled;
      await().atMost(Duration.ofSeconds(30)).until(() -> server.requests().size() == requests);

      attempt.cancellation.cancel();

      assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(CancellationException.class);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> server.cutShort(requests));
    }

    long started = System.nanoTime();
    Map<String, Object> output = agent.run(steps.first("draft", config));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(output).containsEntry("text", "at once");
  }

  private CompletableFuture<Map<String, Object>> runAsync(StepContext context) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return agent.run(context);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void aDefinitionIsCheckedWhenStored() {
    start(Protocol.OPENAI);
    assertThatThrownBy(
            () -> agent.checkConfig(Map.of("provider", "other", "prompt", "x"), List.of()))
        .hasMessageContaining("no LLM provider named 'other' is configured")
        .hasMessageContaining("configured: default");
    assertThatThrownBy(() -> agent.checkConfig(Map.of(), List.of()))
        .hasMessage("'prompt' is required");
    assertThatThrownBy(
            () -> agent.checkConfig(Map.of("prompt", "{{steps.later.output.text}}"), List.of()))
        .hasMessageContaining("'later' is not a step before this one");
    assertThatThrownBy(
            () -> agent.checkConfig(Map.of("prompt", "x", "response_format", "xml"), List.of()))
        .hasMessageContaining("'response_format' must be one of text, json");
    // an int's worth of tokens at most: more would wrap round when handed to the provider
    assertThatThrownBy(
            () -> agent.checkConfig(Map.of("prompt", "x", "max_tokens", 1L << 32), List.of()))
        .hasMessageContaining("'max_tokens' must be from 1 to 2147483647, not 4294967296");
    assertThatThrownBy(() -> agent.checkConfig(Map.of("prompt", "x", "temperature", 3), List.of()))
        .hasMessageContaining("'temperature' must be between 0 and 2");
    agent.checkConfig(
        Map.of("prompt", "{{prompt}}", "system", "{{input.tone}}", "response_format", "json"),
        List.of());
  }

  @Test
  void aStepNeedsAModelWhenItsProviderHasNoDefault() {
    LlmProvider noDefault =
        new LlmProvider("bare", LlmProvider.Kind.OLLAMA, "http://127.0.0.1:1", null, null);
    LlmAgent bare =
        new LlmAgent(
            new LlmProviders(List.of(noDefault), new OutboundHttp(Duration.ofSeconds(1), LOCAL)),
            new Templates(Secrets.none()),
            Secrets.none(),
            LlmUsageObserver.NONE,
            Clock.systemUTC());

    assertThatThrownBy(() -> bare.checkConfig(Map.of("provider", "bare", "prompt", "x"), List.of()))
        .hasMessageContaining("'model' is required");
    bare.checkConfig(Map.of("provider", "bare", "prompt", "x", "model", "m"), List.of());
  }

  @Test
  void anUnreachableProviderIsARetryableFailure() {
    LlmProvider gone =
        new LlmProvider("gone", LlmProvider.Kind.OPENAI, "http://127.0.0.1:1/v1", KEY, "m");
    LlmAgent lost =
        new LlmAgent(
            new LlmProviders(List.of(gone), new OutboundHttp(Duration.ofSeconds(1), LOCAL)),
            new Templates(Secrets.none()),
            Secrets.none(),
            LlmUsageObserver.NONE,
            Clock.systemUTC());

    assertThatThrownBy(() -> lost.run(steps.first("x", Map.of("provider", "gone", "prompt", "x"))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isTrue();
              assertThat(failure.getMessage()).startsWith("provider 'gone' could not be reached");
            });
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aProviderOnThisMachineIsNotAskedUnlessTheAllowListNamesIt(Protocol protocol) {
    server = new FakeModelServer(protocol, "fake-model-1");
    LlmProvider local =
        new LlmProvider(
            "local", LlmProvider.Kind.valueOf(protocol.name()), server.baseUrl(), KEY, "m");
    LlmAgent closed =
        new LlmAgent(
            new LlmProviders(
                List.of(local),
                new OutboundHttp(Duration.ofSeconds(1), new EgressPolicy(List.of()))),
            new Templates(Secrets.none()),
            Secrets.none(),
            LlmUsageObserver.NONE,
            Clock.systemUTC());
    Map<String, Object> config = Map.of("provider", "local", "prompt", "x");

    assertThatThrownBy(() -> closed.checkConfig(config, List.of()))
        .hasMessageContaining("the egress policy refuses '127.0.0.1'");
    assertThatThrownBy(() -> closed.run(steps.first("x", config)))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isFalse();
              assertThat(failure.getMessage())
                  .startsWith("provider 'local': the egress policy refuses");
            });
    assertThat(server.requests()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aProviderNameResolvingToThisMachineIsNotAskedUnlessTheAllowListNamesIt(Protocol protocol)
      throws Exception {
    server = new FakeModelServer(protocol, "fake-model-1");
    server.answers(1, 1, "hi");
    // a name only the policy's resolver knows: a request can reach the server only through it
    EgressPolicy.Resolver resolver = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
    Map<String, Object> config = Map.of("provider", "named", "prompt", "x");

    assertThatThrownBy(
            () ->
                agentFor(protocol, new EgressPolicy(List.of(), resolver))
                    .run(steps.first("x", config)))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure ->
                assertThat(failure.getMessage())
                    .startsWith("provider 'named': the egress policy refuses 'model.test'"));
    assertThat(server.requests()).isEmpty();

    Map<String, Object> output =
        agentFor(protocol, new EgressPolicy(List.of("model.test"), resolver))
            .run(steps.first("x", config));
    assertThat(output).containsEntry("text", "hi");
    assertThat(server.requests()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aProviderNameThatResolvesElsewhereOnceCheckedIsNotReached(Protocol protocol)
      throws Exception {
    server = new FakeModelServer(protocol, "fake-model-1");
    server.answers(1, 1, "hi");
    // DNS rebinding: public when checked before the request, this machine when connecting
    AtomicInteger lookups = new AtomicInteger();
    EgressPolicy rebinding =
        new EgressPolicy(
            List.of(),
            host ->
                new InetAddress[] {
                  InetAddress.getByName(
                      lookups.getAndIncrement() == 0 ? "93.184.215.14" : "127.0.0.1")
                });

    assertThatThrownBy(
            () ->
                agentFor(protocol, rebinding)
                    .run(steps.first("x", Map.of("provider", "named", "prompt", "x"))))
        .isInstanceOf(AttemptFailedException.class);
    assertThat(lookups).hasValueGreaterThan(1);
    assertThat(server.requests()).isEmpty();
  }

  /** An agent whose one provider, "named", answers at model.test on the fake server's port. */
  private LlmAgent agentFor(Protocol protocol, EgressPolicy policy) {
    String baseUrl = server.baseUrl().replace("127.0.0.1", "model.test");
    LlmProvider named =
        new LlmProvider("named", LlmProvider.Kind.valueOf(protocol.name()), baseUrl, KEY, "m");
    return new LlmAgent(
        new LlmProviders(List.of(named), new OutboundHttp(Duration.ofSeconds(2), policy)),
        new Templates(Secrets.none()),
        Secrets.none(),
        LlmUsageObserver.NONE,
        Clock.systemUTC());
  }
}
