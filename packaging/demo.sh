#!/usr/bin/env bash
# packaging/demo.sh BUILD_DIR - `make demo`: the kiosk on the demo catalogue.
#
# With a display (DISPLAY set): opens fadaa-kiosk in a window (FADAA_DEMO_SIZE, 1280x800) on a
# demo store in BUILD_DIR (FADAA_DEMO_DB to choose another; --demo seeds it when empty);
# close the window to quit.
# Without one: plays the walkthrough of each language under a throw-away Xvfb and prints where
# the screenshots are (BUILD_DIR/screenshots/<lang>/). Nothing is left running either way.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
kiosk=$build/app/kiosk/fadaa-kiosk
[[ -x "$kiosk" ]] || { echo "demo: $kiosk is not built; run 'make build'" >&2; exit 1; }

if [[ -n "${DISPLAY:-}" ]]; then
    db=${FADAA_DEMO_DB:-$build/demo.sqlite}
    echo "demo: opening the kiosk in a window on $DISPLAY (store $db); close the window to quit"
    echo "demo: no display here? run 'DISPLAY= make demo' for the screenshot walkthrough"
    exec "$kiosk" --windowed "${FADAA_DEMO_SIZE:-1280x800}" --demo --db "$db"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fadaa-demo.XXXXXX")
cleanup() {
    bash tests/services/xvfb.sh stop "$work/xvfb" >/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
echo "demo: no DISPLAY; playing the walkthroughs on a virtual screen (Xvfb)"
FADAA_XVFB_OWNER_PID=$$ bash tests/services/xvfb.sh start "$work/xvfb" >/dev/null
DISPLAY=$(cat "$work/xvfb/display")
export DISPLAY

out=$build/screenshots
status=0
for script in assets/walkthrough/*.txt; do
    lang=$(basename "$script" .txt)
    rm -rf "${out:?}/$lang"
    if "$kiosk" --demo --db "$work/$lang.sqlite" --lang "$lang" --script "$script" \
            --screenshot-dir "$out/$lang"; then
        :
    else
        status=1
        echo "demo: the $lang walkthrough failed (see above)" >&2
    fi
done
echo
echo "demo: screenshots (1920x1080 PNG) in $(cd "$out" && pwd):"
for dir in "$out"/*/; do
    printf '  %-4s %s\n' "$(basename "$dir")" "$(cd "$dir" && ls -- *.png | tr '\n' ' ')"
done
exit $status
