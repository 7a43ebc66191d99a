#!/bin/bash
# Two inputs whose outputs would be the same file (or whose output is another input): the batch
# is refused before anything is rendered, exit 2, naming both inputs and the path.
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/a" "$WORK/b" "$WORK/out"
cp "$EX/minimal.json" "$WORK/a/x.json"
cp "$EX/working-day.mmd" "$WORK/b/x.mmd"
cp "$EX/bank-export.csv" "$WORK/b/y.csv"
cd "$WORK" || exit 1

# snap FOLDER, then nothing_in FOLDER: no file (output or temporary) was written there since.
listing() { find "$1" -printf '%i %T@ %s %p\n' | sort; }
snap() { listing "$1" >"$WORK/snap"; }
nothing_in() {
    if listing "$1" | cmp -s - "$WORK/snap"; then pass; else fail "written in $1: $(listing "$1" | diff "$WORK/snap" -)"; fi
}

# -d: a/x.json and b/x.mmd would both write out/x.png; b/y.csv is not rendered either.
snap out
expect_status 2 "$JM" render -j 2 -d out a/x.json b/x.mmd b/y.csv
expect_grep "a/x.json and b/x.mmd would both be written to out/x.png" "$WORK/err"
nothing_in out

# The same folder spelt two ways is the same folder.
snap out
expect_status 2 "$JM" render -f svg -d out a/x.json ./b/../b/x.mmd
expect_grep "would both be written to out/x.svg" "$WORK/err"
nothing_in out

# Next to the inputs (no -d): a/x.json given twice, and a/x.json beside a/x.csv.
cp "$EX/bank-export.csv" a/x.csv
snap a
expect_status 2 "$JM" render a/x.json a/./x.json
expect_grep "a/x.json is given twice\|would both be written to a/x.png" "$WORK/err"
expect_status 2 "$JM" render -f svg a/x.csv a/x.json
expect_grep "a/x.csv and a/x.json would both be written to a/x.svg" "$WORK/err"
nothing_in a
rm a/x.csv

# An output that is another input of the batch: b/x.mmd -> a/x.json would replace the model
# a/x.json before (or while) it is read.
cp a/x.json before.json
expect_status 2 "$JM" render -f json -d a b/x.mmd a/x.json
expect_grep "the output of b/x.mmd, a/x.json, is the input a/x.json" "$WORK/err"
cmp -s a/x.json before.json && pass || fail "a/x.json was overwritten"

# A symbolic link to an existing output is that output.
"$JM" render -q -d out a/x.json && ln -s x.png out/z.png && cp b/x.mmd b/z.mmd
snap out
expect_status 2 "$JM" render -d out a/x.json b/z.mmd
expect_grep "a/x.json and b/z.mmd would both be written to out/x.png" "$WORK/err"
nothing_in out
rm out/z.png out/x.png

# -o takes one input: several are refused before rendering.
expect_status 2 "$JM" render -o out/one.png a/x.json b/y.csv
expect_grep "-o takes one INPUT" "$WORK/err"
[ ! -e out/one.png ] && pass || fail "-o with two inputs wrote out/one.png"

# Different names into one folder are fine.
expect_status 0 "$JM" render -q -d out a/x.json b/y.csv
[ -s out/x.png ] && [ -s out/y.png ] && pass || fail "x.png and y.png not both written"
finish
