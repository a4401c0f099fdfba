#!/usr/bin/env bash
# Engine throughput of two builds side by side, alternating A and B on a fresh store each time so
# that both see the same machine load: no-op steps, driven by bench/LoadDriver.java.
# Usage: [STORE=postgresql] bench/compare-jars.sh JAR_A JAR_B [threads] [steps] [rounds]
# For example, the jar of the commit before a change as A (git archive COMMIT | tar -x -C DIR,
# then ./mvnw -DskipTests package in DIR) and this checkout's jar as B.
# STORE=h2 (the default): fresh H2 files. STORE=postgresql: a fresh database (orchestro_compare,
# dropped at the end) on libpq's PGHOST, PGPORT, PGUSER (default 127.0.0.1, 5432, postgres), and
# the commits each step cost (pg_stat_database.xact_commit, read with the service stopped).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR_A=$1
JAR_B=$2
THREADS=${3:-500}
STEPS=${4:-10}
ROUNDS=${5:-3}
STORE=${STORE:-h2}
PORT=${PORT:-18083}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=orchestro_compare
WORK=$(mktemp -d)
cleanup() {
  if [ "$STORE" = postgresql ]; then
    psql -X -q -d postgres -c "drop database if exists $DB with (force)" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
commits() {
  psql -X -At -d postgres -c "select xact_commit from pg_stat_database where datname = '$DB'"
}

for round in $(seq 1 "$ROUNDS"); do
  for name in A B; do
    jar=$JAR_A
    [ "$name" = B ] && jar=$JAR_B
    if [ "$STORE" = postgresql ]; then
      psql -X -q -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
      store=(--spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
             --spring.datasource.username="$PGUSER")
      before=$(commits)
    else
      rm -rf "$WORK/db"
      store=(--spring.datasource.url="jdbc:h2:file:$WORK/db/service;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0")
    fi
    java -jar "$jar" --server.port="$PORT" "${store[@]}" > "$WORK/service-$name-$round.log" 2>&1 &
    service=$!
    echo "round $round, $name:"
    java bench/LoadDriver.java "http://127.0.0.1:$PORT" "$THREADS" "$STEPS"
    kill $service
    wait $service 2>/dev/null || true
    if [ "$STORE" = postgresql ]; then
      # a connection's statistics are in once it has closed
      sleep 1
      after=$(commits)
      awk -v d=$((after - before)) -v s=$((THREADS * STEPS)) \
        'BEGIN {printf "commits_per_step=%.2f\n", d / s}'
    fi
  done
done
