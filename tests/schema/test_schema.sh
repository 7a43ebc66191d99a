#!/bin/bash
# The JSON Schema against a real validator (ajv-cli, draft 2020-12, strict mode) and against
# journeymap itself.
#
#   test_schema.sh JOURNEYMAP SOURCE_DIR CACHE_DIR
#
# CACHE_DIR (in the build tree) receives ajv-cli from npm, at the versions pinned by
# tests/schema/package-lock.json; it is reinstalled only when the lock file changes. Without
# network, point JM_AJV at an installed ajv (ajv-cli 5 with ajv-formats next to it, e.g.
# /opt/jm-peer/node_modules/.bin/ajv). A missing npm or an unreachable registry fails the test.
#
# What is checked:
#  - the schema and the theme schema compile in strict mode;
#  - the loader and the schema know the same keys (check_keys.js);
#  - accepted: data/examples/*.json, tests/golden/valid/*/input.json, tests/schema/valid/*.json,
#    and the JSON model `journeymap convert` writes for every example and golden valid input
#    (JSON, Mermaid, CSV); theme files against the theme schema;
#  - rejected: every tests/golden/invalid/*/input.json except the cases listed below, and
#    tests/schema/invalid/*.json (which journeymap rejects too) and tests/schema/warn/*.json
#    (which journeymap loads with a warning: the schema is the strict form of the model).
set -u
bin=$1 src=$2 cache=$3

# Golden invalid inputs whose only problem a JSON Schema cannot express. The schema must
# accept them (so this list stays exact); journeymap rejects them.
semantic_only="
duplicate-id          the same touchpoint id twice (uniqueness across objects)
duplicate-key         a key twice in one object (JSON parsers keep the last)
invalid-utf8          bytes that are not UTF-8 (a validator decodes them first)
json-text-not-allowed U+FFFF, U+0007… in strings and keys (a pattern on every string would do)
photo-missing         the photo file does not exist
photo-not-image       the photo file is not a PNG or JPEG
image-not-picture     the storyboard image file is not a PNG or JPEG
logo-svg              the logo file is an SVG
photo-outside-folder  the photo path leaves the input's folder
scale-emotion-outside an emotion outside the map's own scale (a range set by another key)
scale-max-not-above-min  the scale's max not greater than its min (a comparison of two values)
data-score-off-scale  the model is valid: its --data file has a score off the scale
unknown-persona       emotion and actors name personas that are not declared
unknown-stage         a touchpoint names a stage that is not declared
"
# Golden invalid inputs that are not JSON at all: the validator must fail to parse them.
not_json="not-json truncated"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
die() { echo "test_schema: $*" >&2; exit 1; }

# ---- The validator ------------------------------------------------------------------------
if [ -n "${JM_AJV:-}" ]; then
    ajv=$JM_AJV
    [ -x "$ajv" ] || die "JM_AJV=$ajv is not an executable"
else
    ajv=$cache/node_modules/.bin/ajv
    if ! cmp -s "$src/tests/schema/package-lock.json" "$cache/package-lock.json" || [ ! -x "$ajv" ]; then
        command -v npm >/dev/null ||
            die "npm is not installed: run scripts/bootstrap.sh, which installs nodejs and npm"
        mkdir -p "$cache" || die "cannot create $cache"
        # The lock file in the cache marks a complete install: it is there only after npm ci.
        rm -f "$cache/package-lock.json"
        cp "$src/tests/schema/package.json" "$cache/package.json" || die "cannot write to $cache"
        echo "test_schema: installing ajv-cli into $cache (npm ci)" >&2
        (cd "$cache" && cp "$src/tests/schema/package-lock.json" package-lock.json &&
            npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2) || {
            rm -f "$cache/package-lock.json"
            die "npm ci failed: is the npm registry reachable? (or set JM_AJV to an installed ajv)"
        }
    fi
fi
"$ajv" help >/dev/null 2>&1 || die "$ajv does not run"

