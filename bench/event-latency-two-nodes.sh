#!/usr/bin/env bash
# Latency from a step's result on node B to its SSE event at clients of node A, two nodes on one
# PostgreSQL database (node A's engine off, so every event is committed by node B).
# Usage: bench/event-latency-two-nodes.sh [clients] [threads] [steps] [delay-millis] [poll-interval]
# The server: libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD (default 127.0.0.1, 5432, postgres); the
# script creates and drops a database of its own (orchestro_latency). PORT_A and PORT_B (default
# 18091, 18092) are the nodes' ports.
. "$(dirname "$0")/lib.sh"
CLIENTS=${1:-20}
THREADS=${2:-20}
STEPS=${3:-10}
DELAY=${4:-1000}
POLL=${5:-100ms}
PORT_A=${PORT_A:-18091}
PORT_B=${PORT_B:-18092}
DB=orchestro_latency

build_jar
fresh_database "$DB"
on_postgres "$DB"
# one after the other: the first runs the migrations
start_service node-a "$PORT_A" -- "${PG_ARGS[@]}" --orchestro.events.poll-interval="$POLL" \
  --orchestro.engine.enabled=false
start_service node-b "$PORT_B" -- "${PG_ARGS[@]}" --orchestro.events.poll-interval="$POLL"

java bench/EventLatencyDriver.java "http://127.0.0.1:$PORT_A" "$CLIENTS" "$THREADS" "$STEPS" "$DELAY" \
  "http://127.0.0.1:$PORT_B"
