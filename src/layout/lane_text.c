/* Text lanes: the stage headers, goals, a touchpoint's actions / thoughts / pains, and
 * opportunities. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"

/* ---- Lanes -------------------------------------------------------------------------------- */

char *jm_lo_ref_of(const jm_touchpoint *tp, const char *suffix)
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

void jm_lo_lane_stages(builder *b)
{
    const jm_theme *t = b->t;
    lane_ctx lc;
    if (!jm_lo_lane_begin(b, &lc, "lane", jm_lo_lane_default_name(b, JM_LANE_STAGES), NULL, NULL,
                          b->root, NULL))
        return;
    for (size_t s = 0; s < b->m->n_stages; s++) {
        const jm_stage *st = &b->m->stages[s];
        double x = b->stage_x[s] + 3, w = b->stage_w[s] - 6, y = lc.top + t->gap;
        long hd = jm_lo_shape(b, "stage_header", JM_SHAPE_CHEVRON, x, y, w, 0, lc.cells[s],
                              st->src.path, t->stage_palette[s % JM_THEME_PALETTE], NONE, 0);
        double depth = 10, tx = x + t->padding, tw = w - 2 * t->padding - depth;
        long nm = jm_lo_text_el(b, "text", ROLE_STAGE, st->name, tx, y + t->padding, tw,
                                t->stage_text, hd, NULL, PANGO_ALIGN_LEFT);
        double h = jm_lo_text_h(b, nm);
        if (st->description)
            h += 2 + jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_SMALL, st->description, tx,
                                                   y + t->padding + h + 2, tw, t->stage_text, hd,
                                                   NULL, PANGO_ALIGN_LEFT));
        if (st->change) /* a change map: the stage's change under its name */
            h += 2 + jm_lo_mark_line(b, hd, st->change, tx, y + t->padding + h + 2, tw, NULL);
        h = fmax(h + 2 * t->padding, t->stage_header_height);
        if (hd >= 0 && !b->lo->failed)
            jm_lo_el_at(b, hd)->h = h;
        if (st->change & JM_MARK_REMOVED)
            jm_lo_mark_ghost(b, hd);
        jm_lo_lane_note(&lc, y + h);
    }
    /* The first lane label carries no text; the chevrons say it. */
    jm_lo_lane_end(b, &lc, 0, true);
}

void jm_lo_lane_goals(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    lane_ctx lc;
    if (!jm_lo_lane_open(b, &lc, lane, JM_LANE_GOALS, jm_lo_lane_icon(JM_LANE_GOALS)))
        return;
    double *stage_y = jm_calloc(b->m->n_stages, sizeof *stage_y);
    double *slot_y = jm_calloc(b->m->n_touchpoints ? b->m->n_touchpoints : 1, sizeof *slot_y);
    if (!stage_y || !slot_y) {
        jm_free(stage_y);
        jm_free(slot_y);
        b->lo->failed = true;
        jm_lo_lane_end(b, &lc, 0, false);
        return;
    }
    for (size_t s = 0; s < b->m->n_stages; s++) {
        const jm_stage *st = &b->m->stages[s];
        double x = b->stage_x[s] + t->gap, w = b->stage_w[s] - 2 * t->gap, y = lc.top + t->gap;
        if (st->goal) {
            char ref[64];
            snprintf(ref, sizeof ref, "%s/goal", st->src.path ? st->src.path : "");
            y += jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_CARD_TITLE, st->goal, x, y, w,
                                               t->text, lc.cells[s], ref, PANGO_ALIGN_LEFT)) +
                 4;
        }
        for (size_t q = 0; q < st->questions.n; q++) {
            char *line = jm_strdup(st->questions.v[q]);
            char *ref = jm_asprintf("%s/questions/%zu", st->src.path ? st->src.path : "", q);
            if (line && ref)
                y += jm_lo_text_h(b, jm_lo_text_el(b, "text", ROLE_BODY_ITALIC, line, x, y, w,
                                                   t->text_muted, lc.cells[s], ref,
                                                   PANGO_ALIGN_LEFT)) +
                     2;
            jm_free(line);
            jm_free(ref);
        }
        jm_lo_lane_note(&lc, y);
        stage_y[s] = y + (y > lc.top + t->gap ? 4 : 0);
    }
    /* The lane's items under the stage's goal and questions. */
    box_style bs = jm_lo_plain_box(b, "item");
    for (size_t i = 0; i < b->m->n_touchpoints; i++)
        slot_y[i] = stage_y[b->m->touchpoints[i].stage];
    jm_lo_items_below(b, &lc, &bs, JM_LANE_GOALS, slot_y, stage_y);
    jm_free(stage_y);
    jm_free(slot_y);
    jm_lo_lane_end(b, &lc, 0, true);
}

