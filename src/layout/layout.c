/* Layout: model + theme + state → plain geometry (jm_element list). Never draws.
 *
 * The map is a grid: one column per stage, one row band per lane. Each touchpoint owns a slot
 * (a card-wide column inside its stage, in time order), so everything that refers to it — its
 * action, its card, its emotion point, its pain, KPI and before/after — shares one x-centre.
 * Lanes are laid out top to bottom; a lane's height is its tallest cell. Text is measured with
 * Pango here and the same PangoLayout is drawn by the backend. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context/context.h"
#include "context/fallback.h"
#include "layout.h"
#include "missing_glyphs.h"
#include "util/util.h"

enum {
    ROLE_TITLE,
    ROLE_SUBTITLE,
    ROLE_STAGE,
    ROLE_LANE,
    ROLE_CARD_TITLE,
    ROLE_BODY,
    ROLE_SMALL,
    ROLE_BODY_ITALIC,
    ROLE_SMALL_BOLD,
    ROLE__COUNT
};

typedef struct builder {
    jm_layout *lo;
    jm_context *ctx;
    char *font_key[ROLE__COUNT]; /* font descriptions as strings, the layout cache's key */
    bool *mot_badged;            /* per touchpoint: its moment-of-truth badge is drawn */
    const char *lang;
    const jm_map *m;
    const jm_theme *t;
    PangoContext *pc;
    PangoFontDescription *font[ROLE__COUNT];
    /* For texts the bundled fonts cannot draw (fallback.h): the fallback fonts' Pango
     * context and the roles' fonts with the fallback families after the theme's. Made when
     * the first such text comes. */
    PangoContext *fallback_pc;
    PangoFontDescription *fallback_font[ROLE__COUNT];
    char *fallback_font_key[ROLE__COUNT];
    bool fallback_tried;
    bool ru;                                   /* Russian labels and decimal commas */
    jm_state view;                             /* the state whose texts the lanes show */
    double grid_left, grid_right, grid_top, y; /* y: top of the next lane */
    double *stage_x, *stage_w;
    long *stage_el; /* stage column element per stage */
    double *slot_x; /* left of each touchpoint's slot (card x) */
    size_t *stage_first_slot, *stage_slots;
    long root;
    jm_diags *diags; /* warnings (text cut short) go here; may be NULL */
} builder;

/* ---- Elements ----------------------------------------------------------------------------- */

static jm_element *el_at(builder *b, long i) { return &b->lo->el[i]; }

static long el_push(builder *b, const char *kind, double x, double y, double w, double h,
                    long parent, const char *ref)
{
    jm_layout *lo = b->lo;
    if (lo->failed || !jm_grow((void **)&lo->el, &lo->cap, lo->n + 1, sizeof *lo->el)) {
        lo->failed = true;
        return -1;
    }
    jm_element *e = &lo->el[lo->n];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->x = x;
    e->y = y;
    e->w = w;
    e->h = h;
    e->parent = parent;
    e->column = parent >= 0 ? lo->el[parent].column : -1;
    if (ref && !(e->ref = jm_strdup(ref))) {
        lo->failed = true;
        return -1;
    }
    return (long)lo->n++;
}

/* A shape element; returns its index or -1. */
static long shape(builder *b, const char *kind, jm_shape s, double x, double y, double w, double h,
                  long parent, const char *ref, jm_rgba fill, jm_rgba stroke, double sw)
{
    long i = el_push(b, kind, x, y, w, h, parent, ref);
    if (i < 0)
        return -1;
    jm_element *e = el_at(b, i);
    e->shape = s;
    e->fill = fill;
    e->stroke = stroke;
    e->stroke_width = sw;
    return i;
}

static const jm_rgba NONE = {0, 0, 0, 0};

static jm_rgba mix(jm_rgba a, jm_rgba c, double t)
{
    return (jm_rgba){a.r + (c.r - a.r) * t, a.g + (c.g - a.g) * t, a.b + (c.b - a.b) * t, 1};
}

/* ---- Text --------------------------------------------------------------------------------- */

static PangoFontDescription *font_for(const jm_theme *t, const jm_font_role *r, bool italic)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, t->font_family);
    pango_font_description_set_size(fd, (gint)lround(r->size * PANGO_SCALE));
    pango_font_description_set_weight(fd, (PangoWeight)r->weight);
    pango_font_description_set_style(fd,
                                     italic || r->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return fd;
}

/* The index after `prefix` at the start of ref ("/stages/" in "/stages/3/name"), with *rest
 * set after it; false when ref does not start so. */
static bool ref_index(const char *ref, const char *prefix, size_t *i, const char **rest)
{
    size_t n = strlen(prefix);
    if (!ref || strncmp(ref, prefix, n) != 0 || ref[n] < '0' || ref[n] > '9')
        return false;
    char *end;
    *i = (size_t)strtoul(ref + n, &end, 10);
    *rest = end;
    return true;
}

/* Where the model object a JSON pointer falls in was written (a touchpoint, its before/after,
 * a stage, persona or item), or NULL. */
static const jm_src *ref_src(const jm_map *m, const char *ref)
{
    size_t i;
    const char *rest;
    if (ref_index(ref, "/touchpoints/", &i, &rest) && i < m->n_touchpoints) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        if (strncmp(rest, "/before", 7) == 0 && tp->before.present)
            return &tp->before.src;
        if (strncmp(rest, "/after", 6) == 0 && tp->after.present)
            return &tp->after.src;
        return &tp->src;
    }
    if (ref_index(ref, "/stages/", &i, &rest) && i < m->n_stages)
        return &m->stages[i].src;
    if (ref_index(ref, "/personas/", &i, &rest) && i < m->n_personas)
        return &m->personas[i].src;
    if (ref_index(ref, "/items/", &i, &rest) && i < m->n_items)
        return &m->items[i].src;
    return NULL;
}

/* Warns that the text of element i was cut short, against the model object it belongs to
 * (its own reference or its nearest ancestor's). */
static void warn_cut(builder *b, long i, const char *text)
{
    if (!b->diags)
        return;
    const char *ref = NULL;
    for (long k = i; k >= 0 && !ref; k = el_at(b, k)->parent)
        ref = el_at(b, k)->ref;
    const jm_src *src = ref_src(b->m, ref);
    int n = 0; /* the first words, cut at a character boundary, to say which text */
    while (text[n] && text[n] != '\n' && n < 40)
        n++;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    jm_diag_add(b->diags, JM_SEVERITY_WARNING, b->m->file, src ? src->line : 0, src ? src->col : 0,
                ref,
                "text cut after %d lines with \"…\": \"%.*s%s\" (shorten it, or raise the theme's "
                "max_lines or card_width)",
                b->t->max_lines, n, text, text[n] ? "…" : "");
}

/* The Pango context and fonts for text: the fallback ones when a character of it is one no
 * bundled font has (and the fallback fonts could be loaded), else the bundled ones. */
static PangoContext *text_fonts(builder *b, const char *text, PangoFontDescription ***font,
                                char ***key)
{
    *font = b->font;
    *key = b->font_key;
    if (!jm_fallback_needed(b->ctx, text))
        return b->pc;
    if (!b->fallback_tried) {
        b->fallback_tried = true;
        PangoContext *pc = jm_fallback_pango(b->ctx);
        if (pc) {
            pango_context_set_language(pc, pango_language_from_string(b->lang));
            char *families = jm_fallback_families(b->t->font_family, b->lang);
            for (int i = 0; i < ROLE__COUNT; i++) {
                b->fallback_font[i] = pango_font_description_copy(b->font[i]);
                pango_font_description_set_family(b->fallback_font[i], families);
                b->fallback_font_key[i] = pango_font_description_to_string(b->fallback_font[i]);
            }
            g_free(families);
            b->fallback_pc = pc;
        }
    }
    if (!b->fallback_pc)
        return b->pc;
    *font = b->fallback_font;
    *key = b->fallback_font_key;
    return b->fallback_pc;
}

/* Measures text in a box of width w; returns the text element's index (its h is the text's
 * height) or -1. Text longer than the theme's line limit ends in an ellipsis; the full text
 * stays in the element (and in the PDF/SVG tooltip). */
static long text_el(builder *b, const char *kind, int role, const char *text, double x, double y,
                    double w, jm_rgba color, long parent, const char *ref, PangoAlignment align)
{
    if (w < 1)
        w = 1;
    long i = el_push(b, kind, x, y, w, 0, parent, ref);
    if (i < 0)
        return -1;
    jm_element *e = el_at(b, i);
    if (!(e->text = jm_strdup(text))) {
        b->lo->failed = true;
        return -1;
    }
    PangoFontDescription **font;
    char **font_key;
    PangoContext *pc = text_fonts(b, text, &font, &font_key);
    jm_text_key key = {(char *)text,
                       font_key[role],
                       b->lang,
                       (int)floor(w * PANGO_SCALE),
                       b->t->max_lines,
                       (int)align,
                       (float)b->t->line_spacing};
    PangoLayout *pl = jm_context_layout_get(b->ctx, &key);
    if (!pl) {
        pl = pango_layout_new(pc);
        pango_layout_set_font_description(pl, font[role]);
        pango_layout_set_width(pl, key.width);
        pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(pl, align);
        if (b->t->line_spacing != 1.0)
            pango_layout_set_line_spacing(pl, (float)b->t->line_spacing);
        pango_layout_set_text(pl, text, -1); /* plain text: user text is never markup */
        if (pango_layout_get_line_count(pl) > b->t->max_lines) {
            pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
            pango_layout_set_height(pl, -b->t->max_lines);
        }
        jm_context_layout_put(b->ctx, &key, pl);
    }
    if (pango_layout_is_ellipsized(pl)) {
        if (!(e->tooltip = jm_strdup(text))) {
            g_object_unref(pl);
            b->lo->failed = true;
            return -1;
        }
        warn_cut(b, i, text);
    }
    int pw, ph;
    pango_layout_get_size(pl, &pw, &ph);
    e->layout = pl;
    e->h = (double)ph / PANGO_SCALE;
    e->color = color;
    e->shape = JM_SHAPE_NONE;
    return i;
}

static double text_h(builder *b, long i) { return i >= 0 ? el_at(b, i)->h : 0; }

/* Natural width of a one-line text (for legend entries and badges). */
static double text_width(builder *b, int role, const char *text)
{
    PangoFontDescription **font;
    char **font_key;
    PangoLayout *pl = pango_layout_new(text_fonts(b, text, &font, &font_key));
    pango_layout_set_font_description(pl, font[role]);
    pango_layout_set_text(pl, text, -1);
    int w, h;
    pango_layout_get_size(pl, &w, &h);
    g_object_unref(pl);
    return (double)w / PANGO_SCALE;
}

/* ---- Labels ------------------------------------------------------------------------------- */

static const char *L(builder *b, const char *en, const char *ru) { return b->ru ? ru : en; }

static const char *lane_default_name(builder *b, jm_lane_type t)
{
    const jm_lane_info *li = jm_lane_info_of(t);
    return L(b, li->name_en, li->name_ru);
}

static const char *lane_icon(jm_lane_type t) { return jm_lane_info_of(t)->icon; }

