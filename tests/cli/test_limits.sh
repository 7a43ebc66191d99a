#!/bin/bash
# Limits (SECURITY.md, "Limits"): each is accepted at the limit where that is cheap to check,
# refused one past it with a clear error naming the limit, and nothing is written. The PNG size
# limits name the largest --scale that fits. Time grows linearly with the input.
. "$(dirname "$0")/lib.sh"

# gen_map STAGES TOUCHPOINTS CHANNELS PERSONAS [EXTRA]: a JSON model of that size; EXTRA is
# inserted as top-level members.
gen_map() {
    awk -v S="$1" -v N="$2" -v C="$3" -v P="$4" -v X="${5:-}" 'BEGIN {
        printf "{\"journeymap\": 1, \"title\": \"Limits\",%s\n \"stages\": [", X
        for (i = 0; i < S; i++)
            printf "%s{\"id\": \"s%d\", \"name\": \"Stage %d\"}", (i ? ", " : ""), i, i
        printf "],\n \"channels\": ["
        for (i = 0; i < C; i++)
            printf "%s{\"id\": \"c%d\", \"name\": \"Channel %d\"}", (i ? ", " : ""), i, i
        printf "],\n \"personas\": ["
        for (i = 0; i < P; i++)
            printf "%s{\"id\": \"p%d\", \"name\": \"P%d\"}", (i ? ", " : ""), i, i
        printf "],\n \"touchpoints\": ["
        for (i = 0; i < N; i++)
            printf "%s\n  {\"stage\": \"s%d\",%s \"name\": \"Touchpoint %d\", " \
                "\"emotion\": %d, \"thought\": \"Thinks %d\"}", (i ? "," : ""), i % S,
                (C ? sprintf(" \"channel\": \"c%d\",", i % C) : ""), i, i % 5 - 2, i
        printf "]}\n"
    }'
}

# refused NAME FILE PATTERN [ARGS...]: validate fails (1) with PATTERN in the message, and
# render writes nothing.
refused() {
    name=$1 file=$2 pattern=$3
    shift 3
    expect_status 1 "$JM" validate "$@" "$file"
    expect_grep "$pattern" "$WORK/err"
    expect_status 1 "$JM" render -q -f svg -o "$WORK/out.svg" "$@" "$file"
    if [ -e "$WORK/out.svg" ]; then
        fail "$name: an output was written"
        rm -f "$WORK/out.svg"
    else
        pass
    fi
}

# ---- Input size: 64 MiB (a sparse file costs nothing to make) ------------------------------
truncate -s $((64 * 1024 * 1024 + 1)) "$WORK/huge.json"
refused "input size" "$WORK/huge.json" \
    "huge.json: error: input is larger than the limit of 67108864 bytes"
expect_status 1 sh -c '"$0" validate - <"$1"' "$JM" "$WORK/huge.json"
expect_grep "larger than the limit of 67108864 bytes" "$WORK/err"
mv "$WORK/huge.json" "$WORK/huge.csv"
refused "input size (CSV)" "$WORK/huge.csv" "larger than the limit of 67108864 bytes"
rm -f "$WORK/huge.csv"

# ---- Nesting depth: 64 levels of objects and arrays ----------------------------------------
nest() { # LEVELS: the model holds an unknown key whose value nests LEVELS-1 more arrays
    printf '{"journeymap": 1, "title": "T", "stages": [{"id": "a", "name": "A"}], "x": '
    for _ in $(seq $(($1 - 1))); do printf '['; done
    for _ in $(seq $(($1 - 1))); do printf ']'; done
    printf '}\n'
}
nest 64 >"$WORK/deep64.json"
expect_status 0 "$JM" validate "$WORK/deep64.json"
nest 65 >"$WORK/deep65.json"
refused "depth" "$WORK/deep65.json" \
    "deep65.json:1:[0-9]*: error: /x/[0-9/]*: nesting too deep: more than 64 levels"

# ---- String length: 64 KiB -----------------------------------------------------------------
long() { head -c "$1" /dev/zero | tr '\0' x; }
printf '{"journeymap": 1, "title": "%s", "stages": [{"id": "a", "name": "A"}]}' "$(long 65536)" \
    >"$WORK/title64k.json"
