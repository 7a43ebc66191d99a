/* The overview layout for dense maps: the stages are the columns, and inside a stage every
 * lane's boxes flow into a few card-wide columns (the least filled first, so they read left to
 * right, then down, in time order) instead of one slot per touchpoint. A box tied to a
 * touchpoint carries the touchpoint's number, 1..n in time order, as its card does. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"

/* The automatic choice (jm_layout_kind), measured on generated maps of 6 stages with 4 to 15
 * channels (man 1, CHANGELOG): from 3 touchpoints a stage the detail map is wider than 3 : 1
 * and prints at 3.3 pt or less on A3, yet hand-made maps of up to 4.5 touchpoints a stage
 * (the examples, up to 16 channels) read well in detail; from 6 a stage the detail map is
 * past 5 : 1 and under 2 pt on A3 while the overview prints at 6.6 pt or more. The channel
 * count does not decide: both layouts give each channel a lane. */
enum { AUTO_TOUCHPOINTS_PER_STAGE = 5 };

bool jm_lo_overview_wanted(const jm_map *m, jm_layout_kind asked)
{
    if (asked != JM_LAYOUT_AUTO)
        return asked == JM_LAYOUT_OVERVIEW;
    return m->n_stages && m->n_touchpoints > AUTO_TOUCHPOINTS_PER_STAGE * m->n_stages;
}

/* The text lanes whose boxes are counted when choosing the columns. */
enum { TEXT_ACTION, TEXT_THOUGHT, TEXT_PAIN, TEXT_OPPORTUNITY, TEXT_METRICS, TEXT__COUNT };

/* What the choice of columns counts, per stage and per channel lane. */
typedef struct column_counts {
    size_t ns, nc;      /* stages; channel lanes (the map's channels + "no channel") */
    long *first, *next; /* each channel lane's touchpoints in time order: first[c], next[i] */
    long *last;         /* while chaining: each lane's last touchpoint */
    size_t *cnt;        /* scratch, per stage, zero between uses */
    size_t *text;       /* per stage and TEXT_ lane: touchpoints with boxes in it */
    size_t *demand;     /* per stage: the most boxes one lane has there (at least 1) */
} column_counts;

static void column_counts_free(column_counts *cc)
{
    jm_free(cc->first);
    jm_free(cc->last);
    jm_free(cc->next);
    jm_free(cc->cnt);
    jm_free(cc->demand);
    jm_free(cc->text);
}

/* Chains each channel lane's touchpoints and counts the text lanes' boxes by stage. */
static void count_boxes(builder *b, column_counts *cc)
{
    const jm_map *m = b->m;
    for (size_t c = 0; c < cc->nc; c++)
        cc->first[c] = cc->last[c] = -1;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        size_t c = tp->channel >= 0 ? (size_t)tp->channel : cc->nc - 1;
        cc->next[i] = -1;
        if (cc->last[c] >= 0)
            cc->next[cc->last[c]] = (long)i;
        else
            cc->first[c] = (long)i;
        cc->last[c] = (long)i;
        jm_tp_view v;
        jm_tp_view_get(m, tp, b->view, &v);
        size_t *row = &cc->text[tp->stage * TEXT__COUNT];
        row[TEXT_ACTION] += v.action->n > 0;
        row[TEXT_THOUGHT] += v.thought->n > 0;
        row[TEXT_PAIN] += v.pain->n > 0;
        row[TEXT_OPPORTUNITY] += v.opportunity->n > 0;
        row[TEXT_METRICS] += v.metrics->n > 0;
    }
}

/* demand[s]: the most boxes one lane (text or channel) has in stage s; returns the most of
 * all stages. */
