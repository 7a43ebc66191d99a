/* Fonts for the characters the bundled fonts lack (fallback.h). */
#include "fallback.h"

#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "shared_faces.h"
#include "util/util.h"

struct jm_fallback {
    PangoFontMap *fontmap;
    PangoContext *pango;
    FcCharSet *chars; /* what its fonts cover together */
};

FcCharSet *jm_fonts_coverage(FcConfig *fc)
{
    FcCharSet *all = FcCharSetCreate();
    for (int s = FcSetSystem; all && s <= FcSetApplication; s++) {
        FcFontSet *set = FcConfigGetFonts(fc, (FcSetName)s);
        for (int i = 0; set && i < set->nfont; i++) {
            FcCharSet *cs;
            if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch &&
                !FcCharSetMerge(all, cs, NULL)) {
                FcCharSetDestroy(all);
                return NULL;
            }
        }
    }
    return all;
}

static bool is_pictograph(gunichar c) { return c >= 0x1f000 && c <= 0x1faff; }

/* Emoji_Presentation below U+1F000 (Unicode 15 emoji-data.txt): drawn as emoji, in colour,
 * without a variation selector. */
static const gunichar EMOJI_PRESENTATION[][2] = {
    {0x231a, 0x231b}, {0x23e9, 0x23ec}, {0x23f0, 0x23f0}, {0x23f3, 0x23f3}, {0x25fd, 0x25fe},
    {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267f, 0x267f}, {0x2693, 0x2693}, {0x26a1, 0x26a1},
    {0x26aa, 0x26ab}, {0x26bd, 0x26be}, {0x26c4, 0x26c5}, {0x26ce, 0x26ce}, {0x26d4, 0x26d4},
    {0x26ea, 0x26ea}, {0x26f2, 0x26f3}, {0x26f5, 0x26f5}, {0x26fa, 0x26fa}, {0x26fd, 0x26fd},
    {0x2705, 0x2705}, {0x270a, 0x270b}, {0x2728, 0x2728}, {0x274c, 0x274c}, {0x274e, 0x274e},
    {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27b0, 0x27b0}, {0x27bf, 0x27bf},
    {0x2b1b, 0x2b1c}, {0x2b50, 0x2b50}, {0x2b55, 0x2b55}};

static bool is_emoji_presentation(gunichar c)
{
    if (c < 0x231a || c > 0x2b55)
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(EMOJI_PRESENTATION); i++)
        if (c >= EMOJI_PRESENTATION[i][0] && c <= EMOJI_PRESENTATION[i][1])
            return true;
    return false;
}

#define VS16 0xfe0f /* emoji presentation selector */

/* Characters that draw as nothing whatever the font (Pango shows no box for them): format
 * controls such as the zero-width joiner and the bidi marks, variation selectors. */
static bool draws_nothing(gunichar c)
{
    if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        return true;
    if ((c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef))
        return true;
    return g_unichar_type(c) == G_UNICODE_FORMAT;
}

bool jm_fallback_needed(const jm_context *ctx, const char *text)
{
    const FcCharSet *bundled = jm_context_bundled_chars(ctx);
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        if ((unsigned char)*p < 0x80)
            continue;
        gunichar c = g_utf8_get_char(p);
        /* Emoji too (pictographs, Emoji_Presentation, anything followed by VS16), so that
         * they are drawn in colour where a colour font has them. */
        if (is_pictograph(c) || is_emoji_presentation(c) || c == VS16 ||
            (!draws_nothing(c) && bundled && !FcCharSetHasChar(bundled, c)))
            return true;
    }
    return false;
}

/* ---- The fallback configuration ---------------------------------------------------------- */

/* Whether one of the first n fonts of set (the bundled ones) is of family. */
static bool is_bundled_family(const FcFontSet *set, int n, const FcChar8 *family)
{
    for (int i = 0; i < n; i++) {
        FcChar8 *f;
        for (int k = 0; FcPatternGetString(set->fonts[i], FC_FAMILY, k, &f) == FcResultMatch; k++)
            if (FcStrCmpIgnoreCase(f, family) == 0)
                return true;
    }
    return false;
}

