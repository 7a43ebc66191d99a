#!/bin/bash
# Nothing is lost: an existing output survives a failed render, output = input is refused, no
# temporary files are left behind. Write errors and interrupts: test_write_errors.sh and
# test_signals.sh.
. "$(dirname "$0")/lib.sh"

echo "precious" >"$WORK/keep.png"
printf '{"journeymap": 1, "title": "x", "stages": [' >"$WORK/truncated.json"
expect_status 1 "$JM" render -o "$WORK/keep.png" "$WORK/truncated.json"
[ "$(cat "$WORK/keep.png")" = precious ] && pass || fail "existing output was harmed"

cp "$EX/minimal.json" "$WORK/self.json"
expect_status 1 "$JM" render -f json -o "$WORK/self.json" "$WORK/self.json"
expect_grep "overwrite the input" "$WORK/err"
cmp -s "$EX/minimal.json" "$WORK/self.json" && pass || fail "input was overwritten"

# A theme that fails makes the render fail after loading: still nothing written.
expect_status 1 "$JM" render --theme nosuchtheme -o "$WORK/t.png" "$EX/minimal.json"
expect_grep "unknown theme" "$WORK/err"
[ ! -e "$WORK/t.png" ] && pass || fail "failed render left a file"

# Write errors (missing and read-only folders, a full disk): test_write_errors.sh.
leftovers=$(find "$WORK" -name '.*jm-*' | wc -l)
[ "$leftovers" -eq 0 ] && pass || fail "temporary files left: $leftovers"

# Deterministic: the same input gives byte-identical output in every format.
for f in png svg pdf json; do
    "$JM" render -q -o "$WORK/a.$f" "$EX/bank-account-ru.json" &&
        "$JM" render -q -o "$WORK/b.$f" "$EX/bank-account-ru.json" &&
        cmp -s "$WORK/a.$f" "$WORK/b.$f" && pass || fail "$f output differs between runs"
done
finish
