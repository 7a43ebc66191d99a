#!/bin/sh
# One golden case. Usage: run.sh JOURNEYMAP CASE_DIR [--update]
#   valid/<case>/input.*   → `render -f json` must print exactly layout.json (exit 0)
#   invalid/<case>/input.* → `validate` must print exactly `error` on stderr (exit 1)
#   diff/<case>/old.* new.* → `diff` must print exactly `expected` (and with --json exactly
#                             `expected.json`) and exit with the status in `rc`
#   lint/<case>/input.*     → `lint` must print exactly `expected` (-f json: `expected.json`;
#                             -f sarif: `expected.sarif`, when there is one) and exit with `rc`
# diff and lint cases: standard error must be exactly `stderr` (nothing when there is none).
# An optional `args` file adds options (one line). Runs inside the case folder so messages
# name the input as "input.json" whatever the checkout path.
set -u
bin=$1; dir=$2; update=${3:-}
cd "$dir" || exit 2
input=$(ls input.* old.* 2>/dev/null | head -n 1)
[ -n "$input" ] || { echo "no input.* or old.* in $dir" >&2; exit 2; }
args=$(cat args 2>/dev/null || true)
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
case "$dir" in
*/valid/*)
    # shellcheck disable=SC2086
    "$bin" render $args -f json -o - "$input" >"$out" 2>"$err"; rc=$?
    if [ "$update" = --update ]; then cp "$out" layout.json; [ -s "$err" ] && cp "$err" warnings || rm -f warnings; fi
    [ $rc -eq 0 ] || { echo "exit status $rc, expected 0"; cat "$err"; exit 1; }
    diff -u layout.json "$out" >&2 || { echo "layout differs from layout.json"; exit 1; }
    if [ -f warnings ]; then diff -u warnings "$err" || exit 1; elif [ -s "$err" ]; then echo "unexpected stderr:"; cat "$err"; exit 1; fi
    ;;
*/invalid/*)
    # shellcheck disable=SC2086
    "$bin" validate $args "$input" >"$out" 2>"$err"; rc=$?
    [ "$update" = --update ] && cp "$err" error
    [ $rc -eq 1 ] || { echo "exit status $rc, expected 1"; cat "$err"; exit 1; }
    diff -u error "$err" || { echo "error text differs"; exit 1; }
    ;;
*/diff/* | */lint/*)
    # One run of the command per expected output: `expected` (text), then the others.
    # Usage: check EXPECTED-FILE OPTION...
    want_rc=$(cat rc 2>/dev/null) || [ "$update" = --update ] || { echo "no rc file in $dir" >&2; exit 2; }
    check() {
        expected=$1; shift
        case "$dir" in
        */diff/*) new=$(ls new.* | head -n 1)
            # shellcheck disable=SC2086
            "$bin" diff $args "$@" "$input" "$new" >"$out" 2>"$err"; rc=$? ;;
        *)  # shellcheck disable=SC2086
            "$bin" lint $args "$@" "$input" >"$out" 2>"$err"; rc=$? ;;
        esac
        if [ "$update" = --update ]; then
            cp "$out" "$expected"; echo $rc >rc; want_rc=$rc
            if [ -s "$err" ]; then cp "$err" stderr; else rm -f stderr; fi
        fi
        [ "$rc" = "$want_rc" ] || { echo "$expected: exit status $rc, expected $want_rc"; cat "$err"; exit 1; }
        diff -u "$expected" "$out" >&2 || { echo "output differs from $expected"; exit 1; }
        if [ -f stderr ]; then diff -u stderr "$err" || exit 1
        elif [ -s "$err" ]; then echo "unexpected stderr:"; cat "$err"; exit 1; fi
    }
    check expected
    case "$dir" in
    */diff/*) check expected.json --json ;;
    *) check expected.json -f json
       if [ -f expected.sarif ] || [ "$update" = --update ]; then check expected.sarif -f sarif; fi ;;
    esac
    ;;
*) echo "case must be under valid/, invalid/, diff/ or lint/" >&2; exit 2 ;;
esac
exit 0
