#!/usr/bin/env bash
# with-postgres.sh CMD [ARG...]
#
# Start a throwaway PostgreSQL cluster (15 by default), run CMD with DATABASE_URL pointing at it,
# then stop the cluster and delete its directory, whatever happens. Exits with CMD's exit code.
#
# The cluster listens on a free loopback TCP port (and a Unix socket in its own directory) with
# trust authentication for one superuser role, so pytest-django can create a `test_*` database
# per xdist worker. Durability is switched off (fsync, synchronous_commit, full_page_writes):
# the data lives only as long as CMD.
#
# initdb refuses to run as root: as root the server runs as the `postgres` user when it exists,
# otherwise as a system user `sdg87pg` created on first use (or PG_SERVER_USER). As anyone
# else it runs as you.
#
# Environment: PG_VERSION (default 15), PG_BINDIR (default /usr/lib/postgresql/$PG_VERSION/bin),
# PG_DATABASE (default sdg87), PG_SERVER_USER (as root: the user that runs the server),
# PG_KEEP_LOG=1 to print the server log on exit.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi

PG_VERSION="${PG_VERSION:-15}"
PG_DATABASE="${PG_DATABASE:-sdg87}"
PG_ROLE="sdg87"

die() {
    echo "with-postgres: $*" >&2
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
if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/initdb" ] || [ ! -x "$BINDIR/pg_ctl" ]; then
    die "PostgreSQL $PG_VERSION server binaries not found (looked in /usr/lib/postgresql/$PG_VERSION/bin):" \
        "install them with 'apt-get install postgresql-$PG_VERSION' or set PG_BINDIR"
fi

# --- who runs the server --------------------------------------------------
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
    # Run a server binary as the server's user, from a directory that user can read.
    if [ -n "$RUN_AS" ]; then
        (cd "$CLUSTER_DIR" && runuser -u "$RUN_AS" -- "$@")
    else
        (cd "$CLUSTER_DIR" && "$@")
    fi
}

# --- the cluster, removed on exit -----------------------------------------
CLUSTER_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sdg87-pg.XXXXXX")"
DATA_DIR="$CLUSTER_DIR/data"
LOG_FILE="$CLUSTER_DIR/server.log"
SERVER_STARTED=0

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ "$SERVER_STARTED" -eq 1 ]; then
        as_server_user "$BINDIR/pg_ctl" stop -D "$DATA_DIR" -m immediate -w -t 30 >/dev/null 2>&1 \
            || echo "with-postgres: warning: could not stop the cluster in $CLUSTER_DIR" >&2
    fi
    if [ "${PG_KEEP_LOG:-0}" = "1" ] && [ -f "$LOG_FILE" ]; then
        echo "--- PostgreSQL server log ---" >&2
        cat "$LOG_FILE" >&2
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

as_server_user "$BINDIR/initdb" --pgdata="$DATA_DIR" --username="$PG_ROLE" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$CLUSTER_DIR/initdb.log" 2>&1 || {
    cat "$CLUSTER_DIR/initdb.log" >&2
    die "initdb failed"
}

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

PORT=""
for _attempt in 1 2 3 4 5; do
    PORT="$(free_port)"
    SERVER_OPTIONS="-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$CLUSTER_DIR"
    SERVER_OPTIONS+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    SERVER_OPTIONS+=" -c max_connections=100 -c shared_buffers=128MB"
    if as_server_user "$BINDIR/pg_ctl" start -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 \
        -o "$SERVER_OPTIONS" >/dev/null 2>&1; then
        SERVER_STARTED=1
        break
    fi
    # The port may have been taken between the probe and the start: try another one.
    if ! grep -q "could not bind\|Address already in use" "$LOG_FILE" 2>/dev/null; then
        cat "$LOG_FILE" >&2 2>/dev/null || true
        die "PostgreSQL did not start (log above)"
    fi
done
[ "$SERVER_STARTED" -eq 1 ] || die "PostgreSQL did not start: no free port found"

as_server_user "$BINDIR/createdb" --host=127.0.0.1 --port="$PORT" --username="$PG_ROLE" \
    "$PG_DATABASE" || die "could not create the database $PG_DATABASE"

export DATABASE_URL="postgres://$PG_ROLE@127.0.0.1:$PORT/$PG_DATABASE"
echo "with-postgres: PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" \
    "(DATABASE_URL=$DATABASE_URL)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
