/* Touchpoint cards: one swimlane per channel, grouped by channel kind. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "builder.h"
#include "model/channels.h"

/* ---- Touchpoint cards: one swimlane per channel, grouped by kind -------------------------- */

/* Persona p's chip: its initial, white on its colour, CHIP points high. When another persona's
 * name starts with the same letter ("Anna", "Alex") the chip carries two letters: the initials
 * of the name's first two words ("Anna Smith": "AS") or else its first two letters ("An"), and
 * its rank among them when even those collide ("A2"). In a monochrome theme, where greys alone do
 * not tell personas apart, each persona also has its own chip style: filled circle, ring, filled
 * square, open square, in turn. The legend shows the same chip beside the persona's line. */
#define CHIP 13.0

/* The UTF-8 character at s (its bytes into out, NUL-terminated); returns its length, 0 at the
 * end. */
static size_t utf8_char(const char *s, char out[8])
{
    unsigned char c = (unsigned char)s[0];
    size_t len = !c ? 0 : c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    size_t k = 0;
    for (; k < len && s[k]; k++)
        out[k] = s[k];
    out[k] = '\0';
    return k;
}

/* Persona p's label at a level: 0 its initial, 1 the initials of its first two words or its
 * first two letters, 2 its initial and its rank among the personas with that initial. */
static void chip_label_at(const jm_map *m, size_t p, int level, char out[24])
{
    const char *name = m->personas[p].name && *m->personas[p].name ? m->personas[p].name : "?";
    char first[8], second[8] = "";
    size_t n = utf8_char(name, first);
    if (level == 1) {
        const char *sp = strchr(name, ' ');
        while (sp && *sp == ' ')
            sp++;
        if (!(sp && utf8_char(sp, second)))
            utf8_char(name + n, second);
    } else if (level == 2) {
        size_t rank = 1;
        for (size_t q = 0; q < p; q++) {
            char other[24];
            chip_label_at(m, q, 0, other);
            rank += strcmp(other, first) == 0;
        }
        snprintf(second, sizeof second, "%zu", rank % 1000);
    }
    snprintf(out, 24, "%s%s", first, second);
}

/* The shortest level at which p's label differs from every persona's that shares its initial. */
static void chip_label(const jm_map *m, size_t p, char out[24])
{
    char mine0[24];
    chip_label_at(m, p, 0, mine0);
    for (int level = 0; level < 2; level++) {
        chip_label_at(m, p, level, out);
        bool clash = false;
        for (size_t q = 0; q < m->n_personas && !clash; q++) {
            char theirs0[24], theirs[24];
            if (q == p)
                continue;
            chip_label_at(m, q, 0, theirs0);
            if (strcmp(theirs0, mine0) != 0)
                continue;
            chip_label_at(m, q, level, theirs);
            clash = strcasecmp(theirs, out) == 0;
        }
        if (!clash)
            return;
    }
    chip_label_at(m, p, 2, out);
}

/* The chip's width for persona p (its height is CHIP unless a tall script grows it). */
static double chip_width(builder *b, const char *label)
{
    double tw = jm_lo_text_width(b, ROLE_SMALL_BOLD, label) + 1;
    return tw + 4 > CHIP ? ceil(tw + 5) : CHIP;
}

