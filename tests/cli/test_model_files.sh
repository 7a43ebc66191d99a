#!/bin/bash
# Files a model names (SECURITY.md, "Files a model names"): a theme file or a photo must be a
# regular file inside the input's folder, whatever the case of its extension; anything else is
# refused by `validate` and `render` alike, at once (a FIFO never blocks), nothing is written,
# and no message quotes what an outside file holds.
. "$(dirname "$0")/lib.sh"

mkdir "$WORK/maps" "$WORK/outside"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$WORK/outside/passwd"
printf '{"name": "outside-theme"}\n' >"$WORK/outside/theme.json"
cp "$ROOT/tests/golden/valid/persona-photo/anna.png" "$WORK/maps/anna.png"

# map_with THEME PHOTO: a model in maps/ naming that theme file (none when empty) and photo.
map_with() {
    theme=${1:+\"theme\": \"$1\",}
    printf '{"journeymap": 1, "title": "T", %s\n "persona": {"name": "A", "photo": "%s"},\n "stages": [{"id": "a", "name": "A"}],\n "touchpoints": [{"stage": "a", "name": "x"}]}\n' \
        "$theme" "$2" >"$WORK/maps/m.json"
}

# refused THEME PHOTO PATTERN: validate and render fail (1) within seconds with PATTERN, the
# message quotes nothing of the outside files, and no output is written.
refused() {
    map_with "$1" "$2"
    for cmd in validate "render -q -f svg -o $WORK/out.svg"; do
        # shellcheck disable=SC2086
        expect_status 1 timeout 20 "$JM" $cmd "$WORK/maps/m.json"
        expect_grep "$3" "$WORK/err"
        if grep -q 'root\|outside-theme' "$WORK/err"; then
            fail "$1 / $2: a message quotes an outside file:"
            cat "$WORK/err" >&2
        else
            pass
        fi
    done
    if [ -e "$WORK/out.svg" ]; then fail "$1 / $2: an output was written"; rm -f "$WORK/out.svg"; else pass; fi
}

# A theme file that links out of the folder, with the extension in any case.
for name in p.json p.JSON p.Json; do
    ln -s "$WORK/outside/passwd" "$WORK/maps/$name"
    refused "$name" anna.png "m.json:1:42: error: /theme: theme file \"$name\" is outside the input file's folder"
done
ln -s "$WORK/outside/theme.json" "$WORK/maps/t.JSON"
refused t.JSON anna.png "theme file \"t.JSON\" is outside the input file's folder"
refused "$WORK/outside/theme.json" anna.png "is outside the input file's folder"
refused ../outside/theme.json anna.png 'theme file "../outside/theme.json" is outside'

# Whether an outside file exists or can be read shows in no message: a missing one, or one
# in a folder we may not enter, is as outside as one that is there.
refused ../outside/none.json anna.png 'theme file "../outside/none.json" is outside'
refused /nonexistent-folder/t.json anna.png 'theme file "/nonexistent-folder/t.json" is outside'
refused "" ../outside/none.png 'photo "../outside/none.png" is outside'
refused "" none/x.png 'photo "none/x.png" not found'

# A photo that links out of the folder, whatever its case.
ln -s "$WORK/outside/passwd" "$WORK/maps/a.PNG"
refused "" a.PNG 'photo "a.PNG" is outside the input file.s folder'

# FIFOs (a theme, a photo) and folders are refused at once, not read.
mkfifo "$WORK/maps/pipe.json" "$WORK/maps/pipe.png"
mkdir "$WORK/maps/dir.json"
refused pipe.json anna.png 'theme file "pipe.json" is not a regular file'
refused "" pipe.png 'photo "pipe.png" is not a regular file'
refused dir.json anna.png 'theme file "dir.json" is not a regular file'

# Inside the folder, the same names work: a theme file in capitals, and a photo.
printf '{"card_width": 150}\n' >"$WORK/maps/Calm.JSON"
map_with Calm.JSON anna.png
expect_status 0 "$JM" validate "$WORK/maps/m.json"
expect_status 0 "$JM" render -q -f svg -o "$WORK/ok.svg" "$WORK/maps/m.json"
[ -s "$WORK/ok.svg" ] && pass || fail "no output for a valid map"

finish
