#!/usr/bin/env bash
# The query plans of the list endpoint and of the engine's claim query on PostgreSQL with 100,000
# stored threads (EXPLAIN ANALYZE): the claim first on the schema of V1 and V1.1 alone (the portable
# indexes), then everything on the full schema. Then the claim with priorities and start times
# (V11): the claims per second (pgbench, each claim rolled back so that the table stays as loaded)
# of the claim in creation order on the schema before V11, side by side with the claim by priority
# on the full schema once the live threads have mixed priorities and a third of the pending ones a
# start time ahead. Last the list's search (V9: q, created_after / created_before, sort and order)
# and the page a bulk change reads, and the list with q over HTTP (p50 and p99 as a client sees them,
# the service started on the loaded database with its engine off; SEARCH_SECONDS per query, default
# 15, SEARCH_PORT default 18091). Usage: bench/pg-plans.sh [threads] [seconds of each pgbench run]
# The server: libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD (default 127.0.0.1, 5432, postgres); the
# script creates and drops a database of its own (PLANS_DB, default orchestro_plans).
. "$(dirname "$0")/lib.sh"
THREADS=${1:-100000}
CLAIM_SECONDS=${2:-15}
DB=${PLANS_DB:-orchestro_plans}

build_jar
fresh_database "$DB"
on_postgres "$DB"

# the service's own Flyway migrations, up to a version; without a web server or engine it exits.
# Lazy beans: the event log's beans expect the whole schema and would fail the start on an older one
# (its background numbering may still log a warning about it before the process exits), and no
# check of the health groups, whose validation would create the event beans all the same.
migrate() {
  finish_within "$READY_TIMEOUT" "the migrations to version $1" \
    java -jar "$JAR" --spring.main.web-application-type=none --spring.main.lazy-initialization=true \
      --orchestro.engine.enabled=false --management.endpoint.health.validate-group-membership=false \
      "${PG_ARGS[@]}" --spring.flyway.target="$1" > /dev/null
}

explain() {
  echo "-- $1"
  psql_bench -d "$DB" -c "explain (analyze, buffers, costs off) $2"
  echo
}
# the list endpoint's columns, as JdbcWorkflowThreadStore sends them (ThreadRow.COLUMNS); before V7
# the steps were a JSON column of the thread's row, since then they are rows of thread_step
COLUMNS="thread_id, title, workflow_type, workflow_version, status, request, error_message,
  created_at, start_time, last_updated, finished_at, version"
COLUMNS_BEFORE_V7="$COLUMNS, steps"
# the engine's claim before V11 (JdbcWorkflowThreadStore.lockClaimable): two statements, each on
# its own index
CLAIM_LEFT="select $COLUMNS_BEFORE_V7 from workflow_thread
  where claim_owner is not null and status not in ('pending', 'running')
  and (claim_until is null or claim_until <= now())
  order by created_at limit 64 for update skip locked"
CLAIM="select $COLUMNS_BEFORE_V7 from workflow_thread where status in ('pending', 'running')
  and (claim_until is null or claim_until <= now())
  order by created_at limit 64 for update skip locked"
# from V11 on: highest priority first, one statement per runnable status
by_priority() {
  echo "select $COLUMNS from workflow_thread where $1
  and (claim_until is null or claim_until <= now())
  order by priority desc, created_at limit 64 for update skip locked"
}
CLAIM_LEFT_V11=$(by_priority "claim_owner is not null and status not in ('pending', 'running')")
CLAIM_PENDING_V11=$(by_priority "status = 'pending'")
CLAIM_RUNNING_V11=$(by_priority "status = 'running'")
# what the engine's dispatcher asks before it sleeps (JdbcWorkflowThreadStore.nextClaimableAt)
NEXT_DUE="select min(claim_until) from workflow_thread
  where status in ('pending', 'running') and claim_owner is null and claim_until > now()"

# claims_per_second LABEL STATEMENT...: pgbench, 4 clients, each transaction the statements given
# and a rollback, so that every claim finds the table as loaded
claims_per_second() {
  local label=$1
  shift
  { echo "BEGIN;"; for statement in "$@"; do echo "$statement;" | tr '\n' ' '; echo; done
    echo "ROLLBACK;"; } > "$WORK/claim.sql"
  "$PGBENCH" -n -f "$WORK/claim.sql" -c 4 -j 2 -T "$CLAIM_SECONDS" "$DB" 2>&1 \
    | grep -E '^(tps|latency average)' | sed "s/^/claim $label: /"
}
PAGE="order by created_at desc, thread_id desc limit 20 offset 0"
# a page's steps, read after its threads (JdbcWorkflowThreadStore.withSteps)
STEPS_OF_PAGE="select * from thread_step where thread_id in
  (select thread_id from workflow_thread $PAGE) order by thread_id, step_index"

migrate 1.1
psql_bench -d "$DB" -v threads="$THREADS" -f bench/pg-load-threads.sql
psql_bench -d "$DB" -c "vacuum analyze workflow_thread"
psql_bench -d "$DB" -c "select status, count(*) from workflow_thread group by status order by 1"
echo
echo "==== V1 and V1.1 (the portable indexes)"
explain "claim, threads left claimed" "$CLAIM_LEFT"
explain "claim" "$CLAIM"

migrate 5
psql_bench -d "$DB" -c "analyze workflow_thread"
echo "==== up to V5 (on PostgreSQL: V2's index of live threads)"
explain "claim, threads left claimed" "$CLAIM_LEFT"
explain "claim" "$CLAIM"
[ -n "$PGBENCH" ] && claims_per_second "in creation order, up to V5" "$CLAIM_LEFT" "$CLAIM"

