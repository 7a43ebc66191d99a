#!/bin/bash
# Batch: -d with many inputs of mixed kinds, -j, one failing input does not stop the rest.
. "$(dirname "$0")/lib.sh"

mkdir "$WORK/out"
printf '{"journeymap": 1, "title": "x"}' >"$WORK/broken.json"
inputs=$(ls "$EX"/*.json "$EX"/*.mmd "$EX"/*.csv 2>/dev/null)
n=$(echo "$inputs" | wc -l)
# shellcheck disable=SC2086
expect_status 1 "$JM" render -j 2 -f svg -d "$WORK/out" $inputs "$WORK/broken.json"
expect_grep "broken.json:1:1: error" "$WORK/err"
expect_grep "rendered $n of $((n + 1)) maps" "$WORK/err"
got=$(ls "$WORK/out" | wc -l)
[ "$got" -eq "$n" ] && pass || fail "wrote $got files for $n good inputs"
[ ! -e "$WORK/out/broken.svg" ] && pass || fail "broken input produced output"
# -q: no summary; -j 1 gives the same files.
mkdir "$WORK/out1"
# shellcheck disable=SC2086
expect_status 0 "$JM" render -q -j 1 -f svg -d "$WORK/out1" $inputs
[ ! -s "$WORK/err" ] && pass || fail "-q still printed: $(cat "$WORK/err")"
for f in "$WORK"/out1/*.svg; do
    cmp -s "$f" "$WORK/out/$(basename "$f")" && pass || fail "$(basename "$f") differs between -j 1 and -j 2"
done
expect_status 1 "$JM" render -d "$WORK/nope" "$EX/minimal.json"
expect_grep "not a folder" "$WORK/err"
finish
