import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark workloads beyond plain throughput ({@code LoadDriver.java}), each against a running
 * service, each printing one line of {@code key=value} results. JDK only:
 *
 * <pre>
 * java bench/Workloads.java in-flight URL THREADS WAIT_MILLIS [CLIENTS]
 *                                                                  W2: many threads whose one step waits,
 *                                                                  created in batches of 1,000 by CLIENTS
 *                                                                  clients at once (default 1)
 * java bench/Workloads.java hold URL THREADS                      W5, before the kill: THREADS threads
 *                                                                  each in a step that waits 10 minutes
 * java bench/Workloads.java recovered URL THREADS STARTED_MILLIS  W5, after the restart: until every
 *                                                                  one runs its step again
 * java bench/Workloads.java latency URL                           W3: GET latencies until stopped
 *                                                                  (says "measuring" on stderr)
 * java bench/Workloads.java search URL SECONDS QUERY...          the list with q=QUERY (a page of 20,
 *                                                                  with its total), one client, SECONDS
 *                                                                  per query after a warm-up as long
 *                                                                  ("" for the page without q)
 * java bench/Workloads.java creates URL CLIENTS SECONDS PER_CALL [WARMUP_SECONDS]
 *                                                                  W6: creates by CLIENTS clients for
 *                                                                  SECONDS, PER_CALL threads a call
 *                                                                  (1: POST /api/threads, else batch),
 *                                                                  after WARMUP_SECONDS unmeasured
 *                                                                  (default: SECONDS)
 * </pre>
 *
 * <p>"In flight" is read from the service's own counters at {@code /actuator/prometheus}: attempts
 * started minus attempts finished, for the workload's workflow type.
 */
public class Workloads {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();

