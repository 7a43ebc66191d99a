#!/bin/bash
# The gallery stays reproducible: every image under docs/images/ that the README or a page of
# docs/ links to is written by scripts/gallery.sh (run here into a scratch folder), so that
# none is a hand-made or stale one-off. Needs poppler-utils (pdftoppm) for the printed pages.
. "$(dirname "$0")/lib.sh"

command -v pdftoppm >/dev/null || {
    echo "FAIL: pdftoppm not found (apt install poppler-utils)"
    exit 1
}

mkdir "$WORK/images"
sh "$ROOT/scripts/gallery.sh" "$(dirname "$JM")" "$WORK/images" >"$WORK/out" 2>"$WORK/err" \
    && pass || { fail "scripts/gallery.sh failed:"; cat "$WORK/err" >&2; }

linked=$(cat "$ROOT/README.md" "$ROOT"/docs/*.md | grep -o 'images/[A-Za-z0-9._-]*\.\(png\|html\|pdf\)' | sed 's|^images/||' | sort -u)
[ -n "$linked" ] && pass || fail "no images linked from README.md or docs/"
for f in $linked; do
    [ -s "$WORK/images/$f" ] && pass || fail "docs/images/$f is linked but scripts/gallery.sh does not write it"
    [ -e "$ROOT/docs/images/$f" ] && pass || fail "docs/images/$f is linked but not committed"
done
# Nothing written outside the folder asked for (the printed pages' PDF is a temporary file).
[ -z "$(ls "$WORK/images" | grep -v '\.\(png\|html\)$')" ] && pass || fail "gallery.sh left: $(ls "$WORK/images")"

finish
