/* Choosing the page cuts (see page_cuts.h): what the layout offers to cut along, splitting a
 * span at the fewest cuts, and the scale and orientation of --pages. Reads the layout's
 * elements and never draws. */
#include "page_cuts.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "util/util.h"

/* ---- What the layout offers to cut along -------------------------------------------------- */

static bool is(const jm_element *e, const char *kind) { return e->kind && !strcmp(e->kind, kind); }

static bool cut_add(cuts *c, double v) { return JM_PUSH(c->v, c->n, c->cap, v); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void cuts_sort(cuts *c)
{
    if (c->n)
        qsort(c->v, c->n, sizeof *c->v, cmp_double);
}

/* A text's width as set (its logical extent), which is less than its box for a short text in
 * a wide box such as the title. */
static double text_extent(const jm_element *e)
{
    if (!e->layout)
        return e->w;
    PangoRectangle logical;
    pango_layout_get_extents(e->layout, NULL, &logical);
    double w = (double)(logical.x + logical.width) / PANGO_SCALE;
    return fmin(fmax(w, 0), e->w);
}

double jm_cut_font_size(const jm_element *e)
{
    const PangoFontDescription *fd = pango_layout_get_font_description(e->layout);
    return fd ? (double)pango_font_description_get_size(fd) / PANGO_SCALE : 0;
}

static void grow(rect *r, bool *any, double x0, double y0, double x1, double y1)
{
    if (!*any) {
        *r = (rect){x0, y0, x1 - x0, y1 - y0};
        *any = true;
        return;
    }
    double rx1 = fmax(r->x + r->w, x1), ry1 = fmax(r->y + r->h, y1);
    r->x = fmin(r->x, x0);
    r->y = fmin(r->y, y0);
    r->w = rx1 - r->x;
    r->h = ry1 - r->y;
}

/* Merged x-extents of the cards; the gaps between them are where a stage can be cut. */
static bool slot_gaps(const jm_layout *lo, map_parts *mp)
{
    cuts lefts = {0};
    for (size_t i = 0; i < lo->n; i++)
        if (is(&lo->el[i], "card") && !cut_add(&lefts, (double)i))
            goto oom;
    /* Sort card indices by x. */
    size_t n = lefts.n;
    rect *r = jm_calloc(n ? n : 1, sizeof *r);
    if (!r)
        goto oom;
    for (size_t k = 0; k < n; k++) {
        const jm_element *e = &lo->el[(size_t)lefts.v[k]];
        r[k] = (rect){e->x, 0, e->w, 0};
    }
    for (size_t k = 1; k < n; k++)
        for (size_t j = k; j > 0 && r[j].x < r[j - 1].x; j--) {
            rect t = r[j];
            r[j] = r[j - 1];
            r[j - 1] = t;
        }
    double right = n ? r[0].x + r[0].w : 0;
    for (size_t k = 1; k < n; k++) {
        if (r[k].x > right && !cut_add(&mp->slot_cuts, (right + r[k].x) / 2)) {
            jm_free(r);
            goto oom;
        }
        right = fmax(right, r[k].x + r[k].w);
    }
    jm_free(r);
    jm_free(lefts.v);
    return true;
oom:
    jm_free(lefts.v);
    return false;
}

void jm_cut_parts_free(map_parts *mp)
{
    jm_free(mp->stage_cuts.v);
    jm_free(mp->slot_cuts.v);
    jm_free(mp->lane_cuts.v);
    jm_free(mp->personas);
    jm_free(mp->names);
    jm_free(mp->headers);
}

/* False when out of memory; mp->ok false when the layout has no grid to cut (no stage). */
bool jm_cut_parts_find(const jm_layout *lo, map_parts *mp)
{
    memset(mp, 0, sizeof *mp);
    mp->lo = lo;
    mp->smallest_font = INFINITY;
    size_t first_stage = lo->n;
    bool *in_persona = jm_calloc(lo->n ? lo->n : 1, sizeof *in_persona);
    if (!in_persona)
        return false;
    bool any_label = false, any_left = false;
    double label_bottom_first = 0, label_top_first = INFINITY;
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *e = &lo->el[i];
        if (e->parent >= 0 && (size_t)e->parent < i && in_persona[e->parent])
            in_persona[i] = true;
        if (e->layout && e->parent >= 0 && is(&lo->el[e->parent], "stage_header") &&
            (!mp->n_names || mp->headers[mp->n_names - 1].x != lo->el[e->parent].x)) {
            const jm_element *hd = &lo->el[e->parent];
            rect name = {e->x, e->y, text_extent(e), e->h}, box = {hd->x, hd->y, hd->w, hd->h};
            size_t n = mp->n_names;
            if (!JM_PUSH(mp->headers, n, mp->cap_headers, box) ||
                !JM_PUSH(mp->names, mp->n_names, mp->cap_names, name))
                goto oom;
        }
        if (e->layout) {
            double fs = jm_cut_font_size(e);
            if (fs > 0 && fs < mp->smallest_font)
                mp->smallest_font = fs;
            if (!mp->pc)
                mp->pc = pango_layout_get_context(e->layout);
        }
        if (is(e, "stage") && e->parent == 0) {
            if (first_stage == lo->n) {
                first_stage = i;
                mp->grid_left = e->x;
                mp->grid_top = e->y;
                mp->grid_bottom = e->y + e->h;
            }
            mp->grid_right = e->x + e->w;
            if (!cut_add(&mp->stage_cuts, e->x))
                goto oom;
        } else if (is(e, "lane_label")) {
            if (!any_label || e->y < label_top_first) {
                label_top_first = e->y;
                label_bottom_first = e->y + e->h;
                mp->label_x = e->x;
            }
            any_label = true;
            if (!cut_add(&mp->lane_cuts, e->y) || !cut_add(&mp->lane_cuts, e->y + e->h))
                goto oom;
        } else if (is(e, "footer") && e->text && *e->text) {
            mp->footer = e->text;
        } else if (is(e, "persona")) {
            in_persona[i] = true;
            rect r = {e->x, e->y, e->w, e->h};
            if (!JM_PUSH(mp->personas, mp->n_personas, mp->cap_personas, r))
                goto oom;
        }
    }
    /* The header: everything before the stage columns that is not a persona card. */
    for (size_t i = 1; i < first_stage; i++) {
        const jm_element *e = &lo->el[i];
        if (in_persona[i] || is(e, "legend") || (e->w <= 0 && e->h <= 0))
            continue;
        double w = e->layout ? text_extent(e) : e->w;
        grow(&mp->left_block, &any_left, e->x, e->y, e->x + w, e->y + e->h);
        if (is(e, "title"))
            mp->title = (rect){e->x, e->y, w, e->h};
    }
    jm_free(in_persona);
    in_persona = NULL;
    if (first_stage == lo->n || !any_label)
        return true;
    if (!cut_add(&mp->stage_cuts, mp->grid_right) || !slot_gaps(lo, mp))
        goto oom;
    mp->head_bottom = fmin(fmax(label_bottom_first, mp->grid_top), mp->grid_bottom);
    /* Lane boundaries under the stage headers only. */
    size_t k = 0;
    for (size_t i = 0; i < mp->lane_cuts.n; i++)
        if (mp->lane_cuts.v[i] > mp->head_bottom && mp->lane_cuts.v[i] < mp->grid_bottom)
            mp->lane_cuts.v[k++] = mp->lane_cuts.v[i];
    mp->lane_cuts.n = k;
    if (!cut_add(&mp->lane_cuts, mp->grid_bottom))
        goto oom;
    cuts_sort(&mp->stage_cuts);
    cuts_sort(&mp->slot_cuts);
    cuts_sort(&mp->lane_cuts);
    if (!isfinite(mp->smallest_font))
        mp->smallest_font = 0;
    mp->ok = mp->grid_right > mp->grid_left && mp->grid_bottom > mp->head_bottom &&
             mp->grid_left >= mp->label_x;
    return true;
oom:
    jm_free(in_persona);
    return false;
}

