#!/bin/bash
# On a terminal (script(1) gives the program one): an error of a batch clears the progress bar's
# line first instead of being glued to it, and the source excerpt of an error in a long line
# (a minified JSON file is one line) is a window around the column, its cut ends marked with
# "…", the caret under the offending character (characters, not bytes, count).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8 # ${#s} and ${s:i:1} count characters

command -v script >/dev/null || { fail "script (util-linux) is not installed"; finish; exit 1; }
on_terminal() { # CMD...: runs CMD with standard error on a terminal; its output in $WORK/tty
    script -qec "$(printf '%q ' "$@")" /dev/null >"$WORK/tty" 2>&1
}

mkdir "$WORK/bad" "$WORK/out"
for i in 1 2 3; do printf '{"journeymap": 1}' >"$WORK/bad/b$i.json"; done
dd=$(printf 'д%.0s' $(seq 300)) # 300 two-byte characters
printf '{"journeymap": 1, "title": "%s%s", "stages": [{"id": "a", "name": "A"}], @}' \
    "$dd" "$(printf 'x%.0s' $(seq 400))" >"$WORK/bad/long.json"
printf '{"journeymap": 1, "title": "%s", @, "stages": [{"id": "a", "name": "%s"}]}' \
    "$dd" "$(printf 'y%.0s' $(seq 200))" >"$WORK/bad/middle.json"

# The bar ("[###...] 2/4", maybe " (failures)") is followed by a carriage return (the next bar,
# a line clear, the final newline), never by message text.
for jobs in 1 2; do
    on_terminal "$JM" render -j $jobs -d "$WORK/out" "$WORK"/bad/b*.json "$EX/minimal.json"
    grep -q 'missing required key' "$WORK/tty" && pass || fail "-j $jobs: no error shown: $(cat -A "$WORK/tty")"
    grep -q '\] [0-9]*/4' "$WORK/tty" && pass || fail "-j $jobs: no progress bar: $(cat -A "$WORK/tty")"
    if grep -aP '\] [0-9]+/[0-9]++(?: \(failures\))?+[^\r]' "$WORK/tty" >"$WORK/glued"; then
        fail "-j $jobs: a message glued to the progress bar: $(cat -A "$WORK/glued")"
    else
        pass
    fi
done

# excerpt FILE WANT_CUT_START WANT_CUT_END: the two lines after FILE's error, with the caret
# under '@'.
excerpt() {
    on_terminal "$JM" validate "$WORK/bad/$1"
    tr -d '\r' <"$WORK/tty" >"$WORK/tty.txt"
    text=$(grep -A1 "$1:1:[0-9]*: error" "$WORK/tty.txt" | sed -n 2p)
    caret=$(grep -A2 "$1:1:[0-9]*: error" "$WORK/tty.txt" | sed -n 3p)
    [ ${#text} -le 90 ] && pass || fail "$1: the excerpt is ${#text} characters: $text"
    case $text in "    …"*) start=yes ;; *) start=no ;; esac
    case $text in *"…") end=yes ;; *) end=no ;; esac
    [ "$start $end" = "$2 $3" ] && pass || fail "$1: cut marks at start/end: $start $end, want $2 $3: $text"
    [ "${caret%^}" != "$caret" ] && pass || fail "$1: no caret line: '$caret'"
    under=${text:$((${#caret} - 1)):1}
    [ "$under" = "@" ] && pass || fail "$1: the caret is under '$under', not '@':"$'\n'"$text"$'\n'"$caret"
}
excerpt long.json yes no
excerpt middle.json yes yes
printf '{"journeymap": 1, "title": "дд", @}' >"$WORK/bad/short.json"
excerpt short.json no no
finish
