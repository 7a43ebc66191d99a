# Shared helpers for CLI tests: each test script gets the binary and the source root.
set -u
JM=$1
ROOT=$2
EX=$ROOT/data/examples
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILS=0
PASSES=0

pass() { PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

# expect_status WANT CMD...: runs CMD, keeps its stderr in $WORK/err
expect_status() {
    want=$1; shift
    "$@" >"$WORK/.stdout" 2>"$WORK/err"
    got=$?
    if [ "$got" -eq "$want" ]; then pass; else fail "exit $got, want $want: $*"; cat "$WORK/err" >&2; fi
}

expect_grep() { # PATTERN FILE
    if grep -q -- "$1" "$2"; then pass; else fail "'$1' not in $2:"; cat "$2" >&2; fi
}

finish() {
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
