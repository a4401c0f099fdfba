#!/usr/bin/env bash
# Steps per second of the engine in JSON mode with 10 and with 10,000 threads already stored,
# beside the disk's own rate of write + flush + rename + directory flush, all in one run.
# Usage: bench/json-throughput.sh [threads] [steps] [stored-small] [stored-large]
# PORT (default 18081) is the service's port.
. "$(dirname "$0")/lib.sh"
THREADS=${1:-200}
STEPS=${2:-10}
SMALL=${3:-10}
LARGE=${4:-10000}
PORT=${PORT:-18081}

# one invocation, so that the sibling modules resolve from this build
build_jar dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CLASSPATH="adapters-persistence/target/classes:$(cat adapters-persistence/target/classpath.txt)"

java bench/FileWriteBaseline.java "$WORK/baseline" 10

for STORED in "$SMALL" "$LARGE"; do
  DIR="$WORK/store-$STORED"
  java -cp "$CLASSPATH" bench/JsonPreload.java "$DIR" "$STORED"
  start_service "service-$STORED" "$PORT" -- --orchestro.storage=json --orchestro.storage.json.dir="$DIR"
  printf 'stored=%s ' "$STORED"
  java bench/LoadDriver.java "http://127.0.0.1:$PORT" "$THREADS" "$STEPS"
  stop_services
done