/* A text box in a touchpoint's slot: the box, an optional marker, the text and, when given,
 * its action plan (plan.c). Returns the box's bottom. */
double jm_lo_slot_box(builder *b, long cell, double x, double y, double w, const box_style *bs,
                      const char *text, const char *ref, const char *url, const jm_plan *plan)
{
    const jm_theme *t = b->t;
    long box = jm_lo_shape(b, bs->kind, bs->shape, x, y, w, 0, cell, ref, bs->fill, bs->stroke,
                           t->stroke_width);
    if (box < 0)
        return y;
    jm_lo_el_at(b, box)->radius = bs->shape == JM_SHAPE_RECT ? t->radius - 2 : t->radius;
    jm_lo_el_at(b, box)->dash = bs->dash;
    if (url && !(jm_lo_el_at(b, box)->url = jm_strdup(url)))
        b->lo->failed = true;
    double tx = x + t->padding, tw = w - 2 * t->padding,
           pad = t->padding * (b->overview ? 0.5 : 0.75);
    double mh = 0;
    if (bs->marker_icon && !b->overview) { /* the overview has numbers instead */
        double ms = t->icon_size - 2;
        long mk = jm_lo_shape(b, "icon", JM_SHAPE_ICON, tx - 2, y + pad, ms, ms, box, NULL, NONE,
                              NONE, 0);
        if (mk >= 0) {
            jm_lo_el_at(b, mk)->icon = bs->marker_icon;
            jm_lo_el_at(b, mk)->color = bs->marker_color;
        }
        tx += ms + 3;
        tw -= ms + 3;
        mh = ms;
    }
    if (bs->number) {
        double nh = 0, nw = jm_lo_number_badge(b, bs->number, tx - 2, y + pad, box, &nh);
        tx += nw - 2;
        tw -= nw - 2;
        mh = fmax(mh, nh);
    }
    long te = jm_lo_text_el(b, "text", bs->role, text, tx, y + pad, tw, bs->text, box, NULL,
                            PANGO_ALIGN_LEFT);
    double tail = bs->shape == JM_SHAPE_BUBBLE ? 6 : 0;
    double h = fmax(jm_lo_text_h(b, te), mh) + 2 * pad + tail;
    if (plan && (plan->owner || plan->status || plan->priority)) {
        double top = y + h - pad - tail + 4;
        h = jm_lo_plan(b, box, plan, ref, tx, top, tw) - y + pad + tail;
    }
    return jm_lo_box_height(b, box, y, h);
}

/* The lanes of a touchpoint's texts, one row each: what they show and how. */
typedef struct text_lane {
    const char *field; /* the touchpoint's key in the model */
    const jm_strlist *(*shown)(const jm_tp_view *v);
    const jm_strlist *(*written)(const jm_tp_state *s);
    box_style (*style)(const builder *b);
    bool quoted; /* each point in quotation marks */
    bool steps;  /* consecutive touchpoints' boxes joined by arrows */
} text_lane;

static const jm_strlist *shown_actions(const jm_tp_view *v) { return v->action; }
static const jm_strlist *shown_thoughts(const jm_tp_view *v) { return v->thought; }
static const jm_strlist *shown_pains(const jm_tp_view *v) { return v->pain; }
static const jm_strlist *written_actions(const jm_tp_state *s) { return &s->action; }
static const jm_strlist *written_thoughts(const jm_tp_state *s) { return &s->thought; }
static const jm_strlist *written_pains(const jm_tp_state *s) { return &s->pain; }

static box_style action_style(const builder *b) { return jm_lo_plain_box(b, "action"); }

