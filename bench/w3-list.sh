#!/usr/bin/env bash
# W3 of bench/run-all.sh alone, for two builds side by side: 100,000 completed threads stored on
# PostgreSQL, the latency probe (bench/Workloads.java latency) idle for 5 s, then while W1 runs
# beside it, alternating A and B on a fresh database each time so that both see the same machine.
# Usage: bench/w3-list.sh JAR_A JAR_B [rounds]
# STORED (100000) threads stored; W1_THREADS, W1_STEPS (200, 10) W1's size; PORT (18090) the
# service's port; DB (orchestro_w3) the database's name, dropped at the end. KEEP=1 keeps the logs.
# VACUUM=1 vacuums the tables after the copies are stored, as autovacuum does within a minute of
# such an insert, so that the visibility map is set (bench/run-all.sh measures before that).
. "$(dirname "$0")/lib.sh"
two_jars 10 "$@"
ROUNDS=${3:-3}
STORED=${STORED:-100000}
W1_THREADS=${W1_THREADS:-200}
W1_STEPS=${W1_STEPS:-10}
PORT=${PORT:-18090}
DB=${DB:-orchestro_w3}
URL="http://127.0.0.1:$PORT"

completed() { [[ "$(curl -sf "$URL/api/threads/$1")" == *'"status":"completed"'* ]]; }
start_probe() { # NAME (of its results' file)
  java bench/Workloads.java latency "$URL" > "$WORK/$1.txt" 2> "$WORK/$1.err" & PROBE=$!
  wait_for 60 "the latency probe to start" grep -q measuring "$WORK/$1.err"
}

for round in $(seq 1 "$ROUNDS"); do
  for name in A B; do
    JAR=$JAR_A
    [ "$name" = B ] && JAR=$JAR_B
    fresh_database "$DB"
    on_postgres "$DB"
    start_service "w3-$name-$round" "$PORT" -- "${PG_ARGS[@]}"
    # as in bench/run-all.sh: copies of one completed thread
    curl -sf -X PUT "$URL/api/workflows/bench-stored" -H 'Content-Type: application/json' \
      -d '{"steps": [{"name": "only", "agent": "delay", "config": {"millis": 0}}]}' > /dev/null
    template=$(curl -sf -X POST "$URL/api/threads" -H 'Content-Type: application/json' \
      -d '{"prompt": "stored", "workflow_type": "bench-stored"}' | sed 's/.*"thread_id":"\([^"]*\)".*/\1/')
    wait_for 60 "the template thread to complete" completed "$template"
    store_copies "$DB" "$template" "$STORED" ${VACUUM:+vacuum}
    echo "round $round, $name: load $(cut -d' ' -f1-3 /proc/loadavg)"
    start_probe "idle-$name-$round"
    sleep 5; kill "$PROBE"; wait "$PROBE" 2>/dev/null || true
    echo "idle: $(cat "$WORK/idle-$name-$round.txt")"
    start_probe "load-$name-$round"
    echo "W1 beside it: $(java bench/LoadDriver.java "$URL" "$W1_THREADS" "$W1_STEPS")"
    kill "$PROBE"; wait "$PROBE" 2>/dev/null || true
    echo "under W1: $(cat "$WORK/load-$name-$round.txt")"
    stop_services
  done
done
