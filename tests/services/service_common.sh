# tests/services/service_common.sh - sourced by the service scripts (xvfb.sh, postgres.sh):
# reads their common command line `start|stop DIR` into $action and $dir (made absolute; DIR's
# parent is created), or prints the usage and exits 2; and `running PID`.
usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1
dir=$2
[[ -n "$dir" && "$dir" != "/" ]] || usage
mkdir -p "$(dirname "$dir")"
dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")

# True while pid exists and is not a zombie, whatever its name (right after `Xvfb ... &` the
# child may not have exec'd Xvfb yet: its argv[0] is still the shell's).
running() {  # pid
    local state
    [[ "$1" =~ ^[0-9]+$ ]] || return 1
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n "$state" && "$state" != Z ]]
}
