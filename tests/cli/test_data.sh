#!/bin/bash
# --data and its options: usage errors (exit 2), a data file that cannot be read or is wrong
# (exit 1, nothing written), warnings and validate's notes, the legend's stamp, and the same
# bytes from the same inputs wherever the files are and whenever they were touched.
. "$(dirname "$0")/lib.sh"

G=$ROOT/tests/golden/valid/data-survey
MAP=$G/input.json
DATA=$G/responses.csv

expect_status 2 "$JM" render --data-scale 5..1 -o "$WORK/x.png" "$MAP"
expect_grep "data-scale takes A..B" "$WORK/err"
expect_status 2 "$JM" render --data-scale 1-5 -o "$WORK/x.png" "$MAP"
expect_status 2 "$JM" render --data-min-n 0 -o "$WORK/x.png" "$MAP"
expect_grep "data-min-n takes" "$WORK/err"
expect_status 2 "$JM" validate --data

# A score column without its scale, a missing file: errors, no output file.
expect_status 1 "$JM" render -q --data "$DATA" -o "$WORK/x.png" "$MAP"
expect_grep "responses.csv:1:[0-9]*: error: header row: a score column needs the scale" "$WORK/err"
[ ! -e "$WORK/x.png" ] && pass || fail "an output file despite a data error"
expect_status 1 "$JM" validate --data "$WORK/none.csv" "$MAP"
expect_grep "none.csv: error:" "$WORK/err"

# validate: the unknown touchpoint's row as a warning, a note for each value replaced.
expect_status 0 "$JM" validate --data "$DATA" --data-scale 1..5 "$MAP"
expect_grep "responses.csv:119:6: warning: row 118: the map has no touchpoint with the id \"chat\"" "$WORK/err"
expect_grep "input.json:[0-9]*:[0-9]*: note: /touchpoints/2/emotion: ivr: the data (.*responses.csv, n = 31)" "$WORK/err"
expect_grep "note: /touchpoints/2/metrics/0: ivr: Wait (min): the data" "$WORK/err"
# render: the warning, no notes.
expect_status 0 "$JM" render -q --data "$DATA" --data-scale 1..5 -f json -o "$WORK/a.json" "$MAP"
expect_grep "warning: row 118" "$WORK/err"
if grep -q "note:" "$WORK/err"; then fail "render printed notes"; else pass; fi
expect_grep '"text": "data: responses.csv, 117 responses, 2026-10-01…2026-10-30"' "$WORK/a.json"
expect_grep '"kind": "emotion_spread"' "$WORK/a.json"
expect_grep '"kind": "emotion_n".*"value": 31' "$WORK/a.json"

# The same bytes from a copy elsewhere, touched later: no path, no file time in the output.
mkdir -p "$WORK/copy"
cp "$MAP" "$DATA" "$WORK/copy/"
touch -d '2001-01-01' "$WORK/copy/responses.csv"
jm=$(readlink -f "$JM")
(cd "$WORK/copy" && "$jm" render -q --data responses.csv --data-scale 1..5 -f png -o b.png input.json) 2>/dev/null
"$JM" render -q --data "$DATA" --data-scale 1..5 -f png -o "$WORK/a.png" "$MAP" 2>/dev/null
cmp -s "$WORK/a.png" "$WORK/copy/b.png" && pass || fail "the PNG depends on where or when the data file is"

# --data-date names the period; convert writes the data's values into the model.
expect_status 0 "$JM" render -q --data "$DATA" --data-scale 1..5 --data-date "October 2026" -f json -o "$WORK/c.json" "$MAP"
expect_grep '"text": "data: responses.csv, 117 responses, October 2026"' "$WORK/c.json"
expect_status 0 "$JM" convert --data "$DATA" --data-scale 1..5 "$MAP"
expect_grep '"name": "Wait (min)"' "$WORK/.stdout"
"$JM" convert "$WORK/copy/input.json" 2>/dev/null | grep -q '"emotion": 2,' && pass || fail "the model's own emotion changed"
finish
