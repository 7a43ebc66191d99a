#!/bin/bash
# validate's "ok" line counts touchpoints in correct English: 1 touchpoint, 0 and 4 touchpoints.
. "$(dirname "$0")/lib.sh"

one() { # N: a map with N touchpoints
    printf '{"journeymap": 1, "title": "t", "stages": [{"id": "s", "name": "S"}], "touchpoints": ['
    for i in $(seq 1 "$1"); do
        [ "$i" -gt 1 ] && printf ','
        printf '{"stage": "s", "channel": "web", "name": "T%d"}' "$i"
    done
    printf ']}\n'
}
one 1 >"$WORK/one.json"
expect_status 0 "$JM" validate "$WORK/one.json"
grep -qx "$WORK/one.json: ok (1 touchpoint)" "$WORK/.stdout" && pass || fail "got: $(cat "$WORK/.stdout")"
expect_status 0 "$JM" validate "$EX/minimal.json"
grep -qx "$EX/minimal.json: ok (4 touchpoints)" "$WORK/.stdout" && pass || fail "got: $(cat "$WORK/.stdout")"
one 0 >"$WORK/none.json"
if "$JM" validate "$WORK/none.json" >"$WORK/.stdout" 2>"$WORK/err"; then
    grep -qx "$WORK/none.json: ok (0 touchpoints)" "$WORK/.stdout" && pass || fail "got: $(cat "$WORK/.stdout")"
fi
finish
