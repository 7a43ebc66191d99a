/* Layout: model + theme + state → plain geometry (jm_element list). Never draws.
 *
 * The map is a grid: one column per stage, one row band per lane. In the detail layout each
 * touchpoint owns a slot (a card-wide column inside its stage, in time order), so everything
 * that refers to it — its action, its card, its emotion point, its pain, KPI and before/after
 * — shares one x-centre. In the overview (layout_overview.c) a stage has a few card columns
 * that every lane's boxes flow into, tied to their touchpoint by its number.
 * Lanes are laid out top to bottom; a lane's height is its tallest cell. Text is measured with
 * Pango here and the same PangoLayout is drawn by the backend. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"
#include "context/fallback.h"
#include "pages.h"
#include "reading_order.h"
#include "util/diag.h"

enum { OV_GAP = 4, OV_PADDING = 4, OV_EMOTION_HEIGHT = 48, OV_LABEL_WIDTH = 108, OV_MARGIN = 16 };

jm_element *jm_lo_el_at(builder *b, long i) { return &b->lo->el[i]; }

long jm_lo_el_push(builder *b, const char *kind, double x, double y, double w, double h,
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
long jm_lo_shape(builder *b, const char *kind, jm_shape s, double x, double y, double w, double h,
                 long parent, const char *ref, jm_rgba fill, jm_rgba stroke, double sw)
{
    long i = jm_lo_el_push(b, kind, x, y, w, h, parent, ref);
    if (i < 0)
        return -1;
    jm_element *e = jm_lo_el_at(b, i);
    e->shape = s;
    e->fill = fill;
    e->stroke = stroke;
    e->stroke_width = sw;
    return i;
}

jm_rgba jm_lo_mix(jm_rgba a, jm_rgba c, double t)
{
    return (jm_rgba){a.r + (c.r - a.r) * t, a.g + (c.g - a.g) * t, a.b + (c.b - a.b) * t, 1};
}

/* ---- Text --------------------------------------------------------------------------------- */