double jm_lo_persona_chip(builder *b, size_t p, double x, double y, long parent, double *height)
{
    char label[24];
    if (height)
        *height = CHIP;
    chip_label(b->m, p, label);
    double cw = chip_width(b, label);
    /* Monochrome: filled circle, ring, filled square, open square (persona 0, 1, 2, 3 …). */
    int style = b->t->monochrome && b->m->n_personas > 1 ? (int)(p % 4) : 0;
    bool open = style % 2 == 1, square = style >= 2;
    jm_rgba col = jm_lo_persona_color(b, p);
    jm_shape shape = cw > CHIP || square ? JM_SHAPE_RECT : JM_SHAPE_CIRCLE;
    long chip =
        jm_lo_shape(b, "persona_chip", shape, x, y, cw, CHIP, parent, b->m->personas[p].src.path,
                    open ? b->t->background : col, open ? col : NONE, open ? 1.25 : 0);
    if (chip < 0)
        return 0;
    jm_lo_el_at(b, chip)->radius = square ? 2 : CHIP / 2;
    double tw = fmin(jm_lo_text_width(b, ROLE_SMALL_BOLD, label) + 1, cw);
    long te = jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, label, x + (cw - tw) / 2, y, tw,
                            open ? col : b->t->background, chip, NULL, PANGO_ALIGN_CENTER);
    if (te >= 0 && !b->lo->failed) {
        jm_element *e = jm_lo_el_at(b, te);
        e->y = y + (CHIP - e->h) / 2;
        if (e->h > CHIP) { /* a tall script: the chip grows with it */
            jm_element *c = jm_lo_el_at(b, chip);
            c->h = e->h;
            c->w = fmax(c->w, e->h);
            c->radius = square ? 2 : e->h / 2;
            e->y = y;
            e->x = x + (c->w - tw) / 2;
            if (height)
                *height = c->h;
            return c->w + 3;
        }
    }
    return cw + 3;
}

/* The width persona p's chip takes in a row, gap included. */
double jm_lo_persona_chip_room(builder *b, size_t p)
{
    char label[24];
    chip_label(b->m, p, label);
    return chip_width(b, label) + 3;
}

/* Whether persona p took part in touchpoint tp: it has an emotion there in a drawn state
 * (docs/model.md: emotions are per persona). */
static bool took_part(builder *b, const jm_touchpoint *tp, size_t p)
{
    if (tp->actors && !tp->actors[p])
        return false;
    jm_state states[2] = {b->view, JM_STATE_BEFORE};
    for (int k = 0; k < (b->lo->state == JM_STATE_COMPARE ? 2 : 1); k++) {
        jm_tp_view v;
        jm_tp_view_get(b->m, tp, states[k], &v);
        if (v.has_emotion && v.emotion && v.emotion[p] != JM_EMOTION_NONE)
            return true;
    }
    return false;
}

/* The chips of the personas that took part, in a row from (x, y) within w; when they do not
 * all fit, the last place says how many more. Returns the row's height (0: no chips). */
static double persona_chips(builder *b, const jm_touchpoint *tp, double x, double y, double w,
                            long parent)
{
    const jm_map *m = b->m;
    if (m->n_personas < 2)
        return 0;
    size_t n = 0, shown = 0;
    double all = 0;
    for (size_t p = 0; p < m->n_personas; p++)
        if (took_part(b, tp, p)) {
            n++;
            all += jm_lo_persona_chip_room(b, p);
        }
    if (!n)
        return 0;
    /* All of them when they fit; else as many as leave a chip's room for "+N". */
    bool every = all <= w + 3;
    double cx = x, h = CHIP;
    for (size_t p = 0; p < m->n_personas && shown < n; p++) {
        if (!took_part(b, tp, p))
            continue;
        if (!every && cx + jm_lo_persona_chip_room(b, p) + CHIP + 3 > x + w + 3) {
            char *more = jm_asprintf("+%zu", n - shown);
            if (more) {
                long te =
                    jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, more, cx, y, fmax(x + w - cx, 1),
                                  b->t->text_muted, parent, NULL, PANGO_ALIGN_LEFT);
                h = fmax(h, jm_lo_text_h(b, te));
            }
            jm_free(more);
            break;
        }
        double ch = CHIP, cw = jm_lo_persona_chip(b, p, cx, y, parent, &ch);
        h = fmax(h, ch);
        cx += cw;
        shown++;
    }
    return h;
}

/* In the overview a card is the touchpoint's number and name (the detail layout shows its
 * description and link); the card still links. */