expect_status 0 "$JM" validate "$WORK/title64k.json"
printf '{"journeymap": 1, "title": "%s", "stages": [{"id": "a", "name": "A"}]}' "$(long 65537)" \
    >"$WORK/title.json"
refused "string (JSON)" "$WORK/title.json" \
    "title.json:1:[0-9]*: error: /title: text too long: 65537 bytes (the limit is 65536)"
printf 'journey\nsection A\n%s: 5: Me\n' "$(long 65537)" >"$WORK/task.mmd"
refused "string (Mermaid)" "$WORK/task.mmd" \
    "task.mmd:3:1: error: text is longer than the limit of 65536 bytes"
printf 'stage,name\nA,%s\n' "$(long 65537)" >"$WORK/cell.csv"
refused "string (CSV)" "$WORK/cell.csv" \
    "cell.csv:2:3: error: row 1: the name is longer than the limit of 65536 bytes"

# ---- Counts --------------------------------------------------------------------------------
gen_map 500 1 1 0 >"$WORK/stages500.json"
expect_status 0 "$JM" validate "$WORK/stages500.json"
gen_map 501 1 1 0 >"$WORK/stages.json"
refused "stages" "$WORK/stages.json" "error: /stages: too many stages: 501 (the limit is 500)"
{
    echo journey
    for i in $(seq 501); do echo "section S$i"; done
    echo "T: 3"
} >"$WORK/sections.mmd"
refused "sections" "$WORK/sections.mmd" \
    "sections.mmd:502:1: error: too many sections (the limit is 500)"
{ echo stage,name; for i in $(seq 501); do echo "S$i,T"; done; } >"$WORK/stages.csv"
refused "stages (CSV)" "$WORK/stages.csv" "row 501: too many stages (the limit is 500)"

gen_map 1 100001 0 0 >"$WORK/touchpoints.json"
refused "touchpoints" "$WORK/touchpoints.json" \
    "error: /touchpoints: too many touchpoints: 100001 (the limit is 100000)"

gen_map 1 1 1 51 >"$WORK/personas.json"
refused "personas" "$WORK/personas.json" "error: /personas: too many personas: 51 (the limit is 50)"
{ echo journey; echo "section A"; printf 'T: 3: '; for i in $(seq 51); do printf 'A%d, ' "$i"; done
  echo; } >"$WORK/actors.mmd"
refused "actors" "$WORK/actors.mmd" "actors.mmd:3:[0-9]*: error: too many actors (the limit is 50)"

gen_map 1 1 501 0 >"$WORK/channels.json"
refused "channels" "$WORK/channels.json" \
    "error: /channels: too many channels: 501 (the limit is 500)"

# Touchpoints × personas: each pair is an emotion point per state.
gen_map 10 4000 5 50 >"$WORK/points-ok.json"
expect_status 0 "$JM" validate "$WORK/points-ok.json"
gen_map 10 4001 5 50 >"$WORK/points.json"
refused "emotion points" "$WORK/points.json" "error: /touchpoints: too many touchpoints for 50 \
personas: 4001 × 50 emotion points (the limit is 200000"

metrics=$(awk 'BEGIN {
    for (i = 0; i < 65; i++) printf "%s{\"name\": \"m%d\", \"value\": 1}", (i ? ", " : ""), i
}')
printf '{"journeymap": 1, "title": "T", "stages": [{"id": "a", "name": "A", "metrics": [%s]}]}' \
    "$metrics" >"$WORK/metrics.json"
refused "metrics" "$WORK/metrics.json" \
    "error: /stages/0/metrics: too many metrics: 65 (the limit is 64)"
questions=$(awk 'BEGIN { for (i = 0; i < 201; i++) printf "%s\"q%d\"", (i ? ", " : ""), i }')
printf '{"journeymap": 1, "title": "T", "stages": [{"id": "a", "name": "A", "questions": [%s]}]}' \
    "$questions" >"$WORK/list.json"
refused "list" "$WORK/list.json" \
    "error: /stages/0/questions: too many entries: 201 (the limit is 200)"

# Problems reported per input: at most 10000, then one line says the rest were left out.
awk 'BEGIN {
    printf "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": \"A\"}]";
    for (i = 0; i < 12000; i++) printf ", \"k%d\": 1", i; print "}" }' >"$WORK/keys.json"