schema=$src/data/schema/journeymap.schema.json
theme_schema=$src/data/schema/journeymap-theme.schema.json
opts="--spec=draft2020 --strict=true --strict-required=false --allow-union-types -c ajv-formats"

# Prints "FILE valid", "FILE invalid" or "FILE unparsable" for every FILE, validating them
# in one run of the validator when it can. Usage: validate SCHEMA-ARGS... -- FILE...
validate() {
    local schema_args=() data_args=() f out rc
    while [ "$1" != -- ]; do schema_args+=("$1"); shift; done
    shift
    [ $# -gt 0 ] || return 0
    for f in "$@"; do data_args+=(-d "$f"); done
    # shellcheck disable=SC2086
    out=$("$ajv" validate $opts --errors=line "${schema_args[@]}" "${data_args[@]}" 2>&1)
    rc=$?
    for f in "$@"; do
        if [ $rc -le 1 ] && printf '%s\n' "$out" | grep -qxF "$f valid"; then
            echo "$f valid"
        elif [ $rc -le 1 ] && printf '%s\n' "$out" | grep -qxF "$f invalid"; then
            echo "$f invalid"
        elif [ $# -gt 1 ]; then
            validate "${schema_args[@]}" -- "$f" # a file that does not parse stops a batch
        else
            echo "$f unparsable"
        fi
    done
}

# Why FILE is (in)valid, in the validator's words. Usage: explain SCHEMA-ARGS... -- FILE
explain() {
    # shellcheck disable=SC2086
    "$ajv" validate $opts --all-errors --errors=text "$@" 2>&1 | sed 's/^/    /' | cut -c1-400 >&2
}

expect() { # expect STATUS SCHEMA-ARGS... -- RESULT-LINE...: every file must have STATUS
    local want=$1 schema_args=() line
    shift
    while [ "$1" != -- ]; do schema_args+=("$1"); shift; done
    shift
    for line in "$@"; do
        case $line in
        *" $want") ;;
        *)
            fail "expected $want: $line"
            explain "${schema_args[@]}" -d "${line% *}"
            ;;
        esac
    done
}

# ---- The schemas compile ------------------------------------------------------------------
# shellcheck disable=SC2086
"$ajv" compile $opts -s "$schema" >/dev/null || fail "the schema does not compile in strict mode"
# shellcheck disable=SC2086
"$ajv" compile $opts -s "$theme_schema" -r "$schema" >/dev/null ||
    fail "the theme schema does not compile in strict mode"

# ---- Schema and loader know the same keys --------------------------------------------------
node "$src/tests/schema/check_keys.js" "$src" || fail "the schema and the loader disagree on keys"

scratch=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$scratch"' EXIT