static PangoFontDescription *font_for(const char *family, const jm_font_role *r, bool italic)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
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
    for (long k = i; k >= 0 && !ref; k = jm_lo_el_at(b, k)->parent)
        ref = jm_lo_el_at(b, k)->ref;
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
            for (int i = 0; i < ROLE__COUNT; i++) {
                char *families =
                    jm_fallback_families(pango_font_description_get_family(b->font[i]), b->lang);
                b->fallback_font[i] = pango_font_description_copy(b->font[i]);
                pango_font_description_set_family(b->fallback_font[i], families);
                b->fallback_font_key[i] = pango_font_description_to_string(b->fallback_font[i]);
                g_free(families);
            }
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
long jm_lo_text_el(builder *b, const char *kind, int role, const char *text, double x, double y,
                   double w, jm_rgba color, long parent, const char *ref, PangoAlignment align)
{
    if (w < 1)
        w = 1;
    long i = jm_lo_el_push(b, kind, x, y, w, 0, parent, ref);
    if (i < 0)
        return -1;
    jm_element *e = jm_lo_el_at(b, i);
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

double jm_lo_text_h(builder *b, long i) { return i >= 0 ? jm_lo_el_at(b, i)->h : 0; }

/* Natural width of a one-line text (for legend entries and badges). */
double jm_lo_text_width(builder *b, int role, const char *text)
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

const char *jm_lo_lane_default_name(builder *b, jm_lane_type t)
{
    const jm_lane_info *li = jm_lane_info_of(t);
    return L(b, li->name_en, li->name_ru);
}

const char *jm_lo_lane_icon(jm_lane_type t) { return jm_lane_info_of(t)->icon; }

const char *jm_lo_state_label(builder *b, int which)
{
    if (b->m->state_label[which])
        return b->m->state_label[which];
    return which == 0 ? L(b, "Before", "До") : L(b, "After", "После");
}

/* Numbers as people write them: no trailing zeros, a decimal comma in Russian. */
void jm_lo_format_number(builder *b, double v, char *out, size_t n)
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
void jm_lo_format_value(builder *b, double v, const char *unit, jm_buf *out)
{
    char num[64];
    jm_lo_format_number(b, v, num, sizeof num);
    jm_buf_puts(out, num);
    if (unit && *unit) {
        if (strcmp(unit, "%") != 0)
            jm_buf_puts(out, "\u00A0");
        jm_buf_puts(out, unit);
    }
}

/* The customer's words in the map language's quotes, unless the author quoted them already. */
char *jm_lo_quoted(builder *b, const char *text)
{
    static const char *const opening[] = {"\"", "\u201C", "\u201E", "\u00AB", "'", "\u2018"};
    for (size_t i = 0; i < sizeof opening / sizeof opening[0]; i++)
        if (strncmp(text, opening[i], strlen(opening[i])) == 0)
            return jm_strdup(text);
    return jm_asprintf(b->ru ? "\u00AB%s\u00BB" : "\u201C%s\u201D", text);
}

/* ---- The grid ----------------------------------------------------------------------------- */

/* Opens a lane of the map's list under its own name, else lt's default label. */
bool jm_lo_lane_open(builder *b, lane_ctx *lc, const jm_lane *lane, jm_lane_type lt,
                     const char *icon)
{
    const char *name = lane->name ? lane->name : jm_lo_lane_default_name(b, lt);
    return jm_lo_lane_begin(b, lc, "lane", name, icon, lane->src.path, b->root, NULL);
}

double jm_lo_box_height(builder *b, long box, double y, double h)
{
    if (!b->lo->failed)
        jm_lo_el_at(b, box)->h = h;
    return y + h;
}

/* caption: a small heading above the lane name (the channel kind of a group's first lane). */
bool jm_lo_lane_begin(builder *b, lane_ctx *lc, const char *kind, const char *name,
                      const char *icon, const char *ref, long parent, const char *caption)
{
    const jm_theme *t = b->t;
    memset(lc, 0, sizeof *lc);
    lc->top = b->y;
    lc->content_bottom = b->y;
    double left = b->t->margin;
    lc->band = jm_lo_el_push(b, kind, left, b->y, b->grid_right - left, 0, parent, ref);
    lc->label = jm_lo_shape(b, "lane_label", JM_SHAPE_RECT, left, b->y, t->lane_label_width, 0,
                            lc->band, NULL, t->lane_label_fill, NONE, 0);
    lc->cells = jm_calloc(b->m->n_stages, sizeof *lc->cells);
    if (b->overview && (lc->col_y = jm_calloc(b->n_cols ? b->n_cols : 1, sizeof *lc->col_y)))
        for (size_t c = 0; c < b->n_cols; c++)
            lc->col_y[c] = b->y + t->gap;
    if (lc->band < 0 || lc->label < 0 || !lc->cells || (b->overview && !lc->col_y)) {
        b->lo->failed = true;
        jm_free(lc->cells);
        jm_free(lc->col_y);
        lc->cells = NULL;
        lc->col_y = NULL;
        return false;
    }
    double tx = left + t->padding, ty = b->y + t->gap + t->padding * 0.75;
    if (caption) {
        long cap = jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, caption, tx, ty,
                                 t->lane_label_width - 2 * t->padding, t->text_muted, lc->label,
                                 NULL, PANGO_ALIGN_LEFT);
        ty += jm_lo_text_h(b, cap) + 4;
    }
    if (icon) {
        long ic = jm_lo_shape(b, "icon", JM_SHAPE_ICON, tx, ty + 1, t->icon_size, t->icon_size,
                              lc->label, NULL, NONE, NONE, 0);
        if (ic >= 0) {
            jm_lo_el_at(b, ic)->icon = icon;
            jm_lo_el_at(b, ic)->color = t->lane_label_text;
        }
        tx += t->icon_size + 6;
    }
    long txt = jm_lo_text_el(b, "text", ROLE_LANE, name, tx, ty,
                             left + t->lane_label_width - t->padding - tx, t->lane_label_text,
                             lc->label, NULL, PANGO_ALIGN_LEFT);
    lc->label_bottom = ty + fmax(jm_lo_text_h(b, txt), icon ? t->icon_size : 0);
    for (size_t s = 0; s < b->m->n_stages; s++) {
        lc->cells[s] = jm_lo_el_push(b, "cell", b->stage_x[s], b->y, b->stage_w[s], 0, lc->band,
                                     b->m->stages[s].src.path);
        if (lc->cells[s] >= 0)
            jm_lo_el_at(b, lc->cells[s])->column = b->stage_el[s];
    }
    if (b->lo->failed) {
        jm_free(lc->cells);
        jm_free(lc->col_y);
        lc->cells = NULL;
        lc->col_y = NULL;
        return false;
    }
    return true;
}

