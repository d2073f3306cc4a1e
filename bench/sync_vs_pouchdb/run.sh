#!/usr/bin/env bash
# bench/sync_vs_pouchdb/run.sh [BUILD_DIR] - Fadaa sync versus PouchDB replication, side by
# side on loopback (never part of make test; see bench/README.md).
#
# Fadaa side (sync_bench, C++, real fadaa-server and kiosk stores): push 10k registrations from
# a kiosk to the server, pull 10k catalogue changes into a fresh kiosk, 20 kiosks syncing at
# once, and 1k queued ops drained after the server comes back.
# PouchDB side: the same records replicated to an express-pouchdb server (pouchdb@9,
# pouchdb-adapter-memory@9, express-pouchdb@4, express@4, installed here with npm into a
# temporary directory that is removed at the end).
#
# Environment: DOCS (10000), KIOSKS (20), QUEUED (1000), REPS (3), SIDES ("fadaa pouchdb").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$repo/build/release}" && pwd)
DOCS=${DOCS:-10000}
KIOSKS=${KIOSKS:-20}
QUEUED=${QUEUED:-1000}
REPS=${REPS:-3}
SIDES=${SIDES:-"fadaa pouchdb"}

work=$(mktemp -d /tmp/fadaa-bench.XXXXXX)
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
results=$work/results.jsonl
: >"$results"

echo "machine: $(nproc) cores, $(uname -r); docs=$DOCS kiosks=$KIOSKS queued=$QUEUED reps=$REPS"

run_pouchdb() {
    command -v npm >/dev/null || { echo "bench: npm not found (Debian package npm)" >&2; exit 1; }
    echo "pouchdb: installing pouchdb@9 pouchdb-adapter-memory@9 express-pouchdb@4 express@4 into $work/node"
    mkdir -p "$work/node"
    (cd "$work/node" && npm init -y >/dev/null &&
        npm install --no-audit --no-fund --loglevel=error \
            pouchdb@9 pouchdb-adapter-memory@9 express-pouchdb@4 express@4 >/dev/null)
    cp "$here/pouchdb_server.js" "$here/pouchdb_client.js" "$work/node/"
    # exec: $server_pid is node itself, whose CPU time the client reads from /proc.
    (cd "$work/node" && exec node pouchdb_server.js >"$work/pouchdb_server.log" 2>&1) &
    server_pid=$!
    local port=""
    for _ in $(seq 100); do
        port=$(awk '/^listening/{print $2}' "$work/pouchdb_server.log")
        [[ -n "$port" ]] && break
        sleep 0.1
    done
    [[ -n "$port" ]] || { cat "$work/pouchdb_server.log" >&2; echo "bench: express-pouchdb did not start" >&2; exit 1; }
    echo "pouchdb: express-pouchdb on 127.0.0.1:$port"
    (cd "$work/node" && node --no-warnings pouchdb_client.js "http://127.0.0.1:$port" \
        "$DOCS" "$KIOSKS" "$REPS" "$server_pid") | tee -a "$results"
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

run_fadaa() {
    local driver=$build/bench/sync_bench
    [[ -x "$driver" && -x "$build/server/fadaa-server" ]] || {
        echo "bench: $driver or fadaa-server not built (cmake --build --preset release --target sync_bench fadaa-server)" >&2
        exit 1
    }
    "$driver" --server "$build/server/fadaa-server" --work "$work/fadaa" --docs "$DOCS" \
        --kiosks "$KIOSKS" --queued "$QUEUED" --reps "$REPS" | tee -a "$results"
}

for side in $SIDES; do
    case "$side" in
        fadaa) run_fadaa ;;
        pouchdb) run_pouchdb ;;
        *) echo "bench: unknown side $side" >&2; exit 2 ;;
    esac
done

echo
node "$here/summarise.js" "$results"
