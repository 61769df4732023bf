#!/usr/bin/env bash
# with-postgres-replica.sh CMD [ARG...]
#
# Start a throwaway PostgreSQL primary (15 by default) and a streaming replica of it (a hot
# standby made by pg_basebackup -R, on another port), run CMD with DATABASE_URL pointing at the
# primary and DATABASE_REPLICA_URL at the standby, then stop both clusters and delete their
# directories, whatever happens. Exits with CMD's exit code.
#
# Both clusters listen on free loopback TCP ports (and Unix sockets in their own directories)
# with trust authentication: the superuser role `sdg87` for clients, `replicator` (REPLICATION)
# for the standby's WAL receiver. CMD starts only once the standby is in recovery and its WAL
# receiver is streaming. Every statement is logged (log_statement=all) to each cluster's log, so
# a test can tell which cluster served a query: the paths are in PG_PRIMARY_LOG and
# PG_REPLICA_LOG. Durability is off on the primary (fsync, full_page_writes): the data lives
# only as long as CMD.
#
# initdb refuses to run as root: as root the servers run as the `postgres` user when it exists,
# otherwise as a system user `sdg87pg` created on first use (or PG_SERVER_USER). As anyone else
# they run as you.
#
# Environment: PG_VERSION (default 15), PG_BINDIR (default /usr/lib/postgresql/$PG_VERSION/bin),
# PG_DATABASE (default sdg87), PG_SERVER_USER (as root: the user that runs the servers),
# PG_KEEP_LOG=1 to print both server logs on exit.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi

PG_VERSION="${PG_VERSION:-15}"
PG_DATABASE="${PG_DATABASE:-sdg87}"
PG_ROLE="sdg87"
PG_REPLICATION_ROLE="replicator"

die() {
    echo "with-postgres-replica: $*" >&2
    exit 1
}

find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        echo "$PG_BINDIR"
        return
    fi
    local candidate="/usr/lib/postgresql/$PG_VERSION/bin"
    if [ -x "$candidate/initdb" ]; then
        echo "$candidate"
        return
    fi
    if command -v dpkg >/dev/null && dpkg -L "postgresql-$PG_VERSION" >/dev/null 2>&1; then
        candidate="$(dpkg -L "postgresql-$PG_VERSION" | grep '/bin/initdb$' | head -n 1)"
        if [ -n "$candidate" ]; then
            dirname "$candidate"
            return
        fi
    fi
    if command -v initdb >/dev/null; then
        dirname "$(command -v initdb)"
        return
    fi
    echo ""
}

BINDIR="$(find_bindir)"
for binary in initdb pg_ctl pg_basebackup psql createdb; do
    if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/$binary" ]; then
        die "PostgreSQL $PG_VERSION binaries not found (looked for $binary in" \
            "/usr/lib/postgresql/$PG_VERSION/bin): install them with" \
            "'apt-get install postgresql-$PG_VERSION' or set PG_BINDIR"
    fi
done

# --- who runs the servers -------------------------------------------------
RUN_AS=""
if [ "$(id -u)" -eq 0 ]; then
    if [ -n "${PG_SERVER_USER:-}" ]; then
        RUN_AS="$PG_SERVER_USER"
    elif id -u postgres >/dev/null 2>&1; then
        RUN_AS="postgres"
    else
        RUN_AS="sdg87pg"
    fi
    if ! id -u "$RUN_AS" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_AS" \
            || die "cannot create the system user $RUN_AS to run PostgreSQL (initdb refuses root)"
    fi
fi

as_server_user() {
    # Run a server binary as the servers' user, from a directory that user can read.
    if [ -n "$RUN_AS" ]; then
        (cd "$CLUSTER_DIR" && runuser -u "$RUN_AS" -- "$@")
    else
        (cd "$CLUSTER_DIR" && "$@")
    fi
}

# --- the two clusters, removed on exit ------------------------------------
CLUSTER_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sdg87-pg-replica.XXXXXX")"
PRIMARY_DATA="$CLUSTER_DIR/primary"
REPLICA_DATA="$CLUSTER_DIR/replica"
PRIMARY_LOG="$CLUSTER_DIR/primary.log"
REPLICA_LOG="$CLUSTER_DIR/replica.log"
PRIMARY_STARTED=0
REPLICA_STARTED=0