# V7.1 moves the threads' steps into rows of thread_step: timed, as an upgrade would run it
MOVE_STARTED=$(date +%s.%N)
migrate latest
echo "the jar's run with the migrations after V5 (V7.1 moves $THREADS threads' steps into rows)" \
  "took $(echo "$(date +%s.%N) - $MOVE_STARTED" | bc) s"
# the live threads get priorities from -100 to 100, and a third of the pending ones a start time
# within the next hour (kept as the end of a claim nobody holds, as the store does)
psql_bench -d "$DB" -c "update workflow_thread set priority = (abs(hashtext(thread_id::text)) % 201) - 100
    where status in ('pending', 'running');
  update workflow_thread set claim_until = now() + interval '1 hour' * random()
    where status = 'pending' and abs(hashtext(thread_id::text)) % 3 = 0"
# apart: psql runs the statements of one -c in a transaction, and vacuum refuses to run in one
psql_bench -d "$DB" -c "vacuum analyze workflow_thread"
psql_bench -d "$DB" -c "select status, count(*), count(*) filter (where claim_until > now() and claim_owner is null) as waiting
  from workflow_thread where status in ('pending', 'running') group by status order by 1"
echo
echo "==== every migration (on PostgreSQL: V11.2's index of live threads by priority)"
explain "claim, threads left claimed" "$CLAIM_LEFT_V11"
explain "claim, pending" "$CLAIM_PENDING_V11"
explain "claim, running" "$CLAIM_RUNNING_V11"
explain "next start time" "$NEXT_DUE"
[ -n "$PGBENCH" ] && claims_per_second "by priority, every migration" \
  "$CLAIM_LEFT_V11" "$CLAIM_PENDING_V11" "$CLAIM_RUNNING_V11"
explain "list, newest first" "select $COLUMNS from workflow_thread $PAGE"
explain "the page's steps" "$STEPS_OF_PAGE"
explain "count" "select count(*) from workflow_thread"
explain "list, status=running" "select $COLUMNS from workflow_thread where status in ('running') $PAGE"
explain "count, status=running" "select count(*) from workflow_thread where status in ('running')"
explain "list, status=failed" "select $COLUMNS from workflow_thread where status in ('failed') $PAGE"
explain "list, workflow_type=research" \
  "select $COLUMNS from workflow_thread where workflow_type = 'research' $PAGE"
explain "count, workflow_type=research" \
  "select count(*) from workflow_thread where workflow_type = 'research'"
explain "list, status=running&status=paused&workflow_type=research" \
  "select $COLUMNS from workflow_thread where status in ('running', 'paused') and workflow_type = 'research' $PAGE"
explain "count, status=running&status=paused&workflow_type=research" \
  "select count(*) from workflow_thread where status in ('running', 'paused') and workflow_type = 'research'"
explain "list, status=completed, page 2,500 of 20" \
  "select $COLUMNS from workflow_thread where status in ('completed') order by created_at desc, thread_id desc limit 20 offset 50000"
# the list's search (JdbcWorkflowThreadStore.list): q is a like on search_text, which V9.1 filled
# for the threads loaded above; V9.2's trigram index serves it
explain "list, q=thread 4242 (a few matches)" \
  "select $COLUMNS from workflow_thread where search_text like '%thread 4242%' escape '\\' $PAGE"
explain "count, q=thread 4242" \
  "select count(*) from workflow_thread where search_text like '%thread 4242%' escape '\\'"
explain "list, q=no such words (no match)" \
  "select $COLUMNS from workflow_thread where search_text like '%no such words%' escape '\\' $PAGE"
explain "list, q=thread (every thread matches)" \
  "select $COLUMNS from workflow_thread where search_text like '%thread%' escape '\\' $PAGE"
explain "list, created_after and created_before one day apart" \
  "select $COLUMNS from workflow_thread where created_at >= now() - interval '51 days'
   and created_at < now() - interval '50 days' $PAGE"
explain "list, sort=last_updated (no index on purpose: docs/postgresql.md)" \
  "select $COLUMNS from workflow_thread order by last_updated desc, thread_id desc limit 20 offset 0"
explain "list, sort=created_at&order=asc" \
  "select $COLUMNS from workflow_thread order by created_at asc, thread_id asc limit 20 offset 0"
# a bulk change's page (JdbcWorkflowThreadStore.positionsAfter), after the first page
explain "bulk page, status=pending, after a position" \
  "select created_at, thread_id from workflow_thread where status in ('pending')
   and created_at < now() and (created_at > now() - interval '2 days'
   or (created_at = now() - interval '2 days' and thread_id > '80000000-0000-4000-8000-000000000000'))
   order by created_at, thread_id limit 500"
# retention's batch (JdbcWorkflowThreadStore.finishedBefore, V13's index)
explain "retention, completed threads that finished over 30 days ago, a batch of 500" \
  "select thread_id from workflow_thread where status = 'completed'
   and finished_at < now() - interval '30 days' order by finished_at limit 500"

# the list with q over HTTP, as a client sees it: the service on this database with its engine off
# (the threads stay as loaded), one client per query, SEARCH_SECONDS measured after as long a warm-up;
# the first, empty query is the baseline: the same page without q
SEARCH_PORT=${SEARCH_PORT:-18091}
echo "==== the list with q over HTTP ($THREADS threads stored; GET /api/threads?size=20&q=...)"
start_service search "$SEARCH_PORT" -- --orchestro.engine.enabled=false "${PG_ARGS[@]}"
java bench/Workloads.java search "http://127.0.0.1:$SEARCH_PORT" "${SEARCH_SECONDS:-15}" \
  "" "thread 4242" "no such words" "thread"
stop_services
