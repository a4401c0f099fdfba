#!/usr/bin/env bash
# Steps per second of the engine on H2 with a no-op workflow, beside H2's own single-row update
# rate measured in the same run on the same disk. Usage: bench/h2-throughput.sh [threads] [steps]
# PORT (default 18080) is the service's port.
. "$(dirname "$0")/lib.sh"
THREADS=${1:-1000}
STEPS=${2:-10}
PORT=${PORT:-18080}

build_jar
# the baseline runs on the very H2 the service ships
H2_ENTRY=$(jar tf "$JAR" | grep '^BOOT-INF/lib/h2-')
(cd "$WORK" && jar xf "$JAR" "$H2_ENTRY")
H2_JAR="$WORK/$H2_ENTRY"

java -cp "$H2_JAR" bench/H2UpdateBaseline.java "$WORK/baseline" 10 10

start_service service "$PORT" -- --spring.datasource.url="$(h2_url "$WORK/service")"
java bench/LoadDriver.java "http://127.0.0.1:$PORT" "$THREADS" "$STEPS"
