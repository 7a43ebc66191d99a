#!/bin/sh
# Regenerates every golden expectation from the current build. Review the diff like code:
#   scripts/regen-goldens.sh build && git diff tests/golden
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$build" && pwd)/journeymap
for d in "$root"/tests/golden/valid/* "$root"/tests/golden/invalid/* "$root"/tests/golden/diff/* "$root"/tests/golden/lint/*; do
    [ -d "$d" ] || continue
    sh "$root/tests/golden/run.sh" "$bin" "$d" --update >/dev/null 2>&1 || true
done
echo "regenerated; review with: git diff --stat tests/golden"
