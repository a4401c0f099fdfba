#!/usr/bin/env bash
# The whole benchmark suite in one run: each store's own limit measured first, then the workloads
# W1 to W5 against the packaged jar, one table printed and written into docs/benchmarks.md.
# W5 (recovery after a SIGKILL) runs twice: with plain `java -jar`, and again from the extracted
# jar with the README's JDK 25 AOT cache (skipped, and said so in the table, on an older JDK).
#
#   bench/run-all.sh           quick size (a few minutes)
#   bench/run-all.sh --full    full size (10,000 threads in W2 and W5, 1,000 in W1)
#
# KEEP=1 keeps the services' logs and the raw results (their directory is printed at the end).
# Needs a JDK (17+; the service runs on a JDK 21+ when one is found, for virtual threads: set
# SERVICE_JAVA to choose), and for the PostgreSQL rows a server (PGHOST, PGPORT, PGUSER; default
# 127.0.0.1:5432, postgres) with psql and pgbench. It creates and drops the databases
# orchestro_suite and orchestro_suite_pgbench there. Waits give up after READY_TIMEOUT seconds
# for a service to start (bench/lib.sh).
#
# The peers (pgbench's single-row UPDATE, db-scheduler and JobRunr on W1's workload, with the same
# T and K and PEER_WORKERS workers, default 16) run in the same run when their runner is found:
# PEERS_DIR names the folder holding its run.sh, else the first shared/peers/run.sh in a parent
# folder of this checkout is used. Without it the peer rows say so.
# Starts and stops wait longer than lib.sh's defaults: on a machine shared with other builds a start
# has taken over three minutes, and a suite that gives up there prints no table at all.
: "${READY_TIMEOUT:=600}" "${STOP_TIMEOUT:=120}"
. "$(dirname "$0")/lib.sh"

SIZE=quick
if [ "${1:-}" = "--full" ]; then SIZE=full; fi
# each size can also be set alone, e.g. W2_THREADS=500 bench/run-all.sh
if [ "$SIZE" = full ]; then
  : "${W1_THREADS:=1000}" "${W2_THREADS:=10000}" "${W5_THREADS:=10000}" "${BASE_SECONDS:=10}"
  : "${W4_STEPS:=10}"
else
  : "${W1_THREADS:=200}" "${W2_THREADS:=2000}" "${W5_THREADS:=2000}" "${BASE_SECONDS:=5}"
  : "${W4_STEPS:=5}"
fi
W1_STEPS=${W1_STEPS:-10}
W4_CLIENTS=${W4_CLIENTS:-100}  # W4: SSE clients
W4_THREADS=${W4_THREADS:-100}  # W4: threads running at once, each step waiting W4_WAIT_MS
W4_WAIT_MS=2000
STORED=${STORED:-100000}   # W3: threads stored while the API is measured
W2_WAIT_MS=2000      # W2: what each step waits
W6_WARMUP=${W6_WARMUP:-60}  # W6: seconds of unmeasured single creates before the measured ones
W2_CLIENTS=${W2_CLIENTS:-1}  # W2: batches of 1,000 created at once (1: one request after another)
POOL=10              # the service's connection pool (HikariCP's default): the baselines' concurrency
PORT=${PORT:-18090}
URL="http://127.0.0.1:$PORT"

# the service on virtual threads when a JDK 21+ is at hand
pick_service_java

PEER_WORKERS=${PEER_WORKERS:-16}
START_ROUNDS=${START_ROUNDS:-5}
RESULTS="$WORK/results.txt"

# the peers' runner: PEERS_DIR, else shared/peers/run.sh in the nearest parent folder that has one
find_peers() {
  if [ -n "${PEERS_DIR:-}" ]; then echo "$PEERS_DIR"; return; fi
  local dir
  dir=$(cd "$(dirname "$0")/.." && pwd)
  while [ "$dir" != / ]; do
    dir=$(dirname "$dir")
    if [ -x "$dir/shared/peers/run.sh" ]; then echo "$dir/shared/peers"; return; fi
  done
}

