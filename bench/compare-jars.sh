#!/usr/bin/env bash
# Engine throughput of two builds side by side, alternating A and B on a fresh store each time so
# that both see the same machine load: no-op steps, driven by bench/LoadDriver.java.
# Usage: [STORE=postgresql] bench/compare-jars.sh JAR_A JAR_B [threads] [steps] [rounds]
# For example, the jar of the commit before a change as A (git archive COMMIT | tar -x -C DIR,
# then ./mvnw -DskipTests package in DIR) and this checkout's jar as B.
# STORE=h2 (the default): fresh H2 files. STORE=postgresql: a fresh database (orchestro_compare,
# dropped at the end) on libpq's PGHOST, PGPORT, PGUSER (default 127.0.0.1, 5432, postgres), and
# the commits each step cost (pg_stat_database.xact_commit, read with the service stopped).
# STORE=json: a fresh JSON store directory.
# PORT (default 18083) is the services' port; DB (default orchestro_compare) the database's name.
# Each run also prints the service's CPU time per step (user + system, from /proc, while the driver
# ran: its creates included).
. "$(dirname "$0")/lib.sh"
two_jars 11 "$@"
THREADS=${3:-500}
STEPS=${4:-10}
ROUNDS=${5:-3}
STORE=${STORE:-h2}
PORT=${PORT:-18083}
DB=${DB:-orchestro_compare}

for round in $(seq 1 "$ROUNDS"); do
  for name in A B; do
    JAR=$JAR_A
    [ "$name" = B ] && JAR=$JAR_B
    if [ "$STORE" = postgresql ]; then
      fresh_database "$DB"
      on_postgres "$DB"
      store=("${PG_ARGS[@]}")
      before=$(commits "$DB")
    elif [ "$STORE" = json ]; then
      rm -rf "$WORK/db"
      store=(--orchestro.storage=json --orchestro.storage.json.dir="$WORK/db/json")
    else
      rm -rf "$WORK/db"
      store=(--spring.datasource.url="$(h2_url "$WORK/db/service")")
    fi
    start_service "service-$name-$round" "$PORT" -- "${store[@]}"
    echo "round $round, $name:"
    cpu_before=$(cpu_ticks "$SERVICE")
    java bench/LoadDriver.java "http://127.0.0.1:$PORT" "$THREADS" "$STEPS"
    awk -v t=$(($(cpu_ticks "$SERVICE") - cpu_before)) -v hz="$(getconf CLK_TCK)" \
      -v s=$((THREADS * STEPS)) 'BEGIN {printf "service_cpu_ms_per_step=%.3f\n", t * 1000 / hz / s}'
    stop_services
    if [ "$STORE" = postgresql ]; then
      # a connection's statistics are in once it has closed
      sleep 1
      after=$(commits "$DB")
      awk -v d=$((after - before)) -v s=$((THREADS * STEPS)) \
        'BEGIN {printf "commits_per_step=%.2f\n", d / s}'
    fi
  done
done
