#!/bin/bash
# --layout: the layout JSON says which layout was drawn; auto picks the overview for a dense map
# (more than 5 touchpoints a stage) and the detail layout otherwise; an unknown layout is a
# usage error (exit 2) that writes nothing.
. "$(dirname "$0")/lib.sh"

layout_of() { sed -n '1s/.*"layout": "\([a-z]*\)".*/\1/p' "$1"; }

for l in detail overview; do
    expect_status 0 "$JM" render --layout $l -f json -o "$WORK/$l.json" "$EX/minimal.json"
    [ "$(layout_of "$WORK/$l.json")" = $l ] && pass || fail "--layout $l drew $(layout_of "$WORK/$l.json")"
done
expect_status 0 "$JM" render -f json -o "$WORK/dense.json" "$EX/dense-journey.json"
[ "$(layout_of "$WORK/dense.json")" = overview ] && pass || fail "auto drew the dense map in detail"
expect_status 0 "$JM" render --layout auto -f json -o "$WORK/store.json" "$EX/online-store.json"
[ "$(layout_of "$WORK/store.json")" = detail ] && pass || fail "auto drew online-store in overview"
expect_status 2 "$JM" render --layout wide -o "$WORK/bad.png" "$EX/minimal.json"
expect_grep "unknown layout 'wide' (auto, detail, overview)" "$WORK/err"
[ ! -e "$WORK/bad.png" ] && pass || fail "a usage error wrote a file"
finish