static size_t stage_demand(const jm_map *m, column_counts *cc)
{
    for (size_t s = 0; s < cc->ns; s++) {
        cc->demand[s] = 1;
        for (size_t k = 0; k < TEXT__COUNT; k++)
            cc->demand[s] = cc->demand[s] > cc->text[s * TEXT__COUNT + k]
                                ? cc->demand[s]
                                : cc->text[s * TEXT__COUNT + k];
    }
    for (size_t c = 0; c < cc->nc; c++) {
        for (long i = cc->first[c]; i >= 0; i = cc->next[i])
            cc->cnt[m->touchpoints[i].stage]++;
        for (long i = cc->first[c]; i >= 0; i = cc->next[i]) {
            size_t s = m->touchpoints[i].stage;
            if (cc->cnt[s] > cc->demand[s])
                cc->demand[s] = cc->cnt[s];
            cc->cnt[s] = 0;
        }
    }
    size_t most = 1;
    for (size_t s = 0; s < cc->ns; s++)
        most = cc->demand[s] > most ? cc->demand[s] : most;
    return most;
}

/* The scale at which the map would print on a landscape page (√2 : 1) with at most r boxes
 * stacked in a lane of a stage, from the estimated width and height. */
static double print_scale(builder *b, column_counts *cc, size_t r)
{
    const jm_map *m = b->m;
    const jm_theme *t = b->t;
    /* Estimated heights: a card is a title line, a text box two lines of body text. */
    double pad = t->padding * 1.5, card_h = t->font_card_title.size * 1.3 + pad + 4;
    double box_h = t->font_body.size * 1.3 * 2 + pad + 4;
    double fixed_h = 2 * t->margin + 160 + t->stage_header_height + t->emotion_height + 80;
    double slot_w = t->card_width + t->gap;
    double w = 2 * t->margin + t->lane_label_width, h = fixed_h;
    for (size_t s = 0; s < cc->ns; s++)
        w += (double)((cc->demand[s] + r - 1) / r) * slot_w + t->gap;
    for (size_t c = 0; c < cc->nc; c++) {
        if (cc->first[c] < 0)
            continue;
        size_t rows = 0;
        for (long i = cc->first[c]; i >= 0; i = cc->next[i])
            cc->cnt[m->touchpoints[i].stage]++;
        for (long i = cc->first[c]; i >= 0; i = cc->next[i]) {
            size_t s = m->touchpoints[i].stage, k = (cc->demand[s] + r - 1) / r;
            size_t need = (cc->cnt[s] + k - 1) / k;
            rows = need > rows ? need : rows;
        }
        for (long i = cc->first[c]; i >= 0; i = cc->next[i])
            cc->cnt[m->touchpoints[i].stage] = 0;
        h += (double)rows * card_h + 2 * t->gap;
    }
    for (size_t k = 0; k < TEXT__COUNT; k++) {
        size_t rows = 0;
        for (size_t s = 0; s < cc->ns; s++) {
            size_t cs = (cc->demand[s] + r - 1) / r, n = cc->text[s * TEXT__COUNT + k];
            rows = (n + cs - 1) / cs > rows ? (n + cs - 1) / cs : rows;
        }
        if (rows)
            h += (double)rows * box_h + 2 * t->gap;
    }
    return fmin(1.41421356 / w, 1 / h);
}

/* How many card columns each stage gets. Every lane in a stage stacks at most R boxes when the
 * stage is ceil(demand / R) columns wide, demand being the most boxes one lane has there. For
 * R = 1, 2, … the map's size is estimated from the rows each lane then needs, and the R whose
 * map would print largest on a landscape page (√2 : 1) is kept: wide enough that lanes are not
 * towers, narrow enough that the map is not a strip. */