static const char *state_label(builder *b, int which)
{
    if (b->m->state_label[which])
        return b->m->state_label[which];
    return which == 0 ? L(b, "Before", "До") : L(b, "After", "После");
}

/* Numbers as people write them: no trailing zeros, a decimal comma in Russian. */
static void format_number(builder *b, double v, char *out, size_t n)
{
    char raw[64];
    if (fabs(v) < 1e-9)
        v = 0;
    /* Whole numbers up to 10^15 in full (no exponent), fractions with at most 6 digits. */
    if (fabs(v) < 1e15 && v == floor(v))
        snprintf(raw, sizeof raw, "%.0f", v);
    else
        snprintf(raw, sizeof raw, "%.6g", v);
    /* Group thousands from 10 000 up: a thin no-break space in Russian, a comma in English. */
    const char *sep = b->ru ? "\u202F" : ",";
    const char *digits = raw + (raw[0] == '-');
    size_t int_len = strspn(digits, "0123456789");
    bool group = int_len > 4 && !strchr(raw, 'e');
    size_t o = 0;
    for (const char *p = raw; *p && o + 4 < n; p++) {
        if (*p == '.') {
            out[o++] = b->ru ? ',' : '.';
            continue;
        }
        out[o++] = *p;
        size_t pos = (size_t)(p - digits) + 1; /* digits written so far */
        if (group && p >= digits && pos < int_len && (int_len - pos) % 3 == 0) {
            size_t sl = strlen(sep);
            if (o + sl + 1 < n) {
                memcpy(out + o, sep, sl);
                o += sl;
            }
        }
    }
    out[o] = '\0';
}

/* Appends a value with its unit; units are free text, so nothing is cut. */
static void format_value(builder *b, double v, const char *unit, jm_buf *out)
{
    char num[64];
    format_number(b, v, num, sizeof num);
    jm_buf_puts(out, num);
    if (unit && *unit) {
        if (strcmp(unit, "%") != 0)
            jm_buf_puts(out, "\u00A0");
        jm_buf_puts(out, unit);
    }
}

/* The customer's words in the map language's quotes, unless the author quoted them already. */
static char *quoted(builder *b, const char *text)
{
    static const char *const opening[] = {"\"", "\u201C", "\u201E", "\u00AB", "'", "\u2018"};
    for (size_t i = 0; i < sizeof opening / sizeof opening[0]; i++)
        if (strncmp(text, opening[i], strlen(opening[i])) == 0)
            return jm_strdup(text);
    return jm_asprintf(b->ru ? "\u00AB%s\u00BB" : "\u201C%s\u201D", text);
}

/* ---- The grid ----------------------------------------------------------------------------- */

/* Lane band, its label cell and one cell per stage, all with height 0 until the lane ends. */
typedef struct lane_ctx {
    long band, label;
    long *cells; /* per stage */
    double top;
    double content_bottom; /* lowest content y so far (absolute) */
    double label_bottom;
} lane_ctx;

/* caption: a small heading above the lane name (the channel kind of a group's first lane). */
static bool lane_begin(builder *b, lane_ctx *lc, const char *kind, const char *name,
                       const char *icon, const char *ref, long parent, const char *caption)
{
    const jm_theme *t = b->t;
    memset(lc, 0, sizeof *lc);
    lc->top = b->y;
    lc->content_bottom = b->y;
    double left = b->t->margin;
    lc->band = el_push(b, kind, left, b->y, b->grid_right - left, 0, parent, ref);
    lc->label = shape(b, "lane_label", JM_SHAPE_RECT, left, b->y, t->lane_label_width, 0, lc->band,
                      NULL, t->lane_label_fill, NONE, 0);
    lc->cells = jm_calloc(b->m->n_stages, sizeof *lc->cells);
    if (lc->band < 0 || lc->label < 0 || !lc->cells) {
        b->lo->failed = true;
        jm_free(lc->cells);
        lc->cells = NULL;
        return false;
    }
    double tx = left + t->padding, ty = b->y + t->gap + t->padding * 0.75;
    if (caption) {
        long cap = text_el(b, "text", ROLE_SMALL_BOLD, caption, tx, ty,
                           t->lane_label_width - 2 * t->padding, t->text_muted, lc->label, NULL,
                           PANGO_ALIGN_LEFT);
        ty += text_h(b, cap) + 4;
    }
    if (icon) {
        long ic = shape(b, "icon", JM_SHAPE_ICON, tx, ty + 1, t->icon_size, t->icon_size, lc->label,
                        NULL, NONE, NONE, 0);
        if (ic >= 0) {
            el_at(b, ic)->icon = icon;
            el_at(b, ic)->color = t->lane_label_text;
        }
        tx += t->icon_size + 6;
    }
    long txt =
        text_el(b, "text", ROLE_LANE, name, tx, ty, left + t->lane_label_width - t->padding - tx,
                t->lane_label_text, lc->label, NULL, PANGO_ALIGN_LEFT);
    lc->label_bottom = ty + fmax(text_h(b, txt), icon ? t->icon_size : 0);
    for (size_t s = 0; s < b->m->n_stages; s++) {
        lc->cells[s] = el_push(b, "cell", b->stage_x[s], b->y, b->stage_w[s], 0, lc->band,
                               b->m->stages[s].src.path);
        if (lc->cells[s] >= 0)
            el_at(b, lc->cells[s])->column = b->stage_el[s];
    }
    if (b->lo->failed) {
        jm_free(lc->cells);
        lc->cells = NULL;
        return false;
    }
    return true;
}

static void lane_note(lane_ctx *lc, double bottom)
{
    if (bottom > lc->content_bottom)
        lc->content_bottom = bottom;
}

/* Closes a lane: its height is its tallest cell (or label) plus a gap, at least min_h. */
static void lane_end(builder *b, lane_ctx *lc, double min_h, bool separator)
{
    double h = fmax(lc->content_bottom, lc->label_bottom) + b->t->gap - lc->top;
    if (h < min_h)
        h = min_h;
    if (!b->lo->failed && lc->cells) {
        el_at(b, lc->band)->h = h;
        el_at(b, lc->label)->h = h;
        for (size_t s = 0; s < b->m->n_stages; s++)
            el_at(b, lc->cells[s])->h = h;
    }
    if (separator) {
        long ln =
            shape(b, "line", JM_SHAPE_LINE, b->t->margin, lc->top + h, b->grid_right - b->t->margin,
                  0, lc->band, NULL, NONE, b->t->grid, b->t->stroke_width);
        (void)ln;
    }
    jm_free(lc->cells);
    lc->cells = NULL;
    b->y = lc->top + h;
}

/* ---- Header: title, subtitle, legend, persona cards ---------------------------------------- */

static jm_rgba persona_color(builder *b, size_t p)
{
    jm_rgba c;
    if (!b->t->monochrome && b->m->personas && b->m->personas[p].color &&
        jm_rgba_parse(b->m->personas[p].color, &c))
        return c;
    return b->t->persona_palette[p % JM_THEME_PALETTE];
}

/* In a monochrome theme the personas' curves differ by line style too; "dashed" is left to
 * the "before" state. */
static jm_dash persona_dash(builder *b, size_t p)
{
    static const jm_dash styles[] = {JM_DASH_SOLID, JM_DASH_DOTTED, JM_DASH_DASHDOT,
                                     JM_DASH_DASHDOTDOT};
    if (!b->t->monochrome || b->m->n_personas < 2)
        return JM_DASH_SOLID;
    return styles[p % (sizeof styles / sizeof styles[0])];
}

static bool map_has(builder *b, bool (*pred)(const jm_touchpoint *))
{
    for (size_t i = 0; i < b->m->n_touchpoints; i++)
        if (pred(&b->m->touchpoints[i]))
            return true;
    return false;
}
static bool tp_is_mot(const jm_touchpoint *tp) { return tp->moment_of_truth; }
static bool tp_is_indirect(const jm_touchpoint *tp) { return tp->indirect; }

/* One legend entry: a swatch and a label, left to right; returns the next x. */
static double legend_entry(builder *b, double x, double y, long parent, jm_shape s, jm_rgba fill,
                           jm_rgba stroke, jm_dash dash, const char *label)
{
    const jm_theme *t = b->t;
    double sw = 18, sh = 10;
    long e;
    if (s == JM_SHAPE_LINE)
        e = shape(b, "legend_swatch", s, x, y + 7, sw, 0, parent, NULL, NONE, stroke,
                  t->curve_width);
    else if (s == JM_SHAPE_DIAMOND)
        e = shape(b, "legend_swatch", s, x + sw - sh, y + 2, sh, sh, parent, NULL, fill, stroke, 1);
    else
        e = shape(b, "legend_swatch", s, x, y + 2, sw, sh, parent, NULL, fill, stroke,
                  t->stroke_width * 1.5);
    if (e >= 0) {
        el_at(b, e)->dash = dash;
        el_at(b, e)->radius = s == JM_SHAPE_RECT ? 2 : 0;
    }
    double w = text_width(b, ROLE_SMALL, label) + 1;
    text_el(b, "text", ROLE_SMALL, label, x + sw + 5, y, w, t->text_muted, parent, NULL,
            PANGO_ALIGN_LEFT);
    return x + sw + 5 + w + 14;
}

static bool persona_has_lists(const jm_persona *p)
{
    return p->goals.n || p->needs.n || p->frustrations.n;
}

/* Up to three columns: who in words (name, quote, description); goals, needs and frustrations;
 * the facts (demographics, psychographics) as label/value rows. With many personas the lists
 * stay under the words so that the cards stay narrow. */
static double persona_card_width(const jm_persona *p, bool wide)
{
    return 250 + (p->n_demographics || p->n_psychographics ? 230 : 0) +
           (wide && persona_has_lists(p) ? 230 : 0);
}

