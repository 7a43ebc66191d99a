/* The map's header: title, subtitle, legend and persona cards. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"

/* ---- Header: logo, title, subtitle, legend, persona cards ---------------------------------- */

/* The logo's largest frame (points): as tall as a title with its subtitle, not wider than a
 * card and a half. */
#define LOGO_MAX_H 44.0
#define LOGO_MAX_W 220.0

jm_rgba jm_lo_persona_color(builder *b, size_t p)
{
    jm_rgba c;
    if (!b->t->monochrome && b->m->personas && b->m->personas[p].color &&
        jm_rgba_parse(b->m->personas[p].color, &c))
        return c;
    return b->t->persona_palette[p % JM_THEME_PALETTE];
}

/* In a monochrome theme the personas' curves differ by line style too; "dashed" is left to
 * the "before" state. */
jm_dash jm_lo_persona_dash(builder *b, size_t p)
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

/* Some point of the map is drawn from fewer responses than the data's minimum. */
static bool map_has_thin_data(const jm_map *m)
{
    for (size_t i = 0; i < m->n_touchpoints; i++)
        for (size_t s = 0; m->touchpoints[i].stat && s < jm_emotion_slots(m); s++)
            if (m->touchpoints[i].stat[s].n && m->touchpoints[i].stat[s].n < m->data_min_n)
                return true;
    return false;
}

/* Where the next legend entry goes: entries run left to right and wrap at `right`, so that a
 * long legend (many personas) stays beside the persona cards instead of under them. */
typedef struct legend_pos {
    double x, y, left, right;
} legend_pos;

/* One legend entry: a swatch (and persona p's chip, p >= 0) and a label. */
static void legend_entry(builder *b, legend_pos *at, long parent, jm_shape s, jm_rgba fill,
                         jm_rgba stroke, jm_dash dash, const char *label, long p)
{
    const jm_theme *t = b->t;
    double sw = 18, sh = 10, chip = p >= 0 ? jm_lo_persona_chip_room(b, (size_t)p) : 0;
    double w = jm_lo_text_width(b, ROLE_SMALL, label) + 1;
    if (at->x > at->left && at->x + sw + 5 + chip + w > at->right) {
        at->x = at->left;
        at->y += 18;
    }
    double x = at->x, y = at->y;
    w = fmin(w, fmax(at->right - x - sw - 5 - chip, 20));
    long e;
    if (s == JM_SHAPE_LINE)
        e = jm_lo_shape(b, "legend_swatch", s, x, y + 7, sw, 0, parent, NULL, NONE, stroke,
                        t->curve_width);
    else if (s == JM_SHAPE_DIAMOND)
        e = jm_lo_shape(b, "legend_swatch", s, x + sw - sh, y + 2, sh, sh, parent, NULL, fill,
                        stroke, 1);
    else
        e = jm_lo_shape(b, "legend_swatch", s, x, y + 2, sw, sh, parent, NULL, fill, stroke,
                        t->stroke_width * 1.5);
    if (e >= 0) {
        jm_lo_el_at(b, e)->dash = dash;
        jm_lo_el_at(b, e)->radius = s == JM_SHAPE_RECT ? 2 : 0;
    }
    if (p >= 0)
        jm_lo_persona_chip(b, (size_t)p, x + sw + 4, y, parent, NULL);
    jm_lo_text_el(b, "text", ROLE_SMALL, label, x + sw + 5 + chip, y, w, t->text_muted, parent,
                  NULL, PANGO_ALIGN_LEFT);
    at->x = x + sw + 5 + chip + w + 14;
}

/* Which statuses and priorities the map's action plan uses (bit per value). */
static void plan_used(const jm_plan *p, unsigned *statuses, unsigned *priorities)
{
    *statuses |= 1u << p->status;
    *priorities |= 1u << p->priority;
}

static void plans_used(const jm_map *m, unsigned *statuses, unsigned *priorities)
{
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_tp_state *st[3] = {&m->touchpoints[i].base, &m->touchpoints[i].before,
                                    &m->touchpoints[i].after};
        for (int k = 0; k < 3; k++)
            for (size_t j = 0; st[k]->opportunity.plan && j < st[k]->opportunity.n; j++)
                plan_used(&st[k]->opportunity.plan[j], statuses, priorities);
    }
    for (size_t k = 0; k < m->n_items; k++)
        plan_used(&m->items[k].plan, statuses, priorities);
    *statuses &= ~1u; /* NONE */
    *priorities &= ~1u;
}