/* ---- Splitting ---------------------------------------------------------------------------- */

/* The farthest cut of c in (from, from + span]; NAN when none. */
static double farthest(const cuts *c, double from, double span)
{
    double best = NAN;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i] > from + EPS && c->v[i] <= from + span + EPS)
            best = c->v[i];
    return best;
}

/* Splits [from, to] into pieces of at most `span`: at a primary cut when one is in reach,
 * else at a secondary one, else wherever the span ends. Writes the ends into out (may be
 * NULL) and returns how many pieces; 0 when span is not positive. */
static size_t split(double from, double to, double span, const cuts *primary, const cuts *secondary,
                    cuts *out)
{
    if (!(span > 0))
        return 0;
    size_t n = 0;
    while (from < to - EPS) {
        double end = to <= from + span + EPS ? to : farthest(primary, from, span);
        if (isnan(end) && secondary)
            end = farthest(secondary, from, span);
        if (isnan(end))
            end = from + span;
        if (out && !cut_add(out, end))
            return 0;
        n++;
        from = end;
        if (n > 100000) /* a page smaller than a hair */
            return 0;
    }
    return n;
}

/* Splits [from, to] into the fewest pieces of at most `span` that end at a primary or a
 * secondary cut (wherever the span ends when no cut is in reach); among as many pieces, the
 * fewest ends off the primary cuts, and each piece as long as that allows, so that a page ends
 * at a stage boundary unless filling it saves a page, and a page is never left short when the
 * next stage would fit. Writes the ends into out (may be NULL) and returns how many pieces; 0
 * when span is not positive. Greedy cutting at the farthest cut in reach would give as few
 * pieces but no say in where they end; this is a shortest path over the cuts, from the end. */
