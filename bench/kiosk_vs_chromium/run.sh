#!/usr/bin/env bash
# bench/kiosk_vs_chromium/run.sh [BUILD_DIR] - issue 3's benchmark: fadaa-kiosk versus a
# Chromium kiosk showing the same catalogue as a static page, side by side in one run, under
# Xvfb (1920x1080, Mesa llvmpipe). Not part of `make test`; takes about 6 minutes.
#
# Measured for each program, RUNS times (default 3, alternating), median reported:
#   first frame  start -> the screen first shows content (first_frame_probe.cpp: MIT-SHM polls
#                of the whole screen until it is not one flat colour)
#   memory       PSS summed over the program's whole process tree, 5 s after the first frame
#   idle CPU     user+system CPU of that tree over the next 20 s with nobody touching it
# and for the kiosk alone: its own CPU per frame (NewFrame + screens + Render, not the GL
# driver; fadaa-kiosk --stats) while a script drags through a 10,000-session list.
# The floor: gl_floor (bench/kiosk_vs_chromium/gl_floor.cpp) measured the same way, a GLFW +
# GL 3 window with one cleared frame (`clear`) and with one line of ImGui text (`imgui`): what
# the mandated stack costs before the kiosk draws anything of its own.
#
# Caches: the kiosk and gl_floor get one fresh XDG cache directory for the whole run (baked
# font atlas, Mesa's shader cache), so their first run starts cold and the next ones warm, as
# a kiosk restarting on the same machine; the cold run is reported on its own. Chromium gets
# a fresh profile each run (its disk caches live there).
#
# Needs `make build` first (fadaa, fadaa-kiosk). Installs Debian's chromium if missing (this
# script only: nothing else in the project needs it). Env: RUNS, IDLE_SECONDS, KEEP=1 keeps the
# work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
runs=${RUNS:-3}
idle_seconds=${IDLE_SECONDS:-20}
here=bench/kiosk_vs_chromium
kiosk=$build/app/kiosk/fadaa-kiosk
cli=$build/app/cli/fadaa
floor=$build/bench/gl_floor
for bin in "$kiosk" "$cli" "$floor"; do
    [[ -x "$bin" ]] || { echo "bench: $bin is not built; run 'make build'" >&2; exit 1; }
done

chromium=/usr/lib/chromium/chromium  # the binary itself: the Debian wrapper adds flags
if [[ ! -x "$chromium" ]]; then
    echo "bench: installing Debian's chromium (benchmark only)"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
        --no-install-recommends chromium >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fadaa-bench.XXXXXX")
group=""
cleanup() {
    [[ -n "$group" ]] && stop_group "$group"
    bash tests/services/xvfb.sh stop "$work/xvfb" >/dev/null || true
    if [[ -n "${KEEP:-}" ]]; then echo "bench: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

g++ -O2 -o "$work/first_frame_probe" "$here/first_frame_probe.cpp" -lX11 -lXext

# --- the catalogue, as the kiosk's store and as the page Chromium shows
"$cli" --db "$work/demo.sqlite" demo >/dev/null
"$cli" --db "$work/demo.sqlite" export --format html --lang fr -o "$work/demo.html"
cp "$work/demo.sqlite" "$work/kiosk.sqlite"

FADAA_XVFB_OWNER_PID=$$ bash tests/services/xvfb.sh start "$work/xvfb" >/dev/null
DISPLAY=$(cat "$work/xvfb/display")
export DISPLAY
xvfb_pid=$(cat "$work/xvfb/pid")

# Every pid in the tree rooted at $1, $1 included (through the parent links ps reports).
tree_pids() {
    ps -e -o pid=,ppid= | awk -v root="$1" '
        { parent[$1] = $2 }
        END {
            for (p in parent) {
                q = p
                while (q != "" && q != root && q != 1 && q != 0) q = parent[q]
                if (q == root) print p
            }
        }'
}

# Sums over live pids: `pss` (kB, /proc/PID/smaps_rollup) or `cpu` (user+system clock ticks,
# /proc/PID/stat).
sum_over() {  # pss|cpu pids...
    local what=$1 total=0 pid value
    shift
    for pid in "$@"; do
        if [[ $what == pss ]]; then
            value=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
        else
            value=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true)
        fi
        total=$((total + ${value:-0}))
    done
    echo "$total"
}