record() { echo "$1=$2" >> "$RESULTS"; }
# the value of KEY in a line of key=value pairs
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2" | head -1; }
completed() { [[ "$(curl -sf "$URL/api/threads/$1")" == *'"status":"completed"'* ]]; }
# W3's latency probe in the background (PROBE), once it measures: its JVM may take seconds to start
start_probe() { # NAME (of its results' file)
  java bench/Workloads.java latency "$URL" > "$WORK/$1.txt" 2> "$WORK/$1.err" & PROBE=$!
  wait_for 60 "the latency probe to start" grep -q measuring "$WORK/$1.err"
}

echo "== building the jar"
build_jar

echo "== the machine"
{
  echo "date=$(date -u +%Y-%m-%d)"
  echo "size=$SIZE"
  echo "cpu=$(nproc) x $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "memory=$(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "disk=$(df -hT "$WORK" | awk 'NR==2 {print $2 ", " $3}')"
  echo "service_java=$("$SERVICE_JAVA" -version 2>&1 | head -1)"
  echo "driver_java=$(java -version 2>&1 | head -1)"
  echo "postgresql=$(psql_bench -d postgres -c 'show server_version' 2>/dev/null || echo none)"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, at the start)"
} | tee -a "$RESULTS"

echo "== the stores' own limits ($POOL connections or one writer, ${BASE_SECONDS}s each)"
H2_ENTRY=$(jar tf "$JAR" | grep '^BOOT-INF/lib/h2-')
(cd "$WORK" && jar xf "$JAR" "$H2_ENTRY")
line=$(java -cp "$WORK/$H2_ENTRY" bench/H2UpdateBaseline.java "$WORK/h2-baseline" "$POOL" "$BASE_SECONDS")
echo "$line"; record h2_baseline "$(field updates_per_second "$line")"
line=$(java bench/FileWriteBaseline.java "$WORK/file-baseline" "$BASE_SECONDS")
echo "$line"; record json_baseline "$(field replaces_per_second "$line")"
HAVE_PG=no
if [ -n "$PGBENCH" ] && psql_bench -d postgres -c 'select 1' > /dev/null 2>&1; then
  HAVE_PG=yes
  fresh_database orchestro_suite_pgbench
  psql_bench -d orchestro_suite_pgbench -c 'create table counter (id int primary key, n bigint not null)' \
    -c "insert into counter select i, 0 from generate_series(0, $POOL) i"
  line=$("$PGBENCH" -n -c "$POOL" -j 2 -T "$BASE_SECONDS" -f bench/pgbench-update.sql orchestro_suite_pgbench 2>&1 | grep '^tps')
  echo "pgbench $line"
  record pg_baseline "$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<< "$line")"
else
  echo "no PostgreSQL server or pgbench: the PostgreSQL rows are skipped"
fi

echo "== W1: $W1_THREADS threads of $W1_STEPS no-op steps"
start_service w1-h2 "$PORT" -- --spring.datasource.url="$(h2_url "$WORK/w1-h2")"
line=$(java bench/LoadDriver.java "$URL" "$W1_THREADS" "$W1_STEPS"); echo "h2 $line"
record w1_h2 "$(field steps_per_second "$line")"
stop_services

start_service w1-json "$PORT" -- --orchestro.storage=json --orchestro.storage.json.dir="$WORK/w1-json"
line=$(java bench/LoadDriver.java "$URL" "$W1_THREADS" "$W1_STEPS"); echo "json $line"
record w1_json "$(field steps_per_second "$line")"
stop_services

