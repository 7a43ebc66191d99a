#!/bin/bash
# journeymap watch: an edit of the input (in place, or by writing a new file and renaming it as
# editors do), of its theme file, its photo or a --data file, shows in the output; a bad edit
# prints its error in FILE:LINE:COL form and leaves the last good output byte for byte; SIGTERM
# and SIGINT end it with status 0 and no temporary file. Nothing here waits a fixed time: every
# wait polls for what it expects, up to a generous bound, so a loaded machine is slower but not
# failing.
. "$(dirname "$0")/lib.sh"

GOOD_PHOTO=$ROOT/tests/golden/valid/persona-photo/anna.png
OTHER_PHOTO=$ROOT/tests/schema/valid/photo.png

# wait_for DESCRIPTION CMD...: polls CMD every 50 ms for up to 60 s; fails with DESCRIPTION.
wait_for() {
    what=$1
    shift
    for _ in $(seq "${JM_TEST_WAIT_STEPS:-1200}"); do
        "$@" && { pass; return 0; }
        sleep 0.05
    done
    fail "timed out waiting for $what"
    return 1
}

# The checks wait_for polls.
contains() { [ -f "$2" ] && grep -q -- "$1" "$2"; }       # TEXT FILE
differs() { ! cmp -s "$1" "$2"; }                          # FILE1 FILE2
count_at_least() { [ "$(grep -c -- "$1" "$2")" -ge "$3" ]; } # PATTERN FILE N

# model TITLE: a valid model with a theme file and a photo in a subfolder.
model() {
    cat <<EOF
{
  "journeymap": 1,
  "title": "$1",
  "theme": "brand.json",
  "persona": {"name": "Anna", "photo": "photos/anna.png"},
  "stages": [{"id": "a", "name": "Arrive"}, {"id": "b", "name": "Buy"}],
  "touchpoints": [{"stage": "a", "name": "Sees the shop", "emotion": 1},
                  {"stage": "b", "name": "Pays", "emotion": -1}]
}
EOF
}

# start_watch LOG ARGS...: journeymap watch in the background; $pid is set. Job control (set -m)
# keeps SIGINT as it is: a script's background job would ignore it otherwise.
start_watch() {
    log=$1
    shift
    set -m
    "$JM" watch "$@" 2>"$log" &
    pid=$!
    set +m
}

gone() { ! kill -0 "$pid" 2>/dev/null; }

# When a watcher never rendered, nothing after can pass: stop here rather than time out again
# and again.
give_up() {
    cat "$log" >&2
    kill -KILL "$pid" 2>/dev/null
    finish
    exit 1
}

# stop_watch SIGNAL NAME: signals the watcher, which must end with 0 and leave no temporary file.
stop_watch() {
    kill -"$1" "$pid"
    wait_for "watch to end after SIG$1" gone || kill -KILL "$pid"
    wait "$pid"
    status=$?
    [ "$status" -eq 0 ] && pass || fail "$2: SIG$1 ended watch with status $status, want 0"
    temps=$(find "$WORK" -name '.*.jm-*' | wc -l)
    [ "$temps" -eq 0 ] && pass || fail "$2: $temps temporary file(s) left"
}

# ---- 1. One input, its theme file and photo ----------------------------------------------
mkdir -p "$WORK/one/photos"
cd "$WORK/one" || exit 1
model "First title" >map.json
echo '{"grid": "#94A3B8"}' >brand.json
cp "$GOOD_PHOTO" photos/anna.png
log=$WORK/log1 # outside the folders watched: its writes are no change of the map's
start_watch "$log" map.json -o map.svg
wait_for "the first render" contains "First title" map.svg || give_up

# An edit in place (the same file written over, as some editors and `>` do).
ino=$(stat -c %i map.json)
model "Second title" >map.json
[ "$(stat -c %i map.json)" = "$ino" ] || fail "the in-place edit replaced the file"
wait_for "the in-place edit" contains "Second title" map.svg

# An edit saved as editors do: a new file renamed over the old one.
model "Third title" >.map.json.swp
mv .map.json.swp map.json
wait_for "the edit saved by rename" contains "Third title" map.svg

# A bad edit: its error, in FILE:LINE:COL form, and the last good output kept byte for byte.
cp map.svg good.svg
model "Fourth title" | sed 's/"emotion": -1/"emotion": "low"/' >map.json
wait_for "the bad edit's error" count_at_least '^map\.json:8:[0-9]*: error: /touchpoints/1/emotion' "$log" 1
cmp -s map.svg good.svg && pass || fail "a bad edit changed the output"
wait_for "the note that the output is kept" contains 'map.svg is left as it was' "$log"

