#!/bin/sh
# Fails when a C file in src/ is longer than LIMIT lines without a reason: a comment in its
# first 30 lines with a sentence starting "Long:". A file that long holds more than one job;
# split it along a seam (one header per module, see ARCHITECTURE.md) rather than raise LIMIT.
# Usage: scripts/check-file-length.sh [LIMIT] (default 900).
set -eu
cd "$(dirname "$0")/.."
limit=${1:-900}
status=0
for f in $(find src -name '*.c' -o -name '*.h' | sort); do
    n=$(wc -l <"$f")
    [ "$n" -le "$limit" ] && continue
    head -n 30 "$f" | grep -q 'Long:' && continue
    echo "$f: $n lines (over $limit) without a \"Long:\" reason in its opening comment"
    status=1
done
exit $status
