#!/bin/sh
# Installs what is missing on a Debian/Ubuntu machine, then configures and builds into build/.
# Safe to run again: it installs nothing that is already there and rebuilds incrementally.
set -eu
cd "$(dirname "$0")/.."

packages="gcc make cmake pkg-config libcairo2-dev libpango1.0-dev libjansson-dev check
poppler-utils librsvg2-bin libxml2-utils"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "journeymap: installing$missing" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo ${JM_CMAKE_ARGS:-} >/dev/null
cmake --build build -j "$(nproc)"
