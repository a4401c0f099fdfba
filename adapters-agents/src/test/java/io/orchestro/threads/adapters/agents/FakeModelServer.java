package io.orchestro.threads.adapters.agents;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A language-model server on this machine that speaks a provider's real wire protocol, streaming
 * included: OpenAI's chat completions (server-sent events, usage in a last chunk), Anthropic's
 * messages (named server-sent events) or Ollama's chat (one JSON object a line). Each request gets
 * the next scripted reply: an answer in chunks, an error status, or silence until released.
 */
public final class FakeModelServer implements AutoCloseable {

  /** The protocols it speaks. */
  public enum Protocol {
    OPENAI,
    ANTHROPIC,
    OLLAMA
  }

  /** A request it received: its headers (names in lower case) and JSON body. */
  public record Request(Map<String, String> headers, JsonNode body) {}

  private interface Reply {}

  private record Chunks(List<String> chunks, long pauseMillis, int inputTokens, int outputTokens)
      implements Reply {}

  private record Status(int status, String retryAfter, String message) implements Reply {}

  private record Silence() implements Reply {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Protocol protocol;
  private final String model;
  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger brokenStreams = new AtomicInteger();
  private final AtomicInteger stallProbes = new AtomicInteger();

  public FakeModelServer(Protocol protocol, String model) {
    this.protocol = protocol;
    this.model = model;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL to configure for the provider. */
  public String baseUrl() {
    String root = "http://127.0.0.1:" + server.getAddress().getPort();
    return protocol == Protocol.OPENAI ? root + "/v1" : root;
  }

  /** The next request streams these pieces of text, then the usage. */
  public FakeModelServer answers(int inputTokens, int outputTokens, String... chunks) {
    replies.add(new Chunks(List.of(chunks), 0, inputTokens, outputTokens));
    return this;
  }

  /** Like {@link #answers}, with a pause before each piece. */
  public FakeModelServer answersSlowly(long pauseMillis, String... chunks) {
    replies.add(new Chunks(List.of(chunks), pauseMillis, 10, chunks.length));
    return this;
  }

  /** The next request gets this error status, with a {@code Retry-After} when not null. */
  public FakeModelServer fails(int status, String retryAfter) {
    replies.add(new Status(status, retryAfter, "scripted failure " + status));
    return this;
  }

  /**
   * The next request gets headers and nothing more until the server is closed (but for what {@link
   * #probeStalls} writes).
   */
  public FakeModelServer stalls() {
    replies.add(new Silence());
    return this;
  }

  /**
   * Each stalled reply in progress writes once what its protocol ignores (a comment line of
   * server-sent events, a blank line of Ollama's), to learn whether the client still listens: one
   * whose client has gone counts in {@link #answersCutShort}. Until probed, a stall sends nothing.
   */
  public void probeStalls() {
    stallProbes.incrementAndGet();
  }

  /**
   * Whether {@code count} answers in all were cut short, once the stalled ones in progress were
   * probed ({@link #probeStalls}): for polling until a stalled answer's client is seen gone.
   */
  public boolean cutShort(int count) {
    probeStalls();
    return answersCutShort() == count;
  }

  /** How many answers could not be written to the end because the client had gone. */
  public int answersCutShort() {
    return brokenStreams.get();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      Map<String, String> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
      requests.add(new Request(headers, body));
      Reply reply = replies.poll();
      if (reply == null) {
        reply = new Status(500, null, "no reply scripted");
      }
      if (reply instanceof Status status) {
        error(exchange, status);
      } else if (reply instanceof Chunks chunks) {
        stream(exchange, chunks);
      } else {
        stall(exchange);
      }
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
    } catch (IOException clientWentAway) {
      brokenStreams.incrementAndGet();
    }
  }

