#!/bin/sh
# Fails when a C source differs from what clang-format (.clang-format) would write. Run
# `clang-format -i $(git ls-files '*.c' '*.h' '*.cpp')` to fix. Formatting differs between
# clang-format versions, so only the version the project formats with (14, Debian 12) checks.
set -eu
cd "$(dirname "$0")/.."
version=$(clang-format --version | sed -n 's/.*version \([0-9]*\).*/\1/p')
if [ "$version" != 14 ]; then
    echo "clang-format $version, not 14: not checked"
    exit 0
fi
files=$(find src include tests fuzz bench examples -name '*.c' -o -name '*.h' -o -name '*.cpp' | sort)
# shellcheck disable=SC2086 # one file name per word
clang-format --dry-run --Werror $files