static double persona_card(builder *b, size_t p, double x, double y, double w, bool wide,
                           long parent)
{
    const jm_theme *t = b->t;
    const jm_persona *ps = &b->m->personas[p];
    long card = shape(b, "persona", JM_SHAPE_RECT, x, y, w, 0, parent, ps->src.path, t->card_fill,
                      persona_color(b, p), t->stroke_width * 1.5);
    if (card < 0)
        return 0;
    el_at(b, card)->radius = t->radius;
    bool facts = ps->n_demographics || ps->n_psychographics;
    bool lists_col = wide && persona_has_lists(ps);
    int cols = 1 + facts + lists_col;
    double pad = t->padding + 2, cy = y + pad;
    double lw = (w - (cols + 1) * pad) / cols;
    /* A photo when there is one, else the persona icon, beside the name. */
    double ps_size = ps->photo ? 44 : 22;
    long ic;
    if (ps->photo) {
        char *ref = jm_asprintf("%s/photo", ps->src.path ? ps->src.path : "");
        ic = shape(b, "photo", JM_SHAPE_IMAGE, x + pad, cy, ps_size, ps_size, card, ref, NONE,
                   persona_color(b, p), 1.5);
        jm_free(ref);
        if (ic >= 0) {
            el_at(b, ic)->radius = ps_size / 2;
            el_at(b, ic)->image = ps->photo;
        }
    } else {
        ic = shape(b, "icon", JM_SHAPE_ICON, x + pad, cy, ps_size, ps_size, card, NULL, NONE, NONE,
                   0);
        if (ic >= 0) {
            el_at(b, ic)->icon = "persona";
            el_at(b, ic)->color = persona_color(b, p);
        }
    }
    long nm = text_el(b, "text", ROLE_CARD_TITLE, ps->name, x + pad + ps_size + 6, cy + 4,
                      lw - ps_size - 6, t->text, card, NULL, PANGO_ALIGN_LEFT);
    cy += fmax(ps_size, 4 + text_h(b, nm)) + 4;
    if (ps->quote) {
        char *q = quoted(b, ps->quote);
        if (q) {
            cy += text_h(b, text_el(b, "text", ROLE_BODY_ITALIC, q, x + pad, cy, lw, t->text_muted,
                                    card, NULL, PANGO_ALIGN_LEFT)) +
                  4;
            jm_free(q);
        }
    }
    if (ps->description)
        cy += text_h(b, text_el(b, "text", ROLE_SMALL, ps->description, x + pad, cy, lw, t->text,
                                card, NULL, PANGO_ALIGN_LEFT)) +
              4;
    const jm_strlist *lists[3] = {&ps->goals, &ps->needs, &ps->frustrations};
    const char *heads[3] = {L(b, "Goals", "Цели"), L(b, "Needs", "Потребности"),
                            L(b, "Frustrations", "Раздражители")};
    double words_bottom = cy;
    double lx = lists_col ? x + 2 * pad + lw : x + pad;
    if (lists_col)
        cy = y + pad;
    for (int g = 0; g < 3; g++) {
        if (!lists[g]->n)
            continue;
        cy += text_h(b, text_el(b, "text", ROLE_SMALL_BOLD, heads[g], lx, cy, lw, t->text_muted,
                                card, NULL, PANGO_ALIGN_LEFT)) +
              1;
        for (size_t i = 0; i < lists[g]->n; i++) {
            char *line = jm_asprintf("\u2022 %s", lists[g]->v[i]);
            if (!line)
                continue;
            cy += text_h(b, text_el(b, "text", ROLE_SMALL, line, lx, cy, lw, t->text, card, NULL,
                                    PANGO_ALIGN_LEFT)) +
                  1;
            jm_free(line);
        }
        cy += 3;
    }
    cy = fmax(cy, words_bottom);
    double rx = x + (cols)*pad + (cols - 1) * lw, ry = y + pad, rw = lw;
    const jm_kv *rows[2] = {ps->demographics, ps->psychographics};
    size_t nrows[2] = {ps->n_demographics, ps->n_psychographics};
    for (int g = 0; g < 2 && facts; g++) {
        for (size_t r = 0; r < nrows[g]; r++) {
            double kw = rw * 0.42;
            long k = text_el(b, "text", ROLE_SMALL_BOLD, rows[g][r].key, rx, ry, kw - 4,
                             t->text_muted, card, NULL, PANGO_ALIGN_LEFT);
            long v = text_el(b, "text", ROLE_SMALL, rows[g][r].value, rx + kw, ry, rw - kw, t->text,
                             card, NULL, PANGO_ALIGN_LEFT);
            ry += fmax(text_h(b, k), text_h(b, v)) + 2;
        }
        if (nrows[g])
            ry += 4;
    }
    double h = fmax(cy, ry) - y + pad - 3;
    if (!b->lo->failed)
        el_at(b, card)->h = h;
    return h;
}

/* A persona with nothing but a name (a Mermaid actor) is shown in the legend, not as a card. */
static bool persona_has_card(const jm_persona *p)
{
    return p->quote || p->description || p->photo || p->n_demographics || p->n_psychographics ||
           p->goals.n || p->needs.n || p->frustrations.n;
}

static bool persona_cards_wide(const jm_map *m)
{
    size_t n = 0;
    for (size_t p = 0; p < m->n_personas; p++)
        n += persona_has_card(&m->personas[p]);
    return n <= 2;
}

/* Total width of the persona cards, gaps included. */
static double persona_cards_width(const jm_map *m, double gap)
{
    double w = 0;
    for (size_t p = 0; p < m->n_personas; p++)
        if (persona_has_card(&m->personas[p]))
            w += persona_card_width(&m->personas[p], persona_cards_wide(m)) + gap;
    return w;
}

static void layout_header(builder *b, double width)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    double persona_total = persona_cards_width(m, t->gap);
    double title_w = fmax(width - 2 * t->margin - persona_total - t->gap, 260);
    double y = t->margin;
    long title = text_el(b, "title", ROLE_TITLE, m->title, t->margin, y, title_w, t->text, b->root,
                         "/title", PANGO_ALIGN_LEFT);
    y += text_h(b, title) + 4;
    if (m->subtitle)
        y += text_h(b, text_el(b, "subtitle", ROLE_SUBTITLE, m->subtitle, t->margin, y, title_w,
                               t->text_muted, b->root, "/subtitle", PANGO_ALIGN_LEFT)) +
             6;
    /* Legend: only what appears on this map. */
    double lx = t->margin, ly = y + 4;
    long legend = el_push(b, "legend", t->margin, ly, title_w, 16, b->root, NULL);
    bool any = false;
    if (b->lo->state == JM_STATE_COMPARE) {
        lx = legend_entry(b, lx, ly, legend, JM_SHAPE_LINE, NONE, t->curve_before, JM_DASH_DASHED,
                          state_label(b, 0));
        lx = legend_entry(b, lx, ly, legend, JM_SHAPE_LINE, NONE, t->curve, JM_DASH_SOLID,
                          state_label(b, 1));
        any = true;
    } else if (m->has_states) {
        lx = legend_entry(b, lx, ly, legend, JM_SHAPE_LINE, NONE, t->curve, JM_DASH_SOLID,
                          state_label(b, b->lo->state == JM_STATE_BEFORE ? 0 : 1));
        any = true;
    }
    if (m->n_personas > 1)
        for (size_t p = 0; p < m->n_personas; p++) {
            lx = legend_entry(b, lx, ly, legend, JM_SHAPE_LINE, NONE, persona_color(b, p),
                              persona_dash(b, p), m->personas[p].name);
            any = true;
        }
    if (map_has(b, tp_is_mot)) {
        lx = legend_entry(b, lx, ly, legend, JM_SHAPE_DIAMOND, t->moment_of_truth, t->card_fill,
                          JM_DASH_SOLID, L(b, "Moment of truth", "Момент истины"));
        any = true;
    }
    if (map_has(b, tp_is_indirect)) {
        lx = legend_entry(b, lx, ly, legend, JM_SHAPE_RECT, t->card_fill, t->line_of_interaction,
                          JM_DASH_DASHED, L(b, "Indirect contact", "Косвенный контакт"));
        any = true;
    }
    if (legend >= 0 && !b->lo->failed) {
        jm_element *le = el_at(b, legend);
        le->w = fmax(title_w, lx - t->margin);
        if (!any)
            le->h = 0;
    }
    y = any ? ly + 18 : y;
    double ph = 0, px = width - t->margin - persona_total + t->gap;
    for (size_t p = 0; p < m->n_personas; p++) {
        if (!persona_has_card(&m->personas[p]))
            continue;
        bool wide = persona_cards_wide(m);
        double pw = persona_card_width(&m->personas[p], wide);
        double h = persona_card(b, p, px, t->margin, pw, wide, b->root);
        px += pw + t->gap;
        if (h > ph)
            ph = h;
    }
    b->y = fmax(y, t->margin + ph) + t->header_gap;
}

/* ---- Lanes -------------------------------------------------------------------------------- */

static char *ref_of(const jm_touchpoint *tp, const char *suffix)
{
    const char *path = tp->src.path ? tp->src.path : "";
    size_t a = strlen(path), c = strlen(suffix);
    char *r = jm_malloc(a + c + 1);
    if (r) {
        memcpy(r, path, a);
        memcpy(r + a, suffix, c + 1);
    }
    return r;
}

static void lane_stages(builder *b)
{
    const jm_theme *t = b->t;
    lane_ctx lc;
    if (!lane_begin(b, &lc, "lane", lane_default_name(b, JM_LANE_STAGES), NULL, NULL, b->root,
                    NULL))
        return;
    for (size_t s = 0; s < b->m->n_stages; s++) {
        const jm_stage *st = &b->m->stages[s];
        double x = b->stage_x[s] + 3, w = b->stage_w[s] - 6, y = lc.top + t->gap;
        long hd = shape(b, "stage_header", JM_SHAPE_CHEVRON, x, y, w, 0, lc.cells[s], st->src.path,
                        t->stage_palette[s % JM_THEME_PALETTE], NONE, 0);
        double depth = 10, tx = x + t->padding, tw = w - 2 * t->padding - depth;
        long nm = text_el(b, "text", ROLE_STAGE, st->name, tx, y + t->padding, tw, t->stage_text,
                          hd, NULL, PANGO_ALIGN_LEFT);
        double h = text_h(b, nm);
        if (st->description)
            h += 2 + text_h(b, text_el(b, "text", ROLE_SMALL, st->description, tx,
                                       y + t->padding + h + 2, tw, t->stage_text, hd, NULL,
                                       PANGO_ALIGN_LEFT));
        h = fmax(h + 2 * t->padding, t->stage_header_height);
        if (hd >= 0 && !b->lo->failed)
            el_at(b, hd)->h = h;
        lane_note(&lc, y + h);
    }
    /* The first lane label carries no text; the chevrons say it. */
    lane_end(b, &lc, 0, true);
}

static void lane_goals(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    lane_ctx lc;
    if (!lane_begin(b, &lc, "lane", lane->name ? lane->name : lane_default_name(b, JM_LANE_GOALS),
                    lane_icon(JM_LANE_GOALS), lane->src.path, b->root, NULL))
        return;
    for (size_t s = 0; s < b->m->n_stages; s++) {
        const jm_stage *st = &b->m->stages[s];
        double x = b->stage_x[s] + t->gap, w = b->stage_w[s] - 2 * t->gap, y = lc.top + t->gap;
        if (st->goal) {
            char ref[64];
            snprintf(ref, sizeof ref, "%s/goal", st->src.path ? st->src.path : "");
            y += text_h(b, text_el(b, "text", ROLE_CARD_TITLE, st->goal, x, y, w, t->text,
                                   lc.cells[s], ref, PANGO_ALIGN_LEFT)) +
                 4;
        }
        for (size_t q = 0; q < st->questions.n; q++) {
            char *line = jm_strdup(st->questions.v[q]);
            char *ref = jm_asprintf("%s/questions/%zu", st->src.path ? st->src.path : "", q);
            if (line && ref)
                y += text_h(b, text_el(b, "text", ROLE_BODY_ITALIC, line, x, y, w, t->text_muted,
                                       lc.cells[s], ref, PANGO_ALIGN_LEFT)) +
                     2;
            jm_free(line);
            jm_free(ref);
        }
        lane_note(&lc, y);
    }
    lane_end(b, &lc, 0, true);
}