if [ "$HAVE_PG" = yes ]; then
  fresh_database orchestro_suite
  on_postgres orchestro_suite
  start_service w1-pg "$PORT" -- "${PG_ARGS[@]}"
  # measured as the peers are: after an unmeasured rehearsal of the same size (their WARMUP_T=T),
  # so that both sides run JIT-compiled code, and without the start-up's commits (Flyway's
  # migrations alone are hundreds). PostgreSQL 15 reports an idle connection's statistics within
  # 10 s: the wait lets the rehearsal's arrive before the count is read.
  java bench/LoadDriver.java "$URL" "$W1_THREADS" "$W1_STEPS" "bench-rehearsal-$W1_STEPS" > /dev/null
  sleep 11
  before=$(commits orchestro_suite)
  line=$(java bench/LoadDriver.java "$URL" "$W1_THREADS" "$W1_STEPS"); echo "postgresql $line"
  # the statistics of a connection are final once it has closed: read them with the service stopped
  stop_services; sleep 1
  after=$(commits orchestro_suite)
  record w1_pg "$(field steps_per_second "$line")"
  record w1_pg_commits_per_step "$(awk -v d=$((after - before)) -v s=$((W1_THREADS * W1_STEPS)) 'BEGIN {printf "%.2f", d / s}')"

  echo "== the peers on W1's workload: $W1_THREADS x $W1_STEPS, $PEER_WORKERS workers (PostgreSQL)"
  PEERS=$(find_peers)
  if [ -n "$PEERS" ] && "$PEERS/run.sh" "$W1_THREADS" "$W1_STEPS" "$PEER_WORKERS" > "$WORK/peers.txt" 2>&1; then
    grep -v '^PEER' "$WORK/peers.txt"
    # PEER<TAB>name<TAB>steps_per_second<TAB>commits_per_step: the fastest engine, and pgbench at N
    best=$(awk -F'\t' '$1 == "PEER" && $2 !~ /^pgbench/' "$WORK/peers.txt" | sort -t$'\t' -k3 -g | tail -1)
    record peer_best_name "$(cut -f2 <<< "$best" | tr ' ' '_')"
    record peer_best "$(cut -f3 <<< "$best")"
    record peer_best_commits_per_step "$(cut -f4 <<< "$best")"
    record peer_pgbench "$(awk -F'\t' -v n="$PEER_WORKERS" '$1 == "PEER" && $2 ~ /^pgbench/ && $2 ~ (", " n " client") {print $3}' "$WORK/peers.txt" | head -1)"
  else
    echo "the peers did not run: ${PEERS:-no runner found (set PEERS_DIR)}"; tail -20 "$WORK/peers.txt" 2>/dev/null || true
    record peers_skipped "${PEERS:+the run of the peers failed}${PEERS:-no peers runner found (PEERS_DIR)}"
  fi
  record peer_workers "$PEER_WORKERS"

  echo "== W3: API latency with $STORED threads stored, idle and then while W1 runs (PostgreSQL)"
  fresh_database orchestro_suite
  start_service w3-pg "$PORT" -- "${PG_ARGS[@]}"
  curl -sf -X PUT "$URL/api/workflows/bench-stored" -H 'Content-Type: application/json' \
    -d '{"steps": [{"name": "only", "agent": "delay", "config": {"millis": 0}}]}' > /dev/null
  template=$(curl -sf -X POST "$URL/api/threads" -H 'Content-Type: application/json' \
    -d '{"prompt": "stored", "workflow_type": "bench-stored"}' | sed 's/.*"thread_id":"\([^"]*\)".*/\1/')
  wait_for 60 "the template thread to complete" completed "$template"
  store_copies orchestro_suite "$template" "$STORED"
  start_probe w3-idle
  sleep 5; kill "$PROBE"; wait "$PROBE" 2>/dev/null || true
  line=$(cat "$WORK/w3-idle.txt"); echo "idle: $line"
  record w3_idle_by_id_p99 "$(field get_by_id_p99_ms "$line")"
  record w3_idle_list_p99 "$(field list_page_p99_ms "$line")"
  start_probe w3-load
  line=$(java bench/LoadDriver.java "$URL" "$W1_THREADS" "$W1_STEPS"); echo "W1 beside it: $line"
  record w1_pg_stored "$(field steps_per_second "$line")"
  kill "$PROBE"; wait "$PROBE" 2>/dev/null || true
  line=$(cat "$WORK/w3-load.txt"); echo "under W1: $line"
  for key in get_by_id_p50_ms get_by_id_p99_ms list_page_p50_ms list_page_p99_ms get_by_id_n list_page_n; do
    record "w3_$key" "$(field $key "$line")"
  done
  stop_services