/* The legend's entries for the statuses and priorities used, in their order. */
static void plan_legend(builder *b, legend_pos *at, long parent, bool *any)
{
    unsigned statuses = 0, priorities = 0;
    plans_used(b->m, &statuses, &priorities);
    for (int k = 0; k < 8; k++) {
        bool is_status = k < 5;
        unsigned v = is_status ? (unsigned)k : (unsigned)(k - 4);
        if (!((is_status ? statuses : priorities) >> v & 1u) || (!is_status && v == 0))
            continue;
        const char *label = is_status ? jm_lo_status_label(b, (jm_status)v)
                                      : jm_lo_priority_label(b, (jm_priority)v);
        jm_rgba c = is_status ? jm_lo_status_color(b, (jm_status)v)
                              : jm_lo_priority_color(b, (jm_priority)v);
        legend_entry(b, at, parent, JM_SHAPE_RECT, jm_lo_mix(b->t->background, c, 0.14), c,
                     JM_DASH_SOLID, label, -1);
        *any = true;
    }
}

/* ---- Persona cards ------------------------------------------------------------------------
 *
 * A card is the persona's identity on the left (photo or icon, name, quote wrapped to that
 * column) and the facts beside it in labelled groups: who they are (description,
 * demographics), what they value (psychographics), goals, needs, frustrations. Several cards
 * read as one table: the same groups, in the same columns, each group as tall in every card
 * as in the tallest (a group a persona lacks shows a dash), and every card as tall as the
 * tallest, so that a field sits at the same height across the row. A group no persona has is
 * left out; the facts take as many columns (up to three, two beside more than two cards) as
 * leave the least empty space, split where the columns come out most even. */

enum { PG_WHO, PG_VALUES, PG_GOALS, PG_NEEDS, PG_FRUSTRATIONS, PG__COUNT };

#define PERSONA_COL_W 185.0 /* a column of the card */
#define PERSONA_LINE 11.0   /* a line of the card's small text, for estimates */
#define PERSONA_ASPECT 0.6  /* a card's height at most this much of its width */
#define PERSONA_PAD 12.0    /* nominal padding, for widths computed before the theme's */
#define PERSONA_AVATAR 36.0 /* the persona icon; a photo is larger */
#define PERSONA_PHOTO 56.0

static bool persona_group_has(const jm_persona *p, int g)
{
    switch (g) {
    case PG_WHO: return p->description || p->n_demographics;
    case PG_VALUES: return p->n_psychographics;
    case PG_GOALS: return p->goals.n;
    case PG_NEEDS: return p->needs.n;
    default: return p->frustrations.n;
    }
}

static const char *persona_group_label(builder *b, int g)
{
    static const char *const en[PG__COUNT] = {"Who they are", "What they value", "Goals", "Needs",
                                              "Frustrations"};
    static const char *const ru[PG__COUNT] = {"Кто это", "Что ценит", "Цели", "Потребности",
                                              "Раздражители"};
    return b->ru ? ru[g] : en[g];
}

/* A persona with nothing but a name (a Mermaid actor) is shown in the legend, not as a card. */
static bool persona_has_card(const jm_persona *p)
{
    return p->quote || p->description || p->photo || p->n_demographics || p->n_psychographics ||
           p->goals.n || p->needs.n || p->frustrations.n;
}

/* Rough height in lines of a text of n bytes in a column (for the column count, which the
 * map's width needs before anything is measured). */
static double est_lines(const char *text) { return text ? ceil((double)strlen(text) / 34.0) : 0; }

static double est_group(const jm_persona *p, int g)
{
    const jm_strlist *l = g == PG_GOALS ? &p->goals : g == PG_NEEDS ? &p->needs : &p->frustrations;
    double n = 1.7; /* the label and the gap after the group */
    if (!persona_group_has(p, g))
        return n + 1;
    if (g == PG_WHO)
        return n + est_lines(p->description) + (double)p->n_demographics;
    if (g == PG_VALUES)
        return n + (double)p->n_psychographics;
    for (size_t i = 0; i < l->n; i++)
        n += est_lines(l->v[i]);
    return n;
}

/* Splits the identity block (height id_h) and then the shown groups (heights h), in that
 * order, into `cols` contiguous columns, where the tallest column is least; col_of gets each
 * group's column (the identity block is always in column 0). Returns the tallest's height. */
