#!/bin/sh
# The whole test suite: unit (Check), golden, CLI and invariant tests on the build in build/.
set -eu
cd "$(dirname "$0")/.."
ctest --test-dir build --output-on-failure -j "$(nproc)"