static box_style thought_style(const builder *b)
{
    const jm_theme *t = b->t;
    return (box_style){"thought",
                       JM_SHAPE_BUBBLE,
                       t->thought_fill,
                       t->thought_stroke,
                       t->text,
                       JM_DASH_SOLID,
                       ROLE_BODY_ITALIC,
                       NULL,
                       NONE,
                       0};
}

static box_style pain_style(const builder *b)
{
    const jm_theme *t = b->t;
    return (box_style){"pain",       JM_SHAPE_RECT,
                       t->pain_fill, jm_lo_mix(t->pain_fill, t->pain, 0.35),
                       t->text,      JM_DASH_SOLID,
                       ROLE_BODY,    "pain",
                       t->pain,      0};
}

static const text_lane text_lanes[JM_LANE__COUNT] = {
    [JM_LANE_ACTIONS] = {"action", shown_actions, written_actions, action_style, false, true},
    [JM_LANE_THOUGHTS] = {"thought", shown_thoughts, written_thoughts, thought_style, true, false},
    [JM_LANE_PAINS] = {"pain", shown_pains, written_pains, pain_style, false, false},
};

/* The points a touchpoint shows in a text lane in one state, and the JSON pointer suffix of
 * where they were written ("/after/pain" or the touchpoint's own "/pain"). */
