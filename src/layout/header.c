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
    double sw = 18, sh = 10, chip = p >= 0 ? 16 : 0;
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
        jm_lo_persona_chip(b, (size_t)p, x + sw + 4, y, parent);
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
    long card = jm_lo_shape(b, "persona", JM_SHAPE_RECT, x, y, w, 0, parent, ps->src.path,
                            t->card_fill, jm_lo_persona_color(b, p), t->stroke_width * 1.5);
    if (card < 0)
        return 0;
    jm_lo_el_at(b, card)->radius = t->radius;
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
        ic = jm_lo_shape(b, "photo", JM_SHAPE_IMAGE, x + pad, cy, ps_size, ps_size, card, ref, NONE,
                         jm_lo_persona_color(b, p), 1.5);
        jm_free(ref);
        if (ic >= 0) {
            jm_lo_el_at(b, ic)->radius = ps_size / 2;
            jm_lo_el_at(b, ic)->image = ps->photo;
        }
    } else {
        ic = jm_lo_shape(b, "icon", JM_SHAPE_ICON, x + pad, cy, ps_size, ps_size, card, NULL, NONE,
                         NONE, 0);
        if (ic >= 0) {
            jm_lo_el_at(b, ic)->icon = "persona";
            jm_lo_el_at(b, ic)->color = jm_lo_persona_color(b, p);
        }
    }
    long nm = jm_lo_text_el(b, "text", ROLE_CARD_TITLE, ps->name, x + pad + ps_size + 6, cy + 4,
                            lw - ps_size - 6, t->text, card, NULL, PANGO_ALIGN_LEFT);
    cy += fmax(ps_size, 4 + jm_lo_text_h(b, nm)) + 4;
    if (ps->quote) {
        char *q = jm_lo_quoted(b, ps->quote);
        if (q) {
            cy += jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_BODY_ITALIC, q, x + pad, cy, lw,
                                                t->text_muted, card, NULL, PANGO_ALIGN_LEFT)) +
                  4;
            jm_free(q);
        }
    }
    if (ps->description)
        cy += jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_SMALL, ps->description, x + pad, cy, lw,
                                            t->text, card, NULL, PANGO_ALIGN_LEFT)) +
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
        cy += jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, heads[g], lx, cy, lw,
                                            t->text_muted, card, NULL, PANGO_ALIGN_LEFT)) +
              1;
        for (size_t i = 0; i < lists[g]->n; i++) {
            char *line = jm_asprintf("\u2022 %s", lists[g]->v[i]);
            if (!line)
                continue;
            cy += jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_SMALL, line, lx, cy, lw, t->text,
                                                card, NULL, PANGO_ALIGN_LEFT)) +
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
            long k = jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, rows[g][r].key, rx, ry, kw - 4,
                                   t->text_muted, card, NULL, PANGO_ALIGN_LEFT);
            long v = jm_lo_text_el(b, "text", ROLE_SMALL, rows[g][r].value, rx + kw, ry, rw - kw,
                                   t->text, card, NULL, PANGO_ALIGN_LEFT);
            ry += fmax(jm_lo_text_h(b, k), jm_lo_text_h(b, v)) + 2;
        }
        if (nrows[g])
            ry += 4;
    }
    double h = fmax(cy, ry) - y + pad - 3;
    if (!b->lo->failed)
        jm_lo_el_at(b, card)->h = h;
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
double jm_lo_persona_cards_width(const jm_map *m, double gap)
{
    double w = 0;
    for (size_t p = 0; p < m->n_personas; p++)
        if (persona_has_card(&m->personas[p]))
            w += persona_card_width(&m->personas[p], persona_cards_wide(m)) + gap;
    return w;
}

void jm_lo_layout_header(builder *b, double width)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    double persona_total = jm_lo_persona_cards_width(m, t->gap);
    /* The brand's logo at the top left, the title block beside it. */
    double left = t->margin, logo_h = 0;
    if (m->logo && m->logo_w > 0 && m->logo_h > 0) {
        double lw = LOGO_MAX_H * m->logo_w / m->logo_h;
        logo_h = LOGO_MAX_H;
        if (lw > LOGO_MAX_W) /* a wide logo: as wide as allowed, less tall */
            lw = LOGO_MAX_W, logo_h = LOGO_MAX_W * m->logo_h / m->logo_w;
        long lg = jm_lo_shape(b, "logo", JM_SHAPE_IMAGE, t->margin, t->margin, lw, logo_h, b->root,
                              "/logo", NONE, NONE, 0);
        if (lg >= 0)
            jm_lo_el_at(b, lg)->image = m->logo;
        left += lw + 14;
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
    /* Legend: only what appears on this map. */
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
    /* Joined data: where each file's points come from, and what a greyed point means. */
    for (size_t i = 0; i < m->n_data_sources; i++) {
        const struct jm_data_source *ds = &m->data_sources[i];
        char label[512];
        snprintf(label, sizeof label, "%s: %s, %zu %s%s%s", L(b, "data", "данные"), ds->name,
                 ds->responses,
                 ds->responses == 1 ? L(b, "response", "ответ") : L(b, "responses", "ответов"),
                 ds->date ? ", " : "", ds->date ? ds->date : "");
        legend_entry(b, &at, legend, JM_SHAPE_RECT, jm_lo_mix(t->curve, t->background, 0.7), NONE,
                     JM_DASH_SOLID, label, -1);
        any = true;
    }
    if (map_has_thin_data(m)) {
        char label[128];
        snprintf(label, sizeof label, L(b, "under %zu responses", "меньше %zu ответов"),
                 m->data_min_n);
        legend_entry(b, &at, legend, JM_SHAPE_RECT, jm_lo_mix(t->background, t->text_muted, 0.3),
                     t->text_muted, JM_DASH_SOLID, label, -1);
        any = true;
    }
    if (m->change_map) {
        /* the kinds of change this map has, in a fixed order */
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
                legend_entry(b, &at, legend, JM_SHAPE_RECT, t->card_fill, c, JM_DASH_SOLID,
                             jm_lo_mark_label(b, kinds[k]), -1);
                any = true;
            }
    }
    plan_legend(b, &at, legend, &any);
    if (legend >= 0 && !b->lo->failed) {
        jm_element *le = jm_lo_el_at(b, legend);
        le->h = any ? at.y + 16 - ly : 0;
    }
    y = fmax(any ? at.y + 18 : y, t->margin + logo_h);
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
