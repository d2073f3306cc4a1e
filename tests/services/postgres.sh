#!/usr/bin/env bash
# tests/services/postgres.sh start|stop DIR - a throw-away PostgreSQL cluster for the tests.
#
# start: initialises a fresh cluster, listening on a free port on 127.0.0.1 and on a unix
#   socket in its run directory, creates the database `fadaa` owned by the superuser `fadaa`
#   (random password, scram-sha-256) and writes its libpq URL to DIR/url (also DIR/port and
#   DIR/socket_dir). Run as root (CI), the server runs as the `postgres` user; otherwise as the
#   calling user. When the `postgres` user cannot write DIR (e.g. a clone under /root), the
#   cluster lives in a fresh directory under /tmp, named in DIR/run_dir.
#   Idempotent: a cluster already running in DIR is kept; a dead leftover is wiped first.
# stop: shuts the cluster down (fast, then immediate, then SIGKILL of its postmaster only) and
#   removes DIR and the run directory. Idempotent; succeeds when nothing is running.
#
# Nothing is durable (fsync off): the cluster exists only for one test run.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/service_common.sh"

find_bindir() {
    if [[ -n "${FADAA_PG_BINDIR:-}" ]]; then echo "$FADAA_PG_BINDIR"; return; fi
    local candidate
    for candidate in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -Vr); do
        if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then echo "$candidate"; return; fi
    done
    echo "postgres.sh: PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin);" \
         "run 'make deps' (Debian package 'postgresql')" >&2
    exit 1
}

# The account the server runs as: PostgreSQL refuses to run as root.
if [[ $(id -u) -eq 0 ]]; then
    pg_user=postgres
    id "$pg_user" >/dev/null 2>&1 || {
        echo "postgres.sh: running as root but there is no 'postgres' user;" \
             "install the Debian package 'postgresql' (make deps)" >&2
        exit 1
    }
    as_pg() { runuser -u "$pg_user" -- "$@"; }
else
    pg_user=$(id -un)
    as_pg() { "$@"; }
fi

# Where the cluster's files live: DIR itself, or the directory named in DIR/run_dir.
run_dir_of() {
    if [[ -f "$dir/run_dir" ]]; then cat "$dir/run_dir"; else echo "$dir"; fi
}

postmaster_running() {  # run_dir
    local pidfile=$1/data/postmaster.pid pid
    [[ -f "$pidfile" ]] || return 1
    pid=$(head -n 1 "$pidfile")
    [[ "$pid" =~ ^[0-9]+$ ]] && running "$pid"
}

# True while pid runs (a zombie waiting to be reaped by init does not count).
stop_cluster() {
    [[ -d "$dir" ]] || return 0
    local run_dir bindir pid
    run_dir=$(run_dir_of)
    if [[ -f "$run_dir/data/postmaster.pid" ]]; then
        bindir=$(find_bindir)
        if postmaster_running "$run_dir"; then
            as_pg "$bindir/pg_ctl" stop -D "$run_dir/data" -m fast -w -t 20 >/dev/null 2>&1 ||
                as_pg "$bindir/pg_ctl" stop -D "$run_dir/data" -m immediate -w -t 10 >/dev/null 2>&1 ||
                true
        fi
        if postmaster_running "$run_dir"; then
            # Only our own postmaster, by the pid it wrote; its children exit with it.
            pid=$(head -n 1 "$run_dir/data/postmaster.pid")
            kill -KILL "$pid" 2>/dev/null || true
            for _ in $(seq 50); do running "$pid" || break; sleep 0.1; done
        fi
    fi
    if [[ "$run_dir" != "$dir" && "$run_dir" == /tmp/fadaa-pg.* ]]; then rm -rf "$run_dir"; fi
    rm -rf "$dir"
}

port_in_use() {
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
    return 1
}