  private void error(HttpExchange exchange, Status status) throws IOException {
    String body =
        switch (protocol) {
          case OPENAI ->
              "{\"error\":{\"message\":\""
                  + status.message()
                  + "\",\"type\":\"server_error\",\"code\":null}}";
          case ANTHROPIC ->
              "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\""
                  + status.message()
                  + "\"}}";
          case OLLAMA -> "{\"error\":\"" + status.message() + "\"}";
        };
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (status.retryAfter() != null) {
      exchange.getResponseHeaders().add("Retry-After", status.retryAfter());
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private void stall(HttpExchange exchange) throws IOException, InterruptedException {
    OutputStream out = openStream(exchange);
    int probesSeen = stallProbes.get();
    while (!released.await(20, TimeUnit.MILLISECONDS)) {
      int probes = stallProbes.get();
      if (probes != probesSeen) {
        probesSeen = probes;
        send(out, protocol == Protocol.OLLAMA ? "\n" : ": still here\n");
      }
    }
  }

  private void stream(HttpExchange exchange, Chunks chunks)
      throws IOException, InterruptedException {
    OutputStream out = openStream(exchange);
    for (String event : opening(chunks.inputTokens())) {
      send(out, event);
    }
    for (String chunk : chunks.chunks()) {
      if (chunks.pauseMillis() > 0) {
        // a pause between chunks, as a model writes; ended early when the server closes
        released.await(chunks.pauseMillis(), TimeUnit.MILLISECONDS);
      }
      send(out, piece(chunk));
    }
    for (String event : closing(chunks.inputTokens(), chunks.outputTokens())) {
      send(out, event);
    }
  }

  /** A streamed answer's status and headers: its body follows as it comes. */
  private OutputStream openStream(HttpExchange exchange) throws IOException {
    exchange
        .getResponseHeaders()
        .add(
            "Content-Type",
            protocol == Protocol.OLLAMA ? "application/x-ndjson" : "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private List<String> opening(int inputTokens) {
    return switch (protocol) {
      case OPENAI -> List.of(openAiChunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
      case ANTHROPIC ->
          List.of(
              sse(
                  "message_start",
                  "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                      + "\"role\":\"assistant\",\"content\":[],\"model\":\""
                      + model
                      + "\",\"stop_reason\":null,\"stop_sequence\":null,"
                      + "\"usage\":{\"input_tokens\":"
                      + inputTokens
                      + ",\"output_tokens\":1}}}"),
              sse(
                  "content_block_start",
                  "{\"type\":\"content_block_start\",\"index\":0,"
                      + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
              sse("ping", "{\"type\":\"ping\"}"));
      case OLLAMA -> List.of();
    };
  }

  private String piece(String text) {
    String quoted = JSON.writeValueAsString(text);
    return switch (protocol) {
      case OPENAI -> openAiChunk("{\"content\":" + quoted + "}", null);
      case ANTHROPIC ->
          sse(
              "content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":0,"
                  + "\"delta\":{\"type\":\"text_delta\",\"text\":"
                  + quoted
                  + "}}");
      case OLLAMA ->
          "{\"model\":\""
              + model
              + "\",\"created_at\":\"2026-11-28T10:00:00Z\","
              + "\"message\":{\"role\":\"assistant\",\"content\":"
              + quoted
              + "},\"done\":false}\n";
    };
  }

  private List<String> closing(int inputTokens, int outputTokens) {
    return switch (protocol) {
      case OPENAI ->
          List.of(
              openAiChunk("{}", "stop"),
              "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                  + "\"model\":\""
                  + model
                  + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                  + inputTokens
                  + ",\"completion_tokens\":"
                  + outputTokens
                  + ",\"total_tokens\":"
                  + (inputTokens + outputTokens)
                  + "}}\n\n",
              "data: [DONE]\n\n");
      case ANTHROPIC ->
          List.of(
              sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
              sse(
                  "message_delta",
                  "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                      + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
                      + outputTokens
                      + "}}"),
              sse("message_stop", "{\"type\":\"message_stop\"}"));
      case OLLAMA ->
          List.of(
              "{\"model\":\""
                  + model
                  + "\",\"created_at\":\"2026-11-28T10:00:01Z\","
                  + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
                  + "\"done_reason\":\"stop\",\"prompt_eval_count\":"
                  + inputTokens
                  + ",\"eval_count\":"
                  + outputTokens
                  + "}\n");
    };
  }

  private String openAiChunk(String delta, String finishReason) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\""
        + model
        + "\",\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"")
        + "}]}\n\n";
  }

  private static String sse(String event, String data) {
    return "event: " + event + "\ndata: " + data + "\n\n";
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
