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
 *   <li>round trip: one worker, one task at a time; each sample is a poll that finds the task
 *       queued plus its complete (p50, p99);
 *   <li>hand-out: TASKS threads queued first, then WORKERS workers polling up to 10 tasks each and
 *       completing them: tasks per second one node hands out and takes back;
 *   <li>baseline, side by side: the same number of threads of a one-step {@code echo} workflow,
 *       run by the engine itself: steps per second without an outside worker.
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

    // 1. round trip, one task at a time (the thread is created first, so the poll finds it)
    List<Double> samples = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      create(url, "bench-task");
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

    // 2. hand-out: queue TASKS, then WORKERS workers take and complete them all
    for (int i = 0; i < tasks; i++) {
      create(url, "bench-task");
    }
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

    // 3. baseline: as many one-step echo threads, run by the engine itself
    start = System.nanoTime();
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      threads.add(create(url, "bench-echo"));
    }
    String last = threads.get(threads.size() - 1);
    while (!get(url, "/api/threads/" + last).contains("\"status\":\"completed\"")
        || !get(url, "/api/threads?workflow_type=bench-echo&status=pending&size=1")
            .contains("\"total\":0")
        || !get(url, "/api/threads?workflow_type=bench-echo&status=running&size=1")
            .contains("\"total\":0")) {
      Thread.sleep(20);
    }
    double echo = tasks / ((System.nanoTime() - start) / 1e9);
    System.out.printf("baseline: %d one-step echo threads created and run: %.0f steps/s%n",
        tasks, echo);
    System.out.printf("ratio hand-out / baseline: %.2f%n", handOut / echo);
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

  private static String create(String url, String type) throws Exception {
    String body = post(url, "/api/threads", "{\"prompt\": \"bench\", \"workflow_type\": \"" + type + "\"}");
    Matcher m = Pattern.compile("\"thread_id\":\"([^\"]+)\"").matcher(body.replace(" ", ""));
    if (!m.find()) {
      throw new IllegalStateException("no thread id in " + body);
    }
    return m.group(1);
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
