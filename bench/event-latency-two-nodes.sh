#!/usr/bin/env bash
# Latency from a step's result on node B to its SSE event at clients of node A, two nodes on one
# PostgreSQL database (node A's engine off, so every event is committed by node B). A fresh schema
# per run, dropped afterwards.
# Usage: bench/event-latency-two-nodes.sh [clients] [threads] [steps] [delay-millis] [poll-interval]
# PostgreSQL: PG_URL (default jdbc:postgresql://127.0.0.1:5432/test), PG_USER (postgres),
# PG_PASSWORD (empty); psql must reach the same server (PGHOST etc.) to create and drop the schema.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-20}
THREADS=${2:-20}
STEPS=${3:-10}
DELAY=${4:-1000}
POLL=${5:-100ms}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
PG_USER=${PG_USER:-postgres}
PG_PASSWORD=${PG_PASSWORD:-}
SCHEMA="bench_two_nodes_$$"

./mvnw -B -q -DskipTests package
JAR="$PWD/bootstrap/target/orchestro-threads.jar"
WORK=$(mktemp -d)
psql -h 127.0.0.1 -U "$PG_USER" -d test -qc "CREATE SCHEMA $SCHEMA"
node() {
  java -jar "$JAR" --server.port="$1" --orchestro.events.poll-interval="$POLL" \
    --spring.datasource.url="$PG_URL?currentSchema=$SCHEMA" --spring.flyway.schemas="$SCHEMA" \
    --spring.datasource.username="$PG_USER" --spring.datasource.password="$PG_PASSWORD" \
    "${@:2}" > "$WORK/node-$1.log" 2>&1 &
  echo $!
}
A=$(node 18091 --orchestro.engine.enabled=false)
until curl -sf "http://127.0.0.1:18091/actuator/health" > /dev/null; do sleep 0.5; done
B=$(node 18092)
trap 'kill $A $B 2>/dev/null; wait $A $B 2>/dev/null || true;
  psql -h 127.0.0.1 -U "$PG_USER" -d test -qc "DROP SCHEMA $SCHEMA CASCADE"; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:18092/actuator/health" > /dev/null; do sleep 0.5; done

java bench/EventLatencyDriver.java "http://127.0.0.1:18091" "$CLIENTS" "$THREADS" "$STEPS" "$DELAY" \
  "http://127.0.0.1:18092"
