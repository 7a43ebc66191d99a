/* Which lanes a map shows, and the table of lane layout functions. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"

/* ---- Items: service-blueprint and custom lanes -------------------------------------------- */

box_style jm_lo_plain_box(const builder *b, const char *kind)
{
    const jm_theme *t = b->t;
    return (box_style){kind,
                       JM_SHAPE_RECT,
                       t->lane_alt_fill,
                       t->card_stroke,
                       t->card_text,
                       JM_DASH_SOLID,
                       ROLE_BODY,
                       NULL,
                       NONE,
                       0};
}

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
    box_style bs = jm_lo_plain_box(b, "item");
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

/* ---- What makes a lane non-empty: the has_content column of the table below ------------- */

typedef bool (*lane_content_fn)(builder *b, jm_lane_type lt, long custom);

/* Whether the map puts an item in the lane (custom: the declared lane's index). */
static bool has_items(builder *b, jm_lane_type lt, long custom)
{
    const jm_map *m = b->m;
    for (size_t k = 0; k < m->n_items; k++)
        if (m->items[k].lane == lt && (lt != JM_LANE_CUSTOM || m->items[k].custom == custom))
            return true;
    return false;
}

/* A test on what touchpoint tp shows in the k-th drawn state (v). */
typedef bool (*view_test)(builder *b, const jm_touchpoint *tp, const jm_tp_view *v, int k);

/* Only what the drawn state(s) show: a lane with content only in the other state stays out. */
static bool shown_in_views(builder *b, view_test test)
{
    const jm_map *m = b->m;
    jm_state states[2] = {b->view, JM_STATE_BEFORE};
    int ns = b->lo->state == JM_STATE_COMPARE ? 2 : 1;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        for (int k = 0; k < ns; k++) {
            jm_tp_view v;
            jm_tp_view_get(m, &m->touchpoints[i], states[k], &v);
            if (test(b, &m->touchpoints[i], &v, k))
                return true;
        }
    return false;
}

#define VIEW_TEST(name, expr)                                                                      \
    static bool name(builder *b, const jm_touchpoint *tp, const jm_tp_view *v, int k)              \
    {                                                                                              \
        (void)b, (void)tp, (void)k;                                                                \
        return (expr);                                                                             \
    }
VIEW_TEST(view_action, v->action->n > 0)
VIEW_TEST(view_emotion, v->has_emotion)
VIEW_TEST(view_thought, v->thought->n > 0)
VIEW_TEST(view_pain, v->pain->n > 0)
VIEW_TEST(view_opportunity, v->opportunity->n > 0)
VIEW_TEST(view_metrics, v->metrics->n > 0)

/* A before and an after that differ (asked once a touchpoint, on the first state). */
static bool view_compare(builder *b, const jm_touchpoint *tp, const jm_tp_view *v, int k)
{
    (void)v;
    const char *txt[2];
    return k == 0 && jm_lo_state_texts(b, tp, txt);
}

/* A lane of touchpoint fields: shown in a drawn state, or items put in it. */
#define VIEW_CONTENT(name, test)                                                                   \
    static bool name(builder *b, jm_lane_type lt, long custom)                                     \
    {                                                                                              \
        return shown_in_views(b, test) || has_items(b, lt, custom);                                \
    }
VIEW_CONTENT(content_actions, view_action)
VIEW_CONTENT(content_emotions, view_emotion)
VIEW_CONTENT(content_thoughts, view_thought)
VIEW_CONTENT(content_pains, view_pain)
VIEW_CONTENT(content_opportunities, view_opportunity)

static bool content_always(builder *b, jm_lane_type lt, long custom)
{
    (void)b, (void)lt, (void)custom;
    return true;
}

static bool content_goals(builder *b, jm_lane_type lt, long custom)
{
    for (size_t s = 0; s < b->m->n_stages; s++)
        if (b->m->stages[s].goal || b->m->stages[s].questions.n)
            return true;
    return has_items(b, lt, custom);
}

static bool content_storyboard(builder *b, jm_lane_type lt, long custom)
{
    (void)lt, (void)custom;
    return jm_lo_storyboard_has_content(b->m);
}

static bool content_metrics(builder *b, jm_lane_type lt, long custom)
{
    for (size_t s = 0; s < b->m->n_stages; s++)
        if (b->m->stages[s].metrics.n)
            return true;
    return shown_in_views(b, view_metrics) || has_items(b, lt, custom);
}

static bool content_compare(builder *b, jm_lane_type lt, long custom)
{
    return b->lo->state == JM_STATE_COMPARE &&
           (shown_in_views(b, view_compare) || has_items(b, lt, custom));
}

