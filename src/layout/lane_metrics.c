/* KPIs and the before/after table. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"

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
    long nm = jm_lo_text_el(b, "text", ROLE_SMALL, mt->name, x, y, w, t->text_muted, parent, ref,
                            PANGO_ALIGN_LEFT);
    y += jm_lo_text_h(b, nm);
    if (before && before->value != mt->value) {
        jm_lo_format_value(b, before->value, before->unit ? before->unit : mt->unit, &val);
        jm_buf_puts(&val, " \u2192 ");
    }
    jm_lo_format_value(b, mt->value, mt->unit, &val);
    if (mt->has_target) {
        jm_buf_puts(&val, L(b, " (target\u00A0", " (цель\u00A0"));
        jm_lo_format_value(b, mt->target, mt->unit, &val);
        jm_buf_puts(&val, ")");
    }
    double dw = 0;
    if (before && before->value != mt->value) {
        double delta = mt->value - before->value;
        bool up = delta > 0, good = (mt->better == JM_BETTER_LOWER) ? !up : up;
        char num[64];
        jm_lo_format_number(b, fabs(delta), num, sizeof num);
        /* A change of a percentage is in percentage points. */
        const char *unit = mt->unit && strcmp(mt->unit, "%") == 0 ? L(b, "\u00A0pp", "\u00A0п.п.")
                           : mt->unit && *mt->unit                ? mt->unit
                                                                  : "";
        bool space = mt->unit && *mt->unit && strcmp(mt->unit, "%") != 0;
        char *d = jm_asprintf("%s\u00A0%s%s%s%s", up ? "\u25B2" : "\u25BC", up ? "+" : "\u2212",
                              num, space ? "\u00A0" : "", unit);
        if (d) {
            dw = fmin(jm_lo_text_width(b, ROLE_NUMBER_SMALL_BOLD, d) + 1, w / 2);
            long de =
                jm_lo_text_el(b, "delta", ROLE_NUMBER_SMALL_BOLD, d, x + w - dw, y, dw,
                              good ? t->opportunity : t->pain, parent, NULL, PANGO_ALIGN_RIGHT);
            if (de >= 0) {
                jm_lo_el_at(b, de)->has_value = true;
                jm_lo_el_at(b, de)->value = delta;
            }
            dw += 4;
            jm_free(d);
        } else {
            b->lo->failed = true;
        }
    }
    if (val.failed)
        b->lo->failed = true;
    long ve = jm_lo_text_el(b, "text", ROLE_NUMBER, val.data && !val.failed ? val.data : "", x, y,
                            w - dw, t->text, parent, NULL, PANGO_ALIGN_LEFT);
    jm_buf_free(&val);
    if (ve >= 0) {
        jm_lo_el_at(b, ve)->has_value = true;
        jm_lo_el_at(b, ve)->value = mt->value;
    }
    return y + jm_lo_text_h(b, ve) + 4;
}

/* number: the touchpoint's number badge at the top left (overview), 0 none. */
static double metrics_box(builder *b, long cell, double x, double y, double w, const jm_metrics *ms,
                          const jm_metrics *before, const char *ref_base, size_t number)
{
    const jm_theme *t = b->t;
    long box = jm_lo_shape(b, "metrics", JM_SHAPE_RECT, x, y, w, 0, cell, ref_base, t->metric_fill,
                           t->card_stroke, t->stroke_width);
    if (box < 0)
        return y;
    jm_lo_el_at(b, box)->radius = t->radius - 2;
    double cy = y + t->padding * 0.75;
    double nw = number ? jm_lo_number_badge(b, number, x + t->padding, cy, box, NULL) : 0;
    for (size_t k = 0; k < ms->n; k++) {
        char *ref = jm_asprintf("%s", ms->v[k].src.path ? ms->v[k].src.path : ref_base);
        if (!ref)
            continue;
        cy = metric_row(b, box, x + t->padding + nw, cy, w - 2 * t->padding - nw, &ms->v[k],
                        before ? find_metric(before, ms->v[k].name) : NULL, ref);
        jm_free(ref);
    }
    double h = cy - y + t->padding * 0.75 - 4;
    return jm_lo_box_height(b, box, y, h);
}

void jm_lo_lane_metrics(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    lane_ctx lc;
    if (!jm_lo_lane_open(b, &lc, lane, JM_LANE_METRICS, jm_lo_lane_icon(JM_LANE_METRICS)))
        return;
    double *stage_bottom = jm_calloc(m->n_stages, sizeof *stage_bottom);
    if (!stage_bottom) {
        b->lo->failed = true;
        jm_lo_lane_end(b, &lc, 0, false);
        return;
    }
    for (size_t s = 0; s < m->n_stages; s++) {
        stage_bottom[s] = lc.top + t->gap;
        /* on a change map, the old version's metrics: "old → new" with the change */
        const jm_metrics *old = m->stages[s].old_metrics.n ? &m->stages[s].old_metrics : NULL;
        if (m->stages[s].metrics.n)
            stage_bottom[s] = metrics_box(b, lc.cells[s], b->stage_x[s] + t->gap, lc.top + t->gap,
                                          b->stage_w[s] - 2 * t->gap, &m->stages[s].metrics, old,
                                          m->stages[s].src.path, 0) +
                              t->gap;
        jm_lo_lane_note(&lc, stage_bottom[s] - t->gap);
        jm_lo_flow_floor(b, &lc, s, stage_bottom[s]);
    }
    /* below each touchpoint's metrics: where its items go */
    double *slot_y = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *slot_y);
    if (!slot_y)
        b->lo->failed = true;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        const jm_metrics *ms, *before = NULL;
        if (slot_y)
            slot_y[i] = stage_bottom[tp->stage];
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
        char *ref = jm_lo_ref_of(tp, "/metrics");
        place p = jm_lo_place(b, &lc, i, stage_bottom[tp->stage]);
        if (ref) {
            double bottom = metrics_box(b, lc.cells[tp->stage], p.x, p.y, t->card_width, ms, before,
                                        ref, b->overview ? i + 1 : 0);
            jm_lo_placed(&lc, &p, bottom);
            if (slot_y)
                slot_y[i] = bottom + 4;
        }
        jm_free(ref);
    }
    box_style bs = {"item",        JM_SHAPE_RECT, t->metric_fill, t->card_stroke, t->card_text,
                    JM_DASH_SOLID, ROLE_BODY,     NULL,           NONE,           0};
    if (slot_y)
        jm_lo_items_below(b, &lc, &bs, JM_LANE_METRICS, slot_y, stage_bottom);
    jm_free(slot_y);
    jm_free(stage_bottom);
    jm_lo_lane_end(b, &lc, 0, true);
}