void jm_lo_lane_note(lane_ctx *lc, double bottom)
{
    if (bottom > lc->content_bottom)
        lc->content_bottom = bottom;
}

/* Closes a lane: its height is its tallest cell (or label) plus a gap, at least min_h. */
void jm_lo_lane_end(builder *b, lane_ctx *lc, double min_h, bool separator)
{
    double h = fmax(lc->content_bottom, lc->label_bottom) + b->t->gap - lc->top;
    if (h < min_h)
        h = min_h;
    if (!b->lo->failed && lc->cells) {
        jm_lo_el_at(b, lc->band)->h = h;
        jm_lo_el_at(b, lc->label)->h = h;
        for (size_t s = 0; s < b->m->n_stages; s++)
            jm_lo_el_at(b, lc->cells[s])->h = h;
    }
    if (separator) {
        long ln = jm_lo_shape(b, "line", JM_SHAPE_LINE, b->t->margin, lc->top + h,
                              b->grid_right - b->t->margin, 0, lc->band, NULL, NONE, b->t->grid,
                              b->t->stroke_width);
        (void)ln;
    }
    jm_free(lc->cells);
    jm_free(lc->col_y);
    lc->cells = NULL;
    lc->col_y = NULL;
    b->y = lc->top + h;
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
    jm_free(b->col_x);
    jm_free(b->tp_x);
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
        jm_free(e->alt);
        if (e->layout)
            g_object_unref(e->layout);
    }
    jm_free(lo->el);
    jm_free(lo->order);
    jm_theme_free(lo->theme);
    jm_free(lo);
}

/* Lanes in drawing order: the model's explicit list, or every canonical lane with content. */
static void layout_lanes(builder *b)
{
    const jm_map *m = b->m;
    jm_lo_lane_stages(b);
    if (m->lanes_explicit) {
        for (size_t i = 0; i < m->n_lanes; i++) {
            const jm_lane *ln = &m->lanes[i];
            long custom = -1;
            if (ln->type == JM_LANE_CUSTOM)
                for (size_t c = 0; c < m->n_custom_lanes; c++)
                    if (strcmp(m->custom_lanes[c].id, ln->id) == 0)
                        custom = (long)c;
            if (jm_lo_lane_in_state(b, ln->type))
                jm_lo_layout_lane(b, ln, custom);
        }
        return;
    }
    for (int t = JM_LANE_GOALS; t < JM_LANE_CUSTOM; t++) {
        if (!jm_lo_lane_has_content(b, (jm_lane_type)t, -1))
            continue;
        jm_lane ln = {
            {NULL, 0, 0}, (jm_lane_type)t, (char *)jm_lane_type_id((jm_lane_type)t), NULL};
        jm_lo_layout_lane(b, &ln, -1);
    }
    for (size_t c = 0; c < m->n_custom_lanes; c++)
        if (jm_lo_lane_has_content(b, JM_LANE_CUSTOM, (long)c))
            jm_lo_layout_lane(b, &m->custom_lanes[c], (long)c);
}

/* The state drawn: AUTO is compare for a map with states, else after. */
static jm_state settled_state(const jm_map *m, const jm_layout_options *opts)
{
    jm_state st = opts ? opts->state : JM_STATE_AUTO;
    if (st == JM_STATE_AUTO)
        st = m->has_states ? JM_STATE_COMPARE : JM_STATE_AFTER;
    if (st == JM_STATE_COMPARE && !m->has_states)
        st = JM_STATE_AFTER;
    return st;
}

