/* WCAG 2 AA contrast of a theme: every text colour on every fill the layout draws it on
 * (4.5:1, 3:1 for large text), and the graphics that carry meaning (3:1). One table, read by
 * the check that warns about a theme and by the unit test that holds the built-in themes to
 * it. */
#include <stddef.h>
#include <stdio.h>

#include "contrast.h"
#include "theme.h"
#include "util/diag.h"
#include "util/util.h"

#define AA_TEXT 4.5       /* WCAG 2 SC 1.4.3, body text */
#define AA_LARGE_TEXT 3.0 /* SC 1.4.3, 18 pt, or 14 pt bold */
#define AA_GRAPHICS 3.0   /* SC 1.4.11, graphical objects */
#define STAGE_TINT 0.22   /* the layout's stage column: its palette colour at this alpha */

#define C(field) offsetof(jm_theme, field)

static jm_rgba color_at(const jm_theme *t, size_t off)
{
    return *(const jm_rgba *)(const void *)((const char *)t + off);
}

/* Text colour on a fill, as the layout pairs them; role: the font drawn (NULL: small text too). */
static const struct {
    const char *fg, *bg, *where;
    size_t fg_off, bg_off, role_off;
} text_pairs[] = {
#define P(fg, bg, role, where)                                                                     \
    {                                                                                              \
#fg, #bg, where, C(fg), C(bg), role                                                        \
    }
    P(text, background, C(font_title), "title"),
    P(text_muted, background, 0, "subtitle, legend, compare lane (before)"),
    P(line_of_interaction, background, 0, "divider labels"),
    P(text, lane_alt_fill, 0, "action and item boxes"),
    P(text_muted, lane_alt_fill, 0, "action and item boxes"),
    P(card_text, lane_alt_fill, 0, "action and item boxes"),
    P(lane_label_text, lane_label_fill, C(font_lane), "lane names"),
    P(text_muted, lane_label_fill, 0, "channel kind captions, emotion scale"),
    P(card_title, card_fill, C(font_card_title), "touchpoint card titles"),
    P(card_text, card_fill, 0, "touchpoint card text"),
    P(link, card_fill, 0, "card links"),
    P(text, card_fill, 0, "persona card"),
    P(text_muted, card_fill, 0, "persona card quote and labels, owners"),
    P(text, thought_fill, 0, "thoughts"),
    P(text, pain_fill, 0, "pains"),
    P(text, opportunity_fill, 0, "opportunities, compare lane (after)"),
    P(text_muted, opportunity_fill, 0, "compare lane, opportunities' owners"),
    P(text, metric_fill, 0, "KPI values"),
    P(text_muted, metric_fill, 0, "KPI names"),
    P(pain, metric_fill, 0, "KPI change for the worse"),
    P(opportunity, metric_fill, 0, "KPI change for the better"),
    P(text_muted, background, 0, "footer"),
#undef P
};

/* Graphics that carry meaning, on what they are drawn on. */
static const struct {
    const char *fg, *bg, *where;
    size_t fg_off, bg_off;
} graphic_pairs[] = {
#define P(fg, bg, where)                                                                           \
    {                                                                                              \
#fg, #bg, where, C(fg), C(bg)                                                              \
    }
    P(curve, background, "emotion curve"),
    P(curve_before, background, "emotion curve before, compare lane border"),
    P(moment_of_truth, card_fill, "moment-of-truth badge"),
    P(pain, pain_fill, "pain marker"),
    P(opportunity, opportunity_fill, "opportunity marker"),
    P(line_of_interaction, background, "line of interaction, zero line"),
#undef P
};

static const char *const stage_names[JM_THEME_PALETTE] = {
    "stage_palette[0]", "stage_palette[1]", "stage_palette[2]", "stage_palette[3]",
    "stage_palette[4]", "stage_palette[5]", "stage_palette[6]", "stage_palette[7]"};
static const char *const column_names[JM_THEME_PALETTE] = {
    "stage column 0", "stage column 1", "stage column 2", "stage column 3",
    "stage column 4", "stage column 5", "stage column 6", "stage column 7"};
static const char *const persona_names[JM_THEME_PALETTE] = {
    "persona_palette[0]", "persona_palette[1]", "persona_palette[2]", "persona_palette[3]",
    "persona_palette[4]", "persona_palette[5]", "persona_palette[6]", "persona_palette[7]"};
static const char *const face_names[5] = {"the emotion -2 face", "the emotion -1 face",
                                          "the emotion +0 face", "the emotion +1 face",
                                          "the emotion +2 face"};

/* Large text in WCAG's sense: 18 pt, or 14 pt bold. */
static bool large(const jm_font_role *r)
{
    return r && (r->size >= 18 || (r->size >= 14 && r->weight >= 700));
}

typedef struct {
    jm_contrast_pair *out;
    size_t n, cap;
    const jm_theme *t;
} pairs;