static size_t split_fewest(double from, double to, double span, const cuts *primary,
                           const cuts *secondary, cuts *out)
{
    if (!(span > 0))
        return 0;
    /* The cuts strictly inside (from, to), sorted and merged, then `to`. */
    size_t cap = primary->n + secondary->n + 2, n = 0;
    double *at = jm_calloc(cap, sizeof *at);
    bool *prim = jm_calloc(cap, sizeof *prim);
    size_t *pieces = jm_calloc(cap, sizeof *pieces), *off = jm_calloc(cap, sizeof *off),
           *next = jm_calloc(cap, sizeof *next);
    if (!at || !prim || !pieces || !off || !next) { /* no room to plan: cut greedily */
        jm_free(at);
        jm_free(prim);
        jm_free(pieces);
        jm_free(off);
        jm_free(next);
        return split(from, to, span, primary, secondary, out);
    }
    at[n++] = from;
    size_t a = 0, b = 0;
    while (a < primary->n || b < secondary->n) {
        bool take_p =
            b >= secondary->n || (a < primary->n && primary->v[a] <= secondary->v[b] + EPS);
        double v = take_p ? primary->v[a++] : secondary->v[b++];
        if (v <= from + EPS || v >= to - EPS)
            continue;
        if (v <= at[n - 1] + EPS) { /* the same place: a stage boundary wins */
            prim[n - 1] = prim[n - 1] || take_p;
            continue;
        }
        at[n] = v;
        prim[n++] = take_p;
    }
    at[n] = to;
    prim[n++] = true;
    /* pieces[i], off[i]: the best split of [at[i], to]; next[i] where its first piece ends. */
    size_t last = n - 1;
    for (size_t i = last; i-- > 0;) {
        pieces[i] = SIZE_MAX;
        for (size_t j = i + 1; j < n && at[j] <= at[i] + span + EPS; j++) {
            size_t p = pieces[j] + 1, o = off[j] + (j != last && !prim[j]);
            if (p < pieces[i] || (p == pieces[i] && o <= off[i])) { /* ties: the farther end */
                pieces[i] = p;
                off[i] = o;
                next[i] = j;
            }
        }
        if (pieces[i] == SIZE_MAX) { /* nothing in reach: cut the gap wherever the span ends */
            double k = ceil((at[i + 1] - at[i]) / span - EPS);
            size_t forced = k > 100000 ? 100000 : (size_t)k;
            pieces[i] = pieces[i + 1] + forced;
            off[i] = off[i + 1] + forced - 1 + (i + 1 != last && !prim[i + 1]);
            next[i] = i + 1;
        }
    }
    size_t total = pieces[0];
    for (size_t i = 0; out && i < last && total <= 100000; i = next[i]) {
        size_t j = next[i];
        for (size_t m = 1; m < pieces[i] - pieces[j]; m++) /* a gap cut where the span ends */
            if (!cut_add(out, at[i] + (double)m * span))
                total = 0;
        if (!cut_add(out, at[j]))
            total = 0;
    }
    jm_free(at);
    jm_free(prim);
    jm_free(pieces);
    jm_free(off);
    jm_free(next);
    return total > 100000 ? 0 : total; /* a page smaller than a hair */
}

