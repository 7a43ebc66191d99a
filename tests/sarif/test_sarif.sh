#!/bin/bash
# journeymap lint -f sarif against the official SARIF 2.1.0 JSON Schema (tests/sarif/README.md).
#
#   test_sarif.sh JOURNEYMAP SOURCE_DIR CACHE_DIR
#
# CACHE_DIR (in the build tree) receives ajv, ajv-draft-04 and ajv-formats from npm at the
# versions tests/sarif/package-lock.json pins, reinstalled only when the lock file changes.
set -u
bin=$1 src=$2 cache=$3
here=$src/tests/sarif
die() { echo "test_sarif: $*" >&2; exit 1; }

if [ -n "${JM_SARIF_NODE_MODULES:-}" ]; then
    modules=$JM_SARIF_NODE_MODULES
else
    modules=$cache/node_modules
    if ! cmp -s "$here/package-lock.json" "$cache/package-lock.json" || [ ! -d "$modules/ajv-draft-04" ]; then
        command -v npm >/dev/null || die "npm is not installed: run scripts/bootstrap.sh"
        mkdir -p "$cache" || die "cannot create $cache"
        rm -f "$cache/package-lock.json" # there only after a complete install
        cp "$here/package.json" "$cache/package.json" || die "cannot write to $cache"
        (cd "$cache" && cp "$here/package-lock.json" package-lock.json &&
            npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2) || {
            rm -f "$cache/package-lock.json"
            die "npm ci failed: is the npm registry reachable? (or set JM_SARIF_NODE_MODULES)"
        }
    fi
fi

scratch=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$scratch"' EXIT
files=()
n=0
# Every lint golden case (with its options) and every example, one by one and all at once.
for dir in "$src"/tests/golden/lint/*/; do
    input=$(ls "$dir"input.* 2>/dev/null | head -n 1)
    [ -n "$input" ] || continue
    [ "$(cat "$dir/rc")" = 2 ] && continue # inputs that do not load: no report
    args=$(cat "$dir/args" 2>/dev/null || true)
    n=$((n + 1))
    out=$scratch/$n-$(basename "$dir").sarif
    # shellcheck disable=SC2086
    (cd "$dir" && "$bin" lint $args -f sarif "$(basename "$input")" >"$out")
    [ $? -le 1 ] || die "lint failed on $dir"
    files+=("$out")
done
out=$scratch/examples.sarif
"$bin" lint --rule all=note -f sarif "$src"/data/examples/*.json "$src"/data/examples/*.csv \
    "$src"/data/examples/*.mmd >"$out"
[ $? -le 1 ] || die "lint failed on the examples"
files+=("$out")
# A file name a URI must escape, and no finding at all.
mkdir -p "$scratch/a folder" && cp "$src/tests/golden/lint/clean/input.json" "$scratch/a folder/ça va?.json"
out=$scratch/escaped.sarif
(cd "$scratch" && "$bin" lint --rule all=error -f sarif "a folder/ça va?.json" >"$out")
[ $? -le 1 ] || die "lint failed on a file name to escape"
grep -q '"uri": "a%20folder/%C3%A7a%20va%3F.json"' "$out" || die "the file name is not escaped as a URI"
files+=("$out")
(cd "$scratch" && "$bin" lint -f sarif "a folder/ça va?.json" >"$scratch/none.sarif") || die "lint of a clean map failed"
files+=("$scratch/none.sarif")

node "$here/validate.js" "$modules" "$here/sarif-schema-2.1.0.json" "${files[@]}" || die "SARIF output does not validate"
# the schema really rejects: a result without its message
sed 's/"message": {"text"/"massage": {"text"/' "$scratch/examples.sarif" >"$scratch/broken.sarif"
if node "$here/validate.js" "$modules" "$here/sarif-schema-2.1.0.json" "$scratch/broken.sarif" >/dev/null; then
    die "the schema accepted a result without a message"
fi
echo "test_sarif: ${#files[@]} SARIF reports valid"
