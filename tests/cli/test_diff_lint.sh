#!/bin/bash
# diff and lint on the command line: usage errors, exit statuses, standard input, quiet, the
# rule list. The reports themselves are golden cases (tests/golden/diff, tests/golden/lint).
. "$(dirname "$0")/lib.sh"

# diff: 0 same, 1 different, 2 trouble
expect_status 0 "$JM" diff "$EX/minimal.json" "$EX/minimal.json"
[ ! -s "$WORK/.stdout" ] && pass || fail "diff of a map with itself printed something"
expect_status 1 "$JM" diff "$EX/minimal.json" "$EX/online-store.json"
expect_grep "online-store.json:[0-9]*:[0-9]*: stage " "$WORK/.stdout"
expect_status 1 "$JM" diff -q "$EX/minimal.json" "$EX/online-store.json"
[ ! -s "$WORK/.stdout" ] && pass || fail "diff -q printed something"
expect_status 2 "$JM" diff "$EX/minimal.json"
expect_grep "diff takes two inputs" "$WORK/err"
expect_status 2 "$JM" diff "$EX/minimal.json" "$EX/minimal.json" "$EX/minimal.json"
expect_status 2 "$JM" diff "$EX/minimal.json" "$WORK/does-not-exist.json"
# -o: the change map, in any drawn format; the report is still printed
G=$ROOT/tests/golden/diff/json-changes
expect_status 1 "$JM" diff -o "$WORK/change.svg" "$G/old.json" "$G/new.json"
expect_grep "stage \"Wait\" removed" "$WORK/.stdout"
for mark in "+ New" "− Removed" "→ Moved" "Δ Changed" "Changes: old.json → new.json"; do
    expect_grep "$mark" "$WORK/change.svg"
done
# a stage's metric with its old value and its change, as a touchpoint's
# (the layout joins these with no-break spaces: spelled out as bytes, since under the C locale
# of a clean CI environment grep's '.' matches one byte, not U+00A0's two)
NBSP=$'\xc2\xa0'
expect_grep ">61% → 74% (target${NBSP}85%)<" "$WORK/change.svg"
expect_grep ">▲${NBSP}+13${NBSP}pp<" "$WORK/change.svg"
expect_status 1 "$JM" diff -q -o "$WORK/change.pdf" "$G/old.json" "$G/new.json"
[ -s "$WORK/change.pdf" ] && pass || fail "no change map PDF"
expect_status 0 "$JM" diff -q -f png -o "$WORK/same" "$EX/minimal.json" "$EX/minimal.json"
[ -s "$WORK/same" ] && pass || fail "no change map for two equal maps"
expect_status 2 "$JM" diff -o "$WORK/c.json" "$EX/minimal.json" "$EX/minimal.json"
expect_grep "change map" "$WORK/err"
expect_status 2 "$JM" diff -o - -f png "$EX/minimal.json" "$EX/minimal.json"
cp "$EX/minimal.json" "$WORK/m.json"
expect_status 2 "$JM" diff -f png -o "$WORK/m.json" "$WORK/m.json" "$EX/minimal.json"
expect_grep "overwrite an input" "$WORK/err"
cmp -s "$WORK/m.json" "$EX/minimal.json" && pass || fail "diff -o overwrote its input"
expect_status 2 "$JM" diff -d "$WORK" "$EX/minimal.json" "$EX/minimal.json"
# a Mermaid journey on standard input against its JSON conversion: the same map
"$JM" convert "$EX/working-day.mmd" -o "$WORK/wd.json"
expect_status 0 sh -c '"$1" diff --from mermaid - "$2" <"$3"' sh "$JM" "$WORK/wd.json" "$EX/working-day.mmd"
# --json is one JSON document whatever the result
expect_status 1 "$JM" diff --json "$EX/minimal.json" "$EX/online-store.json"
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$WORK/.stdout" && pass ||
    fail "diff --json is not JSON"

