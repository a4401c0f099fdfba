#!/usr/bin/env bash
# Steps per second of the engine on PostgreSQL with a no-op workflow, on one node and on two nodes
# sharing the database, with the commits each step costs (pg_stat_database.xact_commit), beside
# pgbench's single-row UPDATE rate at the same concurrency, measured in the same run on the same
# server. Usage: bench/pg-throughput.sh [threads] [steps]
# The server: libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD (default 127.0.0.1, 5432, postgres); the
# script creates and drops a database of its own (orchestro_bench). PORT_A and PORT_B (default
# 18181, 18182) are the nodes' ports.
. "$(dirname "$0")/lib.sh"
THREADS=${1:-1000}
STEPS=${2:-10}
DB=orchestro_bench
# each node's connection pool (spring.datasource.hikari.maximum-pool-size); pgbench gets as many
# clients as all the nodes' pools together
POOL=${POOL:-10}
PORT_A=${PORT_A:-18181}
PORT_B=${PORT_B:-18182}
[ -n "$PGBENCH" ] || fail "no pgbench found: set PGBENCH"

build_jar

# pgbench: clients each updating a random one of 1,000 rows, one committed UPDATE per transaction
baseline() {
  local clients=$1
  fresh_database "$DB"
  psql_bench -d "$DB" -c "create table counter (id int primary key, n bigint not null);
    insert into counter select i, 0 from generate_series(1, 1000) i;"
  printf '\\set id random(1, 1000)\nUPDATE counter SET n = n + 1 WHERE id = :id;\n' > "$WORK/update.sql"
  "$PGBENCH" -n -f "$WORK/update.sql" -c "$clients" -j 2 -T 10 "$DB" 2>&1 \
    | grep -E '^tps' | sed "s/^/pgbench clients=$clients: /"
}

# one node, then two: each on a fresh database, driven by the same load driver
run_nodes() {
  local count=$1 urls="http://127.0.0.1:$PORT_A"
  fresh_database "$DB"
  on_postgres "$DB"
  local node=(-- "${PG_ARGS[@]}" --spring.datasource.hikari.maximum-pool-size="$POOL")
  # started together: both run the migrations on the empty database at once, as nodes would
  launch_service node-a "$PORT_A" "${node[@]}" --orchestro.engine.node-id=node-a
  local pid_a=$SERVICE
  if [ "$count" = 2 ]; then
    launch_service node-b "$PORT_B" "${node[@]}" --orchestro.engine.node-id=node-b
    await_ready node-b "$PORT_B" "$SERVICE"
    urls="$urls,http://127.0.0.1:$PORT_B"
  fi
  await_ready node-a "$PORT_A" "$pid_a"
  java bench/LoadDriver.java "$urls" 1 1 > /dev/null # warms up
  # let the start-up's and the warm-up's statistics reach pg_stat_database (an idle connection
  # reports within 10 s)
  sleep 11
  local before after
  before=$(commits "$DB")
  java bench/LoadDriver.java "$urls" "$THREADS" "$STEPS" | sed "s/^/nodes=$count: /"
  # a graceful stop closes the connections, whose statistics PostgreSQL then counts
  stop_services
  sleep 1
  after=$(commits "$DB")
  awk -v b="$before" -v a="$after" -v s=$((THREADS * STEPS)) -v n="$count" \
    'BEGIN { printf "nodes=%d: commits=%d commits_per_step=%.2f\n", n, a - b, (a - b) / s }'
}

"$PGBENCH" --version
psql_bench -d postgres -c "select 'server ' || version()"
for nodes in ${NODES:-1 2}; do
  baseline $((nodes * POOL))
  run_nodes "$nodes"
done
