#!/bin/bash
# Paper: --pages and --poster on the generated 40-touchpoint map (tests/data/generated-40.json,
# written by scripts/gen-map.py): page counts and sizes, what each page says (stage names, title,
# lane labels, "page k of n"), the smallest text measured in the PDF, the warning under 6 pt,
# poster sheets and their names, usage errors. Needs poppler-utils (pdfinfo, pdftotext).
. "$(dirname "$0")/lib.sh"

for tool in pdfinfo pdftotext; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found (apt install poppler-utils)"
        exit 1
    }
done

MAP=$ROOT/tests/data/generated-40.json
# The detail layout (a column a touchpoint, 6556 × 1644 pt): the wide map that pages are for.
D="--layout detail"

pages_of() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
# Every page's size, one "W x H" a line.
sizes_of() { pdfinfo -f 1 -l "$(pages_of "$1")" "$1" | sed -n 's/^Page *[0-9]* size: *\([0-9.]* x [0-9.]*\) pts.*/\1/p'; }
# The smallest word height in a PDF (pdftotext -bbox), optionally of one page.
min_word_h() { pdftotext -bbox "$@" - | awk -F'"' '/<word/ { h = $8 - $4; if (m == "" || h < m) m = h } END { print m }'; }

# One A3 page: the map shrinks to about 1.4 pt text, and the warning says so and what helps.
expect_status 0 "$JM" render $D --page a3 -o "$WORK/one.pdf" "$MAP"
expect_grep "smallest text in the PDF is 1\.[0-9] pt, under 6 pt" "$WORK/err"
expect_grep "\-\-pages auto prints it on [0-9]* A3 pages with text of 7 pt or more" "$WORK/err"
want_n=$(sed -n 's/.*prints it on \([0-9]*\) A3 pages.*/\1/p' "$WORK/err")

# --pages auto on A3: the number of pages the warning promised, all A3 landscape, no warning.
expect_status 0 "$JM" render $D --page a3 --pages auto -o "$WORK/auto.pdf" "$MAP"
[ ! -s "$WORK/err" ] && pass || { fail "--pages auto warned:"; cat "$WORK/err" >&2; }
n=$(pages_of "$WORK/auto.pdf")
[ "$n" -gt 1 ] && [ "$n" = "$want_n" ] && pass || fail "--pages auto: $n pages, the warning said $want_n"
bad=$(sizes_of "$WORK/auto.pdf" | grep -cv '^1191 x 842$')
[ "$bad" -eq 0 ] && [ "$(sizes_of "$WORK/auto.pdf" | wc -l)" -eq "$n" ] && pass \
    || fail "--pages auto: pages not all A3 landscape: $(sizes_of "$WORK/auto.pdf" | sort | uniq -c)"

# Each page: the title line, a lane label, its own "page k of n", and only stages in order.
last=0
for k in $(seq 1 "$n"); do
    pdftotext -layout -f "$k" -l "$k" "$WORK/auto.pdf" "$WORK/p$k.txt"
    expect_grep "Switching energy supplier" "$WORK/p$k.txt"
    expect_grep "page $k of $n" "$WORK/p$k.txt"
    grep -q "page $((k % n + 1)) of $n" "$WORK/p$k.txt" && [ "$n" -gt 1 ] \
        && fail "page $k also says page $((k % n + 1))" || pass
    stages_here=0
    for s in Discover Research Compare "Sign up" Switch "First bill"; do
        if grep -qw "$s" "$WORK/p$k.txt"; then
            stages_here=$((stages_here + 1))
        fi
    done
    if grep -q "Stages" "$WORK/p$k.txt"; then # a grid page: its lane labels and a stage
        expect_grep "Emotions\|Website\|Thoughts" "$WORK/p$k.txt"
        [ "$stages_here" -ge 1 ] && pass || fail "page $k shows no stage name"
    fi
done
# Every stage name is on some page; the first row of pages shows them in order.
for s in Discover Research Compare "Sign up" Switch "First bill"; do
    cat "$WORK"/p*.txt | grep -qw "$s" && pass || fail "no page shows the stage $s"