start_cluster() {
    local bindir run_dir password port started=0 attempt
    bindir=$(find_bindir)

    if [[ -f "$dir/url" && -f "$dir/port" ]] && postmaster_running "$(run_dir_of)" &&
            "$bindir/pg_isready" -q -h "$(run_dir_of)" -p "$(cat "$dir/port")"; then
        echo "postgres.sh: cluster already running: $(sed 's#://\([^:]*\):[^@]*@#://\1:***@#' "$dir/url")"
        return 0
    fi
    stop_cluster  # a dead leftover from an interrupted run

    mkdir -p "$dir"
    chmod 700 "$dir"
    run_dir=$dir
    if [[ $(id -u) -eq 0 ]]; then
        chown "$pg_user" "$dir"
        # The socket path must fit in sun_path (107 bytes), and postgres must reach DIR.
        if ! as_pg test -w "$dir" || [[ ${#dir} -gt 80 ]]; then run_dir=""; fi
    elif [[ ${#dir} -gt 80 ]]; then
        run_dir=""
    fi
    if [[ -z "$run_dir" ]]; then
        run_dir=$(mktemp -d /tmp/fadaa-pg.XXXXXX)
        [[ $(id -u) -ne 0 ]] || chown "$pg_user" "$run_dir"
        chmod 700 "$run_dir"
        echo "$run_dir" >"$dir/run_dir"
    fi

    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    local pwfile=$run_dir/pwfile
    (umask 077; echo "$password" >"$pwfile")
    [[ $(id -u) -ne 0 ]] || chown "$pg_user" "$pwfile"
    if ! as_pg "$bindir/initdb" -D "$run_dir/data" -U fadaa --pwfile="$pwfile" \
            --auth=scram-sha-256 --encoding=UTF8 --locale=C --no-sync \
            >"$run_dir/initdb.log" 2>&1; then
        cat "$run_dir/initdb.log" >&2
        rm -f "$pwfile"
        echo "postgres.sh: initdb failed" >&2
        exit 1
    fi
    rm -f "$pwfile"
    cat >>"$run_dir/data/postgresql.conf" <<CONF
# fadaa tests: a throw-away cluster on loopback, speed over durability
listen_addresses = '127.0.0.1'
unix_socket_directories = '$run_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 32MB
logging_collector = off
CONF

    # A free port: pick one at random, retry if another process takes it first.
    for attempt in $(seq 20); do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        port_in_use "$port" && continue
        if as_pg "$bindir/pg_ctl" start -D "$run_dir/data" -l "$run_dir/postgres.log" -w -t 60 \
                -o "-p $port" >/dev/null 2>&1; then
            started=1
            break
        fi
        if ! grep -qi "address already in use\|could not bind\|could not create listen" \
                "$run_dir/postgres.log" 2>/dev/null; then
            break
        fi
        : >"$run_dir/postgres.log"
    done
    if [[ $started -ne 1 ]]; then
        echo "postgres.sh: the server did not start (attempt $attempt); its log:" >&2
        cat "$run_dir/postgres.log" >&2 2>/dev/null || true
        stop_cluster
        exit 1
    fi

    if ! PGPASSWORD=$password "$bindir/createdb" -h "$run_dir" -p "$port" -U fadaa fadaa \
            2>"$run_dir/createdb.log"; then
        cat "$run_dir/createdb.log" >&2
        stop_cluster
        echo "postgres.sh: createdb failed" >&2
        exit 1
    fi

    (umask 077
     echo "postgresql://fadaa:$password@127.0.0.1:$port/fadaa" >"$dir/url.tmp"
     echo "$port" >"$dir/port"
     echo "$run_dir" >"$dir/socket_dir")
    mv "$dir/url.tmp" "$dir/url"
    echo "postgres.sh: PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port" \
         "and $run_dir, database fadaa; URL in $dir/url"
}

case "$action" in
    start) start_cluster ;;
    stop) stop_cluster; echo "postgres.sh: stopped, $dir removed" ;;
    *) usage ;;
esac
