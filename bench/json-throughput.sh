#!/usr/bin/env bash
# Steps per second of the engine in JSON mode with 10 and with 10,000 threads already stored,
# beside the disk's own rate of write + flush + rename + directory flush, all in one run.
# Usage: bench/json-throughput.sh [threads] [steps] [stored-small] [stored-large]
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-200}
STEPS=${2:-10}
SMALL=${3:-10}
LARGE=${4:-10000}
PORT=${PORT:-18081}

# one invocation, so that the sibling modules resolve from this build
./mvnw -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
JAR="$PWD/bootstrap/target/orchestro-threads.jar"
CLASSPATH="adapters-persistence/target/classes:$(cat adapters-persistence/target/classpath.txt)"
WORK=$(mktemp -d)
SERVICE=
cleanup() {
  if [ -n "$SERVICE" ]; then kill "$SERVICE" 2>/dev/null; wait "$SERVICE" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

java bench/FileWriteBaseline.java "$WORK/baseline" 10

for STORED in "$SMALL" "$LARGE"; do
  DIR="$WORK/store-$STORED"
  java -cp "$CLASSPATH" bench/JsonPreload.java "$DIR" "$STORED"
  java -jar "$JAR" --server.port="$PORT" --orchestro.storage=json \
    --orchestro.storage.json.dir="$DIR" > "$WORK/service-$STORED.log" 2>&1 &
  SERVICE=$!
  printf 'stored=%s ' "$STORED"
  java bench/LoadDriver.java "http://127.0.0.1:$PORT" "$THREADS" "$STEPS"
  kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true
  SERVICE=
done
