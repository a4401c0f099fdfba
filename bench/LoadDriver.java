import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load driver against a running service: puts a no-op workflow (K steps of {@code delay} 0 ms),
 * creates T threads at once (through the batch endpoint, 100 a request; one by one, 64 in flight,
 * against a build without that endpoint), waits until every one has completed, and prints the steps per second
 * (from the first thread's creation to the last one's finish, by the server's own timestamps) and
 * the most threads seen running at once.
 *
 * <p>Run with the JDK alone, against a service that is up: {@code java bench/LoadDriver.java [url]
 * [threads] [steps] [workflow type]}. Several nodes sharing one database: give their URLs comma-separated; the
 * creates then alternate between them, as behind a load balancer, and the first one is asked for
 * progress. It gives up when no thread completes for two minutes.
 */
public class LoadDriver {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /**
   * The pause between two looks at the progress (two list requests, each a few reads, and each read
   * a transaction the database counts). The figures come from the server's own timestamps, so the
   * pause changes only how soon the driver notices the end; a shorter one adds its reads to the
   * commits counted around the run (at 50 ms they were a third of them).
   */
  private static final long POLL_MILLIS = 200;
  /** Threads created by one request to the batch endpoint. */
  private static final int BATCH = 100;
  private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");
  private static final Pattern CREATED = Pattern.compile("\"created_at\":\"([^\"]+)\"");
  private static final Pattern FINISHED = Pattern.compile("\"finished_at\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    List<String> nodes = List.of((args.length > 0 ? args[0] : "http://127.0.0.1:8080").split(","));
    String url = nodes.get(0);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    // a type of its own for a warm-up round, so that the measured round counts only its threads
    String type = args.length > 3 ? args[3] : "bench-noop-" + steps;

    StringBuilder definition = new StringBuilder("{\"description\": \"no-op steps\", \"steps\": [");
    for (int i = 1; i <= steps; i++) {
      definition.append(i > 1 ? "," : "")
          .append("{\"name\": \"s").append(i).append("\", \"agent\": \"delay\", \"config\": {\"millis\": 0}}");
    }
    definition.append("]}");
    send("PUT", url + "/api/workflows/" + type, definition.toString());

    long wallStart = System.nanoTime();
    // through the batch endpoint, BATCH threads a request, the batches alternating between nodes
    List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
    for (int first = 0; first < threads; first += BATCH) {
      StringBuilder body = new StringBuilder("{\"threads\": [");
      for (int i = first; i < Math.min(threads, first + BATCH); i++) {
        body.append(i > first ? "," : "")
            .append("{\"prompt\": \"bench ").append(i).append("\", \"workflow_type\": \"").append(type).append("\"}");
      }
      body.append("]}");
      String node = nodes.get((first / BATCH) % nodes.size());
      creates.add(HTTP.sendAsync(request("POST", node + "/api/threads/batch", body.toString()), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).join();
    int firstStatus = creates.get(0).join().statusCode();
    if (firstStatus == 404 || firstStatus == 405) {
      // a build from before the batch endpoint: single creates, 64 in flight, as its driver made
      createOneByOne(nodes, threads, type);
    } else {
      for (var create : creates) {
        if (create.join().statusCode() != 200) {
          throw new IllegalStateException("create failed: " + create.join().body());
        }
      }
    }

    int peakRunning = 0;
    int completedBefore = -1;
    long stalledSince = System.nanoTime();
    while (true) {
      int running = total(send("GET", url + "/api/threads?status=running&workflow_type=" + type + "&size=1", null));
      peakRunning = Math.max(peakRunning, running);
      int completed = total(send("GET", url + "/api/threads?status=completed&workflow_type=" + type + "&size=1", null));
      if (completed >= threads) {
        break;
      }
      if (completed != completedBefore) {
        completedBefore = completed;
        stalledSince = System.nanoTime();
      } else if (System.nanoTime() - stalledSince > Duration.ofMinutes(2).toNanos()) {
        throw new IllegalStateException(
            "gave up: no thread completed for two minutes; " + completed + " of " + threads + " done");
      }
      Thread.sleep(POLL_MILLIS);
    }
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;

    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
    int pages = (threads + 499) / 500;
    for (int page = 0; page < pages; page++) {
      String list = send("GET", url + "/api/threads?workflow_type=" + type + "&size=500&page=" + page, null);
      Matcher created = CREATED.matcher(list);
      while (created.find()) {
        Instant at = Instant.parse(created.group(1));
        first = at.isBefore(first) ? at : first;
      }
      Matcher finished = FINISHED.matcher(list);
      while (finished.find()) {
        Instant at = Instant.parse(finished.group(1));
        last = at.isAfter(last) ? at : last;
      }
    }
    double seconds = Duration.between(first, last).toNanos() / 1e9;
    long totalSteps = (long) threads * steps;
    System.out.printf(
        "threads=%d steps_per_thread=%d total_steps=%d server_seconds=%.2f steps_per_second=%.0f"
            + " peak_running=%d wall_seconds=%.2f%n",
        threads, steps, totalSteps, seconds, totalSteps / seconds, peakRunning, wallSeconds);
  }

  private static void createOneByOne(List<String> nodes, int threads, String type) {
    List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      String body = "{\"prompt\": \"bench " + i + "\", \"workflow_type\": \"" + type + "\"}";
      String node = nodes.get(i % nodes.size());
      creates.add(HTTP.sendAsync(request("POST", node + "/api/threads", body), HttpResponse.BodyHandlers.ofString()));
      if (creates.size() % 64 == 0) {
        CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).join();
      }
    }
    CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).join();
    for (var create : creates) {
      if (create.join().statusCode() != 201) {
        throw new IllegalStateException("create failed: " + create.join().body());
      }
    }
  }

  private static int total(String page) {
    Matcher matcher = TOTAL.matcher(page);
    if (!matcher.find()) {
      throw new IllegalStateException("no total in " + page);
    }
    return Integer.parseInt(matcher.group(1));
  }

  private static HttpRequest request(String method, String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String send(String method, String url, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(request(method, url, body), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }
}
