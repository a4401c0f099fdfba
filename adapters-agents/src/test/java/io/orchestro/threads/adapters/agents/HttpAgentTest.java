package io.orchestro.threads.adapters.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.domain.EgressPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The http agent against a real HTTP receiver on this machine (the JDK's server). */
class HttpAgentTest {

  private static final String TOKEN = "tok-8f3e1c-very-secret";

  /** A name no DNS knows: only this test's resolver, which says it is this machine. */
  private static final String LOOPBACK_NAME = "service.test";

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  /** What the receiver got: method, path, headers and body of each request. */
  record Received(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** How the receiver answers one request. */
  interface Answer {
    void answer(HttpExchange exchange) throws IOException, InterruptedException;
  }

  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final CountDownLatch released = new CountDownLatch(1);
  private final Secrets secrets = new Secrets(List.of("TOKEN"), name -> TOKEN);
  private final Steps steps = new Steps();
  private HttpServer receiver;
  private HttpAgent agent;

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(handlers);
    receiver.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  body));
          Answer answer = answers.poll();
          try {
            if (answer == null) {
              reply(exchange, 500, "no answer prepared");
            } else {
              answer.answer(exchange);
            }
          } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
          } finally {
            exchange.close();
          }
        });
    receiver.start();
    agent =
        new HttpAgent(
            new OutboundHttp(Duration.ofSeconds(2), policy("127.0.0.1")),
            new Templates(secrets),
            secrets,
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stopReceiver() {
    released.countDown();
    receiver.stop(0);
    handlers.shutdownNow();
  }

  @Test
  void sendsTheRenderedRequestAndReturnsTheJsonObjectItGetsBack() throws Exception {
    answers.add(exchange -> reply(exchange, 200, "{\"label\": \"positive\", \"score\": 0.9}"));
    steps.outputs = Map.of("plan", Map.of("text", "plan \"A\""));

    Map<String, Object> output =
        agent.run(
            steps.attempt(
                "enrich",
                Map.of(
                    "url", url("/enrich"),
                    "method", "PUT",
                    "headers", Map.of("Authorization", "Bearer {{secret.TOKEN}}"),
                    "body", Map.of("text", "{{prompt}}", "previous", "{{steps.plan.output.text}}")),
                3));

    assertThat(output).isEqualTo(Map.of("label", "positive", "score", 0.9));
    Received request = received.remove();
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.path()).isEqualTo("/enrich");
    assertThat(request.header("Idempotency-Key")).isEqualTo(steps.threadId + ":enrich:3");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    JsonNode body = JsonMapper.builder().build().readTree(request.body());
    assertThat(body.get("text").asString()).isEqualTo("Summarise \"Q3\"\nsales");
    assertThat(body.get("previous").asString()).isEqualTo("plan \"A\"");
  }

  @Test
  void aBodyGivenAsAStringKeepsValidJsonWhateverThePromptHolds() throws Exception {
    answers.add(exchange -> reply(exchange, 204, ""));

    Map<String, Object> output =
        agent.run(
            steps.first(
                "notify",
                Map.of("url", url("/n"), "body", "{\"text\": \"{{prompt}}\", \"n\": 1}")));

    assertThat(output).isEqualTo(Map.of("status", 204, "body", ""));
    JsonNode body = JsonMapper.builder().build().readTree(received.remove().body());
    assertThat(body.get("text").asString()).isEqualTo("Summarise \"Q3\"\nsales");
  }

  @Test
  void anAnswerThatIsNoJsonObjectIsReturnedAsStatusAndBody() throws Exception {
    answers.add(exchange -> reply(exchange, 200, "[1, 2]"));
    answers.add(exchange -> reply(exchange, 201, "created"));

    assertThat(agent.run(steps.first("a", Map.of("url", url("/a"), "method", "get"))))
        .isEqualTo(Map.of("status", 200, "body", "[1, 2]"));
    assertThat(agent.run(steps.first("b", Map.of("url", url("/b")))))
        .isEqualTo(Map.of("status", 201, "body", "created"));
    assertThat(received.remove().method()).isEqualTo("GET");
  }

  @Test
  void anOverloadedServiceIsARetryableFailureWithItsRetryAfterThenTheRetrySucceeds()
      throws Exception {
    answers.add(
        exchange -> {
          exchange.getResponseHeaders().add("Retry-After", "7");
          reply(exchange, 503, "busy");
        });
    answers.add(exchange -> reply(exchange, 200, "{\"ok\": true}"));
    Map<String, Object> config = Map.of("url", url("/x"));

    assertThatThrownBy(() -> agent.run(steps.attempt("x", config, 1)))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isTrue();
              assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
              assertThat(failure.getMessage()).isEqualTo("the service answered HTTP 503: busy");
            });
    assertThat(agent.run(steps.attempt("x", config, 2))).isEqualTo(Map.of("ok", true));
    assertThat(received.stream().map(request -> request.header("Idempotency-Key")))
        .containsExactly(steps.threadId + ":x:1", steps.threadId + ":x:2");
  }

  @Test
  void tooManyRequestsAndRequestTimeoutAreRetryableAndAnHttpDateIsAWait() {
    String inNinetySeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atZone(ZoneOffset.UTC));
    answers.add(
        exchange -> {
          exchange.getResponseHeaders().add("Retry-After", inNinetySeconds);
          reply(exchange, 429, "slow down");
        });
    answers.add(exchange -> reply(exchange, 408, ""));

    assertThatThrownBy(() -> agent.run(steps.first("x", Map.of("url", url("/x")))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isTrue();
              assertThat(failure.retryAfter()).contains(Duration.ofSeconds(90));
            });
    assertThatThrownBy(() -> agent.run(steps.first("x", Map.of("url", url("/x")))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isTrue();
              assertThat(failure.retryAfter()).isEmpty();
            });
  }

  @Test
  void anotherClientErrorIsFinalQuotingTheStatusAndTheBodyWithoutTheSecret() {
    String longBody = "refused: you sent " + TOKEN + " " + "x".repeat(1000);
    answers.add(exchange -> reply(exchange, 422, longBody));

    assertThatThrownBy(
            () ->
                agent.run(
                    steps.first(
                        "x",
                        Map.of(
                            "url", url("/x"),
                            "headers", Map.of("X-Key", "{{secret.TOKEN}}")))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isFalse();
              assertThat(failure.getMessage())
                  .startsWith("the service answered HTTP 422: refused: you sent [redacted] xxx")
                  .doesNotContain(TOKEN)
                  .hasSizeLessThan(600);
            });
  }

  @Test
  void redirectsAreNotFollowed() {
    answers.add(
        exchange -> {
          exchange.getResponseHeaders().add("Location", url("/elsewhere"));
          reply(exchange, 302, "");
        });

    assertThatThrownBy(() -> agent.run(steps.first("x", Map.of("url", url("/x")))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isFalse();
              assertThat(failure.getMessage())
                  .contains("redirects are not followed")
                  .contains("HTTP 302");
            });
    assertThat(received).extracting(Received::path).containsExactly("/x");
  }

  @Test
  void theSecretIsTakenOutOfAnOutputThatEchoesIt() throws Exception {
    answers.add(exchange -> reply(exchange, 200, "{\"you_sent\": \"Bearer " + TOKEN + "\"}"));

    Map<String, Object> output =
        agent.run(
            steps.first(
                "x",
                Map.of(
                    "url", url("/x"),
                    "headers", Map.of("Authorization", "Bearer {{secret.TOKEN}}"))));

    assertThat(output).isEqualTo(Map.of("you_sent", "Bearer [redacted]"));
  }

  @Test
  void aResponseOverOneMebibyteFailsTheAttemptWithoutReadingItAll() {
    AtomicBoolean clientStoppedReading = new AtomicBoolean();
    answers.add(
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[64 * 1024];
          try (OutputStream body = exchange.getResponseBody()) {
            for (int i = 0; i < 1024; i++) { // 64 MiB at most
              body.write(chunk);
            }
          } catch (IOException closedByClient) {
            clientStoppedReading.set(true);
          }
        });

    assertThatThrownBy(() -> agent.run(steps.first("x", Map.of("url", url("/x")))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure ->
                assertThat(failure.getMessage())
                    .isEqualTo("the response is larger than 1048576 bytes"));
    await().atMost(Duration.ofSeconds(10)).untilTrue(clientStoppedReading);
  }

  @Test
  void aServiceThatDoesNotAnswerInTimeIsARetryableTimeout() {
    answers.add(exchange -> released.await());

    long started = System.nanoTime();
    assertThatThrownBy(
            () -> agent.run(steps.first("x", Map.of("url", url("/x"), "timeout_millis", 300))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isTrue();
              assertThat(failure.getMessage())
                  .isEqualTo("the service did not answer within 300 ms");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aBodyThatStallsCountsAgainstTheSameTimeout() {
    answers.add(
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          exchange.getResponseBody().write("{\"partial\":".getBytes(StandardCharsets.UTF_8));
          exchange.getResponseBody().flush();
          released.await();
        });

    assertThatThrownBy(
            () -> agent.run(steps.first("x", Map.of("url", url("/x"), "timeout_millis", 300))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> assertThat(failure.getMessage()).contains("within 300 ms"));
  }

  @Test
  void aServiceThatCannotBeReachedIsARetryableFailure() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    assertThatThrownBy(
            () ->
                agent.run(steps.first("x", Map.of("url", "http://127.0.0.1:" + closedPort + "/"))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isTrue();
              assertThat(failure.getMessage()).startsWith("the request failed: ");
            });
  }

  @Test
  void cancellingWhileWaitingForTheAnswerAbortsTheRequest() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    answers.add(
        exchange -> {
          arrived.countDown();
          released.await();
        });
    CompletableFuture<Map<String, Object>> running = runAsync(Map.of("url", url("/x")));
    assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

    steps.cancellation.cancel();

    assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CancellationException.class);
  }

  @Test
  void cancellingWhileTheAnswerStreamsInClosesTheConnection() throws Exception {
    AtomicInteger chunksWritten = new AtomicInteger();
    AtomicBoolean connectionClosed = new AtomicBoolean();
    answers.add(
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream body = exchange.getResponseBody()) {
            while (!released.await(20, TimeUnit.MILLISECONDS)) {
              body.write("          ".getBytes(StandardCharsets.UTF_8));
              body.flush();
              chunksWritten.incrementAndGet();
            }
          } catch (IOException closedByClient) {
            connectionClosed.set(true);
          }
        });
    CompletableFuture<Map<String, Object>> running = runAsync(Map.of("url", url("/x")));
    await().atMost(Duration.ofSeconds(10)).until(() -> chunksWritten.get() > 3);

    steps.cancellation.cancel();

    assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CancellationException.class);
    await().atMost(Duration.ofSeconds(10)).untilTrue(connectionClosed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", LOOPBACK_NAME, "[::1]"})
  void aServiceOnThisMachineIsNotCalledUnlessTheAllowListNamesIt(String host) {
    HttpAgent closed = agent(policy());
    String url = url(host, "/x");

    assertThatThrownBy(() -> closed.run(steps.first("x", Map.of("url", url))))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> {
              assertThat(failure.retryable()).isFalse();
              assertThat(failure.getMessage()).startsWith("the egress policy refuses");
            });
    assertThat(received).isEmpty();

    // listed, it is called; the receiver listens on IPv4 only, so [::1] finds nobody there
    answers.add(exchange -> reply(exchange, 200, "{}"));
    HttpAgent allowing = agent(policy(host));
    if (host.equals("[::1]")) {
      assertThatThrownBy(() -> allowing.run(steps.first("x", Map.of("url", url))))
          .hasMessageStartingWith("the request failed: ");
    } else {
      assertThatCode(() -> allowing.run(steps.first("x", Map.of("url", url))))
          .doesNotThrowAnyException();
      assertThat(received).hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "169.254.169.254", "[fd00:ec2::254]", "localhost"})
  void aDefinitionCallingAnAddressThatIsNotPublicIsRefusedWhenStored(String host) {
    Map<String, Object> config = Map.of("url", "http://" + host + "/latest/meta-data/");

    assertThatThrownBy(() -> agent(policy()).checkConfig(config, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the egress policy refuses");
    assertThatThrownBy(() -> agent(policy()).run(steps.first("x", config)))
        .isInstanceOfSatisfying(
            AttemptFailedException.class,
            failure -> assertThat(failure.getMessage()).startsWith("the egress policy refuses"));
  }

  @Test
  void aRedirectToThisMachineIsNotFollowed() throws IOException {
    AtomicInteger reachedByRedirect = new AtomicInteger();
    HttpServer inside = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
    inside.createContext(
        "/",
        exchange -> {
          reachedByRedirect.incrementAndGet();
          reply(exchange, 200, "{}");
          exchange.close();
        });
    inside.start();
    try {
      answers.add(
          exchange -> {
            exchange
                .getResponseHeaders()
                .add("Location", "http://127.0.0.2:" + inside.getAddress().getPort() + "/");
            reply(exchange, 307, "");
          });

      assertThatThrownBy(() -> agent.run(steps.first("x", Map.of("url", url("/x")))))
          .isInstanceOfSatisfying(
              AttemptFailedException.class,
              failure -> assertThat(failure.getMessage()).contains("redirects are not followed"));
      assertThat(reachedByRedirect).hasValue(0);
    } finally {
      inside.stop(0);
    }
  }

  @Test
  void aDefinitionIsCheckedWhenStored() {
    assertThatThrownBy(() -> agent.checkConfig(Map.of(), List.of()))
        .hasMessage("'url' is required");
    assertThatThrownBy(() -> agent.checkConfig(Map.of("url", "ftp://example.org/"), List.of()))
        .hasMessageContaining("http or https");
    assertThatThrownBy(
            () -> agent.checkConfig(Map.of("url", url("/"), "method", "TRACE"), List.of()))
        .hasMessageContaining("'method' must be one of");
    assertThatThrownBy(
            () ->
                agent.checkConfig(
                    Map.of("url", url("/"), "headers", Map.of("X", "{{secret.NOPE}}")), List.of()))
        .hasMessageContaining("'headers.X': unknown placeholder {{secret.NOPE}}");
    assertThatThrownBy(
            () ->
                agent.checkConfig(
                    Map.of("url", url("/"), "body", Map.of("a", "{{steps.later.output}}")),
                    List.of("earlier")))
        .hasMessageContaining("'body.a'");
    assertThatThrownBy(
            () -> agent.checkConfig(Map.of("url", url("/"), "timeout_millis", 0), List.of()))
        .hasMessageContaining("'timeout_millis' must be from 1 to 3600000, not 0");
    agent.checkConfig(
        Map.of(
            "url", "{{input.base}}/enrich",
            "headers", Map.of("Authorization", "Bearer {{secret.TOKEN}}"),
            "body", "{\"text\": \"{{prompt}}\"}"),
        List.of());
  }

  private CompletableFuture<Map<String, Object>> runAsync(Map<String, Object> config) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return agent.run(steps.first("x", config));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private String url(String path) {
    return url("127.0.0.1", path);
  }

  private String url(String host, String path) {
    return "http://" + host + ":" + receiver.getAddress().getPort() + path;
  }

  private HttpAgent agent(EgressPolicy policy) {
    return new HttpAgent(
        new OutboundHttp(Duration.ofSeconds(2), policy),
        new Templates(secrets),
        secrets,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** The egress policy with this allow list, {@link #LOOPBACK_NAME} resolving to this machine. */
  private static EgressPolicy policy(String... allow) {
    return new EgressPolicy(
        List.of(allow),
        host ->
            host.equals(LOOPBACK_NAME)
                ? new InetAddress[] {InetAddress.getByName("127.0.0.1")}
                : InetAddress.getAllByName(host));
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }
}