expect_status 0 "$JM" validate "$WORK/keys.json"
[ "$(grep -c 'unknown key' "$WORK/err")" -eq 10000 ] && pass || fail "problems are not capped"
expect_grep "keys.json: warning: too many problems: only the first 10000 are listed" "$WORK/err"

# ---- Raster size: 32767 px a side, 300 megapixels ------------------------------------------
gen_map 30 30 1 0 >"$WORK/wide.json" # about 5200 pt wide
expect_status 1 "$JM" render --scale 16 -o "$WORK/wide.png" "$WORK/wide.json"
side="at --scale 16 the PNG would be [0-9]*×[0-9]* px, over the 32767 px limit of a side"
expect_grep "wide.json: error: map is [0-9.]*×[0-9.]* pt; $side; use a smaller --scale (at most \
[0-9.]*) or SVG/PDF" "$WORK/err"
[ ! -e "$WORK/wide.png" ] && pass || fail "an over-large PNG was written"
gen_map 1 100 100 0 >"$WORK/square.json" # about 16000 × 5600 pt in detail
expect_status 1 "$JM" render --layout detail --scale 2 -o "$WORK/square.png" "$WORK/square.json"
expect_grep "over the 300-megapixel limit; use a smaller --scale (at most [0-9.]*) or SVG/PDF" \
    "$WORK/err"
[ ! -e "$WORK/square.png" ] && pass || fail "an over-large PNG was written"
# Without --scale, a map too large for a PNG at the default 2 is drawn at the largest scale that
# fits, with a warning naming it (validate calls it ok, so render must draw it); the same scale
# given explicitly stays an error.
gen_map 110 110 0 0 >"$WORK/wider.json" # about 18400 pt wide: 36900 px at --scale 2
expect_status 0 "$JM" validate -q "$WORK/wider.json"
expect_status 0 "$JM" render -o "$WORK/wider.png" "$WORK/wider.json"
expect_grep "wider.json: warning: map is [0-9.]*×[0-9.]* pt, too large for a PNG at the default \
--scale 2 (32767 px a side, 300 megapixels at most); drawn at --scale 1\.[0-9]* ([0-9]*×[0-9]* px)" \
    "$WORK/err"
png_width=$(od -An -tu1 -j16 -N4 "$WORK/wider.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
[ "${png_width:-0}" -gt 30000 ] && [ "$png_width" -le 32767 ] && pass ||
    fail "the lowered PNG is ${png_width:-no} px wide, want 30000 to 32767"
expect_status 1 "$JM" render --scale 2 -o "$WORK/wider2.png" "$WORK/wider.json"
expect_grep "use a smaller --scale (at most 1\.[0-9]*) or SVG/PDF" "$WORK/err"
[ ! -e "$WORK/wider2.png" ] && pass || fail "an over-large PNG was written with --scale 2"
# The same maps as SVG have no such limit.
expect_status 0 "$JM" render -q -o "$WORK/wide.svg" "$WORK/wide.json"
# The scale option itself: above 0, at most 16.
expect_status 2 "$JM" render --scale 17 -o "$WORK/x.png" "$EX/minimal.json"
expect_grep "at most 16" "$WORK/err"

# ---- Time: linear in the input --------------------------------------------------------------
# Four times the touchpoints (with personas, so the emotion curves grow too) must cost less
# than eight times the CPU time; quadratic work would cost sixteen.
cpu() { # FILE LAYOUT: user+system CPU seconds of a layout, in milliseconds
    TIMEFORMAT='%3U %3S'
    t=$( { time "$JM" render -q --layout "$2" -f json -o "$WORK/t.json" "$1" 2>/dev/null; } 2>&1 )
    echo "$t" | awk '{ printf "%d\n", ($1 + $2) * 1000 }'
}
gen_map 20 1500 10 5 >"$WORK/n1.json"
gen_map 20 6000 10 5 >"$WORK/n4.json"
cpu "$WORK/n1.json" detail >/dev/null # warm the page cache
for layout in detail overview; do
    t1=$(cpu "$WORK/n1.json" $layout)
    t4=$(cpu "$WORK/n4.json" $layout)
    [ "$t4" -lt $((8 * (t1 + 20))) ] && pass ||
        fail "$layout layout time is superlinear: ${t1} ms, then ${t4} ms for 4×"
    echo "$layout layout of 1500 and 6000 touchpoints: ${t1} ms and ${t4} ms of CPU"
done
finish