# lint: 0 no error-level finding, 1 some, 2 trouble
expect_status 0 "$JM" lint "$EX/minimal.json"
expect_grep "minimal.json:12:5: warning: /touchpoints/2: .* \[pain-without-opportunity\]" "$WORK/.stdout"
expect_status 1 "$JM" lint --rule pain-without-opportunity=error "$EX/minimal.json"
expect_grep ": error: .*\[pain-without-opportunity\]" "$WORK/.stdout"
expect_status 0 "$JM" lint --rule all=off "$EX/minimal.json"
[ ! -s "$WORK/.stdout" ] && pass || fail "lint --rule all=off printed findings"
# the last setting of a rule wins
expect_status 0 "$JM" lint --rule all=error --rule all=off "$EX/minimal.json"
expect_status 2 "$JM" lint --rule pain-without-oportunity=error "$EX/minimal.json"
expect_grep "did you mean 'pain-without-opportunity'" "$WORK/err"
expect_status 2 "$JM" lint --rule empty-stage=loud "$EX/minimal.json"
expect_status 2 "$JM" lint -f xml "$EX/minimal.json"
expect_status 2 "$JM" lint
# an input that does not load is trouble, and the others are still checked
printf '{"journeymap": 1}' >"$WORK/bad.json"
expect_status 2 "$JM" lint --rule all=error "$WORK/bad.json" "$EX/minimal.json"
expect_grep "minimal.json:12:5: error:" "$WORK/.stdout"
expect_grep "bad.json:1:1: error:" "$WORK/err"
# the model's "lint" key survives convert: the converted map gives the same findings
L=$ROOT/tests/golden/lint/model-settings
"$JM" convert "$L/input.json" -o "$WORK/settings.json"
expect_grep '"pain-without-opportunity": "error"' "$WORK/settings.json"
expect_status 1 "$JM" lint "$WORK/settings.json"
sed 's/^[^:]*:[0-9]*:[0-9]*: //' "$L/expected" >"$WORK/want"
sed 's/^[^:]*:[0-9]*:[0-9]*: //' "$WORK/.stdout" >"$WORK/got"
cmp -s "$WORK/want" "$WORK/got" && pass || fail "lint of the converted map: $(diff "$WORK/want" "$WORK/got")"
# -o: the map drawn with its findings marked and listed; the report is still printed and the
# exit status is lint's
A=$ROOT/tests/golden/lint/all-rules
expect_status 0 "$JM" lint --rule touchpoint-without-id=warning -o "$WORK/lint.svg" "$A/input.json"
sed "s|^$A/||" "$WORK/.stdout" | cmp -s - "$A/expected" && pass || fail "lint -o changed the report"
expect_grep "Lint findings: 13 warnings, 4 notes" "$WORK/lint.svg"
expect_grep "<title>1. warning \[persona-without-emotion\]: persona &quot;Sam&quot;" "$WORK/lint.svg"
expect_grep "unused-channel · .*not on the map" "$WORK/lint.svg"
[ "$(grep -c '<title>[0-9]*\. ' "$WORK/lint.svg")" = 16 ] && pass ||
    fail "lint -o: not 16 markers (the unused channel is not drawn)"
expect_status 1 "$JM" lint -q --rule pain-without-opportunity=error -o "$WORK/lint.png" "$EX/minimal.json"
[ "$(head -c 4 "$WORK/lint.png" | tail -c 3)" = PNG ] && pass || fail "lint -o: no PNG"
expect_status 0 "$JM" lint -f json -o "$WORK/lint.pdf" "$EX/minimal.json"
expect_grep '"findings"' "$WORK/.stdout" && [ -s "$WORK/lint.pdf" ] && pass || fail "lint -o: no PDF"
for bad in "-o $WORK/l.json" "-o -" "-d $WORK" "-o $WORK/l.png --pages 2" "-o $WORK/l.png $EX/minimal.json"; do
    # shellcheck disable=SC2086
    expect_status 2 "$JM" lint $bad "$EX/minimal.json"
done
[ ! -e "$WORK/l.json" ] && [ ! -e "$WORK/l.png" ] && pass || fail "lint -o wrote a file on bad usage"
expect_status 2 "$JM" lint -o "$WORK/bad.png" "$WORK/bad.json"
[ ! -e "$WORK/bad.png" ] && pass || fail "lint -o drew a map that does not load"
# --list-rules: every rule with its default level and rationale
expect_status 0 "$JM" lint --list-rules
expect_grep "^empty-stage  *warning  *A stage" "$WORK/.stdout"
expect_grep "^long-thought .*long-thought.max_words=25" "$WORK/.stdout"
[ "$(wc -l <"$WORK/.stdout")" -ge 15 ] && pass || fail "--list-rules lists fewer than 15 rules"
expect_status 2 "$JM" lint --list-rules --rule nope=off
# the help names both commands
expect_status 0 "$JM" --help
expect_grep "journeymap diff" "$WORK/.stdout"
expect_grep "journeymap lint" "$WORK/.stdout"
finish
