/* Which lanes a map shows, and the table of lane layout functions. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"

/* ---- Items: service-blueprint and custom lanes -------------------------------------------- */

static void lane_items(builder *b, const jm_lane *lane, jm_lane_type lt, long custom)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    lane_ctx lc;
    const char *name = lane->name             ? lane->name
                       : lt == JM_LANE_CUSTOM ? lane->id
                                              : jm_lo_lane_default_name(b, lt);
    if (!jm_lo_lane_begin(b, &lc, "lane", name, NULL, lane->src.path, b->root, NULL))
        return;
    double *stage_y = jm_calloc(m->n_stages, sizeof *stage_y);
    double *slot_y = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *slot_y);
    if (!stage_y || !slot_y) {
        jm_free(stage_y);
        jm_free(slot_y);
        b->lo->failed = true;
        jm_lo_lane_end(b, &lc, 0, false);
        return;
    }
    box_style bs = {"item",
                    JM_SHAPE_RECT,
                    t->lane_alt_fill,
                    t->card_stroke,
                    t->card_text,
                    JM_DASH_SOLID,
                    ROLE_BODY,
                    NULL,
                    NONE,
                    0};
    /* Stage-level items first, full stage width; then items aligned under their touchpoint. */
    for (size_t s = 0; s < m->n_stages; s++)
        stage_y[s] = lc.top + t->gap;
    for (size_t k = 0; k < m->n_items; k++) {
        const jm_item *it = &m->items[k];
        if (it->lane != lt || (lt == JM_LANE_CUSTOM && it->custom != custom) || it->touchpoint >= 0)
            continue;
        stage_y[it->stage] = jm_lo_slot_box(b, lc.cells[it->stage], b->stage_x[it->stage] + t->gap,
                                            stage_y[it->stage], b->stage_w[it->stage] - 2 * t->gap,
                                            &bs, it->text, it->src.path, NULL, &it->plan) +
                             4;
        jm_lo_lane_note(&lc, stage_y[it->stage] - 4);
    }
    for (size_t i = 0; i < m->n_touchpoints; i++)
        slot_y[i] = stage_y[m->touchpoints[i].stage];
    for (size_t s = 0; s < m->n_stages; s++)
        jm_lo_flow_floor(b, &lc, s, stage_y[s]);
    for (size_t k = 0; k < m->n_items; k++) {
        const jm_item *it = &m->items[k];
        if (it->lane != lt || (lt == JM_LANE_CUSTOM && it->custom != custom) || it->touchpoint < 0)
            continue;
        size_t i = (size_t)it->touchpoint;
        place p = jm_lo_place(b, &lc, i, slot_y[i]);
        box_style nb = bs;
        nb.number = b->overview ? i + 1 : 0;
        slot_y[i] = jm_lo_slot_box(b, lc.cells[it->stage], p.x, p.y, t->card_width, &nb, it->text,
                                   it->src.path, NULL, &it->plan) +
                    4;
        jm_lo_placed(&lc, &p, slot_y[i] - 4);
    }
    jm_free(stage_y);
    jm_free(slot_y);
    jm_lo_lane_end(b, &lc, 0, true);
}

/* ---- Which lanes ------------------------------------------------------------------------- */

bool jm_lo_lane_has_content(builder *b, jm_lane_type lt, long custom)
{
    const jm_map *m = b->m;
    switch (lt) {
    case JM_LANE_STAGES:
    case JM_LANE_TOUCHPOINTS: return true;
    case JM_LANE_STORYBOARD: return jm_lo_storyboard_has_content(m);
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
            case JM_LANE_COMPARE: {
                const char *txt[2];
                if (k == 0 && jm_lo_state_texts(b, tp, txt))
                    return true;
                break;
            }
            default: break;
            }
        }
    }
    for (size_t k = 0; k < m->n_items; k++)
        if (m->items[k].lane == lt && (lt != JM_LANE_CUSTOM || m->items[k].custom == custom))
            return true;
    return false;
}

/* Whether the map draws lane lt: its explicit list names it, or (no list) it has content.
 * Asked per touchpoint, so the answer is kept. */
bool jm_lo_lane_drawn(builder *b, jm_lane_type lt)
{
    if ((unsigned)lt >= JM_LANE__COUNT)
        return false;
    if (!b->lane_drawn[lt]) {
        bool drawn = false;
        if (b->m->lanes_explicit) {
            for (size_t i = 0; i < b->m->n_lanes && !drawn; i++)
                drawn = b->m->lanes[i].type == lt;
            if (lt == JM_LANE_COMPARE)
                drawn = drawn && b->lo->state == JM_STATE_COMPARE;
        } else {
            drawn = jm_lo_lane_has_content(b, lt, -1);
        }
        b->lane_drawn[lt] = drawn ? 2 : 1;
    }
    return b->lane_drawn[lt] == 2;
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
    jm_lo_lane_goals(b, lane);
}

static void lay_tp_text(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    jm_lo_lane_tp_text(b, lane, lane->type);
}

static void lay_touchpoints(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    jm_lo_lane_touchpoints(b, lane);
    jm_lo_divider(b, L(b, "Line of interaction", "Линия взаимодействия"));
}

static void lay_storyboard(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    jm_lo_lane_storyboard(b, lane);
}

static void lay_emotions(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    jm_lo_lane_emotions(b, lane);
}

static void lay_opportunities(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    jm_lo_lane_opportunities(b, lane);
}

static void lay_metrics(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    jm_lo_lane_metrics(b, lane);
}

static void lay_compare(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    jm_lo_lane_compare(b, lane);
}

static void lay_items(builder *b, const jm_lane *lane, long custom)
{
    lane_items(b, lane, lane->type, custom);
}

static const lane_layout_fn lane_layouts[JM_LANE__COUNT] = {
    [JM_LANE_STAGES] = lay_stages,
    [JM_LANE_GOALS] = lay_goals,
    [JM_LANE_ACTIONS] = lay_tp_text,
    [JM_LANE_STORYBOARD] = lay_storyboard,
    [JM_LANE_TOUCHPOINTS] = lay_touchpoints,
    [JM_LANE_EMOTIONS] = lay_emotions,
    [JM_LANE_THOUGHTS] = lay_tp_text,
    [JM_LANE_PAINS] = lay_tp_text,
    [JM_LANE_OPPORTUNITIES] = lay_opportunities,
    [JM_LANE_METRICS] = lay_metrics,
    [JM_LANE_COMPARE] = lay_compare,
    [JM_LANE_EVIDENCE] = lay_items,
    [JM_LANE_FRONTSTAGE] = lay_items,
    [JM_LANE_BACKSTAGE] = lay_items,
    [JM_LANE_SUPPORT] = lay_items,
    [JM_LANE_CUSTOM] = lay_items,
};

void jm_lo_layout_lane(builder *b, const jm_lane *lane, long custom)
{
    unsigned t = (unsigned)lane->type < JM_LANE__COUNT ? (unsigned)lane->type : JM_LANE_CUSTOM;
    lane_layouts[t](b, lane, custom);
}
