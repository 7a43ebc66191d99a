#!/bin/bash
# Every script drawn: the golden model scripts-mixed (Chinese, Japanese, Arabic, Hebrew, Hindi,
# Thai, emoji) renders in every format without a warning, its PDF's text layer holds each
# script's characters (not hex digits of boxes), PNG emoji are in colour, and a character no
# font has gives one warning per character and a box. Needs the fallback fonts that
# scripts/bootstrap.sh installs (fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji) and
# poppler-utils (pdftotext).
. "$(dirname "$0")/lib.sh"

command -v pdftotext >/dev/null || {
    echo "FAIL: pdftotext not found (see scripts/bootstrap.sh)"
    exit 1
}
MIXED=$ROOT/tests/golden/valid/scripts-mixed/input.json

for fmt in png svg pdf; do
    expect_status 0 "$JM" render -q -o "$WORK/mixed.$fmt" "$MIXED"
    [ -s "$WORK/err" ] && fail "$fmt: warnings for a map every font is installed for" || pass
done

# The text layer, in reading order within each line (pdftotext writes Arabic and Hebrew runs
# in logical order): Thai vowel marks with their consonants ("รีวิว", not "รีววิ"), an Arabic
# ligature's letters in order (ليلى, whose لى is one glyph), and the emoji, which PDF draws as
# pictures, beside their words.
pdftotext "$WORK/mixed.pdf" "$WORK/mixed.txt"
for text in "全球客户旅程" "グローバル" "رحلة العميل" "מסע הלקוח" "हिन्दी" "ไทย" "在微信上看到广告" \
    "アプリで注文" "الدفع بنقرة واحدة" "מעקב בזמן אמת" "कॉलबैक सुविधा" "เขียน" "Apple Pay" \
    "รีวิว ⭐" "เขียนรีวิวสินค้า" "ให้รางวัลผู้รีวิว" "ليلى حسن" "🎉" "emoji 😀👍" "注文 🛒" \
    "这个看起来不错 👀" "とても簡単！🎉" "Fast checkout ✅" "इंतज़ार बहुत लंबा है 😩" "บริการดีมาก 👍"; do
    grep -qF "$text" "$WORK/mixed.txt" && pass || fail "the PDF's text layer lacks \"$text\""
done
# Boxes would put their hex digits in the text layer (5168 for 全, 0631 for ر …).
! grep -q '5168\|0631\|05DE\|0939\|0E44\|1F389' "$WORK/mixed.txt" && pass ||
    fail "hex digits of boxes in the PDF's text layer"

# A colour emoji (🎉 in the title) has pixels that are neither grey nor the background.
expect_status 0 "$JM" render -q -f png -o "$WORK/emoji.png" - <<'JSON'
{"journeymap": 1, "title": "🎉", "stages": [{"id": "a", "name": "A"}], "touchpoints": []}
JSON
expect_status 0 "$JM" render -q -f png -o "$WORK/noemoji.png" - <<'JSON'
{"journeymap": 1, "title": "x", "stages": [{"id": "a", "name": "A"}], "touchpoints": []}
JSON
cmp -s "$WORK/emoji.png" "$WORK/noemoji.png" && fail "the emoji drew nothing" || pass

# Emoji below U+1F000 drawn as emoji: Emoji_Presentation (☕) or followed by U+FE0F (❤️) in
# colour (the SVG embeds a picture for a colour glyph), ❤ alone as text, in outline.
for t in "☕" "❤️" "❤"; do
    printf '{"journeymap": 1, "title": "%s", "stages": [{"id": "a", "name": "A"}], "touchpoints": []}\n' "$t" >"$WORK/e.json"
    expect_status 0 "$JM" render -q -o "$WORK/e.svg" "$WORK/e.json"
    n=$(grep -c '<image' "$WORK/e.svg")
    if [ "$t" = "❤" ]; then [ "$n" -eq 0 ] && pass || fail "❤ without U+FE0F drawn in colour"
    else [ "$n" -ge 1 ] && pass || fail "$t drawn without colour"; fi
done

