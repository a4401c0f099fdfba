#!/usr/bin/env bash
# W2 (bench/run-all.sh's in-flight step) for two builds side by side, alternating A and B on fresh
# H2 files each time so that both see the same machine load: N threads of one step that waits 2 s,
# the service capped at -Xmx512m with orchestro.engine.max-running-threads above N.
# Usage: bench/compare-in-flight.sh JAR_A JAR_B [threads] [rounds]
# PORT (default 18084) is the services' port; CLIENTS (default 1) how many batches of 1,000 the
# driver sends at once; SERVICE_JAVA the service's java (default: as bench/run-all.sh finds one).
# JFR=1 records a JFR file of each service (kept with KEEP=1).
. "$(dirname "$0")/lib.sh"
two_jars 8 "$@"
THREADS=${3:-2000}
ROUNDS=${4:-2}
PORT=${PORT:-18084}
CLIENTS=${CLIENTS:-1}
pick_service_java

for round in $(seq 1 "$ROUNDS"); do
  for name in A B; do
    JAR=$JAR_A
    [ "$name" = B ] && JAR=$JAR_B
    rm -rf "$WORK/db"
    jfr=()
    if [ -n "${JFR:-}" ]; then jfr=(-XX:StartFlightRecording=filename="$WORK/$name-$round.jfr",settings=profile); fi
    start_service "service-$name-$round" "$PORT" -Xmx512m ${jfr[@]+"${jfr[@]}"} -- \
      --spring.datasource.url="$(h2_url "$WORK/db/service")" \
      --orchestro.engine.max-running-threads=$((THREADS + 100))
    echo "round $round, $name (load $(cut -d' ' -f1-3 /proc/loadavg)):"
    java bench/Workloads.java in-flight "http://127.0.0.1:$PORT" "$THREADS" 2000 "$CLIENTS"
    stop_services
  done
done
