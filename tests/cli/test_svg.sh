#!/bin/bash
# SVG for documents and browsers: the SVG of every example (in each of its states) and of the
# persona-photo case is well-formed XML (xmllint), has no foreignObject, is accessible (title and
# desc as the root's first children, role="graphics-document", the map's language), has unique ids that no
# other map's SVG uses (so maps inlined in one HTML page do not borrow each other's glyphs), links
# the cards' urls, and renders with librsvg without a complaint. Needs libxml2-utils (xmllint)
# and librsvg2-bin (rsvg-convert), as scripts/bootstrap.sh installs.
. "$(dirname "$0")/lib.sh"

for tool in xmllint rsvg-convert; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found (see scripts/bootstrap.sh)"
        exit 1
    }
done

check_svg() { # SVG NAME [ID-PREFIX-PATTERN]
    svg=$1; name=$2; p=${3:-'jm[0-9a-f]\{8\}-'}
    if xmllint --noout "$svg" 2>"$WORK/xmllint.err"; then pass; else
        fail "$name: not well-formed XML"; cat "$WORK/xmllint.err" >&2; fi
    ! grep -q "foreignObject" "$svg" && pass || fail "$name: uses foreignObject"
    # <title> and <desc> open the document, right after the root element.
    root="<svg [^>]*role=\"graphics-document\" aria-labelledby=\"${p}title ${p}desc\"[^>]*>"
    first="<title id=\"${p}title\">[^<]\+</title><desc id=\"${p}desc\">[^<]\+</desc>"
    head -c 4000 "$svg" | tr -d '\n' | grep -q "$root$first" \
        && pass || fail "$name: no role=\"graphics-document\" root with title and desc first"
    dups=$(grep -o ' id="[^"]*"' "$svg" | sort | uniq -d | head -3)
    [ -z "$dups" ] && pass || fail "$name: duplicate ids:$dups"
    # Every reference (a glyph's <use>, a photo's clip path) names an id the document defines.
    refs=$(grep -o 'href="#[^"]*"\|url(#[^)]*)' "$svg" | sed 's/^href="#//; s/^url(#//; s/[")]$//' | sort -u)
    ids=$(grep -o ' id="[^"]*"' "$svg" | sed 's/^ id="//; s/"$//' | sort -u)
    dangling=$(comm -23 <(printf '%s\n' "$refs") <(printf '%s\n' "$ids") | grep . | head -3)
    [ -z "$dangling" ] && pass || fail "$name: references to undefined ids:" $dangling
    # every id starts with the document's prefix, which no other document has
    prefix=$(printf '%s\n' "$ids" | head -1 | sed 's/title$//; s/desc$//; s/[gc][0-9]*$//')
    others=$(printf '%s\n' "$ids" | grep -v "^$prefix" | head -3)
    [ -z "$others" ] && pass || fail "$name: ids without the prefix $prefix:" $others
    # (a map without states draws the same in each: the same bytes, the same prefix)
    twin=$(grep -F -- "$prefix " "$WORK/prefixes" 2>/dev/null | head -1 | cut -d' ' -f2-)
    if [ -n "$twin" ] && ! cmp -s "$twin" "$svg"; then
        fail "$name: its id prefix $prefix is that of $twin, another picture"
    else
        pass
    fi
    printf '%s %s\n' "$prefix" "$svg" >>"$WORK/prefixes"
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
expect_grep '<title id="jm[0-9a-f]\{8\}-title">Путь клиента: открытие дебетовой карты</title>' "$ru"

# The text is text too: every stage name and card title of the Russian map is in the text
# layer, and so is the CJK title drawn as one outline below.
layer=$(grep -o '<text [^>]*>[^<]*</text>' "$ru" | sed 's/<[^>]*>//g')
for want in "Путь клиента: открытие дебетовой карты" "Билборд у метро" "Осведомлённость" "Выбор банка"; do
    printf '%s\n' "$layer" | grep -qF -- "$want" && pass || fail "'$want' is not in the text layer"
done

# Structure: a group per stage and per card with its JSON pointer, in reading order: stage by
# stage (by the stage column a card lies in), lane by lane within a stage.
expect_status 0 "$JM" render -q --state compare -f json -o "$WORK/ru.json" "$EX/bank-account-ru.json"
want=$(grep -o '"kind": *"card"[^}]*"ref": *"/touchpoints/[0-9]*", *"column": *[0-9]*' "$WORK/ru.json" |
    sed 's/.*"ref": *"\(\/touchpoints\/[0-9]*\)", *"column": *\([0-9]*\)/\2 \1/' | sort -s -n -k1,1 |
    cut -d' ' -f2 | paste -sd ' ')
cards=$(grep -o '<g class="jm-card" data-ref="/touchpoints/[0-9]*"' "$ru" | grep -o '/touchpoints/[0-9]*' | paste -sd ' ')
[ -n "$want" ] && [ "$cards" = "$want" ] && pass || fail "card groups: '$cards', layout: '$want'"
# Every model object's group in document order: a stage's header, then what lies in that
# stage, before the next stage's header.
"$JM" convert "$EX/bank-account-ru.json" |
    jq -r '(.stages | map(.id)) as $s | ("touchpoints", "items") as $k | .[$k] // [] |
           to_entries[] | .value.stage as $st | "/\($k)/\(.key) \($s | index($st))"' >"$WORK/tp-stage"
seen=$(grep -o '<g class="jm-[a-z-]*" data-ref="/[a-z]*/[0-9]*' "$ru" |
    sed 's/<g class="\([a-z-]*\)" data-ref="\(.*\)/\1 \2/' |
    awk 'NR == FNR { stage[$1] = $2; next }
         $2 ~ /^\/personas\// { next }
         { n = split($2, p, "/"); s = $2 ~ /^\/stages\// ? p[3] : stage[$2] }
         $1 == "jm-stage" { if (s != next_stage) bad = bad " " $2; next_stage = s + 1; cur = s; next }
         { if (s != cur || cur == "") bad = bad " " $1 ":" $2 "@" cur }
         END { print (cur == "" ? "none" : "ok") bad }' "$WORK/tp-stage" -)
[ "$seen" = ok ] && pass || fail "groups out of stage-by-stage order:$seen"
stages=$(grep -o '<g class="jm-stage" data-ref="/stages/[0-9]*"' "$ru" | grep -o '[0-9]*"$' | tr -d '"' | paste -sd ' ')
[ "$stages" = "0 1 2 3 4" ] && pass || fail "stage groups: '$stages'"
expect_grep '<g class="jm-card" data-ref="/touchpoints/[0-9]*"><a xlink:href="https://bank.example/karty/debetovaya">' "$ru"

# Photos are embedded images (data: URIs), never references to files on this machine.
photo_case="$ROOT/tests/golden/valid/persona-photo"
expect_status 0 "$JM" render -q -o "$WORK/photo.svg" "$photo_case/input.json"
check_svg "$WORK/photo.svg" "persona-photo"
expect_grep '<image [^>]*xlink:href="data:image/png;base64,' "$WORK/photo.svg"
! grep -q 'xlink:href="file:\|xlink:href="/' "$WORK/photo.svg" && pass \
    || fail "the SVG refers to a file by path"

# Text is journeymap's glyph outlines (<path id="jgN"> used by <use>), characters the bundled
# fonts lack too (from the fallback fonts, here fonts-noto-cjk).
cat >"$WORK/cjk.json" <<'JSON'
{"journeymap": 1, "title": "Opening 口座 online", "stages": [{"id": "a", "name": "Apply"}],
 "touchpoints": [{"stage": "a", "name": "Form", "emotion": 1}]}
JSON
sed 's/口座 //' "$WORK/cjk.json" >"$WORK/latin.json"
expect_status 0 "$JM" render -q -o "$WORK/cjk.svg" "$WORK/cjk.json"
expect_status 0 "$JM" render -q -o "$WORK/latin.svg" "$WORK/latin.json"
check_svg "$WORK/cjk.svg" "CJK title"
expect_grep 'fill-opacity="0">Opening 口座 online</text>' "$WORK/cjk.svg"
expect_grep '<path id="jm[0-9a-f]\{8\}-g1" d="M' "$WORK/cjk.svg"
! grep -q 'id="glyph\|id="surface' "$WORK/cjk.svg" && pass || fail "cairo's SVG ids in the document"
uses_cjk=$(grep -c '<use xlink:href="#jm[0-9a-f]\{8\}-g' "$WORK/cjk.svg")
uses_latin=$(grep -c '<use xlink:href="#jm[0-9a-f]\{8\}-g' "$WORK/latin.svg")
[ $((uses_cjk - uses_latin)) -eq 2 ] && pass ||
    fail "the CJK title's glyphs: $uses_cjk uses against $uses_latin, want 2 more (口座)"

# A character no font has (U+10FFFD, private use) is an empty box; the text around it stays
# (it used to drop the whole label). An emoji is its colour picture.
printf '{"journeymap": 1, "title": "T", "stages": [{"id": "a", "name": "Hello \364\217\277\275 World"}],\n "touchpoints": []}\n' >"$WORK/missing.json"
sed 's/Hello \(.*\) World/Hello World/' "$WORK/missing.json" >"$WORK/missing-not.json"
expect_status 0 "$JM" render -q -o "$WORK/missing.svg" "$WORK/missing.json"
expect_status 0 "$JM" render -q -o "$WORK/missing-not.svg" "$WORK/missing-not.json"
check_svg "$WORK/missing.svg" "missing glyph"
boxes=$(grep -c '<rect [^>]*fill="none" stroke-width=' "$WORK/missing.svg")
[ "$boxes" -eq 1 ] && pass || fail "$boxes boxes for the missing character, want 1"
uses_missing=$(grep -c '<use xlink:href="#jm[0-9a-f]\{8\}-g' "$WORK/missing.svg")
uses_not=$(grep -c '<use xlink:href="#jm[0-9a-f]\{8\}-g' "$WORK/missing-not.svg")
[ "$uses_missing" -eq "$uses_not" ] && pass ||
    fail "the label with a missing character: $uses_missing glyph uses, want $uses_not"
sed 's/Hello \(.*\) World/Hello 🎉 World/' "$WORK/missing.json" >"$WORK/emoji.json"
expect_status 0 "$JM" render -q -o "$WORK/emoji.svg" "$WORK/emoji.json"
check_svg "$WORK/emoji.svg" "emoji"
expect_grep '<image id="jm[0-9a-f]\{8\}-g[0-9]*" x="[-0-9.]*" y="[-0-9.]*" width="[0-9.]*" height="[0-9.]*" xlink:href="data:image/png;base64,' "$WORK/emoji.svg"

# The HTML page: the SVG inline, nothing fetched (no link, no remote source, a policy that
# forbids it), in a batch too.
mkdir "$WORK/html"
expect_status 0 "$JM" render -q -f html -d "$WORK/html" "$EX"/*.json "$EX"/*.mmd "$EX"/*.csv
for page in "$WORK"/html/*.html; do
    name=$(basename "$page")
    grep -q '<svg ' "$page" && grep -q '</html>' "$page" && pass || fail "$name: no inline SVG"
    ! grep -qi '<link\|<iframe\|<img \|src="http\|url(http\|@import' "$page" && pass ||
        fail "$name: refers to something outside the page"
    grep -q "Content-Security-Policy\" content=\"default-src 'none';" "$page" && pass ||
        fail "$name: no policy forbidding requests"
done
[ "$(ls "$WORK"/html/*.html | wc -l)" -ge 6 ] && pass || fail "the batch wrote too few pages"
expect_status 0 "$JM" render -q -o "$WORK/one.HTML" "$EX/minimal.json"
expect_grep '<!DOCTYPE html>' "$WORK/one.HTML"

# The action plan: a card's notes are its tooltip (and printed nowhere), owners, statuses and
# priorities are groups with their JSON pointers.
plan_case="$ROOT/tests/golden/valid/action-plan"
expect_status 0 "$JM" render -q -o "$WORK/plan.svg" "$plan_case/input.json"
check_svg "$WORK/plan.svg" "action-plan"
expect_grep '<g class="jm-card" data-ref="/touchpoints/0"><title>Check with legal before changing the copy</title>' "$WORK/plan.svg"
! grep -q '<text [^>]*>Check with legal' "$WORK/plan.svg" && pass || fail "the notes are printed"
expect_grep '<g class="jm-owner" data-ref="/touchpoints/0/owner">' "$WORK/plan.svg"
expect_grep '<g class="jm-status" data-ref="/touchpoints/0/opportunity/0/status">' "$WORK/plan.svg"
expect_grep '<g class="jm-priority" data-ref="/items/0/priority">' "$WORK/plan.svg"

# The storyboard: each picture an embedded image, one image to assistive technology named by its
# image_alt; the caption stays text outside it.
sb_case="$ROOT/tests/golden/valid/storyboard"
expect_status 0 "$JM" render -q -o "$WORK/storyboard.svg" "$sb_case/input.json"
check_svg "$WORK/storyboard.svg" "storyboard"
expect_grep '<g class="jm-storyboard-image" data-ref="/touchpoints/1/image" role="img" aria-label="A queue at the pick-up counter"><title>A queue at the pick-up counter</title>' "$WORK/storyboard.svg"
[ "$(grep -c '<image ' "$WORK/storyboard.svg")" -eq 2 ] && pass || fail "want 2 storyboard images"

# The logo: one image to assistive technology, named by the model's logo_alt.
expect_status 0 "$JM" render -q -o "$WORK/brand.svg" "$ROOT/tests/golden/valid/brand/input.json"
check_svg "$WORK/brand.svg" "brand"
expect_grep '<g class="jm-logo" data-ref="/logo" role="img" aria-label="Coffee Ahead"><title>Coffee Ahead</title>' "$WORK/brand.svg"

# The same map twice: the same bytes.
expect_status 0 "$JM" render -q -o "$WORK/photo-again.svg" "$photo_case/input.json"
cmp -s "$WORK/photo.svg" "$WORK/photo-again.svg" && pass || fail "two renders of one SVG differ"

# Another state of the same map: other ids (the options are part of what the prefix hashes).
pb=$(grep -o 'aria-labelledby="[^ ]*' "$WORK/bank-account-ru-before.svg")
pa=$(grep -o 'aria-labelledby="[^ ]*' "$WORK/bank-account-ru-after.svg")
[ -n "$pb" ] && [ "$pb" != "$pa" ] && pass || fail "before and after share the id prefix: $pb"

# A prefix of one's own: every id, reference and the root's label use it.
expect_status 0 "$JM" render -q --svg-id-prefix map-2. -o "$WORK/own.svg" "$photo_case/input.json"
check_svg "$WORK/own.svg" "--svg-id-prefix map-2." 'map-2\.'
ids=$(grep -o ' id="[^"]*"' "$WORK/own.svg" | sed 's/^ id="//; s/"$//')
[ "$(printf '%s\n' "$ids" | grep -vc '^map-2\.')" -eq 0 ] && pass || fail "ids without the set prefix"
expect_grep 'aria-labelledby="map-2.title map-2.desc"' "$WORK/own.svg"
expect_grep '<use xlink:href="#map-2.g1"' "$WORK/own.svg"
expect_grep 'clip-path="url(#map-2.c1)"' "$WORK/own.svg"
# Not an XML name: refused, nothing written.
for bad in 1st "a b" 'x"y' "$(printf 'a%.0s' $(seq 65))"; do
    expect_status 1 "$JM" render -q --svg-id-prefix "$bad" -o "$WORK/bad.svg" "$photo_case/input.json"
    expect_grep "error: the SVG id prefix .* is not an XML name" "$WORK/err"
    [ ! -e "$WORK/bad.svg" ] && pass || fail "an SVG was written with the prefix '$bad'"
done

finish
