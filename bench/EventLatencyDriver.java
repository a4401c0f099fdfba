import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Latency from a step's result to its {@code step_completed} event at SSE clients: opens C clients
 * on {@code /api/events}, starts T threads of a workflow of S steps (each a {@code delay} of D ms),
 * and for every {@code step_completed} event every client receives, takes the client's wall clock
 * at the moment the event's last line arrived minus the event's {@code at}. The {@code at} is the
 * engine's clock when it recorded the step's result, before the transaction that stores it; so a
 * sample covers the store's transaction and commit, the event's numbering, the broadcaster's read,
 * the fan-out, the SSE write and the client's parse. Same machine, same wall clock; {@code at} is
 * cut to milliseconds, which adds up to 1 ms to each sample.
 *
 * <p>Runs twice in one go: a baseline of 1 client and 5 threads, then C clients and T threads. Keep
 * the step rate (T / D steps per ms) below what the store can write, or the samples measure the
 * queue of writes in front of the store rather than the way to the clients.
 *
 * <p>{@code java bench/EventLatencyDriver.java [url] [clients] [threads] [steps] [delayMillis]
 * [createUrl]}: with {@code createUrl}, the threads are created (and, with the first node's engine
 * off, run) on that other node of the same database, so every event crosses from one node to the
 * other.
 */
public class EventLatencyDriver {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern AT = Pattern.compile("\"at\":\"([^\"]+)\"");
  private static final Pattern TYPE = Pattern.compile("\"type\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int steps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int delay = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
    String createUrl = args.length > 5 ? args[5] : url;
    String type = "bench-latency-" + steps + "-" + delay;
    StringBuilder definition = new StringBuilder("{\"steps\": [");
    for (int i = 1; i <= steps; i++) {
      definition
          .append(i > 1 ? "," : "")
          .append("{\"name\": \"s")
          .append(i)
          .append("\", \"agent\": \"delay\", \"config\": {\"millis\": ")
          .append(delay)
          .append("}}");
    }
    definition.append("]}");
    send("PUT", url + "/api/workflows/" + type, definition.toString());

    // warm-up, not reported
    measure(url, createUrl, type, 1, 5, steps);
    List<Double> baseline = measure(url, createUrl, type, 1, 5, steps);
    List<Double> loaded = measure(url, createUrl, type, clients, threads, steps);
    report("baseline: 1 client, 5 threads", baseline);
    report(clients + " clients, " + threads + " threads", loaded);
    System.out.printf(
        "ratio loaded/baseline: p50 %.1fx, p99 %.1fx%n",
        percentile(loaded, 50) / percentile(baseline, 50),
        percentile(loaded, 99) / percentile(baseline, 99));
    // the same, as key=value pairs for bench/run-all.sh
    System.out.printf(
        Locale.ROOT,
        "baseline_p50_ms=%.1f baseline_p99_ms=%.1f baseline_samples=%d"
            + " p50_ms=%.1f p99_ms=%.1f max_ms=%.1f samples=%d%n",
        percentile(baseline, 50),
        percentile(baseline, 99),
        baseline.size(),
        percentile(loaded, 50),
        percentile(loaded, 99),
        loaded.get(loaded.size() - 1),
        loaded.size());
  }

  /** Latencies in milliseconds of every step_completed event at every client. */
  static List<Double> measure(
      String url, String createUrl, String type, int clients, int threads, int steps)
      throws Exception {
    ConcurrentLinkedQueue<Double> samples = new ConcurrentLinkedQueue<>();
    int expectedPerClient = threads * steps;
    CountDownLatch done = new CountDownLatch(clients);
    List<Stream<String>> open = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      HttpResponse<Stream<String>> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/api/events?type=step_completed"))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      open.add(response.body());
      Thread reader =
          new Thread(
              () -> {
                int seen = 0;
                try {
                  for (String line : (Iterable<String>) response.body()::iterator) {
                    if (line.startsWith("data:")) {
                      Instant now = Instant.now();
                      Matcher at = AT.matcher(line);
                      Matcher kind = TYPE.matcher(line);
                      if (at.find() && kind.find() && kind.group(1).equals("step_completed")) {
                        Instant committedBefore = Instant.parse(at.group(1));
                        samples.add(Duration.between(committedBefore, now).toNanos() / 1e6);
                        if (++seen == expectedPerClient) {
                          done.countDown();
                        }
                      }
                    }
                  }
                } catch (RuntimeException closed) {
                  // closed at the end
                }
              });
      reader.setDaemon(true);
      reader.start();
    }
    for (int i = 0; i < threads; i++) {
      send(
          "POST",
          createUrl + "/api/threads",
          "{\"prompt\": \"latency " + i + "\", \"workflow_type\": \"" + type + "\"}");
    }
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("not every client got every event");
    }
    open.forEach(Stream::close);
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return sorted;
  }

  static void report(String label, List<Double> sorted) {
    System.out.printf(
        "%s: %d samples, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        label, sorted.size(), percentile(sorted, 50), percentile(sorted, 99),
        sorted.get(sorted.size() - 1));
  }

  static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  static String send(String method, String url, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + url + ": " + response.statusCode());
    }
    return response.body();
  }
}