/* A text box in a touchpoint's slot: the box, an optional marker, and the text. Returns the
 * box's bottom. */
typedef struct box_style {
    const char *kind;
    jm_shape shape;
    jm_rgba fill, stroke, text;
    jm_dash dash;
    int role;
    const char *marker_icon; /* icon at the left, or NULL */
    jm_rgba marker_color;
} box_style;

static double slot_box(builder *b, long cell, double x, double y, double w, const box_style *bs,
                       const char *text, const char *ref, const char *url)
{
    const jm_theme *t = b->t;
    long box =
        shape(b, bs->kind, bs->shape, x, y, w, 0, cell, ref, bs->fill, bs->stroke, t->stroke_width);
    if (box < 0)
        return y;
    el_at(b, box)->radius = bs->shape == JM_SHAPE_RECT ? t->radius - 2 : t->radius;
    el_at(b, box)->dash = bs->dash;
    if (url && !(el_at(b, box)->url = jm_strdup(url)))
        b->lo->failed = true;
    double tx = x + t->padding, tw = w - 2 * t->padding, pad = t->padding * 0.75;
    double mh = 0;
    if (bs->marker_icon) {
        double ms = t->icon_size - 2;
        long mk =
            shape(b, "icon", JM_SHAPE_ICON, tx - 2, y + pad, ms, ms, box, NULL, NONE, NONE, 0);
        if (mk >= 0) {
            el_at(b, mk)->icon = bs->marker_icon;
            el_at(b, mk)->color = bs->marker_color;
        }
        tx += ms + 3;
        tw -= ms + 3;
        mh = ms;
    }
    long te =
        text_el(b, "text", bs->role, text, tx, y + pad, tw, bs->text, box, NULL, PANGO_ALIGN_LEFT);
    double tail = bs->shape == JM_SHAPE_BUBBLE ? 6 : 0;
    double h = fmax(text_h(b, te), mh) + 2 * pad + tail;
    if (!b->lo->failed)
        el_at(b, box)->h = h;
    return y + h;
}

/* The points a touchpoint shows in a text lane in one state, and the JSON pointer suffix of
 * where they were written ("/after/pain" or the touchpoint's own "/pain"). */
static const jm_strlist *tp_lane_points(builder *b, const jm_touchpoint *tp, jm_lane_type lt,
                                        jm_state state, char *suffix, size_t n)
{
    jm_tp_view v;
    jm_tp_view_get(b->m, tp, state, &v);
    const jm_tp_state *own = state == JM_STATE_BEFORE  ? &tp->before
                             : state == JM_STATE_AFTER ? &tp->after
                                                       : NULL;
    const jm_strlist *points, *written = NULL;
    const char *field;
    switch (lt) {
    case JM_LANE_ACTIONS:
        points = v.action, field = "action", written = own ? &own->action : NULL;
        break;
    case JM_LANE_THOUGHTS:
        points = v.thought, field = "thought", written = own ? &own->thought : NULL;
        break;
    case JM_LANE_PAINS: points = v.pain, field = "pain", written = own ? &own->pain : NULL; break;
    default: return NULL;
    }
    bool in_state = own && own->present && written && written->n;
    snprintf(suffix, n, "%s/%s", in_state ? (state == JM_STATE_BEFORE ? "/before" : "/after") : "",
             field);
    return points;
}

/* True when the list has a point with text. */
static bool has_points(const jm_strlist *l)
{
    for (size_t k = 0; l && k < l->n; k++)
        if (l->v[k] && *l->v[k])
            return true;
    return false;
}

static bool same_points(const jm_strlist *a, const jm_strlist *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->n != b->n)
        return false;
    for (size_t k = 0; k < a->n; k++)
        if (strcmp(a->v[k] ? a->v[k] : "", b->v[k] ? b->v[k] : "") != 0)
            return false;
    return true;
}

/* A box that shows the "before" side of a comparison: muted and dashed, like its curve. */
static box_style before_style(const builder *b, box_style bs)
{
    bs.fill = b->t->background;
    bs.stroke = b->t->curve_before;
    bs.text = b->t->text_muted;
    bs.dash = JM_DASH_DASHED;
    bs.kind = "before";
    return bs;
}

/* One point's box; k is its index in a list written as an array (its JSON pointer ends in
 * /k), -1 for a list written as one string. */
static double text_box(builder *b, lane_ctx *lc, const jm_touchpoint *tp, size_t i, double y,
                       jm_lane_type lt, const box_style *bs, const char *text, const char *suffix,
                       long k)
{
    char *shown = lt == JM_LANE_THOUGHTS ? quoted(b, text) : jm_strdup(text);
    char at[64];
    if (k >= 0)
        snprintf(at, sizeof at, "%s/%ld", suffix, k);
    char *ref = ref_of(tp, k >= 0 ? at : suffix);
    double bottom = y;
    if (shown && ref)
        bottom = slot_box(b, lc->cells[tp->stage], b->slot_x[i], y, b->t->card_width, bs, shown,
                          ref, NULL);
    else
        b->lo->failed = true;
    jm_free(shown);
    jm_free(ref);
    lane_note(lc, bottom);
    return bottom;
}

/* A short arrow with its head, from one action to the next. */
static void step_arrow(builder *b, double x0, double x1, double y)
{
    const jm_theme *t = b->t;
    shape(b, "arrow", JM_SHAPE_LINE, x0, y, x1 - x0 - 1, 0, b->root, NULL, NONE, t->text_muted,
          t->stroke_width * 1.4);
    long h = shape(b, "arrow_head", JM_SHAPE_POLYLINE, x1 - 4, y - 3, 4, 6, b->root, NULL, NONE,
                   t->text_muted, t->stroke_width * 1.4);
    jm_point *pts = h >= 0 ? jm_malloc(3 * sizeof *pts) : NULL;
    if (!pts) {
        b->lo->failed = true;
        return;
    }
    pts[0] = (jm_point){x1 - 4, y - 3};
    pts[1] = (jm_point){x1, y};
    pts[2] = (jm_point){x1 - 4, y + 3};
    el_at(b, h)->pts = pts;
    el_at(b, h)->npts = 3;
}

/* Draws the points of a list one box each, stacked from y, as the opportunities lane does;
 * returns the y below the last. */
static double point_boxes(builder *b, lane_ctx *lc, const jm_touchpoint *tp, size_t i, double y,
                          jm_lane_type lt, const box_style *bs, const jm_strlist *points,
                          const char *suffix)
{
    for (size_t k = 0; k < points->n; k++)
        if (points->v[k] && *points->v[k])
            y = text_box(b, lc, tp, i, y, lt, bs, points->v[k], suffix,
                         points->single ? -1 : (long)k) +
                4;
    return y;
}

/* Actions, thoughts, pains: a box per point of each touchpoint; in compare, the "before"
 * points (muted, dashed) above the "after" ones where the two differ. */
static void lane_tp_text(builder *b, const jm_lane *lane, jm_lane_type lt)
{
    const jm_theme *t = b->t;
    box_style bs = {"note",         JM_SHAPE_RECT, t->card_fill,
                    t->card_stroke, t->card_text,  JM_DASH_SOLID,
                    ROLE_BODY,      NULL,          NONE};
    if (lt == JM_LANE_THOUGHTS) {
        bs = (box_style){"thought", JM_SHAPE_BUBBLE, t->thought_fill,  t->thought_stroke,
                         t->text,   JM_DASH_SOLID,   ROLE_BODY_ITALIC, NULL,
                         NONE};
    } else if (lt == JM_LANE_PAINS) {
        bs = (box_style){"pain",  JM_SHAPE_RECT, t->pain_fill, mix(t->pain_fill, t->pain, 0.35),
                         t->text, JM_DASH_SOLID, ROLE_BODY,    "pain",
                         t->pain};
    } else if (lt == JM_LANE_ACTIONS) {
        bs.kind = "action";
        bs.fill = t->lane_alt_fill;
    }
    box_style bb = before_style(b, bs);
    bool compare = b->lo->state == JM_STATE_COMPARE;
    lane_ctx lc;
    const char *name = lane->name ? lane->name : lane_default_name(b, lt);
    if (!lane_begin(b, &lc, "lane", name, lane_icon(lt), lane->src.path, b->root, NULL))
        return;
    double prev_right = -1;
    for (size_t i = 0; i < b->m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &b->m->touchpoints[i];
        char sa[32], sb[32];
        const jm_strlist *ta = tp_lane_points(b, tp, lt, b->view, sa, sizeof sa);
        const jm_strlist *tb =
            compare ? tp_lane_points(b, tp, lt, JM_STATE_BEFORE, sb, sizeof sb) : ta;
        if (same_points(ta, tb))
            tb = NULL;
        if (!has_points(ta) && !has_points(tb)) {
            prev_right = -1;
            continue;
        }
        double y = lc.top + t->gap;
        if (has_points(tb))
            y = point_boxes(b, &lc, tp, i, y, lt, &bb, tb, sb);
        if (has_points(ta))
            point_boxes(b, &lc, tp, i, y, lt, &bs, ta, sa);
        /* Consecutive actions are steps: join them with an arrow. */
        if (lt == JM_LANE_ACTIONS && prev_right >= 0)
            step_arrow(b, prev_right, b->slot_x[i], lc.top + t->gap + 12);
        prev_right = b->slot_x[i] + t->card_width;
    }
    lane_end(b, &lc, 0, true);
}

static void lane_opportunities(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    box_style bs = {"opportunity",
                    JM_SHAPE_RECT,
                    t->opportunity_fill,
                    mix(t->opportunity_fill, t->opportunity, 0.35),
                    t->text,
                    JM_DASH_SOLID,
                    ROLE_BODY,
                    "opportunity",
                    t->opportunity};
    lane_ctx lc;
    if (!lane_begin(b, &lc, "lane",
                    lane->name ? lane->name : lane_default_name(b, JM_LANE_OPPORTUNITIES),
                    lane_icon(JM_LANE_OPPORTUNITIES), lane->src.path, b->root, NULL))
        return;
    box_style bb = before_style(b, bs);
    for (size_t i = 0; i < b->m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &b->m->touchpoints[i];
        jm_tp_view v, vb;
        jm_tp_view_get(b->m, tp, b->view, &v);
        jm_tp_view_get(b->m, tp, JM_STATE_BEFORE, &vb);
        /* In compare, the ideas of the "before" state that the "after" state replaced. */
        bool show_before = b->lo->state == JM_STATE_COMPARE && vb.opportunity != v.opportunity;
        double y = lc.top + t->gap;
        for (int side = show_before ? 0 : 1; side < 2; side++) {
            const jm_strlist *list = side == 0 ? vb.opportunity : v.opportunity;
            const char *where = list == &tp->before.opportunity  ? "/before"
                                : list == &tp->after.opportunity ? "/after"
                                                                 : "";
            for (size_t k = 0; k < list->n; k++) {
                char *ref =
                    jm_asprintf("%s%s/opportunity/%zu", tp->src.path ? tp->src.path : "", where, k);
                if (ref)
                    y = slot_box(b, lc.cells[tp->stage], b->slot_x[i], y, t->card_width,
                                 side == 0 ? &bb : &bs, list->v[k], ref, NULL) +
                        4;
                jm_free(ref);
            }
        }
        lane_note(&lc, y - 4);
    }
    lane_end(b, &lc, 0, true);
}