static const jm_strlist *tp_lane_points(builder *b, const jm_touchpoint *tp, const text_lane *tl,
                                        jm_state state, char *suffix, size_t n)
{
    jm_tp_view v;
    jm_tp_view_get(b->m, tp, state, &v);
    const jm_tp_state *own = state == JM_STATE_BEFORE  ? &tp->before
                             : state == JM_STATE_AFTER ? &tp->after
                                                       : NULL;
    const jm_strlist *points = tl->shown(&v), *written = own ? tl->written(own) : NULL;
    bool in_state = own && own->present && written && written->n;
    snprintf(suffix, n, "%s/%s", in_state ? (state == JM_STATE_BEFORE ? "/before" : "/after") : "",
             tl->field);
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
static double text_box(builder *b, lane_ctx *lc, const jm_touchpoint *tp, double x, double y,
                       const text_lane *tl, const box_style *bs, const char *text,
                       const char *suffix, long k)
{
    char *shown = tl->quoted ? jm_lo_quoted(b, text) : jm_strdup(text);
    char at[64];
    if (k >= 0)
        snprintf(at, sizeof at, "%s/%ld", suffix, k);
    char *ref = jm_lo_ref_of(tp, k >= 0 ? at : suffix);
    double bottom = y;
    if (shown && ref)
        bottom = jm_lo_slot_box(b, lc->cells[tp->stage], x, y, b->t->card_width, bs, shown, ref,
                                NULL, NULL);
    else
        b->lo->failed = true;
    jm_free(shown);
    jm_free(ref);
    jm_lo_lane_note(lc, bottom);
    return bottom;
}

/* A short arrow with its head, from one action to the next. */
static void step_arrow(builder *b, double x0, double x1, double y)
{
    const jm_theme *t = b->t;
    jm_lo_shape(b, "arrow", JM_SHAPE_LINE, x0, y, x1 - x0 - 1, 0, b->root, NULL, NONE,
                t->text_muted, t->stroke_width * 1.4);
    long h = jm_lo_shape(b, "arrow_head", JM_SHAPE_POLYLINE, x1 - 4, y - 3, 4, 6, b->root, NULL,
                         NONE, t->text_muted, t->stroke_width * 1.4);
    jm_point *pts = h >= 0 ? jm_malloc(3 * sizeof *pts) : NULL;
    if (!pts) {
        b->lo->failed = true;
        return;
    }
    pts[0] = (jm_point){x1 - 4, y - 3};
    pts[1] = (jm_point){x1, y};
    pts[2] = (jm_point){x1 - 4, y + 3};
    jm_lo_el_at(b, h)->pts = pts;
    jm_lo_el_at(b, h)->npts = 3;
}

/* Draws the points of a list one box each, stacked from y, as the opportunities lane does;
 * returns the y below the last. *number: the number badge for the first box (then 0). */
static double point_boxes(builder *b, lane_ctx *lc, const jm_touchpoint *tp, double x, double y,
                          const text_lane *tl, const box_style *bs, const jm_strlist *points,
                          const char *suffix, size_t *number)
{
    box_style nb = *bs;
    for (size_t k = 0; k < points->n; k++)
        if (points->v[k] && *points->v[k]) {
            nb.number = *number;
            *number = 0;
            y = text_box(b, lc, tp, x, y, tl, &nb, points->v[k], suffix,
                         points->single ? -1 : (long)k) +
                4;
        }
    return y;
}

/* Actions, thoughts, pains: a box per point of each touchpoint; in compare, the "before"
 * points (muted, dashed) above the "after" ones where the two differ. */
void jm_lo_lane_tp_text(builder *b, const jm_lane *lane, jm_lane_type lt)
{
    const jm_theme *t = b->t;
    const text_lane *tl = (unsigned)lt < JM_LANE__COUNT ? &text_lanes[lt] : NULL;
    if (!tl || !tl->field)
        return;
    box_style bs = tl->style(b);
    box_style bb = before_style(b, bs);
    bool compare = b->lo->state == JM_STATE_COMPARE;
    lane_ctx lc;
    if (!jm_lo_lane_open(b, &lc, lane, lt, jm_lo_lane_icon(lt)))
        return;
    /* below each touchpoint's points: where its items go */
    double *slot_y = jm_calloc(b->m->n_touchpoints ? b->m->n_touchpoints : 1, sizeof *slot_y);
    if (!slot_y)
        b->lo->failed = true;
    double prev_right = -1;
    for (size_t i = 0; i < b->m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &b->m->touchpoints[i];
        if (slot_y)
            slot_y[i] = lc.top + t->gap;
        char sa[32], sb[32];
        const jm_strlist *ta = tp_lane_points(b, tp, tl, b->view, sa, sizeof sa);
        const jm_strlist *tb =
            compare ? tp_lane_points(b, tp, tl, JM_STATE_BEFORE, sb, sizeof sb) : ta;
        if (same_points(ta, tb))
            tb = NULL;
        if (!has_points(ta) && !has_points(tb)) {
            prev_right = -1;
            continue;
        }
        place p = jm_lo_place(b, &lc, i, lc.top + t->gap);
        double y = p.y;
        size_t number = b->overview ? i + 1 : 0;
        if (has_points(tb))
            y = point_boxes(b, &lc, tp, p.x, y, tl, &bb, tb, sb, &number);
        if (has_points(ta))
            y = point_boxes(b, &lc, tp, p.x, y, tl, &bs, ta, sa, &number);
        jm_lo_placed(&lc, &p, y - 4);
        if (slot_y)
            slot_y[i] = y;
        /* Consecutive actions are steps: join them with an arrow (the overview's numbers say
         * the order). */
        if (tl->steps && prev_right >= 0 && !b->overview)
            step_arrow(b, prev_right, b->slot_x[i], lc.top + t->gap + 12);
        prev_right = b->slot_x[i] + t->card_width;
    }
    if (slot_y)
        jm_lo_items_below(b, &lc, &bs, lt, slot_y, NULL);
    jm_free(slot_y);
    jm_lo_lane_end(b, &lc, 0, true);
}

/* A lane's items (each with its action plan): those aligned under a touchpoint below what the
 * lane drew for it (slot_y: per touchpoint, the bottom of that), then the stage's own below
 * everything in the stage. */
void jm_lo_items_below(builder *b, lane_ctx *lc, const box_style *bs, jm_lane_type lt,
                       double *slot_y, const double *stage_floor)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    for (size_t k = 0; k < m->n_items; k++) {
        const jm_item *it = &m->items[k];
        if (it->lane != lt || it->touchpoint < 0)
            continue;
        size_t i = (size_t)it->touchpoint;
        place p = jm_lo_place(b, lc, i, slot_y[i]);
        slot_y[i] = jm_lo_slot_box(b, lc->cells[it->stage], p.x, p.y, t->card_width, bs, it->text,
                                   it->src.path, NULL, &it->plan) +
                    4;
        jm_lo_placed(lc, &p, slot_y[i] - 4);
    }
    double *stage_y = jm_malloc(m->n_stages * sizeof *stage_y);
    if (!stage_y) {
        b->lo->failed = true;
        return;
    }
    for (size_t s = 0; s < m->n_stages; s++)
        stage_y[s] = stage_floor ? stage_floor[s] : lc->top + t->gap;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        stage_y[m->touchpoints[i].stage] = fmax(stage_y[m->touchpoints[i].stage], slot_y[i]);
    for (size_t k = 0; k < m->n_items; k++) {
        const jm_item *it = &m->items[k];
        size_t s = it->stage;
        if (it->lane != lt || it->touchpoint >= 0)
            continue;
        stage_y[s] = jm_lo_slot_box(b, lc->cells[s], b->stage_x[s] + t->gap, stage_y[s],
                                    b->stage_w[s] - 2 * t->gap, bs, it->text, it->src.path, NULL,
                                    &it->plan) +
                     4;
        jm_lo_lane_note(lc, stage_y[s] - 4);
    }
    jm_free(stage_y);
}

