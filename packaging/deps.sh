#!/usr/bin/env bash
# packaging/deps.sh - installs the Debian 12 packages Fadaa needs to build, test and run.
#
# Idempotent: asks dpkg which packages are missing and installs only those. Runs apt-get
# directly as root, through sudo otherwise. Nothing is downloaded from anywhere but Debian.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config clang-format
  # core
  libsqlite3-dev sqlite3 libsodium-dev libcurl4-openssl-dev nlohmann-json3-dev
  libfribidi-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev zlib1g-dev
  libssl-dev libdeflate-dev
  # kiosk
  libimgui-dev libstb-dev libstb0 libglfw3-dev libgl-dev libfreetype-dev libfontconfig-dev
  libqrencode-dev libpng-dev fonts-noto-core
  # server
  libcpp-httplib-dev libpqxx-dev libpq-dev postgresql libmimalloc-dev
  # tests
  catch2 xvfb xauth procps iproute2 libx11-dev libxtst-dev faketime
  # runtime
  tzdata
  # make package (dpkg-shlibdeps reads the programs' library dependencies)
  dpkg-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "deps: all ${#packages[@]} Debian packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