done
order=$(for k in $(seq 1 "$n"); do
    for s in Discover Research Compare "Sign up" Switch "First bill"; do
        grep -qw "$s" "$WORK/p$k.txt" && echo "$s"
    done
done | awk '!seen[$0]++' | tr '\n' ',')
[ "$order" = "Discover,Research,Compare,Sign up,Switch,First bill," ] && pass \
    || fail "stages first appear in the order $order"
# Page 2 of the A3 set is the next stage (one stage a page here): not the first's name.
grep -q "Research" "$WORK/p2.txt" && ! grep -q "Discover" "$WORK/p2.txt" && pass \
    || fail "page 2 is not the Research stage: $(head -5 "$WORK/p2.txt")"

# The smallest text, measured: words on the map-sized PDF (scale 1) are at least the theme's
# smallest font (8 pt); on the pages every word is at least 7/8 as tall, i.e. 7 pt or more.
expect_status 0 "$JM" render $D -o "$WORK/full.pdf" "$MAP"
h1=$(min_word_h "$WORK/full.pdf")
for k in $(seq 1 "$n"); do
    hk=$(min_word_h -f "$k" -l "$k" "$WORK/auto.pdf")
    awk -v a="$hk" -v b="$h1" 'BEGIN { exit !(a / b * 8 >= 7 - 0.01) }' && pass \
        || fail "page $k: smallest text $(awk -v a="$hk" -v b="$h1" 'BEGIN { print a / b * 8 }') pt, under 7"
done

# --pages 3: at most 3 pages, and a warning that the text is small with the auto count.
expect_status 0 "$JM" render $D --page a3 --pages 3 -o "$WORK/three.pdf" "$MAP"
[ "$(pages_of "$WORK/three.pdf")" -le 3 ] && pass || fail "--pages 3 gave $(pages_of "$WORK/three.pdf")"
expect_grep "under 6 pt" "$WORK/err"
pdftotext -f 2 -l 2 "$WORK/three.pdf" "$WORK/three2.txt"
expect_grep "page 2 of $(pages_of "$WORK/three.pdf")" "$WORK/three2.txt"

# A4 by default, and in Russian the page numbers are Russian.
expect_status 0 "$JM" render --pages auto -o "$WORK/a4.pdf" "$EX/bank-account-ru.json"
[ "$(sizes_of "$WORK/a4.pdf" | sort -u)" = "842 x 595" ] && pass || fail "--pages default not A4"
pdftotext -f 1 -l 1 "$WORK/a4.pdf" "$WORK/ru1.txt"
expect_grep "страница 1 из $(pages_of "$WORK/a4.pdf")" "$WORK/ru1.txt"

# Poster A0 on A4 sheets. The map (6556 × 1644 pt since the taller emotion band of several
# personas) fitted to A0 (3370×2384 pt less 24 pt margins) is 3370 × 881 pt with its margins;
# A4 sheets print 547×794 pt (portrait) inside their 24 pt margins and share 28 pt. Portrait:
# ceil((3370 − 28) / (547 − 28)) = 7 columns × 2 rows (881 > 794) = 14; landscape:
# ceil(3342 / 766) × ceil(853 / 519) = 5 × 2 = 10, fewer: 10 landscape sheets, row by row.
expect_status 0 "$JM" render $D --poster a0 --page a4 -o "$WORK/poster.pdf" "$MAP"
[ "$(pages_of "$WORK/poster.pdf")" = 10 ] && pass || fail "poster A0 on A4: $(pages_of "$WORK/poster.pdf") sheets, want 10"
[ "$(sizes_of "$WORK/poster.pdf" | sort -u)" = "842 x 595" ] && pass || fail "poster sheets not A4 landscape"
for k in 1 2 5 6 10; do
    col=$(printf "\\x$(printf %x $((64 + (k - 1) % 5 + 1)))")
    row=$(((k - 1) / 5 + 1))
    pdftotext -f "$k" -l "$k" "$WORK/poster.pdf" "$WORK/s$k.txt"
    expect_grep "^${col}${row}\$" "$WORK/s$k.txt"
    expect_grep "poster A0, 5 × 2 sheets" "$WORK/s$k.txt"
done
expect_grep "under 6 pt" "$WORK/err" # A0 is still small for a 4:1 map: 4 pt text
expect_grep "a bigger --poster" "$WORK/err"
# On A3 sheets fewer are needed.
expect_status 0 "$JM" render $D --poster a0 --page a3 -o "$WORK/poster3.pdf" "$MAP"
[ "$(pages_of "$WORK/poster3.pdf")" -lt 10 ] && pass || fail "poster A0 on A3: $(pages_of "$WORK/poster3.pdf") sheets"

