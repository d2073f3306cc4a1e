#!/usr/bin/env bash
# packaging/demo.sh BUILD_DIR - seeds a demo store and shows it.
set -euo pipefail
build=${1:-build/release}
db=${FADAA_DEMO_DB:-$build/demo.sqlite}
"$build/app/cli/fadaa" --db "$db" demo
"$build/app/cli/fadaa" --db "$db" events --from today --to +7d