static void add(pairs *p, const char *fg, const char *bg, const char *fg_key, const char *bg_key,
                const char *where, jm_rgba fgc, jm_rgba bgc, double need, bool text)
{
    if (p->n < p->cap) {
        jm_rgba opaque_bg = jm_rgba_over(bgc, p->t->background);
        p->out[p->n] = (jm_contrast_pair){
            fg, bg, where, fg_key, bg_key, jm_rgba_over(fgc, opaque_bg), opaque_bg, need, text};
    }
    p->n++;
}

size_t jm_theme_contrast_pairs(const jm_theme *t, jm_contrast_pair *out, size_t cap)
{
    pairs p = {out, 0, cap, t};
    for (size_t k = 0; k < sizeof text_pairs / sizeof *text_pairs; k++) {
        const jm_font_role *role =
            text_pairs[k].role_off
                ? (const jm_font_role *)(const void *)((const char *)t + text_pairs[k].role_off)
                : NULL;
        add(&p, text_pairs[k].fg, text_pairs[k].bg, text_pairs[k].fg, text_pairs[k].bg,
            text_pairs[k].where, color_at(t, text_pairs[k].fg_off),
            color_at(t, text_pairs[k].bg_off), large(role) ? AA_LARGE_TEXT : AA_TEXT, true);
    }
    for (int s = 0; s < JM_THEME_PALETTE; s++) {
        add(&p, "stage_text", stage_names[s], "stage_text", "stage_palette", "stage headers",
            t->stage_text, t->stage_palette[s], large(&t->font_stage) ? AA_LARGE_TEXT : AA_TEXT,
            true);
        /* a stage's column tint over the background, where goals and questions sit */
        jm_rgba tint = t->stage_palette[s];
        tint.a = STAGE_TINT;
        jm_rgba column = jm_rgba_over(tint, t->background);
        add(&p, "text", column_names[s], "text", "stage_palette", "stage goals", t->text, column,
            AA_TEXT, true);
        add(&p, "text_muted", column_names[s], "text_muted", "stage_palette", "questions",
            t->text_muted, column, AA_TEXT, true);
    }
    for (size_t k = 0; k < sizeof graphic_pairs / sizeof *graphic_pairs; k++)
        add(&p, graphic_pairs[k].fg, graphic_pairs[k].bg, graphic_pairs[k].fg, graphic_pairs[k].bg,
            graphic_pairs[k].where, color_at(t, graphic_pairs[k].fg_off),
            color_at(t, graphic_pairs[k].bg_off), AA_GRAPHICS, false);
    /* A face's eyes and mouth are drawn in `text` on its emotion colour (grey at 0, towards
     * emotion_neg/emotion_pos at ±2). */
    for (int v = -2; v <= 2; v++) {
        jm_rgba a = t->emotion_zero, c = v < 0 ? t->emotion_neg : t->emotion_pos;
        double k = (v < 0 ? -v : v) / 2.0;
        jm_rgba face = {a.r + (c.r - a.r) * k, a.g + (c.g - a.g) * k, a.b + (c.b - a.b) * k, 1};
        add(&p, "text", face_names[v + 2], "text",
            v < 0   ? "emotion_neg"
            : v > 0 ? "emotion_pos"
                    : "emotion_zero",
            "emotion faces", t->text, face, AA_GRAPHICS, false);
    }
    for (int i = 0; i < JM_THEME_PALETTE; i++)
        add(&p, persona_names[i], "background", "persona_palette", "background",
            "persona curves and legend", t->persona_palette[i], t->background, AA_GRAPHICS, false);
    return p.n;
}

size_t jm_theme_check_contrast(const jm_theme *t, const char *file, const char *path,
                               jm_diags *diags)
{
    jm_contrast_pair buf[96];
    size_t n = jm_theme_contrast_pairs(t, buf, sizeof buf / sizeof *buf), failed = 0;
    if (n > sizeof buf / sizeof *buf)
        n = sizeof buf / sizeof *buf;
    for (size_t k = 0; k < n; k++) {
        double r = jm_contrast_ratio(buf[k].fg_color, buf[k].bg_color);
        if (r >= buf[k].need)
            continue;
        failed++;
        /* at the key that set the text's colour, else the fill's; the theme's key else */
        const jm_theme_src *src = jm_theme_key_src(t, buf[k].fg_key);
        if (!src)
            src = jm_theme_key_src(t, buf[k].bg_key);
        jm_diag_add(diags, JM_SEVERITY_WARNING, src && src->file ? src->file : file,
                    src ? src->line : 0, src ? src->col : 0, src ? src->path : path,
                    "theme%s%s%s: \"%s\" on \"%s\" (%s) has contrast %.2f:1, under WCAG AA's "
                    "%.1f:1 for %s",
                    t->name ? " \"" : "", t->name ? t->name : "", t->name ? "\"" : "", buf[k].fg,
                    buf[k].bg, buf[k].where, r, buf[k].need,
                    !buf[k].text            ? "graphics"
                    : buf[k].need < AA_TEXT ? "large text"
                                            : "text");
    }
    return failed;
}
