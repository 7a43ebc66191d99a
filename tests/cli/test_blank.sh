#!/bin/bash
# A blank canvas for sticky notes: journeymap template and render --blank. The paper's size
# (A1 by default, the poster's or the page's), the lanes and their questions in English and
# Russian, every built-in theme, the warning when cells print smaller than a 76 mm sticky
# note, no touchpoint drawn, and the usage errors. Needs poppler-utils (pdfinfo, pdftotext).
. "$(dirname "$0")/lib.sh"

for tool in pdfinfo pdftotext; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found (apt install poppler-utils)"
        exit 1
    }
done

size_of() { pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]* x [0-9.]*\) pts.*/\1/p'; }
pages_of() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
png_size() { python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print('%dx%d' % struct.unpack('>II', d[16:24]))" "$1"; }
no_stderr() { [ ! -s "$WORK/err" ] && pass || { fail "$1 wrote to standard error:"; cat "$WORK/err" >&2; }; }

# The default canvas: A1 landscape (2384 x 1684 pt) in every format, no warning.
expect_status 0 "$JM" template -o "$WORK/t.pdf"
no_stderr "template"
[ "$(size_of "$WORK/t.pdf")" = "2384 x 1684" ] && pass || fail "template PDF is $(size_of "$WORK/t.pdf"), not A1"
expect_status 0 "$JM" template -o "$WORK/t.png"
[ "$(png_size "$WORK/t.png")" = "4768x3368" ] && pass || fail "template PNG is $(png_size "$WORK/t.png"), not A1 at 2 px/pt"
expect_status 0 "$JM" template -o "$WORK/t.svg"
expect_grep 'width="2384pt" height="1684pt"' "$WORK/t.svg"

# Five numbered stages and the workshop's six lanes, each with its question.
pdftotext -layout "$WORK/t.pdf" "$WORK/t.txt"
for s in "Stage 1" "Stage 5" Actions Touchpoints Thoughts Emotions Pains Opportunities \
    "What does the customer do?" "How do they feel?" "What do they think?" \
    "How could we do better?" "Line of interaction" "Customer journey"; do
    expect_grep "$s" "$WORK/t.txt"
done
grep -q "Stage 6" "$WORK/t.txt" && fail "template drew a sixth stage" || pass

# Russian: the labels and questions in Russian, the stages named.
expect_status 0 "$JM" template --lang ru --stages "Узнаёт, Выбирает ,Покупает" -o "$WORK/ru.pdf"
pdftotext -layout "$WORK/ru.pdf" "$WORK/ru.txt"
for s in "Путь клиента" Узнаёт Выбирает Покупает Действия "Что делает клиент?" "чувствует?" \
    "Как сделать лучше?"; do
    expect_grep "$s" "$WORK/ru.txt"
done
grep -q "What does\|Stage" "$WORK/ru.txt" && fail "English on the Russian canvas" || pass

# --lanes: ids of the model and names of one's own, in that order; nothing else.
expect_status 0 "$JM" template --lanes "pains,Ideas from the team,emotions" --title "Sprint 12" -o "$WORK/l.pdf"
pdftotext -raw "$WORK/l.pdf" "$WORK/l.txt"
for s in "Sprint 12" Pains "Ideas from the team" Emotions "What goes wrong?"; do
    expect_grep "$s" "$WORK/l.txt"
done
grep -q "Actions\|Thoughts\|Opportunities" "$WORK/l.txt" && fail "--lanes drew lanes not asked for" || pass
order=$(grep -o "Pains\|Ideas from the team\|Emotions" "$WORK/l.txt" | tr '\n' ,)
[ "$order" = "Pains,Ideas from the team,Emotions," ] && pass || fail "--lanes order: $order"

# Every built-in theme draws the canvas without a warning.
for th in default print workshop; do
    expect_status 0 "$JM" template --theme "$th" -o "$WORK/$th.png"
    no_stderr "template --theme $th"
done

# Paper: twelve stages do not fit A1 with notes: a warning with the fix; on A0 they do.
expect_status 0 "$JM" template --stages 12 -o "$WORK/12.pdf"
expect_grep "cells come out at [0-9]* × [0-9]* mm on A1, smaller than a 76 mm sticky note" "$WORK/err"
expect_grep "\-\-poster a0" "$WORK/err"
expect_status 0 "$JM" template --stages 12 --page a0 -o "$WORK/12a0.pdf"
no_stderr "template --stages 12 --page a0"
[ "$(size_of "$WORK/12a0.pdf")" = "3370 x 2384" ] && pass || fail "--page a0 canvas is $(size_of "$WORK/12a0.pdf")"
# A poster of A0 tiled on A4 sheets: the canvas made for A0, no warning.
expect_status 0 "$JM" template --stages 12 --poster a0 -o "$WORK/poster.pdf"
no_stderr "template --poster a0"
[ "$(pages_of "$WORK/poster.pdf")" -ge 16 ] && pass || fail "A0 poster on $(pages_of "$WORK/poster.pdf") A4 sheets"

# render --blank: a model's stages and lanes, none of its touchpoints or legend.
expect_status 0 "$JM" render --blank -o "$WORK/store.pdf" "$EX/online-store.json"
pdftotext -raw "$WORK/store.pdf" "$WORK/store.txt"
expect_grep "Buying a laptop online" "$WORK/store.txt"
for s in Awareness Loyalty "What does the customer do?" "How do we measure it?"; do
    expect_grep "$s" "$WORK/store.txt"
done
names=$(python3 -c "import json,sys; print('\n'.join(t['name'] for t in json.load(open(sys.argv[1]))['touchpoints']))" "$EX/online-store.json")
drawn=0
while IFS= read -r n; do grep -qF "$n" "$WORK/store.txt" && drawn=$((drawn + 1)); done <<<"$names"
[ "$drawn" -eq 0 ] && pass || fail "render --blank drew $drawn touchpoint names"
# and the same map without --blank draws them (the check above can fail)
expect_status 0 "$JM" render -o "$WORK/store-map.pdf" "$EX/online-store.json"
pdftotext -raw "$WORK/store-map.pdf" "$WORK/store-map.txt"
drawn=0
while IFS= read -r n; do grep -qF "$n" "$WORK/store-map.txt" && drawn=$((drawn + 1)); done <<<"$names"
[ "$drawn" -gt 0 ] && pass || fail "the map itself drew no touchpoint name"

# Usage errors: exit 2, nothing written.
expect_status 2 "$JM" template -o "$WORK/u.png" "$EX/minimal.json"
expect_grep "template takes no INPUT" "$WORK/err"
expect_status 2 "$JM" template
expect_grep "give the output with -o FILE" "$WORK/err"
expect_status 2 "$JM" template --stages 0 -o "$WORK/u.png"
expect_status 2 "$JM" template --stages 101 -o "$WORK/u.png"
expect_status 2 "$JM" template --stages "a,,b" -o "$WORK/u.png"
expect_grep "empty name" "$WORK/err"
expect_status 2 "$JM" template --lanes "pains, pains" -o "$WORK/u.png"
expect_grep "names 'pains' twice" "$WORK/err"
expect_status 2 "$JM" template --lang de -o "$WORK/u.png"
expect_status 2 "$JM" template --poster a0 -o "$WORK/u.png"
expect_status 2 "$JM" render --stages 3 -o "$WORK/u.png" "$EX/minimal.json"
expect_grep "template's options" "$WORK/err"
[ ! -e "$WORK/u.png" ] && pass || fail "a usage error wrote an output"

finish