static double split_groups(double id_h, const bool shown[PG__COUNT], const double h[PG__COUNT],
                           int cols, double gap, int col_of[PG__COUNT])
{
    double hs[1 + PG__COUNT];
    int idx[1 + PG__COUNT], n = 0;
    hs[n] = id_h;
    idx[n++] = -1;
    for (int g = 0; g < PG__COUNT; g++) {
        col_of[g] = 0;
        if (shown[g]) {
            hs[n] = h[g];
            idx[n++] = g;
        }
    }
    /* Every way to cut the n items into cols runs: a bit per boundary, at most 2^5 ways. */
    double best = INFINITY;
    unsigned best_mask = 0;
    for (unsigned mask = 0; mask < 1u << (n - 1); mask++) {
        if (__builtin_popcount(mask) != cols - 1)
            continue;
        double tallest = 0, col = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && (mask >> (i - 1) & 1)) {
                tallest = fmax(tallest, col);
                col = 0;
            }
            col += hs[i] + (col > 0 ? gap : 0);
        }
        tallest = fmax(tallest, col);
        if (tallest < best - 1e-9) {
            best = tallest;
            best_mask = mask;
        }
    }
    if (!isfinite(best))
        return id_h;
    int c = 0;
    for (int i = 1; i < n; i++) {
        if (best_mask >> (i - 1) & 1)
            c++;
        col_of[idx[i]] = c;
    }
    return best;
}

/* Which groups any card shows, and how many columns the cards have (the identity block and
 * then the groups flow through them): of the counts (up to four beside one or two cards, up
 * to three beside more) that keep a card no taller than PERSONA_ASPECT of its width, the one
 * with the smallest card, i.e. the least empty space at the columns' feet; estimated in lines,
 * as the map's width needs it before anything is measured. */
static int persona_groups(const jm_map *m, bool shown[PG__COUNT], double *id_est)
{
    size_t cards = 0;
    int n = 0;
    double h[PG__COUNT] = {0}, id_h = 0;
    for (int g = 0; g < PG__COUNT; g++)
        shown[g] = false;
    for (size_t p = 0; p < m->n_personas; p++) {
        const jm_persona *ps = &m->personas[p];
        if (!persona_has_card(ps))
            continue;
        cards++;
        id_h = fmax(id_h, (ps->photo ? PERSONA_PHOTO : PERSONA_AVATAR) / 11.0 + 1.5 +
                              est_lines(ps->name) + est_lines(ps->quote) * 1.2);
        for (int g = 0; g < PG__COUNT; g++) {
            shown[g] = shown[g] || persona_group_has(ps, g);
            h[g] = fmax(h[g], est_group(ps, g));
        }
    }
    if (id_est)
        *id_est = id_h;
    for (int g = 0; g < PG__COUNT; g++)
        n += shown[g];
    int most = 1 + (n < (cards > 2 ? 2 : 3) ? n : (cards > 2 ? 2 : 3)), best = most;
    double best_area = INFINITY;
    for (int c = 1; c <= most; c++) {
        int col_of[PG__COUNT];
        double tall = split_groups(id_h, shown, h, c, 0, col_of) * PERSONA_LINE;
        double wide = c * PERSONA_COL_W + (c + 1) * PERSONA_PAD;
        if (tall <= PERSONA_ASPECT * wide && wide * tall < best_area - 1e-9) {
            best_area = wide * tall;
            best = c;
        }
    }
    return best;
}

static double persona_card_width(const jm_map *m)
{
    bool shown[PG__COUNT];
    int cols = persona_groups(m, shown, NULL);
    return cols * PERSONA_COL_W + (cols + 1) * PERSONA_PAD;
}

/* What one card's first pass measured: element ranges to move and heights to align. */
typedef struct persona_parts {
    long card, panel;          /* the card and its identity column's panel */
    size_t head_from, head_to; /* avatar and name */
    size_t quote_from, quote_to;
    size_t from[PG__COUNT], to[PG__COUNT];
    double head_h, quote_h, group_h[PG__COUNT];
} persona_parts;

static void move_els(builder *b, size_t from, size_t to, double dx, double dy)
{
    for (size_t i = from; i < to && !b->lo->failed; i++) {
        jm_element *e = jm_lo_el_at(b, (long)i);
        e->x += dx;
        e->y += dy;
    }
}