# A character no font has: one warning per character (the title and the stage name share it),
# the map is still drawn, in every format.
printf '{"journeymap": 1, "title": "T \364\217\277\275", "stages": [{"id": "a", "name": "Hello \364\217\277\275 World"}],\n "touchpoints": []}\n' >"$WORK/missing.json"
for fmt in png svg pdf json; do
    expect_status 0 "$JM" render -q -o "$WORK/out.$fmt" "$WORK/missing.json"
    n=$(grep -c 'warning: /title: no font has U+10FFFD; it is drawn as a box' "$WORK/err")
    [ "$n" -eq 1 ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] && pass ||
        fail "$fmt: want one warning for U+10FFFD, got: $(cat "$WORK/err")"
    [ -s "$WORK/out.$fmt" ] && pass || fail "$fmt: no output"
done
# The warning points at the field's key (line and column), and validate gives it too.
printf '{"journeymap": 1, "title": "T",\n "stages": [{"id": "a",\n   "name": "Hello \364\217\277\275"}],\n "touchpoints": [{"stage": "a", "name": "x",\n   "thought": "\363\260\200\200"}]}\n' >"$WORK/fields.json"
for cmd in validate render; do
    if [ $cmd = render ]; then args="-q -o $WORK/fields.png"; else args=""; fi
    expect_status 0 "$JM" $cmd $args "$WORK/fields.json"
    expect_grep 'fields.json:3:4: warning: /stages/0/name: no font has U+10FFFD' "$WORK/err"
    expect_grep 'fields.json:5:4: warning: /touchpoints/0/thought: no font has U+F0000' "$WORK/err"
    [ "$(wc -l <"$WORK/err")" -eq 2 ] && pass || fail "$cmd: want two warnings: $(cat "$WORK/err")"
done

# Mermaid and CSV: each warning at the field's own line and column (the title's text, the
# section's name after the keyword, a front matter title inside its quotes, a CSV cell), not
# at the object's.
printf 'journey\n  title Day \364\217\277\275 one\n  section Go \363\260\200\200 work\n    Make tea \363\260\200\201: 5: Me \363\260\200\202\n' >"$WORK/fields.mmd"
printf -- '---\ntitle: "Day \364\217\277\275"\n---\njourney\n  section A\n    Tea: 5\n' >"$WORK/front.mmd"
printf 'stage,touchpoint,emotion,thought,pain\nGo,Make \364\217\277\275 tea,2,"hm \363\260\200\200",\nGo,Walk,1,,"wet \363\260\200\201"\n' >"$WORK/fields.csv"
for cmd in validate render; do
    if [ $cmd = render ]; then args="-q -o $WORK/fields.png"; else args=""; fi
    expect_status 0 "$JM" $cmd $args "$WORK/fields.mmd"
    expect_grep 'fields.mmd:2:9: warning: /title: no font has U+10FFFD' "$WORK/err"
    expect_grep 'fields.mmd:3:11: warning: /stages/0/name: no font has U+F0000' "$WORK/err"
    expect_grep 'fields.mmd:4:5: warning: /touchpoints/0/name: no font has U+F0001' "$WORK/err"
    expect_grep 'fields.mmd:4:20: warning: /personas/0/name: no font has U+F0002' "$WORK/err"
    expect_status 0 "$JM" $cmd $args "$WORK/front.mmd"
    expect_grep 'front.mmd:2:9: warning: /title: no font has U+10FFFD' "$WORK/err"
    expect_status 0 "$JM" $cmd $args "$WORK/fields.csv"
    expect_grep 'fields.csv:2:4: warning: /touchpoints/0/name: no font has U+10FFFD' "$WORK/err"
    expect_grep 'fields.csv:2:17: warning: /touchpoints/0/thought: no font has U+F0000' "$WORK/err"
    expect_grep 'fields.csv:3:12: warning: /touchpoints/1/pain: no font has U+F0001' "$WORK/err"
done

# The stage name stays in the PDF's text layer around its box.
pdftotext "$WORK/out.pdf" - | grep -q "Hello" && pass || fail "the stage name is not in the PDF"

finish
