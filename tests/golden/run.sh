#!/bin/sh
# One golden case. Usage: run.sh JOURNEYMAP CASE_DIR [--update]
#   valid/<case>/input.*   → `render -f json` must print exactly layout.json (exit 0)
#   invalid/<case>/input.* → `validate` must print exactly `error` on stderr (exit 1)
# An optional `args` file adds options (one line). Runs inside the case folder so messages
# name the input as "input.json" whatever the checkout path.
set -u
bin=$1; dir=$2; update=${3:-}
cd "$dir" || exit 2
input=$(ls input.* 2>/dev/null | head -n 1)
[ -n "$input" ] || { echo "no input.* in $dir" >&2; exit 2; }
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
*) echo "case must be under valid/ or invalid/" >&2; exit 2 ;;
esac
exit 0
