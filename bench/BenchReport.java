import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the {@code key=value} results of {@code bench/run-all.sh} into one Markdown table with the
 * machine it ran on, prints it, and puts it into the benchmarks page between the two markers
 * below (the rest of the page is left as written).
 *
 * <p>{@code java bench/BenchReport.java RESULTS PAGE}
 */
public class BenchReport {

  private static final String BEGIN = "<!-- bench/run-all.sh: begin -->";
  private static final String END = "<!-- bench/run-all.sh: end -->";

  private final Map<String, String> results = new LinkedHashMap<>();

  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        report.results.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    String section = report.render();
    System.out.println(section);
    Path page = Path.of(args[1]);
    String text = Files.readString(page);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(page + " has no " + BEGIN + " ... " + END + " section");
    }
    Files.writeString(
        page, text.substring(0, begin) + BEGIN + "\n" + section + text.substring(end));
  }

  private String render() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "Run of %s on %s (%s size). Machine: %s cores, %s memory, disk %s; service on %s"
                + " (driver on %s); PostgreSQL %s. Load average at the start: %s. The baselines"
                + " ran at the service's concurrency (%s connections: its pool size) for %s s each,"
                + " in the same run, just before the workloads.%n%n",
            "`" + get("command") + "`",
            get("date"),
            get("size"),
            get("cpu"),
            get("memory"),
            get("disk"),
            get("service_java"),
            get("driver_java"),
            get("postgresql"),
            get("load"),
            get("pool"),
            get("base_seconds")));
    out.append("| workload | store | measured | baseline (same run) | ratio | goal |\n");
    out.append("| --- | --- | --- | --- | --- | --- |\n");
    String w1 =
        String.format(
            "W1 throughput: %s threads × %s no-op steps", get("w1_threads"), get("w1_steps"));
    row(
        out,
        w1,
        "H2 (file)",
        number("w1_h2") + " steps/s",
        "JDBC single-row updates: " + number("h2_baseline") + "/s",
        ratio("w1_h2", "h2_baseline"),
        "");
    row(
        out,
        w1,
        "JSON files",
        number("w1_json") + " steps/s",
        "write + flush + rename + dir flush: " + number("json_baseline") + "/s",
        ratio("w1_json", "json_baseline"),
        "");
    if (results.containsKey("w1_pg")) {
      row(
          out,
          w1,
          "PostgreSQL",
          number("w1_pg")
              + " steps/s; "
              + get("w1_pg_commits_per_step")
              + " commits per step (after a rehearsal of the same size)",
          "pgbench single-row UPDATE: " + number("pg_baseline") + " tps",
          ratio("w1_pg", "pg_baseline"),
          goal(value("w1_pg_commits_per_step") <= 0.3, "≤ 0.3 commits per step"));
      if (results.containsKey("peers_skipped")) {
        row(out, w1 + ", the peers", "PostgreSQL", "skipped: " + get("peers_skipped"), "", "", "");
      } else {
        row(
            out,
            w1 + ", the best peer (" + get("peer_workers") + " workers)",
            "PostgreSQL",
            number("w1_pg") + " steps/s (ours, as above)",
            get("peer_best_name").replace('_', ' ')
                + ": "
                + number("peer_best")
                + " steps/s, "
                + get("peer_best_commits_per_step")
                + " commits per step",
            ratio("w1_pg", "peer_best"),
            goal(value("w1_pg") / value("peer_best") >= 1.5, "≥ 1.5"));
        row(
            out,
            w1 + ", pgbench of the peers' run",
            "PostgreSQL",
            number("w1_pg") + " steps/s (ours, as above)",
            "pgbench single-row UPDATE, " + get("peer_workers") + " clients: " + number("peer_pgbench") + " tps",
            ratio("w1_pg", "peer_pgbench"),
            "");
      }
      row(
          out,
          w1 + ", " + number("w3_stored") + " threads stored, W3 probing",
          "PostgreSQL",
          number("w1_pg_stored") + " steps/s",
          "pgbench (as above): " + number("pg_baseline") + " tps",
          ratio("w1_pg_stored", "pg_baseline"),
          "");
      String stored = " (" + number("w3_stored") + " stored, during W1)";
      row(
          out,
          "W3 `GET /api/threads/{id}`" + stored,
          "PostgreSQL",
          "p50 " + get("w3_get_by_id_p50_ms") + " ms, p99 " + get("w3_get_by_id_p99_ms") + " ms",
          "the same, idle: p99 " + get("w3_idle_by_id_p99") + " ms",
          ratio("w3_get_by_id_p99_ms", "w3_idle_by_id_p99"),
          goal(value("w3_get_by_id_p99_ms") < 50, "p99 < 50 ms"));
      row(
          out,
          "W3 list page: `status=completed&workflow_type=…&size=50`" + stored,
          "PostgreSQL",
          "p50 " + get("w3_list_page_p50_ms") + " ms, p99 " + get("w3_list_page_p99_ms") + " ms",
          "the same, idle: p99 " + get("w3_idle_list_p99") + " ms",
          ratio("w3_list_page_p99_ms", "w3_idle_list_p99"),
          goal(value("w3_list_page_p99_ms") < 50, "p99 < 50 ms"));
    }
    row(
        out,
        "W6 single creates (`POST /api/threads`), 16 clients, engine running, after "
            + get("w6_warmup")
            + " s of the same load unmeasured",
        "H2 (file)",
        number("w6_single") + " threads/s, p99 " + get("w6_single_p99_ms") + " ms",
        "JDBC single-row updates: " + number("h2_baseline") + "/s",
        ratio("w6_single", "h2_baseline"),
        goal(value("w6_single") >= 1000 && value("w6_single_p99_ms") < 50, "≥ 1,000/s, p99 < 50 ms"));
    row(
        out,
        "W6 batch creates (`POST /api/threads/batch`, 100 a call), 4 clients, engine running",
        "H2 (file)",
        number("w6_batch") + " threads/s, p99 " + get("w6_batch_p99_ms") + " ms a call",
        "single creates (above): " + number("w6_single") + "/s",
        ratio("w6_batch", "w6_single"),
        goal(value("w6_batch") >= 2000, "≥ 2,000/s"));
    row(
        out,
        String.format(
            "W4 event latency: a step's result to its SSE event, %,d clients, %,d threads of %s"
                + " steps waiting %s s",
            (long) value("w4_clients"),
            (long) value("w4_threads"),
            get("w4_steps"),
            String.format(Locale.ROOT, "%.0f", value("w4_wait_ms") / 1000)),
        "H2 (file)",
        String.format(
            "p50 %s ms, p99 %s ms, max %s ms (%,d samples)",
            get("w4_p50_ms"),
            get("w4_p99_ms"),
            get("w4_max_ms"),
            (long) value("w4_samples")),
        "1 client, 5 threads: p50 "
            + get("w4_baseline_p50_ms")
            + " ms, p99 "
            + get("w4_baseline_p99_ms")
            + " ms",
        ratio("w4_p99_ms", "w4_baseline_p99_ms"),
        goal(value("w4_p99_ms") < 100, "p99 < 100 ms (the events issue's)"));
    int w2 = (int) value("w2_threads");
    row(
        out,
        String.format(
            "W2 in flight: %,d threads, one step waiting %s s; the second round on the same"
                + " service (the first, while the JIT compiles, in brackets)",
            w2, seconds("w2_ideal_seconds")),
        "H2 (file)",
        String.format(
            "peak %,d in flight; wall %s s; created in %s s; peak heap %s MB (cap 512 MB)"
                + " (first round: peak %,d, wall %s s, created in %s s)",
            (long) value("w2_peak_in_flight"),
            get("w2_wall_seconds"),
            get("w2_create_seconds"),
            get("w2_peak_heap_mb"),
            (long) value("w2_first_peak_in_flight"),
            get("w2_first_wall_seconds"),
            get("w2_first_create_seconds")),
        "ideal wall time: " + get("w2_ideal_seconds") + " s",
        String.format(
            "in flight %.2f of all; ideal ÷ wall %.2f",
            value("w2_peak_in_flight") / w2,
            value("w2_ideal_seconds") / value("w2_wall_seconds")),
        goal(value("w2_peak_in_flight") >= w2 && value("w2_peak_heap_mb") < 512, "all at once, heap < 512 MB"));
    row(
        out,
        "Start: `java -jar` to the first readiness answer (median of alternating starts)",
        "H2 (file)",
        String.format(Locale.ROOT, "%.1f s", value("start_ours_ms") / 1000),
        String.format(
            Locale.ROOT,
            "bare Spring Boot, the same starters (bench/start-baseline): %.1f s",
            value("start_bare_ms") / 1000),
        ratio("start_ours_ms", "start_bare_ms"),
        goal(value("start_ours_ms") / value("start_bare_ms") <= 1.5, "≤ 1.5"));
    if (!results.containsKey("w5_aot_skipped")) {
      row(
          out,
          "Start with the README's AOT cache (JDK 25): to the first answer (W5's restart below)",
          "H2 (file)",
          get("w5_aot_ready_seconds") + " s",
          String.format(
              Locale.ROOT, "bare Spring Boot (above): %.1f s", value("start_bare_ms") / 1000),
          String.format(
              Locale.ROOT, "%.3f", value("w5_aot_ready_seconds") * 1000 / value("start_bare_ms")),
          "");
    }
    double w5 = value("w5_threads");
    // the least the store needs: one commit per thread (its recovery with its step's new start)
    double floor = w5 / value("h2_baseline");
    row(
        out,
        String.format("W5 recovery: SIGKILL with %,d threads in flight", (long) w5),
        "H2 (file)",
        get("w5_seconds") + " s from launch until all run again (ready after " + get("w5_ready_seconds") + " s)",
        String.format("1 commit per thread at the H2 limit: %.1f s, plus the start", floor),
        String.format(
            "%.2f",
            floor / (value("w5_seconds") - value("w5_ready_seconds"))),
        goal(value("w5_seconds") < 10, "< 10 s"));
    String w5Aot =
        String.format(
            "W5 with the README's AOT cache (JDK 25): SIGKILL with %,d threads in flight", (long) w5);
    if (results.containsKey("w5_aot_skipped")) {
      row(out, w5Aot, "H2 (file)", "skipped: " + get("w5_aot_skipped"), "", "", "");
    } else {
      row(
          out,
          w5Aot,
          "H2 (file)",
          get("w5_aot_seconds")
              + " s from launch until all run again (ready after "
              + get("w5_aot_ready_seconds")
              + " s)",
          "plain `java -jar` (W5 above): "
              + get("w5_seconds")
              + " s (ready after "
              + get("w5_ready_seconds")
              + " s)",
          ratio("w5_aot_seconds", "w5_seconds"),
          goal(value("w5_aot_seconds") < 10, "< 10 s"));
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String... cells) {
    out.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private String get(String key) {
    return results.getOrDefault(key, "?");
  }

  private double value(String key) {
    try {
      return Double.parseDouble(get(key));
    } catch (NumberFormatException missing) {
      return Double.NaN;
    }
  }

  private String number(String key) {
    return String.format(Locale.ROOT, "%,.0f", value(key));
  }

  private String seconds(String key) {
    return String.format(Locale.ROOT, "%.0f", value(key));
  }

  private String ratio(String measured, String baseline) {
    return String.format(Locale.ROOT, "%.3f", value(measured) / value(baseline));
  }

  private static String goal(boolean met, String goal) {
    return goal + (met ? ": met" : ": **missed**");
  }
}
