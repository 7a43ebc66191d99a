#!/bin/bash
# Your own fonts: --font-dir and a theme's "fonts" add font files whose families the theme
# chooses for text, titles and numbers (the layout's widths change, the PDF embeds a subset of
# the font, no warning); a family no font has is a warning where the theme names it; a theme's
# fonts obey the rule of files a model names (inside the model's folder, a font, readable).
# fonts/JMTestSans-Regular.ttf is Noto Sans (SIL OFL 1.1, fonts/LICENSE-Noto.txt) cut to ASCII
# and renamed "JM Test Sans" with fontTools.
. "$(dirname "$0")/lib.sh"

FONTS=$(cd "$(dirname "$0")/fonts" && pwd)
mkdir -p "$WORK/m/brand/fonts" "$WORK/m/sub"
cp "$FONTS/JMTestSans-Regular.ttf" "$WORK/m/brand/fonts/"
cat >"$WORK/m/plain.json" <<'JSON'
{"journeymap": 1, "title": "Brand map",
 "stages": [{"id": "a", "name": "Discover"}],
 "touchpoints": [{"stage": "a", "name": "Sees an advert", "emotion": 1,
                  "metrics": [{"name": "NPS", "value": 42}]}]}
JSON
sed 's|"journeymap": 1,|"journeymap": 1, "theme": {"font_family": "JM Test Sans, Inter"},|' \
    "$WORK/m/plain.json" >"$WORK/m/inline.json"
cd "$WORK/m" || exit 1

# title_w LAYOUT: the width of the first text element ("Brand map"), from the layout JSON.
text_h() { grep -o '"h": [0-9.]*, "parent": [0-9]*, "ref": "/title", "text": "Brand map"' "$1"; }

# --font-dir: the family is found and used; without it, a warning at the theme key.
expect_status 0 "$JM" render -q -o inline.json.out.json --font-dir brand/fonts inline.json
[ -s "$WORK/err" ] && fail "--font-dir: warnings: $(cat "$WORK/err")" || pass
expect_status 0 "$JM" render -q -o plain.out.json plain.json
[ -n "$(text_h inline.json.out.json)" ] && [ "$(text_h inline.json.out.json)" != "$(text_h plain.out.json)" ] &&
    pass || fail "the title measures the same in JM Test Sans as in Inter"
expect_status 0 "$JM" render -q -o nofont.json inline.json
expect_grep 'inline.json:1:[0-9]*: warning: /theme/font_family: no font of family "JM Test Sans"' "$WORK/err"
cmp -s nofont.json plain.out.json && pass || fail "a family not found is not the bundled Inter"
# Several --font-dir, a file as well as a folder; a folder without fonts is a warning.
mkdir empty
expect_status 0 "$JM" render -q -o two.json --font-dir empty --font-dir brand/fonts/JMTestSans-Regular.ttf inline.json
expect_grep 'empty: warning: font folder "empty" holds no .ttf, .otf or .ttc file' "$WORK/err"
cmp -s two.json inline.json.out.json && pass || fail "a font file as --font-dir differs from its folder"
expect_status 1 "$JM" render -q -o x.png --font-dir nowhere inline.json
expect_grep 'nowhere: error: font "nowhere": No such file or directory' "$WORK/err"
[ -e x.png ] && fail "an output written after a bad --font-dir" || pass

# PDF: a subset of the font is embedded (pdffonts: "JMTestSans", emb and sub "yes").
if command -v pdffonts >/dev/null; then
    expect_status 0 "$JM" render -q -o brand.pdf --font-dir brand/fonts inline.json
    pdffonts brand.pdf | grep -q '^[A-Z]\{6\}+JMTestSans-Regular .* yes yes yes' && pass ||
        fail "JM Test Sans not embedded as a subset: $(pdffonts brand.pdf)"
else
    fail "pdffonts not found (poppler-utils, scripts/bootstrap.sh)"
fi
# SVG: glyph outlines, no font file.
expect_status 0 "$JM" render -q -o brand.svg --font-dir brand/fonts inline.json
! grep -q 'font-face\|base64' brand.svg && pass || fail "the SVG embeds a font"