# The same bad input saved by rename, then fixed: the error again, then the new map.
model "Fourth title" | sed 's/"emotion": -1/"emotion": "low"/' >.tmp && mv .tmp map.json
wait_for "the bad edit's error again" count_at_least '^map\.json:8:[0-9]*: error:' "$log" 2
cmp -s map.svg good.svg && pass || fail "the second bad edit changed the output"
model "Fifth title" >map.json
wait_for "the fixed input" contains "Fifth title" map.svg

# The theme file the model names, and the photo: each change renders again.
cp map.svg before-theme.svg
echo '{"grid": "#94A3B8", "background": "#fff8e1"}' >brand.json
wait_for "the theme file's change" differs map.svg before-theme.svg
contains 'FFF8E1' map.svg && pass || fail "the new theme's background is not in the output"
cp map.svg before-photo.svg
cp "$OTHER_PHOTO" photos/anna.png.new && mv photos/anna.png.new photos/anna.png
wait_for "the photo's change" differs map.svg before-photo.svg

# A theme file that breaks: its error, and the output kept.
cp map.svg before-bad-theme.svg
echo '{"grid": 5}' >brand.json
wait_for "the bad theme's error" count_at_least 'brand\.json:1:[0-9]*: error: /grid' "$log" 1
cmp -s map.svg before-bad-theme.svg && pass || fail "a bad theme changed the output"

stop_watch TERM "one input"

# ---- 2. Several inputs into a folder, HTML, a --theme file -------------------------------
mkdir -p "$WORK/two/out" "$WORK/two/themes"
cd "$WORK/two" || exit 1
cp "$EX/minimal.json" a.json
cp "$EX/working-day.mmd" b.mmd
echo '{"background": "#ffffff"}' >themes/t.json
log=$WORK/log2
start_watch "$log" -d out -f html --theme themes/t.json a.json b.mmd
wait_for "the first renders" test -s out/b.html || give_up
wait_for "the first renders" test -s out/a.html || give_up
cp out/a.html a0.html
cp out/b.html b0.html
echo '{"background": "#fff8e1"}' >themes/t.json
wait_for "a.html after the --theme file's change" contains 'FFF8E1' out/a.html
wait_for "b.html after the --theme file's change" contains 'FFF8E1' out/b.html
# Only the input edited is rendered again.
cp out/a.html a1.html
sed 's/title My working day/title A working day/' b.mmd >b.tmp && mv b.tmp b.mmd
wait_for "the Mermaid edit" contains 'A working day' out/b.html
cmp -s out/a.html a1.html && pass || fail "an edit of b.mmd changed a.html"
[ "$(grep -c '^a\.json: wrote' "$log")" -eq 2 ] && pass || fail "a.json was rendered other than twice"
stop_watch INT "several inputs"

# ---- 3. A photo missing at first, then added: the map renders without another edit ---------
mkdir -p "$WORK/three/photos"
cd "$WORK/three" || exit 1
model "Late photo" >map.json
echo '{}' >brand.json
log=$WORK/log3
start_watch "$log" map.json -o map.png
wait_for "the missing photo's error" contains 'photo "photos/anna.png" not found' "$log" || give_up
[ ! -e map.png ] && pass || fail "a map without its photo was written"
cp "$GOOD_PHOTO" photos/anna.png
wait_for "the render once the photo is there" test -s map.png
stop_watch TERM "late photo"

# ---- 3b. A --data file: read again with each load, so its change renders again -------------
mkdir -p "$WORK/data"
cd "$WORK/data" || exit 1
cp "$ROOT/tests/golden/valid/data-survey/input.json" \
    "$ROOT/tests/golden/valid/data-survey/responses.csv" .
log=$WORK/log3b
start_watch "$log" --data responses.csv --data-scale 1..5 -f json -o map.json input.json
wait_for "the first render with data" test -s map.json || give_up
cp map.json before-data.json
sed 's/^r117,followup,3,/r117,followup,1,/' responses.csv >responses.tmp # a score changed
mv responses.tmp responses.csv
wait_for "the data file's change" differs map.json before-data.json
stop_watch TERM "data file"

# ---- 4. Usage -----------------------------------------------------------------------------
cd "$WORK" || exit 1
expect_status 2 "$JM" watch -f svg -
expect_grep 'cannot watch standard input' "$WORK/err"
expect_status 2 "$JM" watch -o - -f svg three/map.json
expect_grep 'give -o FILE or -d DIR' "$WORK/err"
expect_status 2 "$JM" watch -o x.svg one/map.json two/a.json
"$JM" --help | grep -q 'journeymap watch' && pass || fail "--help does not list watch"

# An output that would replace the theme file it is made from would render without end: it is
# an error, and the theme file stays.
cd "$WORK/two" || exit 1
cp themes/t.json t0.json
log=$WORK/log4
start_watch "$log" -f json --theme themes/t.json -o themes/t.json a.json
wait_for "the error of an output over the theme" contains 'would replace themes/t.json' "$log"
stop_watch TERM "output over the theme"
cmp -s themes/t.json t0.json && pass || fail "the theme file was replaced"
finish