fi

echo "== W6: creates with the engine running (H2): single creates at 16 clients, batches of 100 at 4"
start_service w6-h2 "$PORT" -- --spring.datasource.url="$(h2_url "$WORK/w6-h2")"
# the singles after W6_WARMUP seconds of the same load unmeasured (W1 on PostgreSQL has its
# rehearsal): the service's JIT compiles the request path for about a minute of load, and a
# running service is measured, not its first minute
line=$(java bench/Workloads.java creates "$URL" 16 "$BASE_SECONDS" 1 "$W6_WARMUP"); echo "single: $line"
record w6_single "$(field threads_per_second "$line")"; record w6_single_p99_ms "$(field call_p99_ms "$line")"
line=$(java bench/Workloads.java creates "$URL" 4 "$BASE_SECONDS" 100); echo "batch: $line"
record w6_batch "$(field threads_per_second "$line")"; record w6_batch_p99_ms "$(field call_p99_ms "$line")"
stop_services

echo "== W4: event latency, $W4_CLIENTS SSE clients and $W4_THREADS threads (H2, one node)"
# a step's result to its step_completed event at every client; the driver measures its baseline
# (1 client, 5 threads) in the same run, after a warm-up
start_service w4-h2 "$PORT" -- --spring.datasource.url="$(h2_url "$WORK/w4-h2")"
java bench/EventLatencyDriver.java "$URL" "$W4_CLIENTS" "$W4_THREADS" "$W4_STEPS" "$W4_WAIT_MS" > "$WORK/w4.txt"
cat "$WORK/w4.txt"
line=$(tail -1 "$WORK/w4.txt")
for key in baseline_p50_ms baseline_p99_ms baseline_samples p50_ms p99_ms max_ms samples; do
  record "w4_$key" "$(field $key "$line")"
done
record w4_clients "$W4_CLIENTS"; record w4_threads "$W4_THREADS"; record w4_steps "$W4_STEPS"
record w4_wait_ms "$W4_WAIT_MS"
stop_services

echo "== W2: $W2_THREADS threads whose one step waits $W2_WAIT_MS ms (H2, heap capped at 512 MB)"
start_service w2-h2 "$PORT" -Xmx512m -- \
  --spring.datasource.url="$(h2_url "$WORK/w2-h2")" \
  --orchestro.engine.max-running-threads=$((W2_THREADS + 100))
# twice on the same service: its first round runs while the JIT compiles the create path (as W1 on
# PostgreSQL has its rehearsal and W6 its warm-up), the second is the running service's; both are
# in the table. The second waits 1 ms more, a workflow type of its own (the driver counts by type).
line=$(java bench/Workloads.java in-flight "$URL" "$W2_THREADS" "$W2_WAIT_MS" "$W2_CLIENTS")
echo "first round: $line"
for key in peak_in_flight wall_seconds create_seconds; do
  record "w2_first_$key" "$(field $key "$line")"
done
line=$(java bench/Workloads.java in-flight "$URL" "$W2_THREADS" "$((W2_WAIT_MS + 1))" "$W2_CLIENTS")
echo "second round: $line"
for key in threads peak_in_flight wall_seconds ideal_seconds create_seconds peak_heap_mb; do
  record "w2_$key" "$(field $key "$line")"
done
stop_services