double jm_lo_card(builder *b, long cell, const jm_touchpoint *tp, size_t i, double x, double y)
{
    const jm_theme *t = b->t;
    double w = t->card_width;
    long c = jm_lo_shape(b, "card", JM_SHAPE_RECT, x, y, w, 0, cell, tp->src.path, t->card_fill,
                         tp->moment_of_truth ? jm_lo_mix(t->card_stroke, t->moment_of_truth, 0.6)
                                             : t->card_stroke,
                         tp->moment_of_truth ? t->stroke_width * 2 : t->stroke_width);
    if (c < 0)
        return y;
    jm_element *ce = jm_lo_el_at(b, c);
    ce->radius = t->radius;
    ce->dash = tp->indirect ? JM_DASH_DASHED : JM_DASH_SOLID;
    if (tp->url && !(ce->url = jm_strdup(tp->url)))
        b->lo->failed = true;
    double pad = t->padding, badge = tp->moment_of_truth ? 12 : 0;
    double vpad = b->overview ? pad * 0.75 : pad; /* the overview's cards are one line or two */
    double nw = b->overview ? jm_lo_number_badge(b, i + 1, x + pad, y + vpad, c, NULL) : 0;
    char *ref = jm_lo_ref_of(tp, "/name");
    long nm = jm_lo_text_el(b, "text", ROLE_CARD_TITLE, tp->name, x + pad + nw, y + vpad,
                            w - 2 * pad - badge - nw, t->card_title, c, ref, PANGO_ALIGN_LEFT);
    jm_free(ref);
    double cy = y + vpad + jm_lo_text_h(b, nm);
    if (tp->moment_of_truth) {
        char *r = jm_lo_ref_of(tp, "/moment_of_truth");
        jm_lo_shape(b, "badge", JM_SHAPE_DIAMOND, x + w - pad - 10, y + pad, 10, 10, c, r,
                    t->moment_of_truth, NONE, 0);
        jm_free(r);
    }
    jm_tp_view v;
    jm_tp_view_get(b->m, tp, b->view, &v);
    /* In compare the card carries what does not change: a description that changes is said
     * once, in the before/after lane, with its "before". */
    const char *st[2];
    if (b->lo->state == JM_STATE_COMPARE && jm_lo_lane_drawn(b, JM_LANE_COMPARE) &&
        jm_lo_state_texts(b, tp, st) && st[1] == v.description)
        v.description = NULL;
    if (v.description && *v.description && !b->overview) {
        char *r = jm_lo_ref_of(tp, "/description");
        cy +=
            3 + jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_BODY, v.description, x + pad, cy + 3,
                                              w - 2 * pad, t->card_text, c, r, PANGO_ALIGN_LEFT));
        jm_free(r);
    }
    if (tp->url && !b->overview) {
        /* The link is shown as its host so the card says where it leads. */
        const char *host = strstr(tp->url, "://");
        host = host ? host + 3 : tp->url;
        size_t hl = strcspn(host, "/?#");
        char *label = jm_asprintf("\u2197 %.*s", (int)hl, host);
        char *r = jm_lo_ref_of(tp, "/url");
        if (label && r) {
            long le = jm_lo_text_el(b, "text", ROLE_SMALL, label, x + pad, cy + 3, w - 2 * pad,
                                    t->link, c, r, PANGO_ALIGN_LEFT);
            if (le >= 0 && !(jm_lo_el_at(b, le)->url = jm_strdup(tp->url)))
                b->lo->failed = true;
            cy += 3 + jm_lo_text_h(b, le);
        }
        jm_free(label);
        jm_free(r);
    }
    if (!b->overview && tp->owner && *tp->owner) {
        char *r = jm_lo_ref_of(tp, "/owner");
        if (r)
            cy += 3 + jm_lo_owner_label(b, c, tp->owner, r, x + pad, cy + 3, w - 2 * pad,
                                        t->text_muted);
        else
            b->lo->failed = true;
        jm_free(r);
    }
    /* The team's notes are not printed on the card: they are its tooltip (SVG, HTML). */
    if (tp->notes && *tp->notes && !b->lo->failed &&
        !(jm_lo_el_at(b, c)->tooltip = jm_strdup(tp->notes)))
        b->lo->failed = true;
    if (tp->change) {
        /* a change map: the card outlined in the change's colour, the change named */
        cy += 3 + jm_lo_mark_line(b, c, tp->change, x + pad, cy + 3, w - 2 * pad, NULL);
        if (!b->lo->failed) {
            jm_element *e = jm_lo_el_at(b, c);
            e->stroke = jm_lo_mark_color(b, tp->change);
            e->stroke_width = t->stroke_width * 2;
        }
    }
    /* Who took part, when the map has several personas. */
    double chips = persona_chips(b, tp, x + pad, cy + 4, w - 2 * pad, c);
    if (chips > 0)
        cy += 4 + chips;
    double h = cy + vpad - y; /* as tall as its content: no empty lower half */
    if (!b->lo->failed)
        jm_lo_el_at(b, c)->h = h;
    if (tp->change & JM_MARK_REMOVED)
        jm_lo_mark_ghost(b, c);
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
    if (!jm_lo_lane_begin(b, &lc, "channel_lane", name, icon,
                          c && c->src.path && *c->src.path ? c->src.path : NULL, parent,
                          kind_caption))
        return;
    for (long i = first; i >= 0; i = next_in_channel[i]) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        place p = jm_lo_place(b, &lc, (size_t)i, lc.top + t->gap);
        jm_lo_placed(&lc, &p, jm_lo_card(b, lc.cells[tp->stage], tp, (size_t)i, p.x, p.y));
    }
    /* The theme's card_min_height keeps the rows' rhythm: a lane of one-line cards is still
     * that tall (the cards themselves are as tall as their text). */
    jm_lo_lane_end(b, &lc, t->card_min_height + 2 * t->gap, false);
    jm_lo_shape(b, "line", JM_SHAPE_LINE, t->margin + t->lane_label_width, b->y,
                b->grid_right - t->margin - t->lane_label_width, 0, parent, NULL, NONE, t->grid,
                t->stroke_width);
}

