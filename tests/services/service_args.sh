# tests/services/service_args.sh - sourced by the service scripts (xvfb.sh, postgres.sh): reads
# their common command line `start|stop DIR` into $action and $dir (made absolute; DIR's
# parent is created), or prints the usage and exits 2.
usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1
dir=$2
[[ -n "$dir" && "$dir" != "/" ]] || usage
mkdir -p "$(dirname "$dir")"
dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
