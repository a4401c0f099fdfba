#!/usr/bin/env bash
# Latency from a step's result to its SSE event at the clients, on H2, one node: a baseline of
# 1 client and 5 threads, then CLIENTS clients and THREADS threads, in one run.
# Usage: bench/event-latency.sh [clients] [threads] [steps] [delay-millis]
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-100}
THREADS=${2:-100}
STEPS=${3:-10}
DELAY=${4:-2000}
PORT=${PORT:-18081}

./mvnw -B -q -DskipTests package
JAR="$PWD/bootstrap/target/orchestro-threads.jar"
WORK=$(mktemp -d)
java -jar "$JAR" --server.port="$PORT" \
  --spring.datasource.url="jdbc:h2:file:$WORK/service;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0" \
  > "$WORK/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null || true; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$PORT/actuator/health" > /dev/null; do sleep 0.5; done

java bench/EventLatencyDriver.java "http://127.0.0.1:$PORT" "$CLIENTS" "$THREADS" "$STEPS" "$DELAY"
