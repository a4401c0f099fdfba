#!/usr/bin/env bash
# The task API of worker steps on H2, one node: poll-to-complete round trip (p50, p99), tasks per
# second handed out to WORKERS workers, and the same count of one-step echo threads run by the
# engine itself as the baseline, side by side in one run.
# Usage: bench/task-api.sh [tasks] [workers]
# PORT (default 18082) is the service's port.
. "$(dirname "$0")/lib.sh"
TASKS=${1:-2000}
WORKERS=${2:-8}
PORT=${PORT:-18082}

build_jar
start_service service "$PORT" -- --spring.datasource.url="$(h2_url "$WORK/service")"

java bench/TaskRoundTrip.java "http://127.0.0.1:$PORT" "$TASKS" "$WORKERS"