  public static void main(String[] args) throws Exception {
    String url = args[1];
    awaitUp(url);
    switch (args[0]) {
      case "in-flight" ->
          inFlight(
              url,
              Integer.parseInt(args[2]),
              Long.parseLong(args[3]),
              args.length > 4 ? Integer.parseInt(args[4]) : 1);
      case "hold" -> hold(url, Integer.parseInt(args[2]));
      case "recovered" -> recovered(url, Integer.parseInt(args[2]), Long.parseLong(args[3]));
      case "latency" -> latency(url);
      case "search" ->
          search(url, Integer.parseInt(args[2]), List.of(args).subList(3, args.length));
      case "creates" ->
          creates(
              url,
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]),
              Integer.parseInt(args.length > 5 ? args[5] : args[3]));
      default -> throw new IllegalArgumentException("no workload " + args[0]);
    }
    System.exit(0);
  }

  /**
   * W2: creates THREADS threads of one step that waits WAIT_MILLIS, as fast as the service takes
   * them, and samples how many steps are in flight and the heap until all have completed.
   */
  private static void inFlight(String url, int threads, long waitMillis, int clients)
      throws Exception {
    String type = "bench-wait-" + waitMillis;
    putWorkflow(url, type, "{\"millis\": " + waitMillis + "}");
    long start = System.nanoTime();
    Sampler sampler = new Sampler(url, type);
    sampler.start();
    createThreads(url, type, threads, clients);
    double createdSeconds = (System.nanoTime() - start) / 1e9;
    waitUntil(
        () -> threads + " threads to complete (" + sampler.completed + " did)",
        () -> sampler.completed >= threads || !sampler.thread.isAlive());
    if (sampler.completed < threads) {
      throw new IllegalStateException("the sampler stopped: " + sampler.completed + " done");
    }
    double wallSeconds = (System.nanoTime() - start) / 1e9;
    sampler.stop();
    System.out.printf(
        "threads=%d wait_ms=%d create_clients=%d peak_in_flight=%d wall_seconds=%.1f"
            + " ideal_seconds=%.1f create_seconds=%.1f peak_heap_mb=%.0f%n",
        threads,
        waitMillis,
        clients,
        sampler.peakInFlight,
        wallSeconds,
        waitMillis / 1000.0,
        createdSeconds,
        sampler.peakHeapBytes / 1048576.0);
  }

  /**
   * W5 before the kill: THREADS threads, each inside a step that waits ten minutes in a running slot
   * ({@code hold_slot}: a wait that long would otherwise be parked, with nothing in flight to
   * recover).
   */
  private static void hold(String url, int threads) throws Exception {
    String type = "bench-hold";
    putWorkflow(url, type, "{\"millis\": 600000, \"hold_slot\": true}");
    createThreads(url, type, threads, 1);
    long start = System.nanoTime();
    waitUntil(() -> threads + " threads in flight", () -> started(scrape(url), type) >= threads);
    System.out.printf(
        "threads=%d all_in_flight_after_seconds=%.1f%n", threads, (System.nanoTime() - start) / 1e9);
  }

  /**
   * W5 after the restart: polls the restarted service's counters until THREADS attempts have
   * started again (a fresh process counts from zero), and reports the time since STARTED_MILLIS (the
   * wall-clock time at which the new process was launched).
   */
  private static void recovered(String url, int threads, long launchedAtMillis) throws Exception {
    waitUntil(
        () -> threads + " threads running again",
        () -> started(scrape(url), "bench-hold") >= threads);
    double allSeconds = (System.currentTimeMillis() - launchedAtMillis) / 1000.0;
    System.out.printf("threads=%d all_running_after_seconds=%.1f%n", threads, allSeconds);
  }

  /**
   * W3: two clients, one fetching a stored thread by id, one fetching a filtered list page of 50,
   * each as fast as it gets answers, until the process is stopped (SIGTERM); then prints p50 and p99
   * of each.
   */
  private static void latency(String url) throws Exception {
    String page = send("GET", url + "/api/threads?status=completed&size=1", null);
    Matcher id = Pattern.compile("\"thread_id\":\"([^\"]+)\"").matcher(page);
    if (!id.find()) {
      throw new IllegalStateException("no completed thread stored to fetch");
    }
    String one = url + "/api/threads/" + id.group(1);
    String list = url + "/api/threads?status=completed&workflow_type=bench-stored&size=50";
    ConcurrentLinkedQueue<Long> byId = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> listed = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread first = client(one, byId, running);
    Thread second = client(list, listed, running);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.set(false);
                  System.out.printf(
                      "get_by_id_n=%d get_by_id_p50_ms=%.1f get_by_id_p99_ms=%.1f"
                          + " list_page_n=%d list_page_p50_ms=%.1f list_page_p99_ms=%.1f%n",
                      byId.size(),
                      percentile(byId, 50),
                      percentile(byId, 99),
                      listed.size(),
                      percentile(listed, 50),
                      percentile(listed, 99));
                }));
    // the JVM takes seconds to start on a busy machine: a script times its window from here
    System.err.println("latency: measuring");
    first.join();
    second.join();
  }

  /**
   * The list endpoint's text search: for each query, one client asks for the first page of 20 (the
   * list counts the matches too) as fast as it gets answers, a warm-up of SECONDS and then SECONDS
   * measured; prints p50 and p99 per query.
   */
  private static void search(String url, int seconds, List<String> queries) throws Exception {
    for (String query : queries) {
      // an empty query is the baseline: the same page without q
      String target =
          url
              + "/api/threads?size=20"
              + (query.isEmpty() ? "" : "&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
      for (boolean measured : new boolean[] {false, true}) {
        ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        AtomicBoolean on = new AtomicBoolean(true);
        Thread client = client(target, nanos, on);
        Thread.sleep(seconds * 1000L);
        on.set(false);
        client.join();
        if (measured) {
          System.out.printf(
              "q=\"%s\" n=%d p50_ms=%.1f p99_ms=%.1f%n",
              query, nanos.size(), percentile(nanos, 50), percentile(nanos, 99));
        }
      }
    }
  }

  /**
   * W6: CLIENTS clients create threads (of one no-op step, the engine running them) as fast as they
   * are answered, for a warm-up of WARMUP_SECONDS and then SECONDS measured; prints threads created
   * per second and each call's p50 and p99. Each client sends its calls on one kept-alive connection of
   * its own ({@link KeptConnection}): the JDK's HttpClient cost the driver, which shares the
   * machine with the service, about a millisecond of CPU per call.
   */
  private static void creates(String url, int clients, int seconds, int perCall, int warmupSeconds)
      throws Exception {
    String type = "bench-create";
    putWorkflow(url, type, "{\"millis\": 0}");
    String target = url + (perCall == 1 ? "/api/threads" : "/api/threads/batch");
    StringBuilder body = new StringBuilder(perCall == 1 ? "" : "{\"threads\": [");
    for (int i = 0; i < perCall; i++) {
      body.append(i > 0 ? "," : "")
          .append("{\"prompt\": \"create ").append(i).append("\", \"workflow_type\": \"").append(type).append("\"}");
    }
    String payload = perCall == 1 ? body.toString() : body.append("]}").toString();
    for (boolean measured : new boolean[] {false, true}) {
      ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
      AtomicBoolean on = new AtomicBoolean(true);
      List<Thread> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Thread client = new Thread(() -> {
          try (KeptConnection connection = new KeptConnection(URI.create(target))) {
            while (on.get()) {
              long start = System.nanoTime();
              connection.post(payload);
              nanos.add(System.nanoTime() - start);
            }
          } catch (IOException failed) {
            throw new UncheckedIOException(failed);
          }
        });
        client.start();
        running.add(client);
      }
      Thread.sleep((measured ? seconds : warmupSeconds) * 1000L);
      on.set(false);
      for (Thread client : running) {
        client.join();
      }
      if (measured) {
        System.out.printf(
            "clients=%d per_call=%d threads_per_second=%.0f call_p50_ms=%.1f call_p99_ms=%.1f%n",
            clients, perCall, (double) nanos.size() * perCall / seconds,
            percentile(nanos, 50), percentile(nanos, 99));
      }
    }
  }

  /**
   * A client sending GET TARGET back to back on one kept-alive connection of its own, as W6's
   * clients do: through the JDK's HttpClient the probe took about as much CPU per call as the
   * service took to answer it, on the cores the service shares (docs/benchmarks.md, W3's probe).
   */
  private static Thread client(String target, ConcurrentLinkedQueue<Long> nanos, AtomicBoolean on) {
    Thread client =
        new Thread(
            () -> {
              try (KeptConnection connection = new KeptConnection(URI.create(target))) {
                while (on.get()) {
                  long begin = System.nanoTime();
                  connection.get();
                  nanos.add(System.nanoTime() - begin);
                }
              } catch (IOException failed) {
                throw new UncheckedIOException(failed);
              }
            });
    client.start();
    return client;
  }

  private static double percentile(ConcurrentLinkedQueue<Long> nanos, int percent) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }

  /** Samples the counters and the heap every 100 ms, keeping the peaks. */
  private static final class Sampler implements Runnable {
    private final String url;
    private final String type;
    private final Thread thread = new Thread(this);
    private volatile boolean on = true;
    volatile long completed;
    volatile long peakInFlight;
    volatile double peakHeapBytes;

    Sampler(String url, String type) {
      this.url = url;
      this.type = type;
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      on = false;
      thread.join();
    }

    @Override
    public void run() {
      while (on) {
        try {
          String scrape = scrape(url);
          long started = started(scrape, type);
          long done = (long) sum(scrape, "orchestro_steps_completed_total", type);
          long failed = (long) sum(scrape, "orchestro_steps_failed_total", type);
          completed = done;
          peakInFlight = Math.max(peakInFlight, started - done - failed);
          peakHeapBytes = Math.max(peakHeapBytes, heapUsed(scrape));
          Thread.sleep(100);
        } catch (Exception failed) {
          throw new IllegalStateException(failed);
        }
      }
    }
  }

  private static long started(String scrape, String type) {
    return (long) sum(scrape, "orchestro_steps_started_total", type);
  }

  /** The sum of a meter's samples whose labels include the workflow type. */
  private static double sum(String scrape, String name, String type) {
    double total = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{")
          && line.contains("workflow_type=\"" + type + "\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private static double heapUsed(String scrape) {
    double total = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private static String scrape(String url) throws Exception {
    return send("GET", url + "/actuator/prometheus", null);
  }

  private static void putWorkflow(String url, String type, String delayConfig) throws Exception {
    send(
        "PUT",
        url + "/api/workflows/" + type,
        "{\"steps\": [{\"name\": \"wait\", \"agent\": \"delay\", \"config\": " + delayConfig + "}]}");
  }

  /** Creates the threads through the batch endpoint, 1,000 a request, one request after another. */
  /** Creates the threads in batches of 1,000, CLIENTS batches at a time. */
  private static void createThreads(String url, String type, int threads, int clients)
      throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int first = 0; first < threads; first += 1000) {
      StringBuilder body = new StringBuilder("{\"threads\": [");
      for (int i = first; i < Math.min(threads, first + 1000); i++) {
        body.append(i > first ? "," : "")
            .append("{\"prompt\": \"bench ").append(i).append("\", \"workflow_type\": \"").append(type).append("\"}");
      }
      bodies.add(body.append("]}").toString());
    }
    ExecutorService senders = Executors.newFixedThreadPool(clients);
    try {
      List<Future<String>> sent = new ArrayList<>();
      for (String body : bodies) {
        sent.add(senders.submit(() -> send("POST", url + "/api/threads/batch", body)));
      }
      for (Future<String> each : sent) {
        each.get();
      }
    } finally {
      senders.shutdown();
    }
  }

  /** Polls the condition every 100 ms until it holds; gives up after 15 minutes. */
  private static void waitUntil(Supplier<String> what, Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up after 15 minutes waiting for " + what.get());
      }
      Thread.sleep(100);
    }
  }

  private static void awaitUp(String url) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      try {
        send("GET", url + "/actuator/health/readiness", null);
        return;
      } catch (Exception notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the service at " + url + " did not answer", notYet);
        }
        Thread.sleep(100);
      }
    }
  }

  private static HttpRequest request(String method, String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofMinutes(2))
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String send(String method, String url, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(request(method, url, body), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw new IllegalStateException(
          method + " " + url + " -> " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  /**
   * One client's HTTP/1.1 connection, kept alive between calls: sends a GET or a JSON POST, reads
   * the whole answer (by its Content-Length, or chunk by chunk) and fails on a status of 400 or
   * more, as {@link #send} does. Reconnects when the service closes the connection.
   */
  private static final class KeptConnection implements AutoCloseable {
    private final URI target;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeptConnection(URI target) {
      this.target = target;
    }

    String post(String json) throws IOException {
      return exchange("POST", json);
    }

    String get() throws IOException {
      return exchange("GET", null);
    }

    /** Sends the request (with a JSON body unless it is null) and reads the whole answer. */
    private String exchange(String method, String json) throws IOException {
      if (socket == null) {
        socket = new Socket(target.getHost(), target.getPort());
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
      }
      byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
      String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
      String head =
          method + " " + target.getRawPath() + query + " HTTP/1.1\r\nHost: " + target.getHost()
              + ":" + target.getPort()
              + (json == null ? "" : "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length)
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String status = line();
      int code = Integer.parseInt(status.split(" ")[1]);
      int length = -1;
      boolean chunked = false;
      boolean closes = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String name = header.substring(0, header.indexOf(':')).trim().toLowerCase();
        String value = header.substring(header.indexOf(':') + 1).trim();
        switch (name) {
          case "content-length" -> length = Integer.parseInt(value);
          case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
          case "connection" -> closes = value.equalsIgnoreCase("close");
          default -> { }
        }
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      if (chunked) {
        for (int size = chunkSize(); size > 0; size = chunkSize()) {
          answer.write(in.readNBytes(size));
          line();
        }
        while (!line().isEmpty()) { } // trailers
      } else if (length >= 0) {
        answer.write(in.readNBytes(length));
      }
      if (closes) {
        close();
      }
      String text = answer.toString(StandardCharsets.UTF_8);
      if (code >= 400) {
        throw new IllegalStateException(method + " " + target + " -> " + code + " " + text);
      }
      return text;
    }

    private int chunkSize() throws IOException {
      String size = line();
      int extension = size.indexOf(';');
      return Integer.parseInt(extension < 0 ? size : size.substring(0, extension), 16);
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new EOFException("the service closed the connection");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      if (socket != null) {
        socket.close();
        socket = null;
      }
    }
  }
}
