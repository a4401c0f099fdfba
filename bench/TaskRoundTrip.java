import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task API of worker steps, against a running service, in one run:
 *
 * <ol>
 *   <li>round trip: 220 tasks queued first (their threads running, parked on them), then one
 *       worker, one task at a time; each sample is a poll that finds a task queued plus its
 *       complete (p50, p99; the first 20 warm up);
 *   <li>hand-out: TASKS threads queued first (all running), then WORKERS workers polling up to 10
 *       tasks each and completing them: tasks per second one node hands out and takes back;
 *   <li>baseline, side by side: the same number of threads of a one-step {@code echo} workflow,
 *       created in batches of 100 and run by the engine itself, from the first create to the last
 *       completion: steps per second without an outside worker.
 * </ol>
 *
 * java bench/TaskRoundTrip.java URL TASKS WORKERS
 */
public class TaskRoundTrip {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern TASK_ID = Pattern.compile("\"task_id\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int tasks = Integer.parseInt(args[1]);
    int workers = Integer.parseInt(args[2]);
    put(url, "bench-task", "{\"steps\": [{\"name\": \"work\", \"agent\": \"worker\","
        + " \"config\": {\"queue\": \"bench\"}}]}");
    put(url, "bench-echo", "{\"steps\": [{\"name\": \"work\", \"agent\": \"echo\"}]}");

    // 1. round trip, one task at a time: the tasks are queued first, so that each sample is a
    // poll that finds its task waiting plus its complete, not the engine's start of the thread
    int rounds = 220;
    queue(url, rounds);
    List<Double> samples = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      List<String> ids = poll(url, 1, 5000);
      for (String id : ids) {
        post(url, "/api/tasks/" + id + "/complete", "{\"output\": {\"done\": true}}");
      }
      if (i >= 20) { // the first ones warm the JIT
        samples.add((System.nanoTime() - start) / 1e6);
      }
    }
    Collections.sort(samples);
    System.out.printf("round trip (poll + complete), %d samples: p50 %.1f ms, p99 %.1f ms%n",
        samples.size(), pct(samples, 50), pct(samples, 99));
    awaitRunning(url, "bench-task", 0);

    // 2. hand-out: queue TASKS, then WORKERS workers take and complete them all
    queue(url, tasks);
    AtomicInteger done = new AtomicInteger();
    CountDownLatch finished = new CountDownLatch(workers);
    long start = System.nanoTime();
    var pool = Executors.newFixedThreadPool(workers);
    try {
      for (int w = 0; w < workers; w++) {
        pool.execute(() -> {
          try {
            while (done.get() < tasks) {
              List<String> ids = poll(url, 10, 200);
              for (String id : ids) {
                post(url, "/api/tasks/" + id + "/complete", "{\"output\": {}}");
                done.incrementAndGet();
              }
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          } finally {
            finished.countDown();
          }
        });
      }
      finished.await();
    } finally {
      pool.shutdownNow();
    }
    double handOut = tasks / ((System.nanoTime() - start) / 1e9);
    System.out.printf("hand-out: %d tasks by %d workers: %.0f tasks/s%n", tasks, workers, handOut);

    // 3. baseline: as many one-step echo threads, created in batches of 100 (so that creating
    // them one request each does not set the pace), run by the engine itself
    start = System.nanoTime();
    create(url, "bench-echo", tasks);
    String completed = "/api/threads?workflow_type=bench-echo&status=completed&size=1";
    while (!hasTotal(get(url, completed), tasks)) {
      Thread.sleep(20);
    }
    double echo = tasks / ((System.nanoTime() - start) / 1e9);
    System.out.printf("baseline: %d one-step echo threads created and run: %.0f steps/s%n",
        tasks, echo);
    System.out.printf("ratio hand-out / baseline: %.2f%n", handOut / echo);
  }

  /** Waits until exactly {@code count} threads of the type are running (parked on their task). */
  private static void awaitRunning(String url, String type, int count) throws Exception {
    String query = "/api/threads?workflow_type=" + type + "&status=running&size=1";
    while (!hasTotal(get(url, query), count)) {
      Thread.sleep(50);
    }
  }

  /** True when a page of threads says that {@code count} threads match its filters. */
  private static boolean hasTotal(String page, int count) {
    return page.replace(" ", "").matches("(?s).*\"total\":" + count + "[,}].*");
  }

  /** Creates {@code count} threads of the type in batches of 100; they start at once. */
  private static void create(String url, String type, int count) throws Exception {
    for (int i = 0; i < count; i += 100) {
      createBatch(url, type, Math.min(100, count - i));
    }
  }

  /** Creates {@code count} bench-task threads and waits until each is parked on its task. */
  private static void queue(String url, int count) throws Exception {
    create(url, "bench-task", count);
    awaitRunning(url, "bench-task", count);
  }

  private static void createBatch(String url, String type, int count) throws Exception {
    StringBuilder body = new StringBuilder("{\"threads\": [");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"prompt\": \"bench\", \"workflow_type\": \"").append(type).append("\"}");
    }
    post(url, "/api/threads/batch", body.append("]}").toString());
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
  }

  private static List<String> poll(String url, int max, int waitMillis) throws Exception {
    String body = post(url, "/api/tasks/poll", "{\"queues\": [\"bench\"], \"worker_id\": \"bench\","
        + " \"max\": " + max + ", \"wait_millis\": " + waitMillis + "}");
    List<String> ids = new ArrayList<>();
    Matcher m = TASK_ID.matcher(body.replace(" ", ""));
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  private static void put(String url, String type, String json) throws Exception {
    send(HttpRequest.newBuilder(URI.create(url + "/api/workflows/" + type))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static String post(String url, String path, String json) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static String get(String url, String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
  }

  private static String send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw new IllegalStateException(response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