/* The overview is for the wall and the page: tighter spacing, same type sizes. */
static void overview_spacing(jm_theme *t)
{
    t->gap = fmin(t->gap, OV_GAP);
    t->padding = fmin(t->padding, OV_PADDING);
    t->emotion_height = fmin(t->emotion_height, OV_EMOTION_HEIGHT);
    t->card_min_height = 0;
    t->stage_header_height = 10;
    t->lane_label_width = fmin(t->lane_label_width, OV_LABEL_WIDTH);
    t->margin = fmin(t->margin, OV_MARGIN);
    t->header_gap = fmin(t->header_gap, OV_GAP * 2);
}

/* The builder's language and one font description per text role. */
static void builder_fonts(builder *b)
{
    const jm_theme *t = b->t;
    PangoLanguage *language = pango_language_from_string(b->m->lang ? b->m->lang : "en");
    pango_context_set_language(b->pc, language);
    b->lang = pango_language_to_string(language); /* interned: compared by address */
    const jm_font_role *roles[ROLE__COUNT] = {
        &t->font_title,      &t->font_subtitle,   &t->font_stage, &t->font_lane,
        &t->font_card_title, &t->font_body,       &t->font_small, &t->font_body,
        &t->font_small,      &t->font_card_title, &t->font_small, &t->font_small};
    for (int i = 0; i < ROLE__COUNT; i++) {
        int family = i <= ROLE_CARD_TITLE ? JM_FAMILY_TITLES
                     : i >= ROLE_NUMBER   ? JM_FAMILY_NUMBERS
                                          : JM_FAMILY_TEXT;
        b->font[i] = font_for(jm_theme_family(t, family), roles[i], i == ROLE_BODY_ITALIC);
    }
    pango_font_description_set_weight(b->font[ROLE_SMALL_BOLD], PANGO_WEIGHT_SEMIBOLD);
    pango_font_description_set_weight(b->font[ROLE_NUMBER_SMALL_BOLD], PANGO_WEIGHT_SEMIBOLD);
    for (int i = 0; i < ROLE__COUNT; i++)
        b->font_key[i] = pango_font_description_to_string(b->font[i]);
}

/* The builder's per-stage and per-touchpoint arrays; false when out of memory. */
static bool builder_arrays(builder *b)
{
    size_t ns = b->m->n_stages, nt = b->m->n_touchpoints;
    b->stage_x = jm_calloc(ns, sizeof *b->stage_x);
    b->stage_w = jm_calloc(ns, sizeof *b->stage_w);
    b->stage_el = jm_calloc(ns, sizeof *b->stage_el);
    b->stage_slots = jm_calloc(ns, sizeof *b->stage_slots);
    b->stage_first_slot = jm_calloc(ns, sizeof *b->stage_first_slot);
    b->slot_x = jm_calloc(nt ? nt : 1, sizeof *b->slot_x);
    b->mot_badged = jm_calloc(nt ? nt : 1, sizeof *b->mot_badged);
    b->tp_x = jm_calloc(nt ? nt : 1, sizeof *b->tp_x);
    return b->stage_x && b->stage_w && b->stage_el && b->stage_slots && b->stage_first_slot &&
           b->slot_x && b->mot_badged && b->tp_x;
}

/* The emotion points (and in detail the slots): in detail at the middle of the slot; in the
 * overview spread over the stage in time order. extra: the width each stage got beyond its
 * slots. False when out of memory. */
static bool place_touchpoints(builder *b, size_t *seen, double extra)
{
    const jm_map *m = b->m;
    const jm_theme *t = b->t;
    size_t ns = m->n_stages, nt = m->n_touchpoints;
    double slot_w = t->card_width + t->gap;
    size_t *in_stage = jm_calloc(ns, sizeof *in_stage);
    if (!in_stage)
        return false;
    for (size_t i = 0; i < nt; i++)
        in_stage[m->touchpoints[i].stage]++;
    for (size_t i = 0; i < nt; i++) {
        size_t s = m->touchpoints[i].stage, j = seen[s]++;
        if (b->overview) {
            double inner = b->stage_w[s] - 2 * t->gap;
            b->tp_x[i] = b->stage_x[s] + t->gap + ((double)j + 0.5) / (double)in_stage[s] * inner;
        } else {
            b->slot_x[i] = b->stage_x[s] + t->gap + extra / 2 + (double)j * slot_w;
            b->tp_x[i] = b->slot_x[i] + t->card_width / 2;
        }
    }
    jm_free(in_stage);
    return true;
}