/* What the before/after lane says of a state: its description; else its first action, pain
 * or thought, when no lane of the map shows that field (in compare, the actions, pains and
 * thoughts lanes show both states where they differ: saying it here again would repeat it). */
const char *jm_lo_state_text(builder *b, const jm_tp_view *v)
{
    if (v->description)
        return v->description;
    static const jm_lane_type lanes[] = {JM_LANE_ACTIONS, JM_LANE_PAINS, JM_LANE_THOUGHTS};
    const jm_strlist *lists[] = {v->action, v->pain, v->thought};
    for (size_t k = 0; k < 3; k++)
        if (lists[k]->n)
            return jm_lo_lane_drawn(b, lanes[k]) ? NULL : lists[k]->v[0];
    return NULL;
}

/* The texts of a touchpoint's two states in the before/after lane (txt[0] before, txt[1]
 * after); true when it has both and they read differently, so the lane shows them. */
bool jm_lo_state_texts(builder *b, const jm_touchpoint *tp, const char *txt[2])
{
    txt[0] = txt[1] = NULL;
    if (!tp->before.present && !tp->after.present)
        return false;
    jm_tp_view v[2];
    jm_tp_view_get(b->m, tp, JM_STATE_BEFORE, &v[0]);
    jm_tp_view_get(b->m, tp, JM_STATE_AFTER, &v[1]);
    txt[0] = jm_lo_state_text(b, &v[0]);
    txt[1] = jm_lo_state_text(b, &v[1]);
    return txt[0] && txt[1] && strcmp(txt[0], txt[1]) != 0;
}

/* One state of a touchpoint in the compare lane: its label as a caption over its text. */
static double state_box(builder *b, long cell, double x, double y, int side, const char *text,
                        const char *ref, size_t number)
{
    const jm_theme *t = b->t;
    double w = t->card_width, pad = t->padding * 0.75;
    long box = jm_lo_shape(b, side == 0 ? "state_before" : "state_after", JM_SHAPE_RECT, x, y, w, 0,
                           cell, ref, side == 0 ? t->background : t->opportunity_fill,
                           side == 0 ? t->curve_before
                                     : jm_lo_mix(t->opportunity_fill, t->opportunity, 0.5),
                           t->stroke_width);
    if (box < 0)
        return y;
    jm_lo_el_at(b, box)->radius = t->radius - 2;
    jm_lo_el_at(b, box)->dash = side == 0 ? JM_DASH_DASHED : JM_DASH_SOLID;
    double nh = 0,
           nw = number ? jm_lo_number_badge(b, number, x + t->padding, y + pad, box, &nh) : 0;
    long cap =
        jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, jm_lo_state_label(b, side), x + t->padding + nw,
                      y + pad, w - 2 * t->padding - nw, side == 0 ? t->text_muted : t->opportunity,
                      box, NULL, PANGO_ALIGN_LEFT);
    double cy = y + pad + fmax(jm_lo_text_h(b, cap), nh) + 2;
    long te = jm_lo_text_el(b, "text", ROLE_BODY, text, x + t->padding, cy, w - 2 * t->padding,
                            side == 0 ? t->text_muted : t->text, box, NULL, PANGO_ALIGN_LEFT);
    double h = cy + jm_lo_text_h(b, te) + pad - y;
    return jm_lo_box_height(b, box, y, h);
}

/* The before/after table: for each touchpoint whose states read differently, the two texts
 * one above the other in its slot (changes of emotion and KPIs have their own lanes). */
void jm_lo_lane_compare(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    lane_ctx lc;
    if (!jm_lo_lane_open(b, &lc, lane, JM_LANE_COMPARE, NULL))
        return;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        const char *txt[2];
        if (!jm_lo_state_texts(b, tp, txt))
            continue;
        place p = jm_lo_place(b, &lc, i, lc.top + t->gap);
        double y = p.y;
        for (int side = 0; side < 2; side++) {
            char *ref = jm_lo_ref_of(tp, side == 0 ? "/before" : "/after");
            if (ref)
                y = state_box(b, lc.cells[tp->stage], p.x, y, side, txt[side], ref,
                              b->overview && side == 0 ? i + 1 : 0) +
                    4;
            jm_free(ref);
        }
        jm_lo_placed(&lc, &p, y - 4);
    }
    jm_lo_lane_end(b, &lc, 0, true);
}