# ---- Accepted -----------------------------------------------------------------------------
valid=()
for f in "$src"/data/examples/*.json "$src"/tests/golden/valid/*/input.json "$src"/tests/schema/valid/*.json; do
    [ -f "$f" ] || continue
    # A golden case that expects an unknown-key or unknown-icon warning is rejected by the
    # strict schema; it is checked with the warn/ fixtures' rule below.
    w=$(dirname "$f")/warnings
    if [ "$(basename "$f")" = input.json ] && [ -f "$w" ] && grep -qE 'unknown (theme )?key|unknown icon' "$w"; then
        mapfile -t r < <(validate -s "$schema" -- "$f")
        expect invalid -s "$schema" -- "${r[@]}"
        continue
    fi
    valid+=("$f")
done
mapfile -t r < <(validate -s "$schema" -- "${valid[@]}")
expect valid -s "$schema" -- "${r[@]}"
[ ${#r[@]} -ge 6 ] || fail "only ${#r[@]} valid inputs found"

# The fixtures load without a single warning and render.
for f in "$src"/tests/schema/valid/*.json; do
    out=$(cd "$(dirname "$f")" && "$bin" validate -q "$(basename "$f")" 2>&1) ||
        fail "journeymap rejects $f: $out"
    [ -z "$out" ] || fail "journeymap warns about $f: $out"
    (cd "$(dirname "$f")" && "$bin" render -q -f json -o - "$(basename "$f")" >/dev/null) ||
        fail "journeymap cannot render $f"
done

# What `journeymap convert` writes is a valid model, whatever the input kind.
converted=()
n=0
for f in "$src"/data/examples/* "$src"/tests/golden/valid/*/input.*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    out=$scratch/converted-$n-$(basename "$f").json
    args=$(cat "$(dirname "$f")/args" 2>/dev/null || true)
    case $f in */data/examples/*) args= ;; esac
    # shellcheck disable=SC2086
    if (cd "$(dirname "$f")" && "$bin" convert $args "$(basename "$f")" -o "$out") 2>"$scratch/err"; then
        converted+=("$out")
    else
        fail "journeymap convert $f: $(cat "$scratch/err")"
    fi
done
mapfile -t r < <(validate -s "$schema" -- "${converted[@]}")
expect valid -s "$schema" -- "${r[@]}"

# Theme files against the theme schema.
mapfile -t r < <(validate -s "$theme_schema" -r "$schema" -- "$src"/data/themes/*.json)
expect valid -s "$theme_schema" -r "$schema" -- "${r[@]}"

# ---- Rejected -----------------------------------------------------------------------------
semantic_names=$(printf '%s\n' "$semantic_only" | awk 'NF { print $1 }')
rejected=0 semantic=0 unparsable=0
for dir in "$src"/tests/golden/invalid/*/; do
    f=${dir}input.json
    [ -f "$f" ] || continue # Mermaid and CSV cases: not JSON models
    name=$(basename "$dir")
    mapfile -t r < <(validate -s "$schema" -- "$f")
    # shellcheck disable=SC2086 # $not_json is a list of names
    if printf '%s\n' "$semantic_names" | grep -qx "$name"; then
        expect valid -s "$schema" -- "${r[@]}" # failing? the schema learnt to catch it: move the case
        semantic=$((semantic + 1))
    elif printf '%s\n' $not_json | grep -qx "$name"; then
        expect unparsable -s "$schema" -- "${r[@]}"
        unparsable=$((unparsable + 1))
    else
        expect invalid -s "$schema" -- "${r[@]}"
        case ${r[*]} in *" valid")
            echo "    (a problem a schema cannot express? list $name in semantic_only in $0)" >&2 ;;
        esac
        rejected=$((rejected + 1))
    fi
done
echo "golden invalid JSON inputs: $rejected rejected by the schema, $unparsable not JSON," \
    "$semantic semantic-only (accepted by the schema, rejected by journeymap):" \
    "$(printf '%s\n' "$semantic_names" | paste -sd ' ')"
for name in $semantic_names $not_json; do
    [ -f "$src/tests/golden/invalid/$name/input.json" ] ||
        fail "tests/golden/invalid/$name is listed here but does not exist"
done

# The schema's own invalid fixtures: journeymap rejects them too.
mapfile -t r < <(validate -s "$schema" -- "$src"/tests/schema/invalid/*.json)
expect invalid -s "$schema" -- "${r[@]}"
for f in "$src"/tests/schema/invalid/*.json; do
    "$bin" validate -q "$f" >/dev/null 2>&1
    [ $? -eq 1 ] || fail "journeymap accepts $f, which the schema rejects"
done
# Warnings in journeymap are errors in the strict schema.
mapfile -t r < <(validate -s "$schema" -- "$src"/tests/schema/warn/*.json)
expect invalid -s "$schema" -- "${r[@]}"
for f in "$src"/tests/schema/warn/*.json; do
    out=$("$bin" validate -q "$f" 2>&1) || fail "journeymap rejects $f, which should only warn"
    case $out in *warning:*) ;; *) fail "journeymap does not warn about $f" ;; esac
done

if [ $failures -ne 0 ]; then
    echo "test_schema: $failures failure(s)" >&2
    exit 1
fi
echo "test_schema: all checks passed ($ajv)"