/* Sorted by file, then face: the order fontconfig lists a machine's fonts in is the order of
 * its cache files, which need not be the same on two machines with the same fonts. */
static int cmp_font(const void *a, const void *b)
{
    FcPattern *x = *(FcPattern *const *)a, *y = *(FcPattern *const *)b;
    FcChar8 *fx = (FcChar8 *)"", *fy = (FcChar8 *)"";
    int ix = 0, iy = 0;
    FcPatternGetString(x, FC_FILE, 0, &fx);
    FcPatternGetString(y, FC_FILE, 0, &fy);
    FcPatternGetInteger(x, FC_INDEX, 0, &ix);
    FcPatternGetInteger(y, FC_INDEX, 0, &iy);
    int c = strcmp((const char *)fx, (const char *)fy);
    return c ? c : (ix > iy) - (ix < iy);
}

static bool is_color(FcPattern *p)
{
    FcBool color = FcFalse;
    return FcPatternGetBool(p, FC_COLOR, 0, &color) == FcResultMatch && color;
}

/* A copy of p whose character set lacks those of pict (p itself when it has none of them);
 * NULL when out of memory. */
static FcPattern *without(FcPattern *p, const FcCharSet *pict)
{
    FcCharSet *cs;
    if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch ||
        FcCharSetIntersectCount(cs, pict) == 0)
        return FcPatternDuplicate(p);
    FcCharSet *rest = FcCharSetSubtract(cs, pict);
    FcPattern *q = rest ? FcPatternDuplicate(p) : NULL;
    if (q && (!FcPatternDel(q, FC_CHARSET) || !FcPatternAddCharSet(q, FC_CHARSET, rest))) {
        FcPatternDestroy(q);
        q = NULL;
    }
    if (rest)
        FcCharSetDestroy(rest);
    return q;
}

static bool is_fallback_family(const char *family);

/* Copies the system's fonts into fc, after the bundled ones, leaving out every font of a
 * bundled family (the system's own Noto Sans, say, which may be another version).
 *
 * Pictographs (U+1F000..U+1FAFF) that a colour font has are taken from every other font, the
 * bundled ones too: Pango 1.50 draws such an emoji with any font that has it before a colour
 * font that comes first in the order (DejaVu Sans's outline smiley for 😀 where Noto Color
 * Emoji is installed), and an emoji is wanted in colour. */
static bool add_system_fonts(FcConfig *fc)
{
    FcConfig *sys = FcInitLoadConfigAndFonts();
    if (!sys)
        return false;
    FcFontSet *from = FcConfigGetFonts(sys, FcSetSystem);
    FcFontSet *to = FcConfigGetFonts(fc, FcSetSystem);
    FcCharSet *pict = FcCharSetCreate();
    bool ok = to && pict;
    int n = from ? from->nfont : 0, bundled = to ? to->nfont : 0;
    FcPattern **sorted = n ? g_new(FcPattern *, n) : NULL;
    for (int i = 0; i < n; i++)
        sorted[i] = from->fonts[i];
    if (n)
        qsort(sorted, (size_t)n, sizeof *sorted, cmp_font);
    for (int i = 0; ok && i < n; i++) {
        FcCharSet *cs;
        if (is_color(sorted[i]) &&
            FcPatternGetCharSet(sorted[i], FC_CHARSET, 0, &cs) == FcResultMatch)
            for (FcChar32 c = 0x1f000; ok && is_pictograph(c); c++)
                if (FcCharSetHasChar(cs, c))
                    ok = FcCharSetAddChar(pict, c);
    }
    for (int i = 0; ok && i < bundled; i++) {
        FcPattern *p = without(to->fonts[i], pict);
        if (!p)
            ok = false;
        else {
            FcPatternDestroy(to->fonts[i]);
            to->fonts[i] = p;
        }
    }
    for (int i = 0; ok && i < n; i++) {
        FcChar8 *family;
        if (FcPatternGetString(sorted[i], FC_FAMILY, 0, &family) != FcResultMatch ||
            is_bundled_family(to, bundled, family))
            continue;
        /* A copy: its character set keeps the system's cache file mapped. */
        FcPattern *p =
            is_color(sorted[i]) ? FcPatternDuplicate(sorted[i]) : without(sorted[i], pict);
        /* The fonts texts ask for get a face of the process's (shared_faces.h); the rest
         * are seldom used, and opening every face would map every font file. */
        if (p && is_fallback_family((const char *)family))
            jm_pattern_add_shared_face(p);
        if (!p || !FcFontSetAdd(to, p)) {
            if (p)
                FcPatternDestroy(p);
            ok = false;
        }
    }
    g_free(sorted);
    if (pict)
        FcCharSetDestroy(pict);
    FcConfigDestroy(sys);
    return ok;
}