/* The first page's header band at scale s: the title block, then the persona cards in rows,
 * each card shrunk only when wider than the page; the cards start a row of their own when
 * they do not all fit beside the title block but do fit in one row (else the last card of two
 * would sit alone under the first). */
static void plan_band(const map_parts *mp, double s, double cw, paged *p)
{
    p->n_fb = 0;
    double x = 0, y = 0, row_h = 0, cards_w = 0;
    size_t n = mp->n_personas < JM_MAX_PERSONAS ? mp->n_personas : JM_MAX_PERSONAS;
    for (size_t i = 0; i < n; i++)
        cards_w += fmin(mp->personas[i].w * s, cw) + (i ? HEADER_GAP : 0);
    for (size_t i = 0; i <= n; i++) {
        rect r = i == 0 ? mp->left_block : mp->personas[i - 1];
        if (r.w <= 0 || r.h <= 0)
            continue;
        double ps = fmin(s, cw / r.w);
        bool own_row = i == 1 && x + cards_w > cw + EPS && cards_w <= cw + EPS;
        if (x > 0 && (x + r.w * ps > cw || own_row)) {
            x = 0;
            y += row_h + HEADER_GAP;
            row_h = 0;
        }
        p->first_band[p->n_fb] = r;
        p->fb_x[p->n_fb] = x;
        p->fb_y[p->n_fb] = y;
        p->fb_s[p->n_fb++] = ps;
        x += r.w * ps + HEADER_GAP;
        row_h = fmax(row_h, r.h * ps);
    }
    p->first_h = y + row_h;
    p->title_s = mp->title.w > 0 ? fmin(s, cw / mp->title.w) : s;
    p->title_h = mp->title.h * p->title_s;
}

/* Plans pages at scale s on a cw×ch content box; returns the number of pages, or 0 when the
 * grid cannot be placed at that scale. */
static size_t plan_grid(const map_parts *mp, paged *p, double cw, double ch, cuts *xs, cuts *ys)
{
    double s = p->s;
    double label_w = mp->grid_left - mp->label_x, head_h = mp->head_bottom - mp->grid_top;
    p->span_x = (cw - label_w * s) / s;
    p->span_y = (ch - p->band - BAND_GAP - head_h * s) / s;
    size_t cols =
        split_fewest(mp->grid_left, mp->grid_right, p->span_x, &mp->stage_cuts, &mp->slot_cuts, xs);
    size_t rows = split(mp->head_bottom, mp->grid_bottom, p->span_y, &mp->lane_cuts, NULL, NULL);
    if (ys && rows > 1) {
        /* As many rows, as even as the lanes allow: the shortest span that still needs no
         * more rows, so that the last row is not a sliver. */
        double lo = (mp->grid_bottom - mp->head_bottom) / (double)rows, hi = p->span_y;
        for (int it = 0; it < 30; it++) {
            double mid = (lo + hi) / 2;
            if (split(mp->head_bottom, mp->grid_bottom, mid, &mp->lane_cuts, NULL, NULL) == rows)
                hi = mid;
            else
                lo = mid;
        }
        p->span_y = hi;
    }
    if (ys)
        split(mp->head_bottom, mp->grid_bottom, p->span_y, &mp->lane_cuts, NULL, ys);
    return cols * rows;
}

/* Plans pages at scale s on a cw×ch content box; returns the number of pages, or 0 when the
 * grid cannot be placed at that scale. The header (subtitle, legend, persona cards) goes on
 * the first page above the grid, or on a cover page of its own when that takes fewer pages
 * (a tall header would otherwise shorten every page's grid). */
size_t jm_cut_plan(const map_parts *mp, double s, double cw, double ch, paged *p, cuts *xs,
                   cuts *ys)
{
    p->s = s;
    plan_band(mp, s, cw, p);
    p->cover = false;
    p->band = fmax(p->first_h, p->title_h);
    size_t inline_n = plan_grid(mp, p, cw, ch, NULL, NULL);
    size_t cover_n = 0;
    if (p->first_h <= ch && p->first_h > p->title_h + EPS) {
        p->band = p->title_h;
        size_t grid = plan_grid(mp, p, cw, ch, NULL, NULL);
        cover_n = grid ? 1 + grid : 0;
    }
    p->cover = cover_n && (inline_n == 0 || cover_n < inline_n);
    p->band = p->cover ? p->title_h : fmax(p->first_h, p->title_h);
    if (xs || ys)
        plan_grid(mp, p, cw, ch, xs, ys);
    return p->cover ? cover_n : inline_n;
}