/* Key/value rows (demographics, psychographics) at (0, y), w wide, the values at kw; returns
 * the new y. */
static double persona_rows(builder *b, long card, const jm_kv *rows, size_t n, double y, double w,
                           double kw)
{
    const jm_theme *t = b->t;
    for (size_t r = 0; r < n; r++) {
        long k = jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, rows[r].key, 0, y, kw - 4, t->text_muted,
                               card, NULL, PANGO_ALIGN_LEFT);
        long v = jm_lo_text_el(b, "text", ROLE_SMALL, rows[r].value, kw, y, w - kw, t->text, card,
                               NULL, PANGO_ALIGN_LEFT);
        y += fmax(jm_lo_text_h(b, k), jm_lo_text_h(b, v)) + 2;
    }
    return y;
}

/* First pass: the card's elements, each group laid out from y = 0 at x = 0 (moved into place
 * by the second pass). */
static void persona_card_parts(builder *b, size_t p, long card, double id_w, double fw, double kw,
                               const bool shown[PG__COUNT], persona_parts *pp)
{
    const jm_theme *t = b->t;
    const jm_persona *ps = &b->m->personas[p];
    pp->card = card;
    /* Identity: avatar, the name beside it. */
    pp->head_from = b->lo->n;
    double av = ps->photo ? PERSONA_PHOTO : PERSONA_AVATAR;
    long ic;
    if (ps->photo) {
        char *ref = jm_asprintf("%s/photo", ps->src.path ? ps->src.path : "");
        ic = jm_lo_shape(b, "photo", JM_SHAPE_IMAGE, 0, 0, av, av, card, ref, NONE,
                         jm_lo_persona_color(b, p), 1.5);
        jm_free(ref);
        if (ic >= 0) {
            jm_lo_el_at(b, ic)->radius = av / 2;
            jm_lo_el_at(b, ic)->image = ps->photo;
        }
    } else {
        ic = jm_lo_shape(b, "icon", JM_SHAPE_ICON, 0, 0, av, av, card, NULL, NONE, NONE, 0);
        if (ic >= 0) {
            jm_lo_el_at(b, ic)->icon = "persona";
            jm_lo_el_at(b, ic)->color = jm_lo_persona_color(b, p);
        }
    }
    long nm = jm_lo_text_el(b, "text", ROLE_CARD_TITLE, ps->name, 0, av + 6, id_w, t->text, card,
                            NULL, PANGO_ALIGN_LEFT);
    pp->head_to = b->lo->n;
    pp->head_h = av + 6 + jm_lo_text_h(b, nm);
    /* The quote, wrapped to the identity column. */
    pp->quote_from = b->lo->n;
    pp->quote_h = 0;
    if (ps->quote) {
        char *q = jm_lo_quoted(b, ps->quote);
        if (q) {
            pp->quote_h =
                jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_BODY_ITALIC, q, 0, 0, id_w,
                                              t->text_muted, card, NULL, PANGO_ALIGN_LEFT));
            jm_free(q);
        }
    }
    pp->quote_to = b->lo->n;
    /* The facts, one group after another. */
    const jm_strlist *lists[PG__COUNT] = {NULL, NULL, &ps->goals, &ps->needs, &ps->frustrations};
    for (int g = 0; g < PG__COUNT; g++) {
        pp->from[g] = pp->to[g] = b->lo->n;
        pp->group_h[g] = 0;
        if (!shown[g])
            continue;
        double y =
            jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, persona_group_label(b, g), 0,
                                          0, fw, t->text_muted, card, NULL, PANGO_ALIGN_LEFT)) +
            2;
        if (!persona_group_has(ps, g)) {
            /* Not given for this persona: a dash, so that the row reads as empty, not lost. */
            y += jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_SMALL, "\u2014", 0, y, fw,
                                               t->text_muted, card, NULL, PANGO_ALIGN_LEFT));
        } else if (g == PG_WHO) {
            if (ps->description)
                y += jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_SMALL, ps->description, 0, y, fw,
                                                   t->text, card, NULL, PANGO_ALIGN_LEFT)) +
                     2;
            y = persona_rows(b, card, ps->demographics, ps->n_demographics, y, fw, kw);
        } else if (g == PG_VALUES) {
            y = persona_rows(b, card, ps->psychographics, ps->n_psychographics, y, fw, kw);
        } else {
            for (size_t i = 0; i < lists[g]->n; i++) {
                char *line = jm_asprintf("\u2022 %s", lists[g]->v[i]);
                if (!line) {
                    b->lo->failed = true;
                    continue;
                }
                y += jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_SMALL, line, 0, y, fw, t->text,
                                                   card, NULL, PANGO_ALIGN_LEFT)) +
                     1;
                jm_free(line);
            }
        }
        pp->group_h[g] = y;
        pp->to[g] = b->lo->n;
    }
}