/* ---- Which lanes ------------------------------------------------------------------------- */

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
            drawn = drawn && jm_lo_lane_in_state(b, lt);
        } else {
            drawn = jm_lo_lane_has_content(b, lt, -1);
        }
        b->lane_drawn[lt] = drawn ? 2 : 1;
    }
    return b->lane_drawn[lt] == 2;
}

/* How a lane is laid out. custom: the declared lane's index. */
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

/* The service blueprint's lines, drawn once between lanes. */
static const struct blueprint_line {
    const char *en, *ru;
} line_of_interaction = {"Line of interaction", "Линия взаимодействия"},
  line_of_visibility = {"Line of visibility", "Линия видимости"},
  line_of_internal = {"Line of internal interaction", "Линия внутреннего взаимодействия"};

/* One row per lane: the layout's half of the lane (the model's half, jm_lane_info_of, has its
 * id, labels, icon and whether it takes items). */
static const struct lane_row {
    lane_layout_fn layout;
    lane_content_fn has_content; /* a lane without content is left out unless the map lists it */
    const struct blueprint_line *line_above, *line_below; /* NULL: none */
    bool compare_only;                                    /* drawn only in the compare state */
} lane_rows[JM_LANE__COUNT] = {
    [JM_LANE_STAGES] = {.layout = lay_stages, .has_content = content_always},
    [JM_LANE_GOALS] = {.layout = lay_goals, .has_content = content_goals},
    [JM_LANE_ACTIONS] = {.layout = lay_tp_text, .has_content = content_actions},
    [JM_LANE_STORYBOARD] = {.layout = lay_storyboard, .has_content = content_storyboard},
    [JM_LANE_TOUCHPOINTS] = {.layout = lay_touchpoints,
                             .has_content = content_always,
                             .line_below = &line_of_interaction},
    [JM_LANE_EMOTIONS] = {.layout = lay_emotions, .has_content = content_emotions},
    [JM_LANE_THOUGHTS] = {.layout = lay_tp_text, .has_content = content_thoughts},
    [JM_LANE_PAINS] = {.layout = lay_tp_text, .has_content = content_pains},
    [JM_LANE_OPPORTUNITIES] = {.layout = lay_opportunities, .has_content = content_opportunities},
    [JM_LANE_METRICS] = {.layout = lay_metrics, .has_content = content_metrics},
    [JM_LANE_COMPARE] = {.layout = lay_compare,
                         .has_content = content_compare,
                         .compare_only = true},
    [JM_LANE_EVIDENCE] = {.layout = lay_items, .has_content = has_items},
    [JM_LANE_FRONTSTAGE] = {.layout = lay_items, .has_content = has_items},
    [JM_LANE_BACKSTAGE] = {.layout = lay_items,
                           .has_content = has_items,
                           .line_above = &line_of_visibility},
    [JM_LANE_SUPPORT] = {.layout = lay_items,
                         .has_content = has_items,
                         .line_above = &line_of_internal},
    [JM_LANE_CUSTOM] = {.layout = lay_items, .has_content = has_items},
};

static const struct lane_row *row_of(jm_lane_type lt)
{
    return &lane_rows[(unsigned)lt < JM_LANE__COUNT ? (unsigned)lt : JM_LANE_CUSTOM];
}

bool jm_lo_lane_has_content(builder *b, jm_lane_type lt, long custom)
{
    return row_of(lt)->has_content(b, lt, custom);
}

bool jm_lo_lane_in_state(builder *b, jm_lane_type lt)
{
    return !row_of(lt)->compare_only || b->lo->state == JM_STATE_COMPARE;
}

size_t jm_lo_lane_line_above(builder *b, jm_lane_type lt)
{
    const struct lane_row *row = row_of(lt);
    return row->line_above && !b->line_above_drawn[row - lane_rows];
}

size_t jm_lo_lane_lines(builder *b, jm_lane_type lt)
{
    return jm_lo_lane_line_above(b, lt) + (row_of(lt)->line_below != NULL);
}

void jm_lo_layout_lane(builder *b, const jm_lane *lane, long custom)
{
    const struct lane_row *row = row_of(lane->type);
    unsigned t = (unsigned)(row - lane_rows);
    if (row->line_above && !b->line_above_drawn[t]) { /* once, above the first such lane */
        b->line_above_drawn[t] = true;
        jm_lo_divider(b, L(b, row->line_above->en, row->line_above->ru));
    }
    if (b->blank)
        jm_lo_blank_lane(b, lane, custom);
    else
        row->layout(b, lane, custom);
    if (row->line_below)
        jm_lo_divider(b, L(b, row->line_below->en, row->line_below->ru));
}
