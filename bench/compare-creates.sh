#!/usr/bin/env bash
# W6's single creates of two builds side by side, alternating A and B on a fresh H2 file each time
# so that both see the same machine load: `bench/Workloads.java creates URL CLIENTS 5 1 WARMUP` run
# twice against each started jar: the first on a JVM just started (its own warm-up of WARMUP
# seconds, then 5 s measured), the second on the JVM the first warmed.
# Usage: bench/compare-creates.sh JAR_A JAR_B [rounds] [clients] [per_call]
# PORT (default 18084) is the services' port; SERVICE_JAVA the service's java (default: java);
# WARMUP (default 5) the seconds of unmeasured load before each measured run (the suite's W6 has
# 60: W6_WARMUP), so that the measured seconds find the JIT settled;
# WORKLOADS_A, WORKLOADS_B the drivers of A and B (default bench/Workloads.java; the same jar twice
# with two drivers compares the drivers);
# JFR=1 records a JFR file of each service (kept with KEEP=1).
# Each run also prints the CPU time (user + system, from /proc) per created thread of the
# service and of the driver, over the run's measured seconds (the engine running the threads
# included).
. "$(dirname "$0")/lib.sh"
two_jars 15 "$@"
ROUNDS=${3:-2}
CLIENTS=${4:-16}
PER_CALL=${5:-1}
SECONDS_EACH=5
WARMUP=${WARMUP:-5}
PORT=${PORT:-18084}
URL="http://127.0.0.1:$PORT"
HZ=$(getconf CLK_TCK)

# drive NAME: runs the driver, sampling both processes' CPU every 0.1 s; prints the driver's line
# and the CPU per thread over the last SECONDS_EACH seconds (its measured phase)
drive() {
  local samples="$WORK/$1.cpu" driver line
  java "$WORKLOADS" creates "$URL" "$CLIENTS" "$SECONDS_EACH" "$PER_CALL" "$WARMUP" > "$WORK/$1.out" &
  driver=$!
  : > "$samples"
  while kill -0 "$driver" 2> /dev/null; do
    echo "$(date +%s.%N) $(cpu_ticks "$SERVICE") $(cpu_ticks "$driver")" >> "$samples"
    sleep 0.1
  done
  wait "$driver"
  line=$(cat "$WORK/$1.out")
  echo "$line"
  # the measured phase ends when the driver prints; its last sample is at most 0.1 s before
  awk -v n="$(field threads_per_second "$line")" -v s="$SECONDS_EACH" -v hz="$HZ" '
    { t[NR] = $1; svc[NR] = $2; drv[NR] = $3 }
    END {
      last = NR; while (last > 1 && drv[last] == 0) last--
      first = last; while (first > 1 && t[last] - t[first] < s) first--
      created = n * (t[last] - t[first])
      printf "service_cpu_ms_per_thread=%.3f driver_cpu_ms_per_thread=%.3f\n",
        (svc[last] - svc[first]) * 1000 / hz / created, (drv[last] - drv[first]) * 1000 / hz / created
    }' "$samples"
}

field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

for round in $(seq 1 "$ROUNDS"); do
  for name in A B; do
    JAR=$JAR_A WORKLOADS=${WORKLOADS_A:-bench/Workloads.java}
    if [ "$name" = B ]; then JAR=$JAR_B WORKLOADS=${WORKLOADS_B:-bench/Workloads.java}; fi
    rm -rf "$WORK/db"
    jfr=()
    if [ -n "${JFR:-}" ]; then jfr=(-XX:StartFlightRecording=filename="$WORK/$name-$round.jfr",settings=profile); fi
    start_service "service-$name-$round" "$PORT" ${jfr[@]+"${jfr[@]}"} -- \
      --spring.datasource.url="$(h2_url "$WORK/db/service")"
    echo "round $round, $name, warm-up ${WARMUP} s (load $(cut -d' ' -f1-3 /proc/loadavg)):"
    echo -n "first: "; drive "first-$name-$round" | paste -sd' '
    echo -n "second: "; drive "second-$name-$round" | paste -sd' '
    stop_services
  done
done