bool jm_lo_overview_columns(builder *b)
{
    const jm_map *m = b->m;
    size_t ns = m->n_stages, nt = m->n_touchpoints;
    column_counts cc = {.ns = ns, .nc = m->n_channels + 1}; /* + no channel */
    cc.first = jm_malloc(cc.nc * sizeof *cc.first);
    cc.last = jm_malloc(cc.nc * sizeof *cc.last);
    cc.next = jm_malloc((nt ? nt : 1) * sizeof *cc.next);
    cc.cnt = jm_calloc(ns, sizeof *cc.cnt);
    cc.demand = jm_calloc(ns, sizeof *cc.demand);
    cc.text = jm_calloc(ns * TEXT__COUNT, sizeof *cc.text);
    size_t *cols = jm_calloc(ns, sizeof *cols);
    bool ok = cc.first && cc.last && cc.next && cc.cnt && cc.demand && cc.text && cols;
    if (!ok)
        goto done;
    count_boxes(b, &cc);
    size_t most = stage_demand(m, &cc), max_rows = most < 12 ? most : 12;
    double best = -1;
    for (size_t r = 1; r <= max_rows; r++) {
        double scale = print_scale(b, &cc, r);
        if (scale > best) {
            best = scale;
            for (size_t s = 0; s < ns; s++)
                cols[s] = (cc.demand[s] + r - 1) / r;
        }
    }
    b->n_cols = 0;
    for (size_t s = 0; s < ns; s++) {
        b->stage_slots[s] = cols[s];
        b->stage_first_slot[s] = b->n_cols;
        b->n_cols += cols[s];
    }
    b->col_x = jm_calloc(b->n_cols ? b->n_cols : 1, sizeof *b->col_x);
    ok = b->col_x != NULL;
done:
    column_counts_free(&cc);
    jm_free(cols);
    return ok;
}

place jm_lo_place(builder *b, lane_ctx *lc, size_t tp, double detail_y)
{
    place p = {b->slot_x[tp], detail_y, -1};
    if (!b->overview)
        return p;
    size_t s = b->m->touchpoints[tp].stage, c0 = b->stage_first_slot[s];
    p.x = b->col_x[c0];
    if (!lc->col_y)
        return p; /* out of memory: the layout fails */
    size_t best = c0;
    for (size_t c = c0 + 1; c < c0 + b->stage_slots[s]; c++)
        if (lc->col_y[c] < lc->col_y[best] - 0.01)
            best = c;
    p.x = b->col_x[best];
    p.y = lc->col_y[best];
    p.col = (long)best;
    return p;
}

void jm_lo_placed(lane_ctx *lc, const place *p, double bottom)
{
    if (p->col >= 0 && lc->col_y)
        lc->col_y[p->col] = bottom + 2;
    jm_lo_lane_note(lc, bottom);
}

/* Boxes of a stage that follow go below y (under the stage-wide boxes of the lane). */
void jm_lo_flow_floor(builder *b, lane_ctx *lc, size_t stage, double y)
{
    if (!b->overview || !lc->col_y)
        return;
    size_t c0 = b->stage_first_slot[stage];
    for (size_t c = c0; c < c0 + b->stage_slots[stage]; c++)
        lc->col_y[c] = fmax(lc->col_y[c], y);
}

/* The touchpoint's number in a dark pill at (x, y); returns the width it takes, gap
 * included, and its height in *height (may be NULL). */
double jm_lo_number_badge(builder *b, size_t number, double x, double y, long parent,
                          double *height)
{
    const jm_theme *t = b->t;
    char num[32];
    snprintf(num, sizeof num, "%zu", number);
    double tw = jm_lo_text_width(b, ROLE_SMALL_BOLD, num) + 1;
    long pill =
        jm_lo_shape(b, "number", JM_SHAPE_RECT, x, y, 0, 0, parent, NULL, t->card_title, NONE, 0);
    long te = jm_lo_text_el(b, "text", ROLE_SMALL_BOLD, num, x, y + 1, tw, t->background, pill,
                            NULL, PANGO_ALIGN_CENTER);
    if (pill < 0 || te < 0)
        return 0;
    double h = jm_lo_text_h(b, te) + 2, w = fmax(tw + 4, h);
    jm_element *pe = jm_lo_el_at(b, pill);
    pe->w = w;
    pe->h = h;
    pe->radius = h / 2;
    pe->has_value = true;
    pe->value = (double)number;
    jm_lo_el_at(b, te)->x = x + (w - tw) / 2;
    if (height)
        *height = h;
    return w + 4;
}