# A theme file's "fonts", relative to the theme file; titles and numbers in their families.
cat >brand/theme.json <<'JSON'
{
  "fonts": ["fonts"],
  "font_family_titles": "JM Test Sans",
  "font_family_numbers": "Brand Numbers, Inter"
}
JSON
sed 's|"journeymap": 1,|"journeymap": 1, "theme": "brand/theme.json",|' plain.json >themed.json
expect_status 0 "$JM" render -q -o themed.out.json themed.json
expect_grep 'brand/theme.json:4:26: warning: /font_family_numbers: no font of family "Brand Numbers"' "$WORK/err"
[ "$(wc -l <"$WORK/err")" -eq 1 ] && pass || fail "want one warning: $(cat "$WORK/err")"
[ "$(text_h themed.out.json)" = "$(text_h inline.json.out.json)" ] && pass ||
    fail "the title is not in the titles' family"
grep -q '"text": "NPS"' themed.out.json && pass || fail "no metric"
# validate reads the fonts too, and reports a family no font has as render does: at the theme
# file's key, at the model's theme object, for a --theme file; not when --font-dir has it.
expect_status 0 "$JM" validate themed.json
expect_grep 'brand/theme.json:4:26: warning: /font_family_numbers: no font of family "Brand Numbers"' "$WORK/err"
[ "$(wc -l <"$WORK/err")" -eq 1 ] && pass || fail "validate: want one warning: $(cat "$WORK/err")"
expect_status 0 "$JM" validate inline.json
expect_grep 'inline.json:1:[0-9]*: warning: /theme/font_family: no font of family "JM Test Sans"' "$WORK/err"
expect_status 0 "$JM" validate --font-dir brand/fonts inline.json
[ -s "$WORK/err" ] && fail "validate --font-dir: warnings: $(cat "$WORK/err")" || pass
expect_status 0 "$JM" validate --theme brand/theme.json plain.json
expect_grep 'brand/theme.json:4:26: warning: /font_family_numbers: no font of family "Brand Numbers"' "$WORK/err"
expect_status 1 "$JM" validate --theme no-such-theme plain.json
expect_grep 'error: .*no-such-theme' "$WORK/err"

# A colour under WCAG AA is reported at the key that set it: a --theme file's, the model's
# theme object's; the fill's key when the text colour is the theme's own.
printf '{\n  "name": "pale",\n  "card_text": "#D1D5DB"\n}\n' >pale.json
expect_status 0 "$JM" validate --theme pale.json plain.json
expect_grep '^pale.json:3:16: warning: /card_text: theme "pale": "card_text" on "card_fill"' "$WORK/err"
sed 's|"journeymap": 1,|"journeymap": 1,\n "theme": {"lane_alt_fill": "#4B5563"},|' plain.json >dark.json
expect_status 0 "$JM" validate dark.json
expect_grep '^dark.json:2:29: warning: /theme/lane_alt_fill: theme "default": "text" on "lane_alt_fill"' "$WORK/err"

# The rule of files a model names: inside the model's folder, a font.
cat >sub/out.json <<'JSON'
{"journeymap": 1, "title": "T",
 "theme": {"fonts": ["../brand/fonts/JMTestSans-Regular.ttf"]},
 "stages": [{"id": "a", "name": "A"}], "touchpoints": []}
JSON
expect_status 1 "$JM" validate sub/out.json
expect_grep 'sub/out.json:2:22: error: /theme/fonts/0: font "../brand/fonts/JMTestSans-Regular.ttf" is outside the input file' "$WORK/err"
ln -s "$FONTS/JMTestSans-Regular.ttf" sub/link.ttf
sed -i 's|"../brand/fonts/JMTestSans-Regular.ttf"|"link.ttf"|' sub/out.json
expect_status 1 "$JM" render -q -o sub/x.png sub/out.json
expect_grep 'error: /theme/fonts/0: font "link.ttf" is outside the input file' "$WORK/err"
[ -e sub/x.png ] && fail "rendered with a font from outside" || pass
printf 'not a font' >brand/fonts/bad.ttf
expect_status 1 "$JM" validate themed.json
expect_grep 'brand/theme.json:2:13: error: /fonts/0: font "brand/fonts/bad.ttf" is not a TrueType or OpenType font' "$WORK/err"
rm brand/fonts/bad.ttf
# --theme FILE (chosen by the person running us) may name fonts anywhere.
printf '{"fonts": ["%s"], "font_family": "JM Test Sans"}\n' "$FONTS/JMTestSans-Regular.ttf" >"$WORK/any.json"
expect_status 0 "$JM" render -q -o any.json.out.json --theme "$WORK/any.json" plain.json
[ -s "$WORK/err" ] && fail "--theme fonts: $(cat "$WORK/err")" || pass

finish
