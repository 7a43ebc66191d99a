#!/bin/sh
# Fails when a function in src/ is longer than LIMIT lines (its body, from the opening brace to
# the closing one) without a reason: a comment above it with a sentence starting "Long:".
# Functions are found as clang-format lays them out: the signature, then "{" and "}" in
# column 0. Usage: scripts/check-function-length.sh [LIMIT] (default 100).
set -eu
cd "$(dirname "$0")/.."
limit=${1:-100}
status=0
for f in $(find src -name '*.c' | sort); do
    awk -v file="$f" -v limit="$limit" '
        # The comment block and signature before a function: kept until a blank line.
        /^$/ { above = ""; next }
        /^\{$/ && !body { body = 1; start = NR; sig = last; reason = above ~ /Long:/; next }
        /^\}/ && body {
            body = 0
            n = NR - start - 1
            name = sig; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
            if (n > limit && !reason) {
                printf "%s:%d: %s is %d lines (over %d) without a \"Long:\" reason in its comment\n", file, start, name, n, limit
                bad = 1
            }
            above = ""; next
        }
        !body { above = above "\n" $0; if ($0 ~ /\(/) last = $0 }
        END { exit bad }
    ' "$f" || status=1
done
exit $status
