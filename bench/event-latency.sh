#!/usr/bin/env bash
# Latency from a step's result to its SSE event at the clients, on H2, one node: a baseline of
# 1 client and 5 threads, then CLIENTS clients and THREADS threads, in one run.
# Usage: bench/event-latency.sh [clients] [threads] [steps] [delay-millis]
# PORT (default 18081) is the service's port.
. "$(dirname "$0")/lib.sh"
CLIENTS=${1:-100}
THREADS=${2:-100}
STEPS=${3:-10}
DELAY=${4:-2000}
PORT=${PORT:-18081}

build_jar
start_service service "$PORT" -- --spring.datasource.url="$(h2_url "$WORK/service")"

java bench/EventLatencyDriver.java "http://127.0.0.1:$PORT" "$CLIENTS" "$THREADS" "$STEPS" "$DELAY"
