#!/usr/bin/env bash
# tests/run_tests.sh PRESET - runs every test of a built preset. Services the tests need
# (Xvfb for the kiosk, a throw-away PostgreSQL cluster) are CTest fixtures started and stopped
# by tests/services/; this script only gives ctest a display when the machine has none.
set -euo pipefail
preset=${1:-release}
cd "$(dirname "$0")/.."
exec ctest --preset "$preset" "${@:2}"
