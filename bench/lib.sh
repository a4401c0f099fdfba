# What the benchmark scripts share. Each one sources it before anything else:
#
#   . "$(dirname "$0")/lib.sh"
#
# It moves to the project's root, makes a work directory ($WORK, removed at exit unless KEEP is
# set) and, at exit, stops every service it started and runs what on_exit was given. Every wait
# gives up after a timeout with a message and a non-zero exit:
#   READY_TIMEOUT  seconds a started service may take to answer as ready (default 180)
#   STOP_TIMEOUT   seconds a stopping service may take before it is killed (default 60)
# PostgreSQL is reached through libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD (default 127.0.0.1,
# 5432, postgres), by psql and by the service alike.
set -euo pipefail
STARTED_IN=$PWD  # where the script was started from: paths given to it are relative to it
cd "$(dirname "${BASH_SOURCE[0]}")/.."

READY_TIMEOUT=${READY_TIMEOUT:-180}
STOP_TIMEOUT=${STOP_TIMEOUT:-60}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
PGBENCH=${PGBENCH:-$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1 || true)}
WORK=$(mktemp -d)
JAR=
SERVICE=       # the pid of the service started last
SERVICES=()    # the pids of the services running
EXIT_COMMANDS=()
DATABASES=     # the databases fresh_database made, dropped at exit

on_exit() { EXIT_COMMANDS+=("$1"); }

bench_exit() {
  local status=$?
  stop_services
  for command in ${EXIT_COMMANDS[@]+"${EXIT_COMMANDS[@]}"}; do eval "$command" || true; done
  if [ -n "${KEEP:-}" ]; then echo "logs and results kept in $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap bench_exit EXIT

fail() { echo "$*" >&2; exit 1; }

# two_jars USAGE_END ARGUMENTS...: the comparing scripts' first two arguments, the jars A and B, as
# JAR_A and JAR_B (absolute: given relative to where the script was started); with fewer than two
# arguments, prints the script's header comment up to line USAGE_END as its usage and exits with 2
two_jars() {
  local usage_end=$1
  shift
  if [ $# -lt 2 ]; then sed -n "2,${usage_end}s/^# \\?//p" "$0" >&2; exit 2; fi
  JAR_A=$(cd "$STARTED_IN" && realpath "$1")
  JAR_B=$(cd "$STARTED_IN" && realpath "$2")
}

# build_jar [more Maven arguments]: packages the service; $JAR is the runnable jar
build_jar() {
  ./mvnw -B -q -DskipTests package "$@"
  JAR="$PWD/bootstrap/target/orchestro-threads.jar"
}

# wait_for SECONDS WHAT COMMAND...: runs COMMAND until it succeeds, for SECONDS at the most
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then fail "gave up after ${seconds}s waiting for $what"; fi
    sleep 0.2
  done
}

# finish_within SECONDS WHAT COMMAND...: runs COMMAND, killing it and stopping the script when it
# has not ended within SECONDS; its exit status otherwise
finish_within() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds)) pid
  "$@" &
  pid=$!
  while kill -0 "$pid" 2> /dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill -9 "$pid" 2> /dev/null || true
      wait "$pid" 2> /dev/null || true
      fail "gave up after ${seconds}s waiting for $what"
    fi
    sleep 0.2
  done
  wait "$pid"
}

