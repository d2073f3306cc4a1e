#!/usr/bin/env bash
# tests/services/xvfb.sh start|stop DIR - a throw-away X display (Xvfb) for the kiosk tests.
#
# start: starts Xvfb on a free display number (Xvfb picks it itself with -displayfd, so
#   parallel runs by several people never collide), 1920x1080x24 unless FADAA_XVFB_SCREEN says
#   otherwise, with a black root window (so "nothing drawn" is one flat colour), and writes the
#   display name (":N") to DIR/display once the server accepts connections. Its pid is in
#   DIR/pid, its log in DIR/xvfb.log. A watchdog stops Xvfb if the process that started it
#   (ctest, demo.sh; FADAA_XVFB_OWNER_PID to name another) dies without running `stop`
#   (Ctrl-C, a kill), so an interrupted run leaves nothing behind. Idempotent: a server
#   already running for DIR is kept.
# stop: stops the watchdog and Xvfb (TERM, then KILL after 5 s; only the pids this script
#   recorded, checked by name) and removes DIR. Idempotent; succeeds when nothing runs.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/service_common.sh"

# True while pid runs and its argv[0] ends in name (a recycled pid or a zombie does not count).
alive_as() {  # pid name
    local argv0
    running "$1" || return 1
    argv0=$(tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | head -n 1) || return 1
    [[ "${argv0##*/}" == "$2" ]]
}

stop_pid() {  # pidfile name
    local pidfile=$1 name=$2 pid
    [[ -f "$pidfile" ]] || return 0
    pid=$(cat "$pidfile")
    if alive_as "$pid" "$name"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do alive_as "$pid" "$name" || return 0; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 20); do alive_as "$pid" "$name" || return 0; sleep 0.1; done
        echo "xvfb.sh: $name (pid $pid) did not exit" >&2
        return 1
    fi
}

stop_server() {
    [[ -d "$dir" ]] || return 0
    stop_pid "$dir/watchdog.pid" xvfb-watchdog
    stop_pid "$dir/pid" Xvfb
    rm -rf "$dir"
}

start_server() {
    if [[ -f "$dir/display" && -f "$dir/pid" ]] && alive_as "$(cat "$dir/pid")" Xvfb; then
        echo "xvfb.sh: already running on $(cat "$dir/display")"
        return 0
    fi
    stop_server  # a leftover from an interrupted run
    command -v Xvfb >/dev/null || {
        echo "xvfb.sh: Xvfb not found; run 'make deps' (Debian package 'xvfb')" >&2
        exit 1
    }
    mkdir -p "$dir"
    local screen=${FADAA_XVFB_SCREEN:-1920x1080x24}
    local owner=${FADAA_XVFB_OWNER_PID:-$PPID}
    : >"$dir/displayfd"
    # stdin/stdout/stderr away from the caller's pipes: ctest waits for them to close.
    Xvfb -displayfd 3 -screen 0 "$screen" -br -nolisten tcp -noreset +extension GLX \
        3>"$dir/displayfd" </dev/null >"$dir/xvfb.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$dir/pid"
    # Xvfb writes the display number once it accepts connections.
    local number=""
    for _ in $(seq 100); do
        number=$(tr -dc '0-9' <"$dir/displayfd" 2>/dev/null || true)
        [[ -n "$number" ]] && break
        if ! running "$pid"; then
            echo "xvfb.sh: Xvfb exited at start-up:" >&2
            cat "$dir/xvfb.log" >&2
            rm -rf "$dir"
            exit 1
        fi
        sleep 0.1
    done
    if [[ -z "$number" ]]; then
        echo "xvfb.sh: Xvfb did not report a display within 10 s" >&2
        stop_server
        exit 1
    fi
    echo ":$number" >"$dir/display"
    # The watchdog: a short-lived check every 2 s, named so stop_pid can recognise it.
    (exec -a xvfb-watchdog bash -c '
        while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 2; done
        kill -TERM "$2" 2>/dev/null; rm -rf "$3"' xvfb-watchdog "$owner" "$pid" "$dir" \
        </dev/null >/dev/null 2>&1) &
    echo "$!" >"$dir/watchdog.pid"
    echo "xvfb.sh: Xvfb $screen on :$number (pid $pid)"
}

case "$action" in
    start) start_server ;;
    stop) stop_server ;;
    *) usage ;;
esac