/* Lays out the persona cards side by side from (x, y); returns their height. */
static double persona_cards(builder *b, double x, double y)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    bool shown[PG__COUNT];
    int cols = persona_groups(m, shown, NULL);
    double w = persona_card_width(m), pad = t->padding + 4, gap = t->padding * 0.75;
    double fw = (w - (cols + 1) * pad) / cols, id_w = fw;
    size_t n = 0;
    for (size_t p = 0; p < m->n_personas; p++)
        n += persona_has_card(&m->personas[p]);
    if (!n)
        return 0;
    persona_parts *parts = jm_calloc(n, sizeof *parts);
    if (!parts) {
        b->lo->failed = true;
        return 0;
    }
    /* Values start after the widest label of any card (the same x in every card), at most
     * half the column. */
    double kw = 0;
    for (size_t p = 0; p < m->n_personas; p++) {
        const jm_persona *ps = &m->personas[p];
        for (size_t r = 0; r < ps->n_demographics; r++)
            kw = fmax(kw, jm_lo_text_width(b, ROLE_SMALL_BOLD, ps->demographics[r].key));
        for (size_t r = 0; r < ps->n_psychographics; r++)
            kw = fmax(kw, jm_lo_text_width(b, ROLE_SMALL_BOLD, ps->psychographics[r].key));
    }
    kw = fmin(kw + 10, fw * 0.5);
    /* First pass: every card's elements and heights. */
    size_t k = 0;
    double cx = x;
    for (size_t p = 0; p < m->n_personas && !b->lo->failed; p++) {
        const jm_persona *ps = &m->personas[p];
        if (!persona_has_card(ps))
            continue;
        long card = jm_lo_shape(b, "persona", JM_SHAPE_RECT, cx, y, w, 0, b->root, ps->src.path,
                                t->card_fill, jm_lo_persona_color(b, p), t->stroke_width * 1.5);
        if (card < 0)
            break;
        jm_lo_el_at(b, card)->radius = t->radius;
        /* The identity column sits on a panel of the persona's tint as tall as the card, so
         * that the column reads as the card's side bar, not as a short column over a gap (the
         * facts beside it are usually taller). Sized in the second pass. */
        long panel = jm_lo_shape(b, "persona_panel", JM_SHAPE_RECT, cx, y, 0, 0, card, NULL,
                                 jm_lo_mix(t->card_fill, jm_lo_persona_color(b, p), 0.08), NONE, 0);
        if (panel >= 0)
            jm_lo_el_at(b, panel)->radius = fmax(t->radius - 2, 2);
        parts[k].panel = panel;
        persona_card_parts(b, p, card, id_w, fw, kw, shown, &parts[k++]);
        cx += w + t->gap;
    }
    /* Row heights: the tallest card's, field by field. */
    double head_h = 0, quote_h = 0, group_h[PG__COUNT] = {0};
    for (size_t i = 0; i < k; i++) {
        head_h = fmax(head_h, parts[i].head_h);
        quote_h = fmax(quote_h, parts[i].quote_h);
        for (int g = 0; g < PG__COUNT; g++)
            group_h[g] = fmax(group_h[g], parts[i].group_h[g]);
    }
    /* The identity, then the shown groups in order, over the columns where they come out
     * most even. */
    double quote_gap = quote_h > 0 ? 6 : 0, id_h = head_h + quote_gap + quote_h;
    int col_of[PG__COUNT];
    split_groups(id_h, shown, group_h, cols, gap, col_of);
    double inner = id_h, col_y[4] = {id_h, 0, 0, 0}, gy[PG__COUNT] = {0};
    for (int g = 0; g < PG__COUNT; g++) {
        if (!shown[g])
            continue;
        int c = col_of[g];
        if (col_y[c] > 0)
            col_y[c] += gap;
        gy[g] = col_y[c];
        col_y[c] += group_h[g];
    }
    for (int c = 0; c < 4; c++)
        inner = fmax(inner, col_y[c]);
    /* The identity alone on its panel: centred on it, the same in every card (their rows
     * align). */
    double id_top = col_y[0] <= id_h + 1e-9 ? (inner - id_h) / 2 : 0;
    /* Second pass: everything into place. */
    for (size_t i = 0; i < k && !b->lo->failed; i++) {
        const jm_element *ce = jm_lo_el_at(b, parts[i].card);
        double left = ce->x + pad, top = ce->y + pad;
        move_els(b, parts[i].head_from, parts[i].head_to, left,
                 top + id_top + (head_h - parts[i].head_h));
        move_els(b, parts[i].quote_from, parts[i].quote_to, left,
                 top + id_top + head_h + quote_gap);
        for (int g = 0; g < PG__COUNT; g++)
            move_els(b, parts[i].from[g], parts[i].to[g], left + col_of[g] * (fw + pad),
                     top + gy[g]);
        jm_lo_el_at(b, parts[i].card)->h = inner + 2 * pad;
        if (parts[i].panel >= 0) { /* inset by half the padding; to the middle of the gutter */
            jm_element *pe = jm_lo_el_at(b, parts[i].panel);
            pe->x = ce->x + pad / 2;
            pe->y = ce->y + pad / 2;
            pe->w = fw + pad;
            pe->h = inner + pad;
        }
    }
    jm_free(parts);
    return inner + 2 * pad;
}

