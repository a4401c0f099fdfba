#!/usr/bin/env bash
# Steps per second of the engine on H2 with a no-op workflow, beside H2's own single-row update
# rate measured in the same run on the same disk. Usage: bench/h2-throughput.sh [threads] [steps]
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-1000}
STEPS=${2:-10}
PORT=${PORT:-18080}

./mvnw -B -q -DskipTests package
JAR="$PWD/bootstrap/target/orchestro-threads.jar"
WORK=$(mktemp -d)
# the baseline runs on the very H2 the service ships
H2_ENTRY=$(jar tf "$JAR" | grep '^BOOT-INF/lib/h2-')
(cd "$WORK" && jar xf "$JAR" "$H2_ENTRY")
H2_JAR="$WORK/$H2_ENTRY"

java -cp "$H2_JAR" bench/H2UpdateBaseline.java "$WORK/baseline" 10 10

java -jar "$JAR" --server.port="$PORT" \
  --spring.datasource.url="jdbc:h2:file:$WORK/service;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0" \
  > "$WORK/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null || true; rm -rf "$WORK"' EXIT

java bench/LoadDriver.java "http://127.0.0.1:$PORT" "$THREADS" "$STEPS"
