#!/bin/bash
# Exit status 0 / 1 / 2 of the contract, usage messages, --help and --version.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$JM" --version
expect_grep "^journeymap [0-9]" "$WORK/.stdout"
expect_status 0 "$JM" --help
expect_grep "journeymap render" "$WORK/.stdout"
expect_status 2 "$JM"
expect_status 2 "$JM" frobnicate x.json
expect_grep "unknown command" "$WORK/err"
expect_status 2 "$JM" render
expect_status 2 "$JM" render -f gif "$EX/minimal.json"
# The formats named are the library's (jm_format_name), every one of them.
expect_grep "unknown format 'gif' (png, svg, pdf, json, html)" "$WORK/err"
expect_status 2 "$JM" render --scale 0 "$EX/minimal.json"
expect_status 2 "$JM" render --state sideways "$EX/minimal.json"
expect_status 2 "$JM" render -o a.png "$EX/minimal.json" "$EX/minimal.json"
expect_status 2 "$JM" render -o - "$EX/minimal.json"
expect_grep "needs -f png|svg|pdf|json|html" "$WORK/err"
expect_status 2 "$JM" render -o map.gif "$EX/minimal.json"
expect_grep "use -f png|svg|pdf|json|html" "$WORK/err"

# Valid input renders (0); invalid input is 1 with FILE:LINE:COL messages.
expect_status 0 "$JM" render -q -o "$WORK/m.svg" "$EX/minimal.json"
[ -s "$WORK/m.svg" ] && pass || fail "no SVG written"
printf '{"journeymap": 1, "title": "x", "stages": []}' >"$WORK/bad.json"
expect_status 1 "$JM" render -o "$WORK/bad.png" "$WORK/bad.json"
expect_grep "bad.json:1:[0-9]*: error: /stages" "$WORK/err"
[ ! -e "$WORK/bad.png" ] && pass || fail "invalid input left an output file"
expect_status 1 "$JM" validate "$WORK/bad.json"
expect_status 0 "$JM" validate "$EX/minimal.json"
expect_status 1 "$JM" render -o "$WORK/x.png" "$WORK/does-not-exist.json"
expect_grep "does-not-exist.json: error: cannot open" "$WORK/err"

# Standard input and output.
expect_status 0 sh -c "\"$JM\" render -f svg -o - - <\"$EX/minimal.json\" >\"$WORK/stdout.svg\""
head -c 200 "$WORK/stdout.svg" | grep -q "<svg" && pass || fail "stdout is not SVG"
expect_status 0 sh -c "\"$JM\" render -f json -o - \"$EX/minimal.json\" | grep -q '\"elements\"'"
finish