# Deterministic.
expect_status 0 "$JM" render $D --page a3 --pages auto -o "$WORK/auto2.pdf" "$MAP"
cmp -s "$WORK/auto.pdf" "$WORK/auto2.pdf" && pass || fail "two renders of the same pages differ"

# Usage: PDF only; N from 1; poster sizes by name.
expect_status 2 "$JM" render --pages auto -o "$WORK/x.png" "$MAP"
expect_grep "makes PDF pages" "$WORK/err"
[ ! -e "$WORK/x.png" ] && pass || fail "a PNG was written"
expect_status 2 "$JM" render --pages 0 -o "$WORK/x.pdf" "$MAP"
expect_status 2 "$JM" render --pages many -o "$WORK/x.pdf" "$MAP"
expect_status 2 "$JM" render --poster b1 -o "$WORK/x.pdf" "$MAP"
expect_grep "unknown poster size 'b1'" "$WORK/err"
# The overview layout (the default for this map, 1550 pt wide) on one A3 page is still under
# 6 pt; --pages auto needs fewer pages for it than for the detail layout.
expect_status 0 "$JM" render --layout overview --page a3 -o "$WORK/ov.pdf" "$MAP"
expect_grep "under 6 pt" "$WORK/err"
expect_status 0 "$JM" render --layout overview --page a3 --pages auto -o "$WORK/ov-auto.pdf" "$MAP"
[ ! -s "$WORK/err" ] && pass || { fail "--pages auto (overview) warned:"; cat "$WORK/err" >&2; }
ov_n=$(pages_of "$WORK/ov-auto.pdf")
[ "$ov_n" -ge 1 ] && [ "$ov_n" -lt "$n" ] && pass || fail "overview: $ov_n pages, detail $n"
# The footer line (cut off with the grid's bottom by pages) is on every page, at the bottom left,
# with the page number on the same line; in a one-page PDF once.
expect_status 0 "$JM" render $D --page a3 --pages auto --footer "Confidential - version 3" \
    -o "$WORK/foot.pdf" "$MAP"
fn=$(pages_of "$WORK/foot.pdf")
[ "$fn" = "$n" ] && pass || fail "--footer changed the page count: $fn, not $n"
for k in $(seq 1 "$fn"); do
    pdftotext -layout -f "$k" -l "$k" "$WORK/foot.pdf" - | grep -q "Confidential - version 3 .*page $k of $fn" \
        && pass || fail "page $k of the footer PDF has no footer line with its page number"
done
expect_status 0 "$JM" render $D --page a3 --footer "Confidential - version 3" -o "$WORK/foot1.pdf" "$MAP"
[ "$(pdftotext "$WORK/foot1.pdf" - | grep -c 'Confidential - version 3')" = 1 ] && pass \
    || fail "one-page PDF: the footer not there once"
# Orientation per document: dense-journey (1704 x 1172 pt, 23 lanes) on A3 takes 2 portrait pages
# (the lanes in one page height, the stages over two page widths); landscape A3 pages would need
# 4 (2 rows of 2). Every page of the PDF has the same size.
expect_status 0 "$JM" render --page a3 --pages auto -o "$WORK/tall.pdf" "$EX/dense-journey.json"
[ "$(sizes_of "$WORK/tall.pdf" | sort -u)" = "842 x 1191" ] && [ "$(pages_of "$WORK/tall.pdf")" = 2 ] \
    && pass || fail "dense-journey on A3: $(pages_of "$WORK/tall.pdf") pages of $(sizes_of "$WORK/tall.pdf" | sort -u | tr '\n' ' '), want 2 portrait"
# A wide map stays landscape.
[ "$(sizes_of "$WORK/auto.pdf" | sort -u)" = "1191 x 842" ] && pass || fail "the detail map turned portrait"
# -d without -f: PDF.
mkdir "$WORK/out"
expect_status 0 "$JM" render -q --pages auto -d "$WORK/out" "$EX/minimal.json"
[ -s "$WORK/out/minimal.pdf" ] && pass || fail "--pages -d wrote no PDF: $(ls "$WORK/out")"

finish