/* Total width of the persona cards, gaps included. */
double jm_lo_persona_cards_width(const jm_map *m, double gap)
{
    double w = 0;
    for (size_t p = 0; p < m->n_personas; p++)
        if (persona_has_card(&m->personas[p]))
            w += persona_card_width(m) + gap;
    return w;
}

/* Joined data: where each file's points come from, and what a greyed point means. */
static void data_legend(builder *b, legend_pos *at, long legend, bool *any)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    for (size_t i = 0; i < m->n_data_sources; i++) {
        const struct jm_data_source *ds = &m->data_sources[i];
        char label[512];
        snprintf(label, sizeof label, "%s: %s, %zu %s%s%s", L(b, "data", "данные"), ds->name,
                 ds->responses,
                 ds->responses == 1 ? L(b, "response", "ответ") : L(b, "responses", "ответов"),
                 ds->date ? ", " : "", ds->date ? ds->date : "");
        legend_entry(b, at, legend, JM_SHAPE_RECT, jm_lo_mix(t->curve, t->background, 0.7), NONE,
                     JM_DASH_SOLID, label, -1);
        *any = true;
    }
    if (map_has_thin_data(m)) {
        char label[128];
        snprintf(label, sizeof label, L(b, "under %zu responses", "меньше %zu ответов"),
                 m->data_min_n);
        legend_entry(b, at, legend, JM_SHAPE_RECT, jm_lo_mix(t->background, t->text_muted, 0.3),
                     t->text_muted, JM_DASH_SOLID, label, -1);
        *any = true;
    }
}

/* A change map's kinds of change, those it has, in a fixed order. */
static void change_legend(builder *b, legend_pos *at, long legend, bool *any)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    if (m->change_map) {
        static const unsigned kinds[] = {JM_MARK_ADDED, JM_MARK_REMOVED, JM_MARK_MOVED,
                                         JM_MARK_CHANGED};
        unsigned seen = 0;
        for (size_t i = 0; i < m->n_touchpoints; i++)
            seen |= m->touchpoints[i].change;
        for (size_t s = 0; s < m->n_stages; s++)
            seen |= m->stages[s].change;
        for (size_t k = 0; k < 4; k++)
            if (seen & kinds[k]) {
                jm_rgba c = jm_lo_mark_color(b, kinds[k]);
                legend_entry(b, at, legend, JM_SHAPE_RECT, t->card_fill, c, JM_DASH_SOLID,
                             jm_lo_mark_label(b, kinds[k]), -1);
                *any = true;
            }
    }
}

/* The legend under the title block at y: only what appears on this map. Returns the y under
 * it (y itself when there is nothing to explain). */