# launch_service NAME PORT [JVM options] -- [service arguments]: starts the jar (${SERVICE_JAR:-$JAR}
# with ${SERVICE_JAVA:-java}) on PORT without waiting for it; its output goes to $WORK/NAME.log
launch_service() {
  local name=$1 port=$2 jvm=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  if [ $# -gt 0 ]; then shift; fi
  # never measure a service that something else started on the port
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
    fail "port $port is in use; choose another (see the script's header)"
  fi
  "${SERVICE_JAVA:-java}" ${jvm[@]+"${jvm[@]}"} -jar "${SERVICE_JAR:-$JAR}" --server.port="$port" "$@" \
    >> "$WORK/$name.log" 2>&1 &
  SERVICE=$!
  SERVICES+=("$SERVICE")
}

# await_ready NAME PORT PID: waits until the service answers as ready; stops the script, showing
# the end of its log, when it exits first or is not ready within READY_TIMEOUT seconds
await_ready() {
  local name=$1 port=$2 pid=$3
  local deadline=$((SECONDS + READY_TIMEOUT))
  until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" > /dev/null; do
    if ! kill -0 "$pid" 2> /dev/null; then
      tail -n 40 "$WORK/$name.log" >&2
      fail "the service $name exited before it was ready (its log's end above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$WORK/$name.log" >&2
      fail "the service $name was not ready within ${READY_TIMEOUT}s (its log's end above)"
    fi
    sleep 0.2
  done
}

# start_service NAME PORT [JVM options] -- [service arguments]: launch_service, then await_ready
start_service() {
  launch_service "$@"
  await_ready "$1" "$2" "$SERVICE"
}

# stop_services: stops every running service as an operator would (SIGTERM, so that they close
# their connections and PostgreSQL counts their statistics), killing any that takes longer than
# STOP_TIMEOUT seconds
stop_services() {
  local pid deadline=$((SECONDS + STOP_TIMEOUT))
  for pid in ${SERVICES[@]+"${SERVICES[@]}"}; do kill "$pid" 2> /dev/null || true; done
  for pid in ${SERVICES[@]+"${SERVICES[@]}"}; do
    while kill -0 "$pid" 2> /dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "a service did not stop within ${STOP_TIMEOUT}s: killed" >&2
        kill -9 "$pid" 2> /dev/null || true
      fi
      sleep 0.1
    done
    wait "$pid" 2> /dev/null || true
  done
  SERVICES=()
  SERVICE=
}

# kill_services: SIGKILL, as a crash: no chance to clean up
kill_services() {
  local pid
  for pid in ${SERVICES[@]+"${SERVICES[@]}"}; do
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  SERVICES=()
  SERVICE=
}

# psql_bench ARGUMENTS: psql without the user's settings, stopping at the first error, bare output
psql_bench() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

# fresh_database NAME: (re)creates an empty database, dropped at exit; another user of a shared
# server may have dropped or filled it meanwhile
fresh_database() {
  PGOPTIONS='-c client_min_messages=warning' psql_bench -d postgres \
    -c "drop database if exists $1 with (force)" -c "create database $1"
  if [[ " $DATABASES " != *" $1 "* ]]; then
    DATABASES="$DATABASES $1"
    on_exit "psql_bench -d postgres -c 'drop database if exists $1 with (force)' 2> /dev/null"
  fi
}

# commits NAME: the transactions committed in the database so far. A connection's count arrives
# once it is idle or closed: read it with the services stopped, or after a pause
commits() {
  psql_bench -d postgres -c "select xact_commit from pg_stat_database where datname = '$1'"
}

# h2_url PATH: the H2 database in files at PATH, as the README configures it (WRITE_DELAY=0: a
# killed process loses no commit)
h2_url() { echo "jdbc:h2:file:$1;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"; }

# store_copies DATABASE THREAD_ID COUNT [vacuum]: COUNT - 1 copies of a stored thread, one second apart
# in creation time, straight into the tables: each copy's row and its steps' rows (steps have rows
# of their own since migration V7); then the tables are analyzed ("vacuum": vacuumed too, as
# autovacuum does within a minute or so of such an insert, which sets the visibility map)
store_copies() {
  psql_bench -d "$1" \
    -c "create temporary table copies as
      select gen_random_uuid() as id, n from generate_series(1, $(($3 - 1))) n" \
    -c "insert into workflow_thread (thread_id, owner, title, workflow_type, workflow_version,
      status, request, error_message, created_at, start_time, last_updated, finished_at, version,
      priority, search_text)
    select c.id, owner, title, workflow_type, workflow_version, status, request, error_message,
      created_at - c.n * interval '1 second', start_time, last_updated, finished_at, version,
      priority, search_text
    from workflow_thread, copies c where thread_id = '$2'" \
    -c "insert into thread_step (thread_id, step_index, name, agent, status, attempts, failures,
      started_at, finished_at, output, error, due_at)
    select c.id, step_index, name, agent, status, attempts, failures, started_at, finished_at,
      output, error, due_at
    from thread_step, copies c where thread_id = '$2'" \
    -c "${4:-} analyze workflow_thread" -c "${4:-} analyze thread_step"
}

# on_postgres NAME: sets PG_ARGS to the service arguments for that database
on_postgres() {
  PG_ARGS=(--spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$1"
           --spring.datasource.username="$PGUSER" --spring.datasource.password="${PGPASSWORD:-}")
}

# cpu_ticks PID: the process's user + system CPU time so far, in clock ticks (0 once it has ended)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2> /dev/null || echo 0; }

# pick_service_java: unless SERVICE_JAVA is set, the first JDK 21+ at hand (the service then runs
# on virtual threads), else java
pick_service_java() {
  if [ -n "${SERVICE_JAVA:-}" ]; then return; fi
  SERVICE_JAVA=java
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*-2[1-9]-*/bin/java; do
    if [ -x "$candidate" ]; then SERVICE_JAVA=$candidate; break; fi
  done
}