stop_group() {  # the process group the probe made for the program (its pid)
    local pgid=$1 pids
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 50); do
        pids=$(ps -e -o pgid=,pid= | awk -v g="$pgid" '$1 == g {print $2}')
        [[ -z "$pids" ]] && break
        sleep 0.1
    done
    kill -KILL -- "-$pgid" 2>/dev/null || true
    group=""
}

hz=$(getconf CLK_TCK)
measure() {  # name command...
    local name=$1 out pid first pids pss t0 t1 x0 x1
    shift
    out=$(FIRST_FRAME_PROBE_LOG="$work/$name.log" "$work/first_frame_probe" 30 "$@")
    first=$(sed -n 's/.*first_frame_ms=\([0-9]*\).*/\1/p' <<<"$out")
    pid=$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$out")
    group=$pid
    sleep 5
    mapfile -t pids < <(tree_pids "$pid")
    pss=$(sum_over pss "${pids[@]}")
    t0=$(sum_over cpu "${pids[@]}")
    x0=$(sum_over cpu "$xvfb_pid")
    sleep "$idle_seconds"
    mapfile -t pids < <(tree_pids "$pid")
    t1=$(sum_over cpu "${pids[@]}")
    x1=$(sum_over cpu "$xvfb_pid")
    stop_group "$pid"
    echo "$name $first $((pss / 1024)) $(((t1 - t0) * 1000 / hz)) ${#pids[@]} $(((x1 - x0) * 1000 / hz))" \
        >>"$work/results"
    echo "bench: $name run: first frame ${first} ms, PSS $((pss / 1024)) MB in ${#pids[@]} processes," \
        "idle CPU $(((t1 - t0) * 1000 / hz)) ms in ${idle_seconds} s (Xvfb $(((x1 - x0) * 1000 / hz)) ms)"
}

for run in $(seq "$runs"); do
    measure kiosk env XDG_CACHE_HOME="$work/cache" "$kiosk" --db "$work/kiosk.sqlite" --lang fr
    [[ $run -eq 1 ]] && tail -n 1 "$work/results" | sed 's/^kiosk /kiosk_cold /' >>"$work/results"
    measure floor_clear env XDG_CACHE_HOME="$work/cache" "$floor" clear
    measure floor_imgui env XDG_CACHE_HOME="$work/cache" "$floor" imgui
    measure chromium "$chromium" --kiosk --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --noerrdialogs --password-store=basic --user-data-dir="$work/chromium-$run" \
        --window-position=0,0 --window-size=1920,1080 "file://$work/demo.html"
done

# --- the kiosk's own CPU per frame while scrolling 10,000 sessions: the demo store plus 500
# events of 20 sessions each over the next 63 days, in the demo's categories and first venue.
cp "$work/demo.sqlite" "$work/10k.sqlite"
categories=$(sqlite3 "$work/10k.sqlite" "SELECT group_concat(id, ' ') FROM category")
venue=$(sqlite3 "$work/10k.sqlite" "SELECT id FROM venue ORDER BY id LIMIT 1")
days=$(for d in $(seq 1 63); do date -d "+$d days" +%F; done | tr '\n' ' ')
awk -v n=10000 -v cats="$categories" -v venue="$venue" -v days="$days" 'BEGIN {
    print "event_id,category,title_fr,title_ar,title_en,title_zgh,venue,start,end,capacity,registration_required"
    nc = split(cats, cat, " "); split(days, day, " ")
    for (i = 0; i < n; i++) {
        e = int(i / 20); d = day[1 + int(i / 160)]; h = 8 + int((i % 20) / 2); m = (i % 2) * 30
        printf "bench-%04d,%s,Atelier %d,ورشة %d,Workshop %d,Workshop %d,%s,%sT%02d:%02d,%sT%02d:%02d,%d,true\n", \
            e, cat[1 + e % nc], e, e, e, e, venue, d, h, m, d, h, m + 25, 10 + i % 30
    }
}' >"$work/10k.csv"
"$cli" --db "$work/10k.sqlite" import "$work/10k.csv" >/dev/null
"$kiosk" --db "$work/10k.sqlite" --lang fr --script "$here/scroll_10k.txt" \
    --screenshot-dir "$work/scroll" --stats 2>"$work/scroll.log" >/dev/null ||
    { cat "$work/scroll.log" >&2; exit 1; }