/* ---- Touchpoint cards: one swimlane per channel, grouped by kind -------------------------- */

static double card(builder *b, long cell, const jm_touchpoint *tp, size_t i, double y)
{
    const jm_theme *t = b->t;
    double x = b->slot_x[i], w = t->card_width;
    long c =
        shape(b, "card", JM_SHAPE_RECT, x, y, w, 0, cell, tp->src.path, t->card_fill,
              tp->moment_of_truth ? mix(t->card_stroke, t->moment_of_truth, 0.6) : t->card_stroke,
              tp->moment_of_truth ? t->stroke_width * 2 : t->stroke_width);
    if (c < 0)
        return y;
    jm_element *ce = el_at(b, c);
    ce->radius = t->radius;
    ce->dash = tp->indirect ? JM_DASH_DASHED : JM_DASH_SOLID;
    if (tp->url && !(ce->url = jm_strdup(tp->url)))
        b->lo->failed = true;
    double pad = t->padding, badge = tp->moment_of_truth ? 12 : 0;
    char *ref = ref_of(tp, "/name");
    long nm = text_el(b, "text", ROLE_CARD_TITLE, tp->name, x + pad, y + pad, w - 2 * pad - badge,
                      t->card_title, c, ref, PANGO_ALIGN_LEFT);
    jm_free(ref);
    double cy = y + pad + text_h(b, nm);
    if (tp->moment_of_truth) {
        char *r = ref_of(tp, "/moment_of_truth");
        shape(b, "badge", JM_SHAPE_DIAMOND, x + w - pad - 10, y + pad, 10, 10, c, r,
              t->moment_of_truth, NONE, 0);
        jm_free(r);
    }
    jm_tp_view v;
    jm_tp_view_get(b->m, tp, b->view, &v);
    if (v.description && *v.description) {
        char *r = ref_of(tp, "/description");
        cy += 3 + text_h(b, text_el(b, "text", ROLE_BODY, v.description, x + pad, cy + 3,
                                    w - 2 * pad, t->card_text, c, r, PANGO_ALIGN_LEFT));
        jm_free(r);
    }
    if (tp->url) {
        /* The link is shown as its host so the card says where it leads. */
        const char *host = strstr(tp->url, "://");
        host = host ? host + 3 : tp->url;
        size_t hl = strcspn(host, "/?#");
        char *label = jm_asprintf("\u2197 %.*s", (int)hl, host);
        char *r = ref_of(tp, "/url");
        if (label && r) {
            long le = text_el(b, "text", ROLE_SMALL, label, x + pad, cy + 3, w - 2 * pad, t->link,
                              c, r, PANGO_ALIGN_LEFT);
            if (le >= 0 && !(el_at(b, le)->url = jm_strdup(tp->url)))
                b->lo->failed = true;
            cy += 3 + text_h(b, le);
        }
        jm_free(label);
        jm_free(r);
    }
    double h = fmax(cy + pad - y, t->card_min_height);
    if (!b->lo->failed)
        el_at(b, c)->h = h;
    return y + h;
}

static const char *kind_label(builder *b, jm_channel_kind k)
{
    switch (k) {
    case JM_KIND_ONLINE: return L(b, "ONLINE", "ОНЛАЙН");
    case JM_KIND_OFFLINE: return L(b, "OFFLINE", "ОФЛАЙН");
    case JM_KIND_PRODUCT: return L(b, "PRODUCT", "ПРОДУКТ");
    default: return L(b, "OTHER", "ДРУГОЕ");
    }
}

/* next_in_channel: touchpoints chained by channel in time order, so each row visits only its
 * own cards (rows × touchpoints would be quadratic on big maps). */
static void channel_row(builder *b, const jm_lane *lane, long parent, long ch,
                        const char *kind_caption, long first, const long *next_in_channel)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    const jm_channel *c = ch >= 0 ? &m->channels[ch] : NULL;
    const char *name = c            ? c->name
                       : lane->name ? lane->name
                                    : L(b, "Touchpoints", "Точки контакта");
    if (c && c->builtin && b->ru) {
        /* A built-in channel the model did not rename speaks the map's language. */
        const jm_builtin_channel *bc = jm_builtin_channel_find(c->id);
        if (bc && strcmp(c->name, bc->name) == 0)
            name = bc->name_ru;
    }
    const char *icon = c && c->icon ? c->icon : "generic";
    lane_ctx lc;
    if (!lane_begin(b, &lc, "channel_lane", name, icon,
                    c && c->src.path && *c->src.path ? c->src.path : NULL, parent, kind_caption))
        return;
    for (long i = first; i >= 0; i = next_in_channel[i]) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        lane_note(&lc, card(b, lc.cells[tp->stage], tp, (size_t)i, lc.top + t->gap));
    }
    lane_end(b, &lc, 0, false);
    shape(b, "line", JM_SHAPE_LINE, t->margin + t->lane_label_width, b->y,
          b->grid_right - t->margin - t->lane_label_width, 0, parent, NULL, NONE, t->grid,
          t->stroke_width);
}

static void lane_touchpoints(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    double top = b->y;
    long band =
        el_push(b, "lane", t->margin, top, b->grid_right - t->margin, 0, b->root, lane->src.path);
    if (band < 0)
        return;
    /* Chain each channel's touchpoints (slot n_channels: no channel). */
    size_t nc = m->n_channels;
    long *first = jm_malloc((nc + 1) * sizeof *first), *last = jm_malloc((nc + 1) * sizeof *last);
    long *next = jm_malloc((m->n_touchpoints + 1) * sizeof *next);
    if (!first || !last || !next) {
        jm_free(first);
        jm_free(last);
        jm_free(next);
        b->lo->failed = true;
        return;
    }
    for (size_t c = 0; c <= nc; c++)
        first[c] = last[c] = -1;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        long c = m->touchpoints[i].channel >= 0 ? m->touchpoints[i].channel : (long)nc;
        next[i] = -1;
        if (last[c] >= 0)
            next[last[c]] = (long)i;
        else
            first[c] = (long)i;
        last[c] = (long)i;
    }
    static const jm_channel_kind order[] = {JM_KIND_ONLINE, JM_KIND_OFFLINE, JM_KIND_PRODUCT,
                                            JM_KIND_OTHER};
    bool first_group = true;
    for (size_t k = 0; k < 4; k++) {
        bool group_start = true;
        for (size_t c = 0; c < m->n_channels; c++) {
            if (first[c] < 0 || m->channels[c].kind != order[k])
                continue;
            if (group_start && !first_group)
                shape(b, "group_separator", JM_SHAPE_LINE, t->margin, b->y,
                      b->grid_right - t->margin, 0, band, NULL, NONE, t->guide,
                      t->stroke_width * 2);
            channel_row(b, lane, band, (long)c, group_start ? kind_label(b, order[k]) : NULL,
                        first[c], next);
            group_start = false;
            first_group = false;
        }
    }
    if (first[nc] >= 0)
        channel_row(b, lane, band, -1, NULL, first[nc], next);
    jm_free(first);
    jm_free(last);
    jm_free(next);
    if (!b->lo->failed)
        el_at(b, band)->h = b->y - top;
}

/* A divider row: a labelled dashed line across the grid (line of interaction, visibility …). */
static void divider(builder *b, const char *label)
{
    const jm_theme *t = b->t;
    double h = 18, top = b->y;
    long row = el_push(b, "divider", t->margin, top, b->grid_right - t->margin, h, b->root, NULL);
    if (row < 0)
        return;
    long col = shape(b, "divider_label", JM_SHAPE_RECT, t->margin, top, t->lane_label_width, h, row,
                     NULL, t->lane_label_fill, NONE, 0);
    /* The label wraps inside the label column ("Линия внутреннего взаимодействия" ran into
     * the grid); the dashed line starts after its widest line. */
    double tw =
        fmin(text_width(b, ROLE_SMALL_BOLD, label) + 1, t->lane_label_width - 2 * t->padding);
    long txt = text_el(b, "text", ROLE_SMALL_BOLD, label, t->margin + t->padding, top + 2, tw,
                       t->line_of_interaction, row, NULL, PANGO_ALIGN_LEFT);
    double th = text_h(b, txt);
    if (th + 4 > h && !b->lo->failed) {
        h = th + 4;
        el_at(b, row)->h = h;
        if (col >= 0)
            el_at(b, col)->h = h;
    }
    double lx = t->margin + t->padding + tw + 8;
    long ln = shape(b, "line", JM_SHAPE_LINE, lx, top + h / 2, b->grid_right - lx, 0, row, NULL,
                    NONE, t->line_of_interaction, t->stroke_width * 1.5);
    if (ln >= 0)
        el_at(b, ln)->dash = JM_DASH_DASHED;
    b->y = top + h;
}

/* ---- Emotions ----------------------------------------------------------------------------- */

static jm_rgba emotion_color(const jm_theme *t, double v)
{
    return v < 0 ? mix(t->emotion_zero, t->emotion_neg, -v / 2)
                 : mix(t->emotion_zero, t->emotion_pos, v / 2);
}

/* Fritsch–Carlson monotone cubic through pts: no overshoot, so the curve never leaves the
 * range of its neighbouring values (and never passes ±2). Writes 1 + 3(n-1) Bézier points. */
static jm_point *monotone_curve(const jm_point *p, size_t n, size_t *out_n)
{
    *out_n = 0;
    if (n < 2)
        return NULL;
    double *d = jm_calloc(n, sizeof *d), *mt = jm_calloc(n, sizeof *mt);
    jm_point *out = jm_calloc(1 + 3 * (n - 1), sizeof *out);
    if (!d || !mt || !out) {
        jm_free(d);
        jm_free(mt);
        jm_free(out);
        return NULL;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        double dx = p[i + 1].x - p[i].x;
        d[i] = dx > 0 ? (p[i + 1].y - p[i].y) / dx : 0;
    }
    mt[0] = d[0];
    mt[n - 1] = d[n - 2];
    for (size_t i = 1; i + 1 < n; i++)
        mt[i] = d[i - 1] * d[i] <= 0 ? 0 : (d[i - 1] + d[i]) / 2;
    for (size_t i = 0; i + 1 < n; i++) {
        if (d[i] == 0) {
            mt[i] = mt[i + 1] = 0;
            continue;
        }
        double a = mt[i] / d[i], c = mt[i + 1] / d[i];
        /* Tangents at most 3× the secant keep every control point within the segment's range. */
        if (a > 3)
            mt[i] = 3 * d[i];
        if (c > 3)
            mt[i + 1] = 3 * d[i];
        if (a < 0)
            mt[i] = 0;
        if (c < 0)
            mt[i + 1] = 0;
    }
    out[0] = p[0];
    size_t k = 1;
    for (size_t i = 0; i + 1 < n; i++) {
        double dx = (p[i + 1].x - p[i].x) / 3;
        out[k++] = (jm_point){p[i].x + dx, p[i].y + mt[i] * dx};
        out[k++] = (jm_point){p[i + 1].x - dx, p[i + 1].y - mt[i + 1] * dx};
        out[k++] = p[i + 1];
    }
    jm_free(d);
    jm_free(mt);
    *out_n = k;
    return out;
}