/* Columns: in detail one slot per touchpoint, in input order within its stage; in the
 * overview a few card columns a stage (layout_overview.c). Sets the stages' x and width and
 * *width, the map's. False when out of memory. */
static bool layout_columns(builder *b, double *width)
{
    const jm_map *m = b->m;
    const jm_theme *t = b->t;
    size_t ns = m->n_stages, nt = m->n_touchpoints;
    double slot_w = t->card_width + t->gap;
    b->grid_left = t->margin + t->lane_label_width;
    double x = b->grid_left;
    size_t *seen = jm_calloc(ns, sizeof *seen);
    if (!seen)
        return false;
    if (b->overview) {
        if (!jm_lo_overview_columns(b)) {
            jm_free(seen);
            return false;
        }
    } else {
        for (size_t i = 0; i < nt; i++)
            b->stage_slots[m->touchpoints[i].stage]++;
    }
    double natural = 0;
    for (size_t s = 0; s < ns; s++)
        natural += (double)(b->stage_slots[s] ? b->stage_slots[s] : 1) * slot_w + t->gap;
    /* The map is as wide as its grid, or as its header when the persona cards need more room;
     * then the stages share the extra width and centre their cards in it. */
    double header_min = 2 * t->margin + 480 + jm_lo_persona_cards_width(m, t->gap);
    *width = fmax(b->grid_left + natural + t->margin, header_min);
    double extra = (*width - t->margin - b->grid_left - natural) / (double)ns;
    for (size_t s = 0; s < ns; s++) {
        size_t slots = b->stage_slots[s] ? b->stage_slots[s] : 1;
        b->stage_x[s] = x;
        b->stage_w[s] = (double)slots * slot_w + t->gap + extra;
        x += b->stage_w[s];
        for (size_t c = 0; b->overview && c < b->stage_slots[s]; c++)
            b->col_x[b->stage_first_slot[s] + c] =
                b->stage_x[s] + t->gap + extra / 2 + (double)c * slot_w;
    }
    bool ok = place_touchpoints(b, seen, extra);
    jm_free(seen);
    b->grid_right = x;
    return ok;
}

/* The stages' tinted bands, open at the bottom until the lanes are laid out. */
static void stage_bands(builder *b)
{
    const jm_theme *t = b->t;
    for (size_t s = 0; s < b->m->n_stages; s++) {
        jm_rgba tint = t->stage_palette[s % JM_THEME_PALETTE];
        tint.a = 0.22;
        b->stage_el[s] =
            jm_lo_shape(b, "stage", JM_SHAPE_RECT, b->stage_x[s], b->grid_top, b->stage_w[s], 0,
                        b->root, b->m->stages[s].src.path, tint, NONE, 0);
        if (b->stage_el[s] >= 0)
            jm_lo_el_at(b, b->stage_el[s])->column = b->stage_el[s];
    }
}

/* Closes the grid under the last lane (the stage bands' height, the lines between stages) and
 * adds the footer line under it, across it, small and muted; sets the map's height. */
