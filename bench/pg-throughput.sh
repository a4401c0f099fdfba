#!/usr/bin/env bash
# Steps per second of the engine on PostgreSQL with a no-op workflow, on one node and on two nodes
# sharing the database, with the commits each step costs (pg_stat_database.xact_commit), beside
# pgbench's single-row UPDATE rate at the same concurrency, measured in the same run on the same
# server. Usage: bench/pg-throughput.sh [threads] [steps]
# The server: libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD (default 127.0.0.1, 5432, postgres); the
# script creates and drops a database of its own (orchestro_bench).
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-1000}
STEPS=${2:-10}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=orchestro_bench
# each node's connection pool (spring.datasource.hikari.maximum-pool-size); pgbench gets as many
# clients as all the nodes' pools together
POOL=${POOL:-10}
PORT_A=${PORT_A:-18181}
PORT_B=${PORT_B:-18182}
PGBENCH=${PGBENCH:-$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench | tail -1)}

./mvnw -B -q -DskipTests package
JAR="$PWD/bootstrap/target/orchestro-threads.jar"
WORK=$(mktemp -d)
SERVICES=()
cleanup() {
  for pid in "${SERVICES[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q -d postgres -c "drop database if exists $DB with (force)" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fresh_database() {
  psql -q -d postgres -c "drop database if exists $DB with (force)" 2>/dev/null
  psql -q -d postgres -c "create database $DB"
}

commits() {
  psql -d "$DB" -Atc "select xact_commit from pg_stat_database where datname = current_database()"
}

# pgbench: clients each updating a random one of 1,000 rows, one committed UPDATE per transaction
baseline() {
  local clients=$1
  fresh_database
  psql -q -d "$DB" -c "create table counter (id int primary key, n bigint not null);
    insert into counter select i, 0 from generate_series(1, 1000) i;"
  printf '\\set id random(1, 1000)\nUPDATE counter SET n = n + 1 WHERE id = :id;\n' > "$WORK/update.sql"
  "$PGBENCH" -n -f "$WORK/update.sql" -c "$clients" -j 2 -T 10 "$DB" 2>&1 \
    | grep -E '^tps' | sed "s/^/pgbench clients=$clients: /"
}

start_node() {
  local name=$1 port=$2
  # never drive a service that something else started on the port
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use; choose others with PORT_A and PORT_B" >&2
    exit 1
  fi
  java -jar "$JAR" --server.port="$port" \
    --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
    --spring.datasource.username="$PGUSER" --spring.datasource.password="${PGPASSWORD:-}" \
    --spring.datasource.hikari.maximum-pool-size="$POOL" \
    --orchestro.engine.node-id="$name" > "$WORK/$name.log" 2>&1 &
  SERVICES+=($!)
}

stop_nodes() {
  # a graceful stop closes the connections, whose statistics PostgreSQL then counts
  for pid in "${SERVICES[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVICES[@]}"; do wait "$pid" 2>/dev/null || true; done
  SERVICES=()
  sleep 1
}

# one node, then two: each on a fresh database, driven by the same load driver
run_nodes() {
  local count=$1 urls="http://127.0.0.1:$PORT_A"
  fresh_database
  start_node node-a "$PORT_A"
  if [ "$count" = 2 ]; then
    start_node node-b "$PORT_B"
    urls="$urls,http://127.0.0.1:$PORT_B"
  fi
  java bench/LoadDriver.java "$urls" 1 1 > /dev/null # waits until every node is up; warms up
  for pid in "${SERVICES[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "a node exited:" >&2; tail -n 20 "$WORK"/*.log >&2; exit 1; }
  done
  # let the start-up's and the warm-up's statistics reach pg_stat_database (an idle connection
  # reports within 10 s)
  sleep 11
  local before after
  before=$(commits)
  java bench/LoadDriver.java "$urls" "$THREADS" "$STEPS" | sed "s/^/nodes=$count: /"
  stop_nodes
  after=$(commits)
  awk -v b="$before" -v a="$after" -v s=$((THREADS * STEPS)) -v n="$count" \
    'BEGIN { printf "nodes=%d: commits=%d commits_per_step=%.2f\n", n, a - b, (a - b) / s }'
}

"$PGBENCH" --version
psql -d postgres -Atc "select 'server ' || version()"
for nodes in ${NODES:-1 2}; do
  baseline $((nodes * POOL))
  run_nodes "$nodes"
done
