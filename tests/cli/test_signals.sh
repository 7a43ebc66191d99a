#!/bin/bash
# Interrupts: SIGINT or SIGTERM during a batch ends it with the signal's exit status and leaves
# no temporary file, no partial output, no worker behind, and every existing output intact.
. "$(dirname "$0")/lib.sh"

# 300 inputs of every kind, so that no batch below can finish before it is interrupted.
mkdir "$WORK/in"
examples=("$EX/minimal.json" "$EX/bank-account-ru.json" "$EX/working-day.mmd" "$EX/bank-export.csv"
    "$EX/saas-onboarding.json")
for i in $(seq -w 1 300); do
    src=${examples[$((10#$i % ${#examples[@]}))]}
    cp "$src" "$WORK/in/map-$i.${src##*.}"
done
inputs=("$WORK"/in/*)

# An output is complete when it ends as its format ends: PNG with the IEND chunk (and its
# CRC), SVG with </svg>.
complete() { # FILE
    case $1 in
    *.png) [ "$(tail -c 12 "$1" | head -c 8 | tail -c 4)" = IEND ] ;;
    *.svg) tail -c 16 "$1" | grep -q '</svg>' ;;
    *) return 1 ;;
    esac
}

# check_interrupted NAME STATUS SIGNAL OUT_DIR: the batch died of SIGNAL, wrote part of the maps,
# and left only complete files; the output that was there before is untouched.
check_interrupted() {
    name=$1 status=$2 sig=$3 out=$4
    want=$((128 + $(kill -l "$sig")))
    [ "$status" -eq "$want" ] && pass || fail "$name: exit status $status, want $want (SIG$sig)"
    temps=$(find "$WORK" -name '.*.jm-*' | wc -l)
    [ "$temps" -eq 0 ] && pass || fail "$name: $temps temporary file(s) left"
    written=0 broken=0
    for f in "$out"/*; do
        [ "$(basename "$f")" = map-300.png ] || [ "$(basename "$f")" = map-300.svg ] && continue
        written=$((written + 1))
        complete "$f" || { broken=$((broken + 1)); echo "partial: $f" >&2; }
    done
    [ "$broken" -eq 0 ] && pass || fail "$name: $broken partial output(s)"
    [ "$written" -lt 299 ] && pass || fail "$name: the batch was not interrupted ($written maps)"
    [ "$(cat "$out"/map-300.*)" = precious ] && pass || fail "$name: an existing output was harmed"
    # The parent waits for its workers: none may outlive it.
    left=$(pgrep -f -- "$out" | wc -l)
    [ "$left" -eq 0 ] && pass || fail "$name: $left worker(s) still running"
}

# start_batch OUT_DIR FORMAT JOBS: a batch in the background, in a process group of its own
# (set -m) so that the whole group can be signalled as a terminal's Ctrl-C would; $pid is set.
start_batch() {
    mkdir "$1"
    echo precious >"$1/map-300.$2"
    set -m
    "$JM" render -q -j "$3" -f "$2" -d "$1" "${inputs[@]}" 2>"$WORK/err" &
    pid=$!
    set +m
}

# Waits until the batch has written a few maps (so the signal comes mid-batch, with workers
# busy), at most 20 s.
wait_for_progress() { # OUT_DIR
    for _ in $(seq 200); do
        [ "$(find "$1" -name 'map-*' | wc -l)" -ge 4 ] && return
        sleep 0.1
    done
}

# 1. SIGTERM to the parent alone (a job scheduler's `kill`), two workers: the parent passes it
#    on and waits for them.
start_batch "$WORK/term" png 2
wait_for_progress "$WORK/term"
kill -TERM "$pid"
wait "$pid"
check_interrupted "SIGTERM to the parent" $? TERM "$WORK/term"

# 2. SIGINT to the whole process group, as Ctrl-C on a terminal does.
start_batch "$WORK/int" svg 2
wait_for_progress "$WORK/int"
kill -INT -- "-$pid"
wait "$pid"
check_interrupted "SIGINT to the group" $? INT "$WORK/int"

# 3. SIGINT to a batch without workers (-j 1), rendering PNG.
start_batch "$WORK/one" png 1
wait_for_progress "$WORK/one"
kill -INT "$pid"
wait "$pid"
check_interrupted "SIGINT with -j 1" $? INT "$WORK/one"

# 4. Signals come at random points: many short interrupts, each must leave only complete files.
for n in 1 2 3 4 5 6; do
    start_batch "$WORK/rand$n" png 2
    sleep "0.$((RANDOM % 9 + 1))"
    kill -TERM "$pid"
    wait "$pid"
    status=$?
    temps=$(find "$WORK" -name '.*.jm-*' | wc -l)
    broken=0
    for f in "$WORK/rand$n"/map-*; do
        case $f in */map-300.png) continue ;; esac
        complete "$f" || broken=$((broken + 1))
    done
    [ "$status" -eq 143 ] && [ "$temps" -eq 0 ] && [ "$broken" -eq 0 ] && pass ||
        fail "random interrupt $n: status $status, $temps temporary, $broken partial"
done

# 5. A signal ignored by the caller (nohup, a script's background job) stays ignored.
mkdir "$WORK/ign"
(trap '' INT; exec "$JM" render -q -j 2 -f svg -d "$WORK/ign" "${inputs[@]:0:60}") &
pid=$!
wait_for_progress "$WORK/ign"
kill -INT -- "$pid" 2>/dev/null && pass || fail "the batch ended before it could be interrupted"
wait "$pid"
status=$?
[ "$status" -eq 0 ] && pass || fail "an ignored SIGINT ended the batch (status $status)"
[ "$(find "$WORK/ign" -name '*.svg' | wc -l)" -eq 60 ] && pass ||
    fail "ignored SIGINT: maps missing"
finish