typedef struct emo_geom {
    double band_top, band_h;
} emo_geom;

static double emo_y(const emo_geom *g, double v) { return g->band_top + (2 - v) / 4 * g->band_h; }

/* One curve (a persona in a state) through the touchpoints that have a value for it. */
static void emotion_series(builder *b, lane_ctx *lc, const emo_geom *g, size_t slot, jm_state state,
                           bool muted, jm_rgba color, bool faces)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    jm_point *pts = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *pts);
    size_t *idx = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *idx);
    double *val = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *val);
    if (!pts || !idx || !val) {
        b->lo->failed = true;
        goto done;
    }
    size_t n = 0;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        jm_tp_view v;
        jm_tp_view_get(m, tp, state, &v);
        if (!v.has_emotion || !v.emotion || v.emotion[slot] == JM_EMOTION_NONE)
            continue;
        if (tp->actors && m->n_personas && !tp->actors[slot])
            continue; /* not taking part: the curve skips it rather than dropping to 0 */
        /* Several personas' faces stand side by side instead of hiding one another. */
        double dx = m->n_personas > 1
                        ? ((double)slot - (double)(m->n_personas - 1) / 2) * t->point_radius * 1.6
                        : 0;
        pts[n] = (jm_point){b->slot_x[i] + t->card_width / 2 + dx, emo_y(g, v.emotion[slot])};
        idx[n] = i;
        val[n] = v.emotion[slot];
        n++;
    }
    size_t nc = 0;
    jm_point *curve = monotone_curve(pts, n, &nc);
    if (curve) {
        double x0 = curve[0].x, x1 = curve[nc - 1].x, y0 = curve[0].y, y1 = y0;
        for (size_t k = 0; k < nc; k++) {
            y0 = fmin(y0, curve[k].y);
            y1 = fmax(y1, curve[k].y);
        }
        long c = shape(b, "emotion_curve", JM_SHAPE_CURVE, x0, y0, x1 - x0, y1 - y0, lc->band, NULL,
                       NONE, color, muted ? t->curve_width * 0.8 : t->curve_width);
        if (c >= 0) {
            el_at(b, c)->pts = curve;
            el_at(b, c)->npts = nc;
            el_at(b, c)->dash = muted ? JM_DASH_DASHED : persona_dash(b, slot);
            el_at(b, c)->has_value = true;
            el_at(b, c)->value = (double)slot;
        } else {
            jm_free(curve);
        }
    }
    for (size_t k = 0; k < n; k++) {
        const jm_touchpoint *tp = &m->touchpoints[idx[k]];
        const char *sfx = state == JM_STATE_BEFORE && tp->before.present ? "/before/emotion"
                          : state == JM_STATE_AFTER && tp->after.present ? "/after/emotion"
                                                                         : "/emotion";
        char *ref = ref_of(tp, sfx);
        double r = faces ? t->point_radius : t->point_radius * 0.5;
        long pe =
            shape(b, "emotion_point", faces ? JM_SHAPE_FACE : JM_SHAPE_CIRCLE, pts[k].x - r,
                  pts[k].y - r, 2 * r, 2 * r, lc->cells[tp->stage], ref,
                  faces ? emotion_color(t, val[k]) : t->background,
                  faces ? (m->n_personas > 1 ? color : mix(emotion_color(t, val[k]), t->text, 0.45))
                        : color,
                  faces ? 1.2 : t->curve_width * 0.8);
        if (pe >= 0) {
            jm_element *e = el_at(b, pe);
            e->has_value = true;
            e->value = val[k];
            e->color = t->text;
        }
        if (faces && tp->moment_of_truth && !b->mot_badged[idx[k]]) {
            b->mot_badged[idx[k]] = true; /* one badge a touchpoint, over its first face */
            char *mr = ref_of(tp, "/moment_of_truth");
            shape(b, "badge", JM_SHAPE_DIAMOND, pts[k].x - 5, pts[k].y - r - 13, 10, 10,
                  lc->cells[tp->stage], mr, t->moment_of_truth, t->background, 1);
            jm_free(mr);
        }
        jm_free(ref);
    }
done:
    jm_free(pts);
    jm_free(idx);
    jm_free(val);
}

static void lane_emotions(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    lane_ctx lc;
    if (!lane_begin(b, &lc, "lane",
                    lane->name ? lane->name : lane_default_name(b, JM_LANE_EMOTIONS), NULL,
                    lane->src.path, b->root, NULL))
        return;
    emo_geom g = {lc.top + t->gap + t->point_radius + 14, t->emotion_height};
    /* Guides: faint ±2, dotted zero, with their values in the label column. */
    static const double levels[] = {2, 0, -2};
    static const char *const level_text[] = {"+2", "0", "\u22122"};
    double lw = 0; /* the widest label, so that the faces form one column */
    for (int k = 0; k < 3; k++)
        lw = fmax(lw, text_width(b, ROLE_SMALL, level_text[k]) + 1);
    for (int k = 0; k < 3; k++) {
        double y = emo_y(&g, levels[k]);
        long gl = shape(b, "guide", JM_SHAPE_LINE, b->grid_left, y, b->grid_right - b->grid_left, 0,
                        lc.band, NULL, NONE, levels[k] == 0 ? t->line_of_interaction : t->guide,
                        t->stroke_width);
        if (gl >= 0)
            el_at(b, gl)->dash = levels[k] == 0 ? JM_DASH_DOTTED : JM_DASH_SOLID;
        double tw = text_width(b, ROLE_SMALL, level_text[k]) + 1;
        long tl = text_el(b, "text", ROLE_SMALL, level_text[k], b->grid_left - 4 - tw, y - 6, tw,
                          t->text_muted, lc.label, NULL, PANGO_ALIGN_RIGHT);
        if (tl >= 0 && !b->lo->failed)
            el_at(b, tl)->y = y - el_at(b, tl)->h / 2;
        double fs = fmin(t->point_radius * 1.7, 16);
        long face = shape(b, "icon_face", JM_SHAPE_FACE, b->grid_left - 8 - lw - fs, y - fs / 2, fs,
                          fs, lc.label, NULL, emotion_color(t, levels[k]),
                          mix(emotion_color(t, levels[k]), t->text, 0.45), 1);
        if (face >= 0) {
            el_at(b, face)->has_value = true;
            el_at(b, face)->value = levels[k];
            el_at(b, face)->color = t->text;
        }
    }
    size_t slots = jm_emotion_slots(m);
    for (size_t p = 0; p < slots; p++) {
        jm_rgba col = m->n_personas > 1 ? persona_color(b, p) : t->curve;
        if (b->lo->state == JM_STATE_COMPARE) {
            emotion_series(b, &lc, &g, p, JM_STATE_BEFORE, true,
                           m->n_personas > 1 ? mix(col, t->background, 0.45) : t->curve_before,
                           false);
            emotion_series(b, &lc, &g, p, JM_STATE_AFTER, false, col, true);
        } else {
            emotion_series(b, &lc, &g, p, b->view, false, col, true);
        }
    }
    lane_note(&lc, g.band_top + g.band_h + t->point_radius);
    lane_end(b, &lc, 0, true);
}

/* ---- KPIs and the before/after table ----------------------------------------------------- */

static const jm_metric *find_metric(const jm_metrics *ms, const char *name)
{
    for (size_t i = 0; i < ms->n; i++)
        if (strcmp(ms->v[i].name, name) == 0)
            return &ms->v[i];
    return NULL;
}

/* One metric row: name, value(s) and, for a before → after pair, the change with its
 * direction; returns the bottom. */
static double metric_row(builder *b, long parent, double x, double y, double w, const jm_metric *mt,
                         const jm_metric *before, const char *ref)
{
    const jm_theme *t = b->t;
    jm_buf val = {0};
    long nm = text_el(b, "text", ROLE_SMALL, mt->name, x, y, w, t->text_muted, parent, ref,
                      PANGO_ALIGN_LEFT);
    y += text_h(b, nm);
    if (before && before->value != mt->value) {
        format_value(b, before->value, before->unit ? before->unit : mt->unit, &val);
        jm_buf_puts(&val, " \u2192 ");
    }
    format_value(b, mt->value, mt->unit, &val);
    if (mt->has_target) {
        jm_buf_puts(&val, L(b, " (target\u00A0", " (цель\u00A0"));
        format_value(b, mt->target, mt->unit, &val);
        jm_buf_puts(&val, ")");
    }
    double dw = 0;
    if (before && before->value != mt->value) {
        double delta = mt->value - before->value;
        bool up = delta > 0, good = (mt->better == JM_BETTER_LOWER) ? !up : up;
        char num[64];
        format_number(b, fabs(delta), num, sizeof num);
        /* A change of a percentage is in percentage points. */
        const char *unit = mt->unit && strcmp(mt->unit, "%") == 0 ? L(b, "\u00A0pp", "\u00A0п.п.")
                           : mt->unit && *mt->unit                ? mt->unit
                                                                  : "";
        bool space = mt->unit && *mt->unit && strcmp(mt->unit, "%") != 0;
        char *d = jm_asprintf("%s\u00A0%s%s%s%s", up ? "\u25B2" : "\u25BC", up ? "+" : "\u2212",
                              num, space ? "\u00A0" : "", unit);
        if (d) {
            dw = fmin(text_width(b, ROLE_SMALL_BOLD, d) + 1, w / 2);
            long de = text_el(b, "delta", ROLE_SMALL_BOLD, d, x + w - dw, y, dw,
                              good ? t->opportunity : t->pain, parent, NULL, PANGO_ALIGN_RIGHT);
            if (de >= 0) {
                el_at(b, de)->has_value = true;
                el_at(b, de)->value = delta;
            }
            dw += 4;
            jm_free(d);
        } else {
            b->lo->failed = true;
        }
    }
    if (val.failed)
        b->lo->failed = true;
    long ve = text_el(b, "text", ROLE_CARD_TITLE, val.data && !val.failed ? val.data : "", x, y,
                      w - dw, t->text, parent, NULL, PANGO_ALIGN_LEFT);
    jm_buf_free(&val);
    if (ve >= 0) {
        el_at(b, ve)->has_value = true;
        el_at(b, ve)->value = mt->value;
    }
    return y + text_h(b, ve) + 4;
}

static double metrics_box(builder *b, long cell, double x, double y, double w, const jm_metrics *ms,
                          const jm_metrics *before, const char *ref_base)
{
    const jm_theme *t = b->t;
    long box = shape(b, "metrics", JM_SHAPE_RECT, x, y, w, 0, cell, ref_base, t->metric_fill,
                     t->card_stroke, t->stroke_width);
    if (box < 0)
        return y;
    el_at(b, box)->radius = t->radius - 2;
    double cy = y + t->padding * 0.75;
    for (size_t k = 0; k < ms->n; k++) {
        char *ref = jm_asprintf("%s", ms->v[k].src.path ? ms->v[k].src.path : ref_base);
        if (!ref)
            continue;
        cy = metric_row(b, box, x + t->padding, cy, w - 2 * t->padding, &ms->v[k],
                        before ? find_metric(before, ms->v[k].name) : NULL, ref);
        jm_free(ref);
    }
    double h = cy - y + t->padding * 0.75 - 4;
    if (!b->lo->failed)
        el_at(b, box)->h = h;
    return y + h;
}