/* Bitmap fonts (Noto Color Emoji has 109 px pictures and no outlines) scaled to the size asked
 * for, as fontconfig's own 10-scale-bitmap-fonts.conf has it; without it an emoji is drawn, and
 * measured, at 109 px whatever the text's size. */
static const char SCALE_BITMAP_FONTS[] =
    "<?xml version=\"1.0\"?><fontconfig>"
    "<match target=\"font\"><test name=\"outline\" compare=\"eq\"><bool>false</bool></test>"
    "<edit name=\"pixelsizefixupfactor\" mode=\"assign\"><divide>"
    "<name target=\"pattern\">pixelsize</name><name target=\"font\">pixelsize</name>"
    "</divide></edit></match>"
    "<match target=\"font\"><test name=\"outline\" compare=\"eq\"><bool>false</bool></test>"
    "<test name=\"pixelsizefixupfactor\" compare=\"not_eq\"><double>1.0</double></test>"
    "<edit name=\"matrix\" mode=\"assign\"><times><name>matrix</name><matrix>"
    "<name>pixelsizefixupfactor</name><double>0</double>"
    "<double>0</double><name>pixelsizefixupfactor</name></matrix></times></edit>"
    "<edit name=\"size\" mode=\"assign\"><divide><name>size</name>"
    "<name>pixelsizefixupfactor</name></divide></edit></match>"
    /* Pango 1.50 asks for the family "emoji" for an emoji presentation sequence (☕, ❤️). */
    "<alias binding=\"strong\"><family>emoji</family><prefer><family>Noto Color Emoji</family>"
    "</prefer></alias>"
    "</fontconfig>";

struct jm_fallback *jm_fallback_new(const jm_context *ctx)
{
    FcConfig *fc = FcConfigCreate();
    if (!fc)
        return NULL;
    if (jm_context_add_bundled_fonts(ctx, fc) == 0 || !add_system_fonts(fc) ||
        !FcConfigParseAndLoadFromMemory(fc, (const FcChar8 *)SCALE_BITMAP_FONTS, FcTrue)) {
        FcConfigDestroy(fc);
        return NULL;
    }
    struct jm_fallback *fb = jm_calloc(1, sizeof *fb);
    if (!fb || !(fb->chars = jm_fonts_coverage(fc))) {
        jm_free(fb);
        FcConfigDestroy(fc);
        return NULL;
    }
    fb->fontmap = jm_context_new_font_map(fc);
    FcConfigDestroy(fc); /* the font map holds its own reference */
    fb->pango = jm_context_new_pango(fb->fontmap);
    return fb;
}

void jm_fallback_free(struct jm_fallback *fb)
{
    if (!fb)
        return;
    if (fb->pango)
        g_object_unref(fb->pango);
    if (fb->fontmap)
        jm_context_release_font_map(fb->fontmap);
    if (fb->chars)
        FcCharSetDestroy(fb->chars);
    jm_free(fb);
}

PangoContext *jm_fallback_pango(jm_context *ctx)
{
    struct jm_fallback *fb = jm_context_fallback(ctx);
    return fb ? fb->pango : NULL;
}

/* ---- Families and packages --------------------------------------------------------------- */

/* The fallback families, in order: each script's Noto family (fonts-noto-core), the CJK
 * families (fonts-noto-cjk; ordered by the map's language, as Han characters are drawn
 * differently in each), then colour emoji (fonts-noto-color-emoji) and Noto's symbols. */
