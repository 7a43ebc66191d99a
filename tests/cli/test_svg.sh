#!/bin/bash
# SVG for documents and browsers: the SVG of every example (in each of its states) and of the
# persona-photo case is well-formed XML (xmllint), has no foreignObject, is accessible (title and
# desc as the root's first children, role="img", the map's language), has unique ids, links
# the cards' urls, and renders with librsvg without a complaint. Needs libxml2-utils (xmllint)
# and librsvg2-bin (rsvg-convert), as scripts/bootstrap.sh installs.
. "$(dirname "$0")/lib.sh"

for tool in xmllint rsvg-convert; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found (see scripts/bootstrap.sh)"
        exit 1
    }
done

check_svg() { # SVG NAME
    svg=$1; name=$2
    if xmllint --noout "$svg" 2>"$WORK/xmllint.err"; then pass; else
        fail "$name: not well-formed XML"; cat "$WORK/xmllint.err" >&2; fi
    ! grep -q "foreignObject" "$svg" && pass || fail "$name: uses foreignObject"
    # <title> and <desc> open the document, right after the root element.
    root='<svg [^>]*role="img" aria-labelledby="jm-title jm-desc"[^>]*>'
    first='<title id="jm-title">[^<]\+</title><desc id="jm-desc">[^<]\+</desc>'
    head -c 4000 "$svg" | tr -d '\n' | grep -q "$root$first" \
        && pass || fail "$name: no role=\"img\" root with title and desc first"
    dups=$(grep -o ' id="[^"]*"' "$svg" | sort | uniq -d | head -3)
    [ -z "$dups" ] && pass || fail "$name: duplicate ids:$dups"
    # Every reference (a glyph's <use>, a photo's clip path) names an id the document defines.
    refs=$(grep -o 'href="#[^"]*"\|url(#[^)]*)' "$svg" | sed 's/^href="#//; s/^url(#//; s/[")]$//' | sort -u)
    ids=$(grep -o ' id="[^"]*"' "$svg" | sed 's/^ id="//; s/"$//' | sort -u)
    dangling=$(comm -23 <(printf '%s\n' "$refs") <(printf '%s\n' "$ids") | grep . | head -3)
    [ -z "$dangling" ] && pass || fail "$name: references to undefined ids:" $dangling
    if rsvg-convert -o "$WORK/out.png" "$svg" 2>"$WORK/rsvg.err" && [ ! -s "$WORK/rsvg.err" ]; then
        pass
    else
        fail "$name: rsvg-convert failed or complained"; cat "$WORK/rsvg.err" >&2
    fi
    [ -s "$WORK/out.png" ] && pass || fail "$name: rsvg-convert drew nothing"
    rm -f "$WORK/out.png"
}

n=0
for input in "$EX"/*.json "$EX"/*.mmd "$EX"/*.csv "$EX"/*.md; do
    [ -f "$input" ] || continue
    base=$(basename "$input")
    for state in before after compare; do
        out="$WORK/${base%.*}-$state.svg"
        expect_status 0 "$JM" render -q --state "$state" -o "$out" "$input"
        check_svg "$out" "$base --state $state"
        n=$((n + 1))
    done
done
[ "$n" -ge 15 ] && pass || fail "only $n example renders checked"

# The map's language, and a card's url as a link.
ru="$WORK/bank-account-ru-compare.svg"
expect_grep 'xml:lang="ru"' "$ru"
expect_grep '<a xlink:href="https://bank.example/karty/debetovaya">' "$ru"
links=$(grep -c '<a xlink:href="https://bank.example/karty/debetovaya">' "$ru")
[ "$links" -eq 1 ] && pass || fail "the card's url is linked $links times, want once"
expect_grep '<title id="jm-title">Путь клиента: открытие дебетовой карты</title>' "$ru"

# Photos are embedded images (data: URIs), never references to files on this machine.
photo_case="$ROOT/tests/golden/valid/persona-photo"
expect_status 0 "$JM" render -q -o "$WORK/photo.svg" "$photo_case/input.json"
check_svg "$WORK/photo.svg" "persona-photo"
expect_grep '<image [^>]*xlink:href="data:image/png;base64,' "$WORK/photo.svg"
! grep -q 'xlink:href="file:\|xlink:href="/' "$WORK/photo.svg" && pass \
    || fail "the SVG refers to a file by path"

# Text is journeymap's glyph outlines (<path id="jgN"> used by <use>), except a text with a
# character no bundled font has: that one is drawn as a single outline, with an empty box for
# the missing character, and its glyphs are not among the uses.
cat >"$WORK/cjk.json" <<'JSON'
{"journeymap": 1, "title": "Opening 口座 online", "stages": [{"id": "a", "name": "Apply"}],
 "touchpoints": [{"stage": "a", "name": "Form", "emotion": 1}]}
JSON
sed 's/口座 //' "$WORK/cjk.json" >"$WORK/latin.json"
expect_status 0 "$JM" render -q -o "$WORK/cjk.svg" "$WORK/cjk.json"
expect_status 0 "$JM" render -q -o "$WORK/latin.svg" "$WORK/latin.json"
check_svg "$WORK/cjk.svg" "CJK title"
expect_grep '<path id="jg1" d="M' "$WORK/cjk.svg"
! grep -q 'id="glyph\|id="surface' "$WORK/cjk.svg" && pass || fail "cairo's SVG ids in the document"
uses_cjk=$(grep -c '<use xlink:href="#jg' "$WORK/cjk.svg")
uses_latin=$(grep -c '<use xlink:href="#jg' "$WORK/latin.svg")
# "Opening online" is 13 glyphs: they left the uses for the title's outline
[ $((uses_latin - uses_cjk)) -eq 13 ] && pass ||
    fail "the CJK title's glyphs: $uses_cjk uses against $uses_latin, want 13 fewer"

# The same map twice: the same bytes.
expect_status 0 "$JM" render -q -o "$WORK/photo-again.svg" "$photo_case/input.json"
cmp -s "$WORK/photo.svg" "$WORK/photo-again.svg" && pass || fail "two renders of one SVG differ"

finish