static void lane_metrics(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    lane_ctx lc;
    if (!lane_begin(b, &lc, "lane", lane->name ? lane->name : lane_default_name(b, JM_LANE_METRICS),
                    lane_icon(JM_LANE_METRICS), lane->src.path, b->root, NULL))
        return;
    double *stage_bottom = jm_calloc(m->n_stages, sizeof *stage_bottom);
    if (!stage_bottom) {
        b->lo->failed = true;
        lane_end(b, &lc, 0, false);
        return;
    }
    for (size_t s = 0; s < m->n_stages; s++) {
        stage_bottom[s] = lc.top + t->gap;
        if (m->stages[s].metrics.n)
            stage_bottom[s] = metrics_box(b, lc.cells[s], b->stage_x[s] + t->gap, lc.top + t->gap,
                                          b->stage_w[s] - 2 * t->gap, &m->stages[s].metrics, NULL,
                                          m->stages[s].src.path) +
                              t->gap;
        lane_note(&lc, stage_bottom[s] - t->gap);
    }
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        const jm_metrics *ms, *before = NULL;
        if (b->lo->state == JM_STATE_COMPARE) {
            jm_tp_view va, vb;
            jm_tp_view_get(m, tp, JM_STATE_AFTER, &va);
            jm_tp_view_get(m, tp, JM_STATE_BEFORE, &vb);
            ms = va.metrics;
            before = vb.metrics != va.metrics ? vb.metrics : NULL;
        } else {
            jm_tp_view v;
            jm_tp_view_get(m, tp, b->view, &v);
            ms = v.metrics;
        }
        if (!ms->n)
            continue;
        char *ref = ref_of(tp, "/metrics");
        if (ref)
            lane_note(&lc, metrics_box(b, lc.cells[tp->stage], b->slot_x[i],
                                       stage_bottom[tp->stage], t->card_width, ms, before, ref));
        jm_free(ref);
    }
    jm_free(stage_bottom);
    lane_end(b, &lc, 0, true);
}

/* What sums up a state in the compare lane: its description, else its first action, pain or
 * thought. */
static const char *state_text(const jm_tp_view *v)
{
    const jm_strlist *l = v->action->n ? v->action : v->pain->n ? v->pain : v->thought;
    return v->description ? v->description : l->n ? l->v[0] : NULL;
}

/* One state of a touchpoint in the compare lane: its label as a caption over its text. */
static double state_box(builder *b, long cell, double x, double y, int side, const char *text,
                        const char *ref)
{
    const jm_theme *t = b->t;
    double w = t->card_width, pad = t->padding * 0.75;
    long box = shape(b, side == 0 ? "state_before" : "state_after", JM_SHAPE_RECT, x, y, w, 0, cell,
                     ref, side == 0 ? t->background : t->opportunity_fill,
                     side == 0 ? t->curve_before : mix(t->opportunity_fill, t->opportunity, 0.5),
                     t->stroke_width);
    if (box < 0)
        return y;
    el_at(b, box)->radius = t->radius - 2;
    el_at(b, box)->dash = side == 0 ? JM_DASH_DASHED : JM_DASH_SOLID;
    long cap = text_el(b, "text", ROLE_SMALL_BOLD, state_label(b, side), x + t->padding, y + pad,
                       w - 2 * t->padding, side == 0 ? t->text_muted : t->opportunity, box, NULL,
                       PANGO_ALIGN_LEFT);
    double cy = y + pad + text_h(b, cap) + 2;
    long te = text_el(b, "text", ROLE_BODY, text, x + t->padding, cy, w - 2 * t->padding,
                      side == 0 ? t->text_muted : t->text, box, NULL, PANGO_ALIGN_LEFT);
    double h = cy + text_h(b, te) + pad - y;
    if (!b->lo->failed)
        el_at(b, box)->h = h;
    return y + h;
}

/* The before/after table: for each touchpoint whose states read differently, the two texts
 * one above the other in its slot (changes of emotion and KPIs have their own lanes). */
static void lane_compare(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    lane_ctx lc;
    if (!lane_begin(b, &lc, "lane", lane->name ? lane->name : lane_default_name(b, JM_LANE_COMPARE),
                    NULL, lane->src.path, b->root, NULL))
        return;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        if (!tp->before.present && !tp->after.present)
            continue;
        jm_tp_view v[2];
        jm_tp_view_get(m, tp, JM_STATE_BEFORE, &v[0]);
        jm_tp_view_get(m, tp, JM_STATE_AFTER, &v[1]);
        const char *txt[2] = {state_text(&v[0]), state_text(&v[1])};
        if (!txt[0] || !txt[1] || strcmp(txt[0], txt[1]) == 0)
            continue;
        double y = lc.top + t->gap;
        for (int side = 0; side < 2; side++) {
            char *ref = ref_of(tp, side == 0 ? "/before" : "/after");
            if (ref)
                y = state_box(b, lc.cells[tp->stage], b->slot_x[i], y, side, txt[side], ref) + 4;
            jm_free(ref);
        }
        lane_note(&lc, y - 4);
    }
    lane_end(b, &lc, 0, true);
}

/* ---- Items: service-blueprint and custom lanes -------------------------------------------- */

static void lane_items(builder *b, const jm_lane *lane, jm_lane_type lt, long custom)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    lane_ctx lc;
    const char *name = lane->name             ? lane->name
                       : lt == JM_LANE_CUSTOM ? lane->id
                                              : lane_default_name(b, lt);
    if (!lane_begin(b, &lc, "lane", name, NULL, lane->src.path, b->root, NULL))
        return;
    double *stage_y = jm_calloc(m->n_stages, sizeof *stage_y);
    double *slot_y = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *slot_y);
    if (!stage_y || !slot_y) {
        jm_free(stage_y);
        jm_free(slot_y);
        b->lo->failed = true;
        lane_end(b, &lc, 0, false);
        return;
    }
    box_style bs = {"item",         JM_SHAPE_RECT, t->lane_alt_fill,
                    t->card_stroke, t->card_text,  JM_DASH_SOLID,
                    ROLE_BODY,      NULL,          NONE};
    /* Stage-level items first, full stage width; then items aligned under their touchpoint. */
    for (size_t s = 0; s < m->n_stages; s++)
        stage_y[s] = lc.top + t->gap;
    for (size_t k = 0; k < m->n_items; k++) {
        const jm_item *it = &m->items[k];
        if (it->lane != lt || (lt == JM_LANE_CUSTOM && it->custom != custom) || it->touchpoint >= 0)
            continue;
        stage_y[it->stage] =
            slot_box(b, lc.cells[it->stage], b->stage_x[it->stage] + t->gap, stage_y[it->stage],
                     b->stage_w[it->stage] - 2 * t->gap, &bs, it->text, it->src.path, NULL) +
            4;
        lane_note(&lc, stage_y[it->stage] - 4);
    }
    for (size_t i = 0; i < m->n_touchpoints; i++)
        slot_y[i] = stage_y[m->touchpoints[i].stage];
    for (size_t k = 0; k < m->n_items; k++) {
        const jm_item *it = &m->items[k];
        if (it->lane != lt || (lt == JM_LANE_CUSTOM && it->custom != custom) || it->touchpoint < 0)
            continue;
        size_t i = (size_t)it->touchpoint;
        slot_y[i] = slot_box(b, lc.cells[it->stage], b->slot_x[i], slot_y[i], t->card_width, &bs,
                             it->text, it->src.path, NULL) +
                    4;
        lane_note(&lc, slot_y[i] - 4);
    }
    jm_free(stage_y);
    jm_free(slot_y);
    lane_end(b, &lc, 0, true);
}

/* ---- Which lanes ------------------------------------------------------------------------- */

static bool lane_has_content(builder *b, jm_lane_type lt, long custom)
{
    const jm_map *m = b->m;
    switch (lt) {
    case JM_LANE_STAGES:
    case JM_LANE_TOUCHPOINTS: return true;
    case JM_LANE_GOALS:
        for (size_t s = 0; s < m->n_stages; s++)
            if (m->stages[s].goal || m->stages[s].questions.n)
                return true;
        return false;
    case JM_LANE_METRICS:
        for (size_t s = 0; s < m->n_stages; s++)
            if (m->stages[s].metrics.n)
                return true;
        break;
    case JM_LANE_COMPARE:
        if (b->lo->state != JM_STATE_COMPARE)
            return false;
        break;
    default: break;
    }
    /* Only what the drawn state(s) show: a lane with content only in the other state stays out. */
    jm_state states[2] = {b->view, JM_STATE_BEFORE};
    int ns = b->lo->state == JM_STATE_COMPARE ? 2 : 1;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        for (int k = 0; k < ns; k++) {
            jm_tp_view v;
            jm_tp_view_get(m, tp, states[k], &v);
            switch (lt) {
            case JM_LANE_ACTIONS:
                if (v.action->n)
                    return true;
                break;
            case JM_LANE_EMOTIONS:
                if (v.has_emotion)
                    return true;
                break;
            case JM_LANE_THOUGHTS:
                if (v.thought->n)
                    return true;
                break;
            case JM_LANE_PAINS:
                if (v.pain->n)
                    return true;
                break;
            case JM_LANE_OPPORTUNITIES:
                if (v.opportunity->n)
                    return true;
                break;
            case JM_LANE_METRICS:
                if (v.metrics->n)
                    return true;
                break;
            case JM_LANE_COMPARE:
                if (k == 0 && (tp->before.present || tp->after.present)) {
                    jm_tp_view vb, va;
                    jm_tp_view_get(m, tp, JM_STATE_BEFORE, &vb);
                    jm_tp_view_get(m, tp, JM_STATE_AFTER, &va);
                    const char *x = state_text(&vb), *y = state_text(&va);
                    if (x && y && strcmp(x, y) != 0)
                        return true;
                }
                break;
            default: break;
            }
        }
    }
    for (size_t k = 0; k < m->n_items; k++)
        if (m->items[k].lane == lt && (lt != JM_LANE_CUSTOM || m->items[k].custom == custom))
            return true;
    return false;
}

/* How each lane is laid out: one row per jm_lane_type (its id, labels, icon and whether it
 * takes items are the model's row, jm_lane_info_of). custom: the declared lane's index. */
typedef void (*lane_layout_fn)(builder *b, const jm_lane *lane, long custom);

static void lay_stages(builder *b, const jm_lane *lane, long custom)
{
    (void)b, (void)lane, (void)custom; /* always first, laid out before the others */
}

static void lay_goals(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    lane_goals(b, lane);
}

static void lay_tp_text(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    lane_tp_text(b, lane, lane->type);
}

static void lay_touchpoints(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    lane_touchpoints(b, lane);
    divider(b, L(b, "Line of interaction", "Линия взаимодействия"));
}