static void close_grid(builder *b, const jm_layout_options *opts, double width)
{
    const jm_theme *t = b->t;
    jm_layout *lo = b->lo;
    double grid_bottom = b->y;
    for (size_t s = 0; s < b->m->n_stages; s++) {
        jm_lo_el_at(b, b->stage_el[s])->h = grid_bottom - b->grid_top;
        if (s)
            jm_lo_shape(b, "line", JM_SHAPE_LINE, b->stage_x[s], b->grid_top, 0,
                        grid_bottom - b->grid_top, b->root, NULL, NONE, t->grid, t->stroke_width);
    }
    lo->width = width;
    /* Lint findings (journeymap lint -o): markers on what they are about, listed under the
     * grid. */
    if (opts && opts->findings)
        grid_bottom = jm_lo_lint_findings(b, opts->findings, grid_bottom + t->header_gap, width);
    lo->height = grid_bottom + t->margin;
    const char *footer = opts && opts->footer ? opts->footer : b->m->footer;
    if (footer && *footer) {
        long f = jm_lo_text_el(b, "footer", ROLE_SMALL, footer, t->margin, grid_bottom + t->gap,
                               width - 2 * t->margin, t->text_muted, b->root,
                               opts && opts->footer ? NULL : "/footer", PANGO_ALIGN_LEFT);
        lo->height = grid_bottom + t->gap + jm_lo_text_h(b, f) + t->margin;
    }
    if (b->blank) { /* the paper's size, unless the cells needed more */
        lo->height = fmax(lo->height, b->paper_h);
        jm_lo_blank_check(b);
    }
}

/* A blank canvas (blank.c): the paper it is for, and the theme's type scaled for it. */
static void blank_setup(builder *b, jm_theme *t, const jm_layout_options *opts)
{
    b->paper = opts->paper != JM_PAGE_AUTO ? opts->paper : JM_PAGE_A1;
    if (!jm_page_size(b->paper, &b->paper_w, &b->paper_h)) {
        b->paper = JM_PAGE_A1;
        jm_page_size(b->paper, &b->paper_w, &b->paper_h);
    }
    b->type_scale = jm_lo_blank_theme(t, b->paper_w);
}

jm_layout *jm_layout_new(jm_context *ctx, const jm_map *m, const jm_theme *theme,
                         const jm_layout_options *opts, jm_diags *diags)
{
    jm_layout *lo = jm_calloc(1, sizeof *lo);
    builder bb = {0}, *b = &bb;
    if (!lo || !(lo->theme = jm_theme_copy(theme)))
        goto oom;
    lo->map = m;
    jm_state st = settled_state(m, opts);
    lo->state = st;
    b->blank = opts && opts->blank;
    b->type_scale = 1;
    b->overview = !b->blank && jm_lo_overview_wanted(m, opts ? opts->layout : JM_LAYOUT_AUTO);
    lo->kind = b->overview ? JM_LAYOUT_OVERVIEW : JM_LAYOUT_DETAIL;
    if (b->overview)
        overview_spacing(lo->theme);
    if (b->blank)
        blank_setup(b, lo->theme, opts);
    const jm_theme *t = lo->theme;
    const char *footer = opts && opts->footer ? opts->footer : m->footer;
    b->has_footer = footer && *footer;
    b->lo = lo;
    b->m = m;
    b->diags = diags;
    b->t = t;
    b->pc = jm_context_pango(ctx);
    b->ru = m->lang && strncmp(m->lang, "ru", 2) == 0;
    /* Compare draws the improved state, with "before" beside it where they differ. */
    b->view = st == JM_STATE_COMPARE ? JM_STATE_AFTER : st;
    b->ctx = ctx;
    builder_fonts(b);
    double width;
    if (!builder_arrays(b))
        goto oom;
    if (b->blank)
        width = jm_lo_blank_columns(b);
    else if (!layout_columns(b, &width))
        goto oom;
    b->root =
        jm_lo_shape(b, "map", JM_SHAPE_RECT, 0, 0, width, 0, -1, NULL, t->background, NONE, 0);
    jm_lo_layout_header(b, width);
    b->grid_top = b->y;
    stage_bands(b);
    if (b->blank)
        jm_lo_blank_lanes(b);
    else
        layout_lanes(b);
    if (lo->failed)
        goto oom;
    close_grid(b, opts, width);
    if (lo->failed)
        goto oom;
    jm_lo_el_at(b, b->root)->h = lo->height;
    if (!jm_layout_reading_order(lo))
        goto oom;
    builder_free(b);
    return lo;
oom:
    jm_diag_add(diags, JM_SEVERITY_ERROR, m->file, 0, 0, NULL, "out of memory during layout");
    builder_free(b);
    jm_layout_free(lo);
    return NULL;
}