# W5: the service killed with W5_THREADS threads in flight, then its restart on the same files
w5_recovery() { # NAME (of its logs, its database and its results' keys) [java options]
  local name=$1; shift
  local args=(--spring.datasource.url="$(h2_url "$WORK/$name-h2")"
              --orchestro.engine.max-running-threads=$((W5_THREADS + 100)))
  start_service "$name-before" "$PORT" -Xmx512m "$@" -- "${args[@]}"
  line=$(java bench/Workloads.java hold "$URL" "$W5_THREADS"); echo "before the kill: $line"
  kill_services
  # the driver starts first and waits for the service, so that it sees the recovery from its start
  local launched ready driver
  launched=$(date +%s%3N)
  java bench/Workloads.java recovered "$URL" "$W5_THREADS" "$launched" > "$WORK/$name.txt" & driver=$!
  start_service "$name-after" "$PORT" -Xmx512m "$@" -- "${args[@]}"
  ready=$(date +%s%3N)
  wait "$driver"
  line=$(cat "$WORK/$name.txt"); echo "after the restart: $line"
  record "${name//-/_}_ready_seconds" "$(awk -v ms=$((ready - launched)) 'BEGIN {printf "%.1f", ms / 1000}')"
  record "${name//-/_}_seconds" "$(field all_running_after_seconds "$line")"
  kill_services
}

echo "== Start: time to the first answer, ours and a bare Spring Boot application (bench/start-baseline:"
echo "   the same starters, built and started the same way), alternating, $START_ROUNDS rounds (H2)"
./mvnw -B -q -f bench/start-baseline/pom.xml -DskipTests package
first_answer() { # NAME JAR: ms from the launch until the readiness answer, the service stopped after
  local name=$1 launched ready
  launched=$(date +%s%3N)
  SERVICE_JAR=$2 start_service "$name" "$PORT" -- --spring.datasource.url="$(h2_url "$WORK/$name")"
  ready=$(date +%s%3N)
  stop_services > /dev/null
  echo $((ready - launched))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ours=(); bare=()
for round in $(seq "$START_ROUNDS"); do
  ours+=("$(first_answer "start-ours-$round" "$JAR")")
  bare+=("$(first_answer "start-bare-$round" "$PWD/bench/start-baseline/target/start-baseline.jar")")
  echo "round $round: ours ${ours[-1]} ms, bare ${bare[-1]} ms"
done
record start_ours_ms "$(printf '%s\n' "${ours[@]}" | median)"
record start_bare_ms "$(printf '%s\n' "${bare[@]}" | median)"

echo "== W5: SIGKILL with $W5_THREADS threads in flight, then restart (H2)"
record w5_threads "$W5_THREADS"
w5_recovery w5

echo "== W5 again, started from the README's AOT cache (JDK 25) of the extracted jar"
# as the README builds it: the jar extracted, then a training run that stops once the context is
# refreshed, and the service run from the extracted jar with the cache (for the hold and the restart)
if "$SERVICE_JAVA" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -w AOTCacheOutput > /dev/null; then
  AOT_DIR="$WORK/aot"
  if "$SERVICE_JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$AOT_DIR" > "$WORK/w5-aot-training.log" 2>&1 &&
     (mkdir -p "$AOT_DIR/training" && cd "$AOT_DIR/training" &&
      "$SERVICE_JAVA" -XX:AOTCacheOutput=../orchestro-threads.aot -Dspring.context.exit=onRefresh \
        -jar ../orchestro-threads.jar --spring.datasource.url=jdbc:h2:mem:training) >> "$WORK/w5-aot-training.log" 2>&1 &&
     [ -s "$AOT_DIR/orchestro-threads.aot" ]; then
    SERVICE_JAR="$AOT_DIR/orchestro-threads.jar"
    w5_recovery w5-aot -XX:AOTCache="$AOT_DIR/orchestro-threads.aot"
    SERVICE_JAR=
  else
    echo "the AOT cache could not be built:"; tail -20 "$WORK/w5-aot-training.log"
    record w5_aot_skipped "the AOT cache could not be built"
  fi
else
  echo "$SERVICE_JAVA has no AOT cache training (JDK 25+): skipped"
  record w5_aot_skipped "the service's JDK has no AOT cache training (needs JDK 25+)"
fi

record w1_threads "$W1_THREADS"; record w1_steps "$W1_STEPS"; record w3_stored "$STORED"
record pool "$POOL"; record base_seconds "$BASE_SECONDS"; record w6_warmup "$W6_WARMUP"
record command "bench/run-all.sh${1:+ $1}"
echo "== results"
java bench/BenchReport.java "$RESULTS" docs/benchmarks.md