static const char *const SCRIPT_FAMILIES[] = {
    "Noto Sans Arabic",   "Noto Sans Hebrew",   "Noto Sans Devanagari", "Noto Sans Bengali",
    "Noto Sans Gurmukhi", "Noto Sans Gujarati", "Noto Sans Oriya",      "Noto Sans Tamil",
    "Noto Sans Telugu",   "Noto Sans Kannada",  "Noto Sans Malayalam",  "Noto Sans Sinhala",
    "Noto Sans Thai",     "Noto Sans Lao",      "Noto Sans Khmer",      "Noto Sans Myanmar",
    "Noto Sans Georgian", "Noto Sans Armenian", "Noto Sans Ethiopic",   "Noto Serif Tibetan",
    "Noto Sans Syriac",   "Noto Sans Thaana",
};
static const char *const AFTER_CJK[] = {"Noto Color Emoji", "Noto Sans Symbols", "Noto Sans Math"};

static const char *const CJK_FAMILIES[] = {"Noto Sans CJK SC", "Noto Sans CJK TC",
                                           "Noto Sans CJK HK", "Noto Sans CJK JP",
                                           "Noto Sans CJK KR"};

static bool is_fallback_family(const char *family)
{
    const char *const *lists[] = {SCRIPT_FAMILIES, CJK_FAMILIES, AFTER_CJK};
    size_t counts[] = {G_N_ELEMENTS(SCRIPT_FAMILIES), G_N_ELEMENTS(CJK_FAMILIES),
                       G_N_ELEMENTS(AFTER_CJK)};
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; i < counts[l]; i++)
            if (strcmp(family, lists[l][i]) == 0)
                return true;
    return false;
}

char *jm_fallback_families(const char *family, const char *lang)
{
    /* The CJK families, the one for the map's language first. */
    const char *const *cjk = CJK_FAMILIES;
    int first = 0;
    if (lang) {
        if (strncmp(lang, "ja", 2) == 0)
            first = 3;
        else if (strncmp(lang, "ko", 2) == 0)
            first = 4;
        else if (strncmp(lang, "zh", 2) == 0 && (strstr(lang, "HK") || strstr(lang, "MO")))
            first = 2;
        else if (strncmp(lang, "zh", 2) == 0 && (strstr(lang, "TW") || strstr(lang, "Hant")))
            first = 1;
    }
    GString *s = g_string_new(family);
    for (size_t i = 0; i < G_N_ELEMENTS(SCRIPT_FAMILIES); i++)
        g_string_append_printf(s, ", %s", SCRIPT_FAMILIES[i]);
    g_string_append_printf(s, ", %s", cjk[first]);
    for (int i = 0; i < 5; i++)
        if (i != first)
            g_string_append_printf(s, ", %s", cjk[i]);
    for (size_t i = 0; i < G_N_ELEMENTS(AFTER_CJK); i++)
        g_string_append_printf(s, ", %s", AFTER_CJK[i]);
    return g_string_free(s, FALSE);
}

static bool is_emoji(gunichar c)
{
    return (c >= 0x1f000 && c <= 0x1faff) || (c >= 0x2600 && c <= 0x27bf) ||
           (c >= 0x2b00 && c <= 0x2bff) || c == 0x200d || c == 0x20e3;
}

const char *jm_font_package(gunichar c)
{
    GUnicodeType type = g_unichar_type(c);
    if (type == G_UNICODE_UNASSIGNED || type == G_UNICODE_PRIVATE_USE ||
        type == G_UNICODE_SURROGATE)
        return NULL;
    if (is_emoji(c))
        return "fonts-noto-color-emoji";
    switch (g_unichar_get_script(c)) {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_HANGUL:
    case G_UNICODE_SCRIPT_BOPOMOFO: return "fonts-noto-cjk";
    default: break;
    }
    if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef))
        return "fonts-noto-cjk"; /* CJK punctuation, full-width forms */
    return "fonts-noto-core";
}

bool jm_fallback_has_char(jm_context *ctx, gunichar c)
{
    const FcCharSet *bundled = jm_context_bundled_chars(ctx);
    if (draws_nothing(c) || !bundled || FcCharSetHasChar(bundled, c))
        return true;
    struct jm_fallback *fb = jm_context_fallback(ctx);
    return fb && FcCharSetHasChar(fb->chars, c);
}
