#!/bin/bash
# PDF pages and metadata: every --page gives its landscape size in points (auto: the map's own
# size, from the layout JSON), the content is scaled to fit, text is searchable (Cyrillic too),
# title/subject/creator and language are set, urls are clickable links, and the same command
# gives the same bytes. Needs poppler-utils (pdfinfo, pdftotext), as scripts/bootstrap.sh
# installs.
. "$(dirname "$0")/lib.sh"

for tool in pdfinfo pdftotext; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found (apt install poppler-utils)"
        exit 1
    }
done

MAP=$EX/bank-account-ru.json

# Variables are not named want or got: lib.sh's expect_status uses those.
# page_size PDF: "W x H" as pdfinfo prints it (points, up to two decimals)
page_size() { pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]* x [0-9.]*\) pts.*/\1/p'; }

# Named pages: landscape, in PostScript points.
for spec in "a4 842 x 595" "a3 1191 x 842" "a2 1684 x 1191" "letter 792 x 612" \
    "tabloid 1224 x 792"; do
    set -- $spec
    page=$1; size_want="$2 x $4"
    expect_status 0 "$JM" render -q --page "$page" -o "$WORK/$page.pdf" "$MAP"
    size_got=$(page_size "$WORK/$page.pdf")
    [ "$size_got" = "$size_want" ] && pass \
        || fail "--page $page: page is '$size_got' pt, want '$size_want'"
done
# Upper case works too (users write A4).
expect_status 0 "$JM" render -q --page A3 -o "$WORK/A3.pdf" "$MAP"
[ "$(page_size "$WORK/A3.pdf")" = "1191 x 842" ] && pass || fail "--page A3 not A3"
expect_status 2 "$JM" render -q --page a5 -o "$WORK/a5.pdf" "$MAP"
expect_grep "a5" "$WORK/err"

# auto (and the default): one page the size of the map, as the layout JSON gives it.
expect_status 0 "$JM" render -q -f json -o "$WORK/layout.json" "$MAP"
size=$(head -c 200 "$WORK/layout.json" |
    sed -n 's/^{"width": \([0-9.]*\), "height": \([0-9.]*\),.*/\1 \2/p')
size_want=$(echo "$size" | awk '{ printf "%g x %g", $1, $2 }')
for page in auto default; do
    if [ "$page" = default ]; then
        expect_status 0 "$JM" render -q -o "$WORK/$page.pdf" "$MAP"
    else
        expect_status 0 "$JM" render -q --page auto -o "$WORK/$page.pdf" "$MAP"
    fi
    size_got=$(page_size "$WORK/$page.pdf" | awk '{ printf "%g x %g", $1, $3 }')
    # pdfinfo rounds to two decimals; compare to a hundredth
    awk -v a="$size_got" -v b="$size_want" 'BEGIN {
        split(a, x, " x "); split(b, y, " x "); d1 = x[1] - y[1]; d2 = x[2] - y[2]
        exit !(d1 < 0.01 && d1 > -0.01 && d2 < 0.01 && d2 > -0.01) }' \
        && pass || fail "--page $page: page is '$size_got' pt, the map is '$size_want' pt"
done

# Text is searchable, in Russian too, on a fitted page as on the map-sized one.
for pdf in a4 auto; do
    pdftotext "$WORK/$pdf.pdf" "$WORK/$pdf.txt"
    expect_grep "Путь клиента: открытие дебетовой карты" "$WORK/$pdf.txt"
    expect_grep "Осведомлённость" "$WORK/$pdf.txt"
    expect_grep "Линия взаимодействия" "$WORK/$pdf.txt"
done

# Document information: title, subject (the subtitle), creator with the version; fixed dates.
version=$("$JM" --version | sed 's/^journeymap //')
pdfinfo "$WORK/a4.pdf" >"$WORK/info.txt"
expect_grep "^Title: *Путь клиента: открытие дебетовой карты$" "$WORK/info.txt"
expect_grep "^Subject: *Розничный банк · точки контакта до и после оптимизации$" "$WORK/info.txt"
expect_grep "^Creator: *journeymap $version$" "$WORK/info.txt"
expect_grep "^CreationDate: .*2000" "$WORK/info.txt"
expect_grep "^Pages: *1$" "$WORK/info.txt"
# The document language, for screen readers and hyphenation.
grep -aq "/Lang (ru)" "$WORK/a4.pdf" && pass || fail "no /Lang (ru) in the catalogue"

# Links: the touchpoints' urls are link annotations.
grep -aq "/URI (https://bank.example/karty/debetovaya)" "$WORK/a4.pdf" && pass \
    || fail "no link annotation for the card's url"
if pdfinfo -url "$WORK/a4.pdf" >"$WORK/urls.txt" 2>/dev/null; then
    expect_grep "https://bank.example/app" "$WORK/urls.txt"
    # One link per card: the host label inside a linked card adds no second annotation.
    links=$(grep -c "https://bank.example/karty/debetovaya" "$WORK/urls.txt")
    [ "$links" -eq 1 ] && pass || fail "the card's url has $links link annotations, want 1"
fi

# Deterministic: the same command, the same bytes.
expect_status 0 "$JM" render -q --page a4 -o "$WORK/a4-again.pdf" "$MAP"
cmp -s "$WORK/a4.pdf" "$WORK/a4-again.pdf" && pass || fail "two renders of the same PDF differ"

# Page size changes only the PDF: the layout is the same whatever the page.
expect_status 0 "$JM" render -q --page a2 -f json -o "$WORK/layout-a2.json" "$MAP"
cmp -s "$WORK/layout.json" "$WORK/layout-a2.json" && pass || fail "--page changed the layout JSON"

finish