static double header_legend(builder *b, double left, double y, double title_w)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    double ly = y + 4;
    legend_pos at = {left, ly, left, left + title_w};
    long legend = jm_lo_el_push(b, "legend", left, ly, title_w, 16, b->root, NULL);
    bool any = false;
    if (b->lo->state == JM_STATE_COMPARE) {
        legend_entry(b, &at, legend, JM_SHAPE_LINE, NONE, t->curve_before, JM_DASH_DASHED,
                     jm_lo_state_label(b, 0), -1);
        legend_entry(b, &at, legend, JM_SHAPE_LINE, NONE, t->curve, JM_DASH_SOLID,
                     jm_lo_state_label(b, 1), -1);
        any = true;
    } else if (m->has_states) {
        legend_entry(b, &at, legend, JM_SHAPE_LINE, NONE, t->curve, JM_DASH_SOLID,
                     jm_lo_state_label(b, b->lo->state == JM_STATE_BEFORE ? 0 : 1), -1);
        any = true;
    }
    if (m->n_personas > 1)
        for (size_t p = 0; p < m->n_personas; p++) {
            legend_entry(b, &at, legend, JM_SHAPE_LINE, NONE, jm_lo_persona_color(b, p),
                         jm_lo_persona_dash(b, p), m->personas[p].name, (long)p);
            any = true;
        }
    if (map_has(b, tp_is_mot)) {
        legend_entry(b, &at, legend, JM_SHAPE_DIAMOND, t->moment_of_truth, t->card_fill,
                     JM_DASH_SOLID, L(b, "Moment of truth", "Момент истины"), -1);
        any = true;
    }
    if (map_has(b, tp_is_indirect)) {
        legend_entry(b, &at, legend, JM_SHAPE_RECT, t->card_fill, t->line_of_interaction,
                     JM_DASH_DASHED, L(b, "Indirect contact", "Косвенный контакт"), -1);
        any = true;
    }
    data_legend(b, &at, legend, &any);
    change_legend(b, &at, legend, &any);
    plan_legend(b, &at, legend, &any);
    if (legend >= 0 && !b->lo->failed) {
        jm_element *le = jm_lo_el_at(b, legend);
        le->h = any ? at.y + 16 - ly : 0;
    }
    return any ? at.y + 18 : y;
}

void jm_lo_layout_header(builder *b, double width)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    /* A blank canvas is for the journey's steps; the personas have their own posters. */
    double persona_total = b->blank ? 0 : jm_lo_persona_cards_width(m, t->gap);
    /* The brand's logo at the top left, the title block beside it. */
    double left = t->margin, logo_h = 0;
    if (m->logo && m->logo_w > 0 && m->logo_h > 0) {
        double max_h = LOGO_MAX_H * b->type_scale, max_w = LOGO_MAX_W * b->type_scale;
        double lw = max_h * m->logo_w / m->logo_h;
        logo_h = max_h;
        if (lw > max_w) /* a wide logo: as wide as allowed, less tall */
            lw = max_w, logo_h = max_w * m->logo_h / m->logo_w;
        long lg = jm_lo_shape(b, "logo", JM_SHAPE_IMAGE, t->margin, t->margin, lw, logo_h, b->root,
                              "/logo", NONE, NONE, 0);
        if (lg >= 0) {
            jm_element *e = jm_lo_el_at(b, lg);
            e->image = m->logo;
            /* named for screen readers, as a storyboard picture by its image_alt */
            if (m->logo_alt && *m->logo_alt && !(e->alt = jm_strdup(m->logo_alt)))
                b->lo->failed = true;
        }
        left += lw + 14 * b->type_scale;
    }
    double title_w = fmax(width - t->margin - left - persona_total - t->gap, 260);
    double y = t->margin;
    long title = jm_lo_text_el(b, "title", ROLE_TITLE, m->title, left, y, title_w, t->text, b->root,
                               "/title", PANGO_ALIGN_LEFT);
    y += jm_lo_text_h(b, title) + 4;
    if (m->subtitle)
        y += jm_lo_text_h(b,
                          jm_lo_text_el(b, "subtitle", ROLE_SUBTITLE, m->subtitle, left, y, title_w,
                                        t->text_muted, b->root, "/subtitle", PANGO_ALIGN_LEFT)) +
             6;
    /* A blank canvas explains nothing: there is nothing on it yet. */
    if (!b->blank)
        y = header_legend(b, left, y, title_w);
    y = fmax(y, t->margin + logo_h);
    double ph =
        b->blank ? 0 : persona_cards(b, width - t->margin - persona_total + t->gap, t->margin);
    b->y = fmax(y, t->margin + ph) + t->header_gap;
}