void jm_lo_lane_touchpoints(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    double top = b->y;
    long band = jm_lo_el_push(b, "lane", t->margin, top, b->grid_right - t->margin, 0, b->root,
                              lane->src.path);
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
                jm_lo_shape(b, "group_separator", JM_SHAPE_LINE, t->margin, b->y,
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
        jm_lo_el_at(b, band)->h = b->y - top;
}

/* A divider row: a labelled dashed line across the grid (line of interaction, visibility …). */
void jm_lo_divider(builder *b, const char *label)
{
    const jm_theme *t = b->t;
    double h = 18, top = b->y;
    long row =
        jm_lo_el_push(b, "divider", t->margin, top, b->grid_right - t->margin, h, b->root, NULL);
    if (row < 0)
        return;
    long col = jm_lo_shape(b, "divider_label", JM_SHAPE_RECT, t->margin, top, t->lane_label_width,
                           h, row, NULL, t->lane_label_fill, NONE, 0);
    /* The label wraps inside the label column ("Линия внутреннего взаимодействия" ran into
     * the grid); the dashed line starts after its widest line. */
    double tw =
        fmin(jm_lo_text_width(b, ROLE_SMALL_BOLD, label) + 1, t->lane_label_width - 2 * t->padding);
    long txt = jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, label, t->margin + t->padding, top + 2, tw,
                             t->line_of_interaction, row, NULL, PANGO_ALIGN_LEFT);
    double th = jm_lo_text_h(b, txt);
    if (th + 4 > h && !b->lo->failed) {
        h = th + 4;
        jm_lo_el_at(b, row)->h = h;
        if (col >= 0)
            jm_lo_el_at(b, col)->h = h;
    }
    double lx = t->margin + t->padding + tw + 8;
    long ln = jm_lo_shape(b, "line", JM_SHAPE_LINE, lx, top + h / 2, b->grid_right - lx, 0, row,
                          NULL, NONE, t->line_of_interaction, t->stroke_width * 1.5);
    if (ln >= 0)
        jm_lo_el_at(b, ln)->dash = JM_DASH_DASHED;
    b->y = top + h;
}
