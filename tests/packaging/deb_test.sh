#!/usr/bin/env bash
# tests/packaging/deb_test.sh BUILD_DIR [MIMALLOC] - builds the two Debian packages (`make
# package`) into a throw-away directory and checks them as an installer would meet them:
# - each holds its programs, units, system user and docs, and the kiosk's settings are a
#   conffile (an upgrade must not overwrite a kiosk's own kiosk.toml);
# - the dependencies name the libraries the programs link and the fonts the kiosk draws with;
# - unpacked into a root, the programs run, and the installed `fadaa` finds the assets it ships
#   (/usr/share/fadaa/assets beside /usr/bin, not the source tree it was built from);
# - every absolute path a unit runs or documents is in the packages, and the kiosk's nightly
#   sync opens the same store as the kiosk.
set -euo pipefail
build=$(cd "${1:?usage: deb_test.sh BUILD_DIR [MIMALLOC]}" && pwd)
# ON when the server is built with mimalloc (FADAA_MIMALLOC; off in the sanitizer preset).
mimalloc=${2:-ON}
work=$(mktemp -d "${TMPDIR:-/tmp}/fadaa-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack --config CPackConfig.cmake -B "$work/out" >"$work/cpack.log" 2>&1) ||
    { cat "$work/cpack.log" >&2; fail "cpack failed"; }
kiosk=$(ls "$work"/out/fadaa-kiosk_*_*.deb 2>/dev/null) || fail "no fadaa-kiosk package"
server=$(ls "$work"/out/fadaa-server_*_*.deb 2>/dev/null) || fail "no fadaa-server package"

has_file() {  # has_file DEB PATH
    dpkg-deb -c "$1" | awk '{print $6}' | grep -qx "./${2#/}" || fail "$(basename "$1") lacks $2"
}
for f in /usr/bin/fadaa-kiosk /usr/bin/fadaa /usr/lib/fadaa/fadaa-kiosk-session \
         /usr/share/fadaa/assets/i18n/ar.json /usr/share/fadaa/assets/i18n/zgh.json \
         /usr/share/fadaa/assets/keyboards/tifinagh.json /usr/share/fadaa/assets/demo/catalogue.json \
         /usr/lib/systemd/system/fadaa-kiosk.service /usr/lib/systemd/system/fadaa-sync.service \
         /usr/lib/systemd/system/fadaa-sync.timer /usr/lib/sysusers.d/fadaa.conf \
         /usr/share/xsessions/fadaa-kiosk.desktop /etc/fadaa/kiosk.toml; do
    has_file "$kiosk" "$f"
done
for f in /usr/bin/fadaa-server /usr/lib/systemd/system/fadaa-server.service \
         /usr/lib/sysusers.d/fadaa-server.conf /usr/share/doc/fadaa-server/operations.md; do
    has_file "$server" "$f"
done
# Nothing of the tests, benchmarks or build tree.
dpkg-deb -c "$kiosk" "$server" 2>/dev/null | grep -Eq 'bench|test|walkthrough' &&
    fail "a package holds test or benchmark files"

dpkg-deb --ctrl-tarfile "$kiosk" | tar -xO ./conffiles | grep -qx /etc/fadaa/kiosk.toml ||
    fail "/etc/fadaa/kiosk.toml is not a conffile"
kdeps=$(dpkg-deb -f "$kiosk" Depends)
for d in fonts-noto-core libsqlite3-0 libglfw3 libcurl4 libsodium23; do
    [[ ", $kdeps," == *", $d"[\ ,]* ]] || fail "fadaa-kiosk does not depend on $d: $kdeps"
done
sdeps=$(dpkg-deb -f "$server" Depends)
server_libs=(libpqxx libsqlite3-0 libcpp-httplib)
if [[ "$mimalloc" == ON ]]; then server_libs+=(libmimalloc2.0); fi
for d in "${server_libs[@]}"; do
    [[ "$sdeps" == *"$d"* ]] || fail "fadaa-server does not depend on $d: $sdeps"
done

root=$work/root
dpkg-deb -x "$kiosk" "$root"
dpkg-deb -x "$server" "$root"
"$root/usr/bin/fadaa-kiosk" --help >/dev/null || fail "fadaa-kiosk --help"
"$root/usr/bin/fadaa-server" --help >/dev/null || fail "fadaa-server --help"
seeded=$(env -u FADAA_ASSETS_DIR "$root/usr/bin/fadaa" --db "$work/demo.sqlite" demo) ||
    fail "the installed fadaa could not seed the demo catalogue"
[[ "$seeded" == *"from $root/usr/share/fadaa/assets/demo/catalogue.json"* ]] ||
    fail "the installed fadaa did not read its own assets: $seeded"

units=("$root"/usr/lib/systemd/system/*.service "$root"/usr/lib/systemd/system/*.timer)
for unit in "${units[@]}"; do
    # The first word of each Exec line (after systemd's +-@! prefixes), and file:// docs.
    for p in $(sed -nE 's/^Exec[A-Za-z]*=[-+@!:]*(\/[^ ]+).*/\1/p' "$unit") \
             $(sed -nE 's#^Documentation=file://(/[^ ]+)#\1#p' "$unit"); do
        case "$p" in
            /usr/bin/chvt | /usr/bin/xinit) ;;  # from Debian's kbd and xinit packages
            *) [[ -e "$root$p" ]] || fail "$(basename "$unit") names $p, which no package installs" ;;
        esac
    done
done
db() { sed -nE 's/^Environment=FADAA_DB=(.*)/\1/p' "$root/usr/lib/systemd/system/$1"; }
[[ -n "$(db fadaa-kiosk.service)" && "$(db fadaa-kiosk.service)" == "$(db fadaa-sync.service)" ]] ||
    fail "the nightly sync opens $(db fadaa-sync.service), the kiosk $(db fadaa-kiosk.service)"
echo "ok: $(basename "$kiosk") ($(stat -c %s "$kiosk") bytes), $(basename "$server") ($(stat -c %s "$server") bytes)"