stop_cluster() {
    as_server_user "$BINDIR/pg_ctl" stop -D "$1" -m immediate -w -t 30 >/dev/null 2>&1 \
        || echo "with-postgres-replica: warning: could not stop the cluster in $1" >&2
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    # The standby first: stopping the primary first would make it retry its connection.
    if [ "$REPLICA_STARTED" -eq 1 ]; then
        stop_cluster "$REPLICA_DATA"
    fi
    if [ "$PRIMARY_STARTED" -eq 1 ]; then
        stop_cluster "$PRIMARY_DATA"
    fi
    if [ "${PG_KEEP_LOG:-0}" = "1" ]; then
        for log in "$PRIMARY_LOG" "$REPLICA_LOG"; do
            if [ -f "$log" ]; then
                echo "--- PostgreSQL server log: $(basename "$log") ---" >&2
                cat "$log" >&2
            fi
        done
    fi
    rm -rf "$CLUSTER_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 0700 "$CLUSTER_DIR"
if [ -n "$RUN_AS" ]; then
    chown "$RUN_AS" "$CLUSTER_DIR"
fi

free_port() {
    local python
    for python in python3 python; do
        if command -v "$python" >/dev/null; then
            "$python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' && return
        fi
    done
    echo $((20000 + RANDOM % 40000))
}

# start_cluster DATA_DIR LOG_FILE EXTRA_OPTIONS: start a server on a free port, print the port.
start_cluster() {
    local data="$1" log="$2" extra="$3" port options
    for _attempt in 1 2 3 4 5; do
        port="$(free_port)"
        options="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$CLUSTER_DIR"
        options+=" -c max_connections=100 -c shared_buffers=128MB"
        options+=" -c log_statement=all -c log_line_prefix='%m [%p] %d '"
        options+=" $extra"
        if as_server_user "$BINDIR/pg_ctl" start -D "$data" -l "$log" -w -t 60 \
            -o "$options" >/dev/null 2>&1; then
            echo "$port"
            return 0
        fi
        # The port may have been taken between the probe and the start: try another one.
        if ! grep -q "could not bind\|Address already in use" "$log" 2>/dev/null; then
            cat "$log" >&2 2>/dev/null || true
            return 1
        fi
    done
    return 1
}

psql_at() {
    # psql_at PORT SQL: one value, unaligned, as the superuser role.
    as_server_user "$BINDIR/psql" --host=127.0.0.1 --port="$1" --username="$PG_ROLE" \
        --dbname=postgres --no-psqlrc --tuples-only --no-align --quiet --command="$2"
}

# --- the primary ------------------------------------------------------------
as_server_user "$BINDIR/initdb" --pgdata="$PRIMARY_DATA" --username="$PG_ROLE" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$CLUSTER_DIR/initdb.log" 2>&1 || {
    cat "$CLUSTER_DIR/initdb.log" >&2
    die "initdb failed"
}
# initdb's pg_hba.conf already trusts replication connections from localhost; say it anyway,
# for the replication role, so that the setup does not depend on initdb's defaults.
echo "host replication $PG_REPLICATION_ROLE 127.0.0.1/32 trust" >>"$PRIMARY_DATA/pg_hba.conf"

PRIMARY_OPTIONS="-c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=256MB"
PRIMARY_OPTIONS+=" -c hot_standby=on -c fsync=off -c full_page_writes=off"
PRIMARY_PORT="$(start_cluster "$PRIMARY_DATA" "$PRIMARY_LOG" "$PRIMARY_OPTIONS")" \
    || die "the primary did not start (log above)"
PRIMARY_STARTED=1

psql_at "$PRIMARY_PORT" "CREATE ROLE $PG_REPLICATION_ROLE WITH REPLICATION LOGIN" >/dev/null \
    || die "could not create the replication role"
as_server_user "$BINDIR/createdb" --host=127.0.0.1 --port="$PRIMARY_PORT" --username="$PG_ROLE" \
    "$PG_DATABASE" || die "could not create the database $PG_DATABASE"

# --- the standby: a base backup that writes standby.signal and primary_conninfo (-R) ---------
as_server_user "$BINDIR/pg_basebackup" --host=127.0.0.1 --port="$PRIMARY_PORT" \
    --username="$PG_REPLICATION_ROLE" --pgdata="$REPLICA_DATA" --write-recovery-conf \
    --wal-method=stream --checkpoint=fast --no-sync >"$CLUSTER_DIR/basebackup.log" 2>&1 || {
    cat "$CLUSTER_DIR/basebackup.log" >&2
    die "pg_basebackup failed"
}
# The standby's feedback keeps the primary from vacuuming rows its queries still read.
REPLICA_OPTIONS="-c hot_standby=on -c hot_standby_feedback=on -c fsync=off"
REPLICA_OPTIONS+=" -c wal_receiver_status_interval=1s"
REPLICA_PORT="$(start_cluster "$REPLICA_DATA" "$REPLICA_LOG" "$REPLICA_OPTIONS")" \
    || die "the standby did not start (log above)"
REPLICA_STARTED=1

# --- wait until the standby is in recovery and streaming ----------------------------------
streaming=0
for _attempt in $(seq 1 120); do
    in_recovery="$(psql_at "$REPLICA_PORT" "SELECT pg_is_in_recovery()" 2>/dev/null || true)"
    receiver="$(psql_at "$REPLICA_PORT" "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null || true)"
    sender="$(psql_at "$PRIMARY_PORT" \
        "SELECT state FROM pg_stat_replication WHERE usename = '$PG_REPLICATION_ROLE'" \
        2>/dev/null || true)"
    if [ "$in_recovery" = "t" ] && [ "$receiver" = "streaming" ] && [ "$sender" = "streaming" ]; then
        streaming=1
        break
    fi
    sleep 0.5
done
if [ "$streaming" -ne 1 ]; then
    tail -n 30 "$REPLICA_LOG" >&2 2>/dev/null || true
    die "the standby is not streaming from the primary after 60 s" \
        "(in recovery: ${in_recovery:-?}, receiver: ${receiver:-none}, sender: ${sender:-none})"
fi

export DATABASE_URL="postgres://$PG_ROLE@127.0.0.1:$PRIMARY_PORT/$PG_DATABASE"
export DATABASE_REPLICA_URL="postgres://$PG_ROLE@127.0.0.1:$REPLICA_PORT/$PG_DATABASE"
export PG_PRIMARY_LOG="$PRIMARY_LOG"
export PG_REPLICA_LOG="$REPLICA_LOG"
echo "with-postgres-replica: PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}')" \
    "primary on 127.0.0.1:$PRIMARY_PORT, streaming replica on 127.0.0.1:$REPLICA_PORT" \
    "(DATABASE_URL=$DATABASE_URL DATABASE_REPLICA_URL=$DATABASE_REPLICA_URL)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