scroll=$(grep '^stats:' "$work/scroll.log")

median() {  # name column
    awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$work/results" | sort -n |
        awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}
k_first=$(median kiosk 2); c_first=$(median chromium 2)
k_mem=$(median kiosk 3); c_mem=$(median chromium 3)
k_idle=$(median kiosk 4); c_idle=$(median chromium 4)
k_procs=$(median kiosk 5); c_procs=$(median chromium 5)
k_cold=$(median kiosk_cold 2)
f_clear=$(median floor_clear 2); f_clear_mem=$(median floor_clear 3)
f_imgui=$(median floor_imgui 2); f_imgui_mem=$(median floor_imgui 3)
range() {  # name column: min-max over the runs
    awk -v n="$1" -v c="$2" '$1 == n {v = $c; if (min == "" || v < min) min = v; if (v > max) max = v}
        END {print min "-" max}' "$work/results"
}
k_frame=$(sed -n 's/.*ui_cpu_ms_per_frame=\([0-9.]*\).*/\1/p' <<<"$scroll")
k_frame_max=$(sed -n 's/.*ui_cpu_ms_max=\([0-9.]*\).*/\1/p' <<<"$scroll")
k_frames=$(sed -n 's/.*frames=\([0-9]*\).*/\1/p' <<<"$scroll")

verdict() { if awk "BEGIN {exit !($1)}"; then echo "met"; else echo "MISSED"; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == 0) print "inf"; else printf "%.1fx", b / a }'; }

echo
echo "fadaa-kiosk vs Chromium kiosk, Xvfb 1920x1080 llvmpipe, $(nproc) cores, median of $runs runs"
echo
echo "| | fadaa-kiosk | Chromium | Chromium / kiosk | target | |"
echo "|---|---|---|---|---|---|"
echo "| start to first frame | ${k_first} ms ($(range kiosk 2); cold caches ${k_cold}) | ${c_first} ms ($(range chromium 2)) | $(ratio "$k_first" "$c_first") | >= 8x | $(verdict "$k_first * 8 <= $c_first") |"
echo "| memory (PSS, all processes) | ${k_mem} MB ($k_procs proc; $(range kiosk 3)) | ${c_mem} MB ($c_procs proc; $(range chromium 3)) | $(ratio "$k_mem" "$c_mem") | >= 6x | $(verdict "$k_mem * 6 <= $c_mem") |"
echo "| CPU idle ${idle_seconds} s | ${k_idle} ms | ${c_idle} ms | $(ratio "$k_idle" "$c_idle") | >= 10x | $(verdict "$k_idle * 10 <= $c_idle") |"
echo "| kiosk CPU per frame, scrolling 10k sessions | ${k_frame} ms (max ${k_frame_max}, ${k_frames} frames) | | | < 2 ms | $(verdict "$k_frame < 2") |"
echo "| floor: gl_floor clear (GLFW + GL 3 context, one cleared frame) | ${f_clear} ms ($(range floor_clear 2)), ${f_clear_mem} MB | | $(ratio "$f_clear" "$c_first") | | |"
echo "| floor: gl_floor imgui (+ ImGui, one line of text) | ${f_imgui} ms ($(range floor_imgui 2)), ${f_imgui_mem} MB | | $(ratio "$f_imgui" "$c_first") | | |"