void jm_lo_lane_opportunities(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    box_style bs = {"opportunity",
                    JM_SHAPE_RECT,
                    t->opportunity_fill,
                    jm_lo_mix(t->opportunity_fill, t->opportunity, 0.35),
                    t->text,
                    JM_DASH_SOLID,
                    ROLE_BODY,
                    "opportunity",
                    t->opportunity,
                    0};
    lane_ctx lc;
    if (!jm_lo_lane_open(b, &lc, lane, JM_LANE_OPPORTUNITIES,
                         jm_lo_lane_icon(JM_LANE_OPPORTUNITIES)))
        return;
    box_style bb = before_style(b, bs);
    /* below each touchpoint's opportunities: where its items go */
    double *slot_y = jm_calloc(b->m->n_touchpoints ? b->m->n_touchpoints : 1, sizeof *slot_y);
    if (!slot_y)
        b->lo->failed = true;
    for (size_t i = 0; i < b->m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &b->m->touchpoints[i];
        jm_tp_view v, vb;
        jm_tp_view_get(b->m, tp, b->view, &v);
        jm_tp_view_get(b->m, tp, JM_STATE_BEFORE, &vb);
        /* In compare, the ideas of the "before" state that the "after" state replaced. */
        bool show_before = b->lo->state == JM_STATE_COMPARE && vb.opportunity != v.opportunity;
        if (slot_y)
            slot_y[i] = lc.top + t->gap;
        if (!v.opportunity->n && !(show_before && vb.opportunity->n))
            continue;
        place p = jm_lo_place(b, &lc, i, lc.top + t->gap);
        double y = p.y;
        size_t number = b->overview ? i + 1 : 0;
        for (int side = show_before ? 0 : 1; side < 2; side++) {
            const jm_strlist *list = side == 0 ? vb.opportunity : v.opportunity;
            const char *where = list == &tp->before.opportunity  ? "/before"
                                : list == &tp->after.opportunity ? "/after"
                                                                 : "";
            for (size_t k = 0; k < list->n; k++) {
                /* one opportunity written without an array has no index in its pointer */
                char *ref = list->single ? jm_asprintf("%s%s/opportunity",
                                                       tp->src.path ? tp->src.path : "", where)
                                         : jm_asprintf("%s%s/opportunity/%zu",
                                                       tp->src.path ? tp->src.path : "", where, k);
                box_style nb = side == 0 ? bb : bs;
                nb.number = number;
                number = 0;
                if (ref)
                    y = jm_lo_slot_box(b, lc.cells[tp->stage], p.x, y, t->card_width, &nb,
                                       list->v[k], ref, NULL, list->plan ? &list->plan[k] : NULL) +
                        4;
                jm_free(ref);
            }
        }
        jm_lo_placed(&lc, &p, y - 4);
        if (slot_y)
            slot_y[i] = y;
    }
    if (slot_y)
        jm_lo_items_below(b, &lc, &bs, JM_LANE_OPPORTUNITIES, slot_y, NULL);
    jm_free(slot_y);
    jm_lo_lane_end(b, &lc, 0, true);
}
