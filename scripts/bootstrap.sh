#!/bin/sh
# Installs what is missing on a Debian/Ubuntu machine, then configures and builds into build/.
# Safe to run again: it installs nothing that is already there and rebuilds incrementally.
set -eu
cd "$(dirname "$0")/.."

# fonts-noto-*: the fallback fonts for the scripts and emoji the bundled fonts lack (fonts/README.md);
# the golden case scripts-mixed is drawn with them.
packages="gcc make cmake pkg-config libcairo2-dev libpango1.0-dev libjansson-dev libjpeg-dev libdeflate-dev check
poppler-utils librsvg2-bin libxml2-utils libxml2-dev
g++ groff-base man-db parallel rsync zsh bash-completion strace
fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# The JSON Schema test runs ajv-cli from npm (tests/schema/): Node.js and npm, unless a Node.js
# with its own npm is there already.
if ! command -v npm >/dev/null 2>&1; then
    command -v node >/dev/null 2>&1 && missing="$missing npm" || missing="$missing nodejs npm"
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ -n "$missing" ]; then
    echo "journeymap: installing$missing" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Hardening tools for scripts/run-tests.sh: clang with its sanitizer and libFuzzer runtime
# (libclang-rt-N-dev, N the clang version), valgrind, clang-format. Optional: where the distribution lacks
# one, the tests that need it are skipped.
hardening=""
for p in clang valgrind clang-format; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        hardening="$hardening $p"
done
if [ -n "$hardening" ]; then
    echo "journeymap: installing$hardening" >&2
    [ -n "$missing" ] || $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $hardening \
        >/dev/null || echo "journeymap: could not install$hardening (optional)" >&2
fi
# Headless Chromium for tests/browser (driven by puppeteer-core from npm). Optional: where the
# distribution has no chromium package, that test is skipped with a message.
if ! command -v chromium >/dev/null 2>&1; then
    echo "journeymap: installing chromium" >&2
    [ -n "$missing$hardening" ] || $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium \
        >/dev/null || echo "journeymap: could not install chromium (optional)" >&2
fi
# Firefox ESR for the same SVG checks in a second engine (Debian's firefox-esr; puppeteer-core
# drives it over WebDriver BiDi). Optional: skipped with a message where it is not packaged.
if ! command -v firefox-esr >/dev/null 2>&1 && ! command -v firefox >/dev/null 2>&1; then
    echo "journeymap: installing firefox-esr" >&2
    [ -n "$missing$hardening" ] || $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        firefox-esr >/dev/null || echo "journeymap: could not install firefox-esr (optional)" >&2
fi
if command -v clang >/dev/null 2>&1; then
    rt="libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
    if ! dpkg-query -W -f='${Status}' "$rt" 2>/dev/null | grep -q "install ok installed"; then
        echo "journeymap: installing $rt" >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$rt" \
            >/dev/null || echo "journeymap: could not install $rt (optional)" >&2
    fi
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo ${JM_CMAKE_ARGS:-} >/dev/null
cmake --build build -j "$(nproc)"