static void lay_emotions(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    lane_emotions(b, lane);
}

static void lay_opportunities(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    lane_opportunities(b, lane);
}

static void lay_metrics(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    lane_metrics(b, lane);
}

static void lay_compare(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    lane_compare(b, lane);
}

static void lay_items(builder *b, const jm_lane *lane, long custom)
{
    lane_items(b, lane, lane->type, custom);
}

static const lane_layout_fn lane_layouts[JM_LANE__COUNT] = {
    [JM_LANE_STAGES] = lay_stages,     [JM_LANE_GOALS] = lay_goals,
    [JM_LANE_ACTIONS] = lay_tp_text,   [JM_LANE_TOUCHPOINTS] = lay_touchpoints,
    [JM_LANE_EMOTIONS] = lay_emotions, [JM_LANE_THOUGHTS] = lay_tp_text,
    [JM_LANE_PAINS] = lay_tp_text,     [JM_LANE_OPPORTUNITIES] = lay_opportunities,
    [JM_LANE_METRICS] = lay_metrics,   [JM_LANE_COMPARE] = lay_compare,
    [JM_LANE_EVIDENCE] = lay_items,    [JM_LANE_FRONTSTAGE] = lay_items,
    [JM_LANE_BACKSTAGE] = lay_items,   [JM_LANE_SUPPORT] = lay_items,
    [JM_LANE_CUSTOM] = lay_items,
};

static void layout_lane(builder *b, const jm_lane *lane, long custom)
{
    unsigned t = (unsigned)lane->type < JM_LANE__COUNT ? (unsigned)lane->type : JM_LANE_CUSTOM;
    lane_layouts[t](b, lane, custom);
}

/* ---- Entry point ------------------------------------------------------------------------- */

static void builder_free(builder *b)
{
    for (int i = 0; i < ROLE__COUNT; i++) {
        if (b->font[i])
            pango_font_description_free(b->font[i]);
        g_free(b->font_key[i]);
        if (b->fallback_font[i])
            pango_font_description_free(b->fallback_font[i]);
        g_free(b->fallback_font_key[i]);
    }
    jm_free(b->stage_x);
    jm_free(b->stage_w);
    jm_free(b->stage_el);
    jm_free(b->slot_x);
    jm_free(b->stage_first_slot);
    jm_free(b->stage_slots);
    jm_free(b->mot_badged);
}

void jm_layout_free(jm_layout *lo)
{
    if (!lo)
        return;
    for (size_t i = 0; i < lo->n; i++) {
        jm_element *e = &lo->el[i];
        jm_free(e->ref);
        jm_free(e->pts);
        jm_free(e->text);
        jm_free(e->url);
        jm_free(e->tooltip);
        if (e->layout)
            g_object_unref(e->layout);
    }
    jm_free(lo->el);
    jm_theme_free(lo->theme);
    jm_free(lo);
}

/* Lanes in drawing order: the model's explicit list, or every canonical lane with content. */
static void layout_lanes(builder *b)
{
    const jm_map *m = b->m;
    lane_stages(b);
    bool below_visibility = false, below_internal = false;
    if (m->lanes_explicit) {
        for (size_t i = 0; i < m->n_lanes; i++) {
            const jm_lane *ln = &m->lanes[i];
            long custom = -1;
            if (ln->type == JM_LANE_CUSTOM)
                for (size_t c = 0; c < m->n_custom_lanes; c++)
                    if (strcmp(m->custom_lanes[c].id, ln->id) == 0)
                        custom = (long)c;
            if (ln->type == JM_LANE_BACKSTAGE && !below_visibility) {
                divider(b, L(b, "Line of visibility", "Линия видимости"));
                below_visibility = true;
            }
            if (ln->type == JM_LANE_SUPPORT && !below_internal) {
                divider(b,
                        L(b, "Line of internal interaction", "Линия внутреннего взаимодействия"));
                below_internal = true;
            }
            if (ln->type != JM_LANE_COMPARE || b->lo->state == JM_STATE_COMPARE)
                layout_lane(b, ln, custom);
        }
        return;
    }
    for (int t = JM_LANE_GOALS; t < JM_LANE_CUSTOM; t++) {
        if (!lane_has_content(b, (jm_lane_type)t, -1))
            continue;
        if (t == JM_LANE_BACKSTAGE && !below_visibility) {
            divider(b, L(b, "Line of visibility", "Линия видимости"));
            below_visibility = true;
        }
        if (t == JM_LANE_SUPPORT && !below_internal) {
            divider(b, L(b, "Line of internal interaction", "Линия внутреннего взаимодействия"));
            below_internal = true;
        }
        jm_lane ln = {
            {NULL, 0, 0}, (jm_lane_type)t, (char *)jm_lane_type_id((jm_lane_type)t), NULL};
        layout_lane(b, &ln, -1);
    }
    for (size_t c = 0; c < m->n_custom_lanes; c++)
        if (lane_has_content(b, JM_LANE_CUSTOM, (long)c))
            layout_lane(b, &m->custom_lanes[c], (long)c);
}

jm_layout *jm_layout_new(jm_context *ctx, const jm_map *m, const jm_theme *theme,
                         const jm_layout_options *opts, jm_diags *diags)
{
    jm_layout *lo = jm_calloc(1, sizeof *lo);
    builder bb = {0}, *b = &bb;
    if (!lo || !(lo->theme = jm_theme_copy(theme)))
        goto oom;
    lo->map = m;
    jm_state st = opts ? opts->state : JM_STATE_AUTO;
    if (st == JM_STATE_AUTO)
        st = m->has_states ? JM_STATE_COMPARE : JM_STATE_AFTER;
    if (st == JM_STATE_COMPARE && !m->has_states)
        st = JM_STATE_AFTER;
    lo->state = st;
    const jm_theme *t = lo->theme;
    b->lo = lo;
    b->m = m;
    b->diags = diags;
    b->t = t;
    b->pc = jm_context_pango(ctx);
    b->ru = m->lang && strncmp(m->lang, "ru", 2) == 0;
    /* Compare draws the improved state, with "before" beside it where they differ. */
    b->view = st == JM_STATE_COMPARE ? JM_STATE_AFTER : st;
    PangoLanguage *language = pango_language_from_string(m->lang ? m->lang : "en");
    pango_context_set_language(b->pc, language);
    b->lang = pango_language_to_string(language); /* interned: compared by address */
    b->ctx = ctx;
    const jm_font_role *roles[ROLE__COUNT] = {&t->font_title, &t->font_subtitle,   &t->font_stage,
                                              &t->font_lane,  &t->font_card_title, &t->font_body,
                                              &t->font_small, &t->font_body,       &t->font_small};
    for (int i = 0; i < ROLE__COUNT; i++)
        b->font[i] = font_for(t, roles[i], i == ROLE_BODY_ITALIC);
    pango_font_description_set_weight(b->font[ROLE_SMALL_BOLD], PANGO_WEIGHT_SEMIBOLD);
    for (int i = 0; i < ROLE__COUNT; i++)
        b->font_key[i] = pango_font_description_to_string(b->font[i]);
    jm_fallback_check_map(ctx, m, diags);

    size_t ns = m->n_stages, nt = m->n_touchpoints;
    b->stage_x = jm_calloc(ns, sizeof *b->stage_x);
    b->stage_w = jm_calloc(ns, sizeof *b->stage_w);
    b->stage_el = jm_calloc(ns, sizeof *b->stage_el);
    b->stage_slots = jm_calloc(ns, sizeof *b->stage_slots);
    b->stage_first_slot = jm_calloc(ns, sizeof *b->stage_first_slot);
    b->slot_x = jm_calloc(nt ? nt : 1, sizeof *b->slot_x);
    b->mot_badged = jm_calloc(nt ? nt : 1, sizeof *b->mot_badged);
    if (!b->stage_x || !b->stage_w || !b->stage_el || !b->stage_slots || !b->stage_first_slot ||
        !b->slot_x || !b->mot_badged)
        goto oom;

    /* Columns: one slot per touchpoint, in input order within its stage. */
    double slot_w = t->card_width + t->gap;
    b->grid_left = t->margin + t->lane_label_width;
    double x = b->grid_left;
    size_t *seen = jm_calloc(ns, sizeof *seen);
    if (!seen)
        goto oom;
    for (size_t i = 0; i < nt; i++)
        b->stage_slots[m->touchpoints[i].stage]++;
    double natural = 0;
    for (size_t s = 0; s < ns; s++)
        natural += (double)(b->stage_slots[s] ? b->stage_slots[s] : 1) * slot_w + t->gap;
    /* The map is as wide as its grid, or as its header when the persona cards need more room;
     * then the stages share the extra width and centre their cards in it. */
    double header_min = 2 * t->margin + 480 + persona_cards_width(m, t->gap);
    double width = fmax(b->grid_left + natural + t->margin, header_min);
    double extra = (width - t->margin - b->grid_left - natural) / (double)ns;
    for (size_t s = 0; s < ns; s++) {
        size_t slots = b->stage_slots[s] ? b->stage_slots[s] : 1;
        b->stage_x[s] = x;
        b->stage_w[s] = (double)slots * slot_w + t->gap + extra;
        x += b->stage_w[s];
    }
    for (size_t i = 0; i < nt; i++) {
        size_t s = m->touchpoints[i].stage;
        b->slot_x[i] = b->stage_x[s] + t->gap + extra / 2 + (double)seen[s]++ * slot_w;
    }
    jm_free(seen);
    b->grid_right = x;

    b->root = shape(b, "map", JM_SHAPE_RECT, 0, 0, width, 0, -1, NULL, t->background, NONE, 0);
    layout_header(b, width);
    b->grid_top = b->y;
    for (size_t s = 0; s < ns; s++) {
        jm_rgba tint = t->stage_palette[s % JM_THEME_PALETTE];
        tint.a = 0.22;
        b->stage_el[s] = shape(b, "stage", JM_SHAPE_RECT, b->stage_x[s], b->grid_top, b->stage_w[s],
                               0, b->root, m->stages[s].src.path, tint, NONE, 0);
        if (b->stage_el[s] >= 0)
            el_at(b, b->stage_el[s])->column = b->stage_el[s];
    }
    layout_lanes(b);
    if (lo->failed)
        goto oom;
    double grid_bottom = b->y;
    for (size_t s = 0; s < ns; s++) {
        el_at(b, b->stage_el[s])->h = grid_bottom - b->grid_top;
        if (s)
            shape(b, "line", JM_SHAPE_LINE, b->stage_x[s], b->grid_top, 0,
                  grid_bottom - b->grid_top, b->root, NULL, NONE, t->grid, t->stroke_width);
    }
    lo->width = width;
    lo->height = grid_bottom + t->margin;
    if (lo->failed)
        goto oom;
    el_at(b, b->root)->h = lo->height;
    builder_free(b);
    return lo;
oom:
    jm_diag_add(diags, JM_SEVERITY_ERROR, m->file, 0, 0, NULL, "out of memory during layout");
    builder_free(b);
    jm_layout_free(lo);
    return NULL;
}
