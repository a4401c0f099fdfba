#!/usr/bin/env bash
# Engine throughput of two builds side by side, on H2, alternating A and B on fresh H2 files so
# that both see the same machine load: no-op steps, driven by bench/LoadDriver.java.
# Usage: bench/compare-jars.sh JAR_A JAR_B [threads] [steps] [rounds]
# For example, the jar of the commit before a change as A (git archive COMMIT | tar -x -C DIR,
# then ./mvnw -DskipTests package in DIR) and this checkout's jar as B.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR_A=$1
JAR_B=$2
THREADS=${3:-500}
STEPS=${4:-10}
ROUNDS=${5:-3}
PORT=${PORT:-18083}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for round in $(seq 1 "$ROUNDS"); do
  for name in A B; do
    jar=$JAR_A
    [ "$name" = B ] && jar=$JAR_B
    rm -rf "$WORK/db"
    java -jar "$jar" --server.port="$PORT" \
      --spring.datasource.url="jdbc:h2:file:$WORK/db/service;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0" \
      > "$WORK/service-$name-$round.log" 2>&1 &
    service=$!
    echo "round $round, $name:"
    java bench/LoadDriver.java "http://127.0.0.1:$PORT" "$THREADS" "$STEPS"
    kill $service
    wait $service 2>/dev/null || true
  done
done
