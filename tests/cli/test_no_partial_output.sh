#!/bin/bash
# Nothing is lost: an existing output survives a failed render, output = input is refused, no
# temporary files are left behind, a write error is reported.
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

# Missing and read-only folders.
expect_status 1 "$JM" render -o "$WORK/no/such/dir/m.png" "$EX/minimal.json"
expect_grep "cannot write" "$WORK/err"
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$WORK/ro" && chmod 555 "$WORK/ro"
    expect_status 1 "$JM" render -o "$WORK/ro/m.png" "$EX/minimal.json"
fi
# Standard output that cannot be written.
if [ -w /dev/full ]; then
    expect_status 1 sh -c "\"$JM\" render -f svg -o - \"$EX/minimal.json\" >/dev/full"
    expect_grep "cannot write to standard output" "$WORK/err"
fi
leftovers=$(find "$WORK" -name '.*jm-*' | wc -l)
[ "$leftovers" -eq 0 ] && pass || fail "temporary files left: $leftovers"

# Deterministic: the same input gives byte-identical output in every format.
for f in png svg pdf json; do
    "$JM" render -q -o "$WORK/a.$f" "$EX/bank-account-ru.json" &&
        "$JM" render -q -o "$WORK/b.$f" "$EX/bank-account-ru.json" &&
        cmp -s "$WORK/a.$f" "$WORK/b.$f" && pass || fail "$f output differs between runs"
done
finish