/* The largest scale in [lo, hi] at which at most n pages hold the map; 0 when none does. */
static double largest_scale(const map_parts *mp, double lo, double hi, double cw, double ch,
                            size_t n)
{
    paged p;
    size_t k = jm_cut_plan(mp, lo, cw, ch, &p, NULL, NULL);
    if (k == 0 || k > n)
        return 0;
    for (int it = 0; it < 40; it++) {
        double mid = (lo + hi) / 2;
        k = jm_cut_plan(mp, mid, cw, ch, &p, NULL, NULL);
        if (k && k <= n)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The scale of `--pages auto`: the fewest pages with the smallest text at JM_PAGES_MIN_TEXT,
 * then as large as those pages allow; *n the page count. 0 when no scale fits. */
static double auto_scale(const map_parts *mp, double cw, double ch, size_t *n)
{
    double legible = mp->smallest_font > 0 ? JM_PAGES_MIN_TEXT / mp->smallest_font : 1;
    paged p;
    *n = jm_cut_plan(mp, legible, cw, ch, &p, NULL, NULL);
    if (*n == 0)
        return 0;
    return largest_scale(mp, legible, MAX_SCALE, cw, ch, *n);
}

/* The smallest text of the header band at plan p's scales (a persona card wider than the page
 * shrinks, so does the title); INFINITY when the band has no text. */
static double band_smallest(const map_parts *mp, const paged *p)
{
    double best = INFINITY;
    for (size_t i = 0; i < mp->lo->n; i++) {
        const jm_element *e = &mp->lo->el[i];
        double fs = e->layout && e->text && *e->text ? jm_cut_font_size(e) : 0;
        if (!(fs > 0))
            continue;
        for (size_t b = 0; b <= p->n_fb; b++) {
            const rect *r = b < p->n_fb ? &p->first_band[b] : &mp->title;
            double sc = b < p->n_fb ? p->fb_s[b] : p->title_s;
            if (e->x < r->x + r->w && e->x + e->w > r->x && e->y < r->y + r->h &&
                e->y + e->h > r->y)
                best = fmin(best, fs * sc);
        }
    }
    return best;
}

/* --pages on pw×ph (landscape), want pages (JM_PAGES_AUTO or N): landscape or portrait,
 * whichever the whole document takes fewer pages in (auto) or larger text on (N); ties go to
 * the larger text, then to landscape. With auto, an orientation whose header band would have
 * to shrink under JM_PAGES_MIN_TEXT (persona cards wider than a portrait page) loses. */
pages_choice jm_cut_choose(const map_parts *mp, double pw, double ph, int want)
{
    pages_choice best = {pw, ph, 0, 0, false};
    for (int turn = 0; turn < 2 && mp->ok; turn++) {
        pages_choice c = {turn ? ph : pw, turn ? pw : ph, 0, 0, false};
        double cw = c.w - 2 * SHEET_MARGIN, ch = c.h - 2 * SHEET_MARGIN;
        if (want < 0) {
            c.s = auto_scale(mp, cw, ch, &c.n);
        } else {
            paged p;
            c.s = largest_scale(mp, 1e-3, MAX_SCALE, cw, ch, (size_t)want);
            c.n = c.s > 0 ? jm_cut_plan(mp, c.s, cw, ch, &p, NULL, NULL) : 0;
        }
        if (!(c.s > 0))
            continue;
        if (want < 0) {
            paged p;
            jm_cut_plan(mp, c.s, cw, ch, &p, NULL, NULL);
            c.legible = band_smallest(mp, &p) >= JM_PAGES_MIN_TEXT - EPS;
        }
        bool better = c.legible != best.legible   ? c.legible
                      : want < 0 && c.n != best.n ? c.n < best.n
                                                  : c.s > best.s * (1 + 1e-9);
        if (!(best.s > 0) || better)
            best = c;
    }
    return best;
}

/* The number of pages `--pages auto` would give on this page size; 0 when none. */
size_t jm_cut_auto_count(const map_parts *mp, double pw, double ph)
{
    return jm_cut_choose(mp, pw, ph, JM_PAGES_AUTO).n;
}
