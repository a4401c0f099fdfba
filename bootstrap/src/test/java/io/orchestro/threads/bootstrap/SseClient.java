package io.orchestro.threads.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Server-Sent Events client over {@code java.net.http}, as a script or another service would
 * write one: it parses the stream as it arrives (on a thread of its own) into events and counts the
 * comment lines.
 */
final class SseClient implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One SSE event: its id, its name, and its data parsed as JSON and as the server sent it. */
  record Event(long id, String name, JsonNode data, String dataText) {}

  private final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private volatile boolean ended;
  private final Thread reader;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects, and returns once the response's status and headers have arrived. */
  static SseClient open(URI uri, Long lastEventId) {
    return open(uri, lastEventId, "text/event-stream");
  }

  static SseClient open(URI uri, Long lastEventId, String accept) {
    return open(uri, lastEventId, accept, new String[0]);
  }

  /** As the client {@code api} calls: with its headers (a credential, say). */
  static SseClient open(ApiClient api, String path, Long lastEventId) {
    return open(api.uri(path), lastEventId, "text/event-stream", api.headers());
  }

  private static SseClient open(URI uri, Long lastEventId, String accept, String[] headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", accept).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", Long.toString(lastEventId));
    }
    return send(request);
  }

  /** Connects with {@code Authorization: Bearer credential}. */
  static SseClient openWith(URI uri, String credential) {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + credential)
            .GET());
  }

  private static SseClient send(HttpRequest.Builder request) {
    try {
      return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A whole thread's story: opens its stream, reads it up to and including {@code
   * thread_completed}, and closes it.
   */
  static List<Event> untilCompleted(ApiClient api, String threadId) throws InterruptedException {
    try (SseClient stream = open(api.uri("/api/threads/" + threadId + "/events"), null)) {
      return stream.until("thread_completed");
    }
  }

  int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  /** The next event, or null when none arrived within the timeout. */
  Event next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Events until one of the given name arrives (included).
   *
   * @throws AssertionError when no event arrives for ten seconds
   */
  List<Event> until(String name) throws InterruptedException {
    List<Event> received = new ArrayList<>();
    while (true) {
      Event event = next(Duration.ofSeconds(10));
      if (event == null) {
        throw new AssertionError("no '" + name + "' event; received " + received);
      }
      received.add(event);
      if (event.name().equals(name)) {
        return received;
      }
    }
  }

  /** Exactly {@code count} events, failing when they do not arrive within ten seconds each. */
  List<Event> take(int count) throws InterruptedException {
    List<Event> received = new ArrayList<>();
    while (received.size() < count) {
      Event event = next(Duration.ofSeconds(10));
      if (event == null) {
        throw new AssertionError("only " + received.size() + " of " + count + ": " + received);
      }
      received.add(event);
    }
    return received;
  }

  int comments() {
    return comments.get();
  }

  /** The server ended the stream. */
  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    response.body().close();
    reader.interrupt();
  }

  private void read() {
    String id = null;
    String name = "message";
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (!data.isEmpty()) {
            String text = data.toString();
            events.add(new Event(Long.parseLong(id), name, JSON.readTree(text), text));
          }
          name = "message";
          data.setLength(0);
        } else if (line.startsWith(":")) {
          comments.incrementAndGet();
        } else if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        }
      }
    } catch (RuntimeException closed) {
      // closed by close(), or the connection broke: either way the stream is over
    } finally {
      ended = true;
    }
  }
}
