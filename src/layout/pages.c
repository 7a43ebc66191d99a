/* Paper: a laid-out map cut into printed sheets, as pure geometry (see pages.h). Reads the
 * layout's elements (stage columns, lane labels, cards, the header) and never draws. */
#include "pages.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/util.h"

#define SHEET_MARGIN 24.0    /* points between the sheet's edge and what is printed */
#define BAND_GAP 8.0         /* points between the header band and the grid on a page */
#define HEADER_GAP 12.0      /* points between pieces of the first page's header band */
#define POSTER_OVERLAP 28.0  /* points (about 1 cm) each poster sheet shares with the next */
#define MARK_LEN 12.0        /* cut and alignment marks, points */
#define MARK_TEXT 7.5        /* the sheets' own texts (page number, sheet name), points */
#define SHEET_NAME_TEXT 14.0 /* a poster sheet's name ("B3"), points */
#define MAX_SCALE 8.0        /* no page draws the map larger than this */
#define FOOTER_ROOM 110.0    /* points kept free of the footer for "page k of n" */
#define COVER_GROW 2.0       /* a cover page's header band grows at most this much */

/* ---- Page sizes --------------------------------------------------------------------------- */

static const struct {
    const char *name;
    double w, h;
} page_sizes[] = {
    [JM_PAGE_AUTO] = {"auto", 0, 0},         [JM_PAGE_A4] = {"A4", 842, 595},
    [JM_PAGE_A3] = {"A3", 1191, 842},        [JM_PAGE_A2] = {"A2", 1684, 1191},
    [JM_PAGE_LETTER] = {"Letter", 792, 612}, [JM_PAGE_TABLOID] = {"Tabloid", 1224, 792},
    [JM_PAGE_A1] = {"A1", 2384, 1684},       [JM_PAGE_A0] = {"A0", 3370, 2384},
};
#define N_PAGE_SIZES (sizeof page_sizes / sizeof page_sizes[0])

bool jm_page_size(jm_page page, double *w, double *h)
{
    if (page <= JM_PAGE_AUTO || (size_t)page >= N_PAGE_SIZES)
        return false;
    *w = page_sizes[page].w;
    *h = page_sizes[page].h;
    return true;
}

const char *jm_page_name(jm_page page)
{
    return (size_t)page < N_PAGE_SIZES ? page_sizes[page].name : "?";
}

/* ---- What the layout offers to cut along -------------------------------------------------- */

typedef struct rect {
    double x, y, w, h;
} rect;

typedef struct cuts {
    double *v;
    size_t n, cap;
} cuts;

/* The map as pages see it. Map points throughout. */
typedef struct map_parts {
    const jm_layout *lo;
    bool ok;
    double label_x, grid_left, grid_right; /* lane label column: label_x … grid_left */
    double grid_top, head_bottom;          /* the stage header lane: grid_top … head_bottom */
    double grid_bottom;
    cuts stage_cuts; /* stage boundaries, grid_left … grid_right */
    cuts slot_cuts;  /* gaps between touchpoint columns, where no card is cut */
    cuts lane_cuts;  /* lane boundaries under head_bottom, … grid_bottom */
    rect title;      /* the title's text */
    rect left_block; /* title, subtitle and legend */
    rect *personas;  /* the persona cards */
    size_t n_personas, cap_personas;
    rect *names;   /* each stage header's name … */
    rect *headers; /* … and the header (chevron) it is written in */
    size_t n_names, cap_names, cap_headers;
    double smallest_font; /* pt at map scale */
    const char *footer;   /* the footer line's text (borrowed), NULL when none */
    PangoContext *pc;     /* for the sheets' own texts (borrowed from a text element) */
} map_parts;

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

static double font_size(const jm_element *e)
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

static void parts_free(map_parts *mp)
{
    jm_free(mp->stage_cuts.v);
    jm_free(mp->slot_cuts.v);
    jm_free(mp->lane_cuts.v);
    jm_free(mp->personas);
    jm_free(mp->names);
    jm_free(mp->headers);
}

/* False when out of memory; mp->ok false when the layout has no grid to cut (no stage). */
static bool parts_find(const jm_layout *lo, map_parts *mp)
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
            double fs = font_size(e);
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

#define EPS 1e-6

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

typedef struct paged {
    double s;              /* scale */
    double band;           /* height of the tallest header band (first page's or title) */
    double span_x, span_y; /* map points a page holds, across and down */
    rect first_band[1 + JM_MAX_PERSONAS]; /* the first page's header: pieces' map rectangles … */
    double fb_x[1 + JM_MAX_PERSONAS], fb_y[1 + JM_MAX_PERSONAS],
        fb_s[1 + JM_MAX_PERSONAS]; /* … and where they land */
    size_t n_fb;
    double first_h, title_h; /* band heights on the first and the other pages */
    double title_s;          /* the title line's scale (the title shrinks to the page width) */
    bool cover;              /* the header has a page of its own, before the grid's */
} paged;

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
static size_t plan(const map_parts *mp, double s, double cw, double ch, paged *p, cuts *xs,
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
    size_t k = plan(mp, lo, cw, ch, &p, NULL, NULL);
    if (k == 0 || k > n)
        return 0;
    for (int it = 0; it < 40; it++) {
        double mid = (lo + hi) / 2;
        k = plan(mp, mid, cw, ch, &p, NULL, NULL);
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
    *n = plan(mp, legible, cw, ch, &p, NULL, NULL);
    if (*n == 0)
        return 0;
    return largest_scale(mp, legible, MAX_SCALE, cw, ch, *n);
}

/* ---- Building the sheets ------------------------------------------------------------------ */

typedef struct sheets_ctx {
    const jm_layout *lo;
    const map_parts *mp;
    jm_sheets *sh;
    const jm_theme *t;
    bool ru;
    bool failed;
} sheets_ctx;

static jm_sheet *sheet_add(sheets_ctx *c)
{
    jm_sheets *sh = c->sh;
    jm_sheet blank = {0};
    if (!JM_PUSH(sh->v, sh->n, sh->cap, blank)) {
        c->failed = true;
        return NULL;
    }
    jm_sheet *s = &sh->v[sh->n - 1];
    if (!(s->marks = jm_calloc(1, sizeof *s->marks))) {
        c->failed = true;
        return NULL;
    }
    s->marks->width = sh->w;
    s->marks->height = sh->h;
    s->marks->map = c->lo->map;
    s->marks->state = c->lo->state;
    return s;
}

static void piece_add(sheets_ctx *c, jm_sheet *s, double sx, double sy, double sw, double sh,
                      double px, double py, double scale)
{
    jm_page_piece p = {sx, sy, sw, sh, px, py, scale, true, false};
    if (sw > 0 && sh > 0 && !JM_PUSH(s->piece, s->n_pieces, s->cap_pieces, p))
        c->failed = true;
}

static jm_element *mark_push(sheets_ctx *c, jm_sheet *s, const char *kind)
{
    jm_layout *m = s->marks;
    jm_element e = {0};
    e.kind = kind;
    e.parent = -1;
    e.column = -1;
    if (!JM_PUSH(m->el, m->n, m->cap, e)) {
        c->failed = true;
        return NULL;
    }
    return &m->el[m->n - 1];
}

static void mark_line(sheets_ctx *c, jm_sheet *s, double x0, double y0, double x1, double y1)
{
    jm_element *e = mark_push(c, s, "cut_mark");
    if (!e)
        return;
    e->shape = JM_SHAPE_LINE;
    e->x = x0;
    e->y = y0;
    e->w = x1 - x0;
    e->h = y1 - y0;
    e->stroke = c->t->text;
    e->stroke_width = 0.5;
}

/* A one-line text of the sheet's own at (x, y), w wide, aligned as `align`. */
static void mark_text(sheets_ctx *c, jm_sheet *s, const char *kind, const char *text, double x,
                      double y, double w, double size, PangoAlignment align)
{
    if (!c->mp->pc || !text)
        return;
    jm_element *e = mark_push(c, s, kind);
    if (!e)
        return;
    if (!(e->text = jm_strdup(text))) {
        c->failed = true;
        return;
    }
    PangoLayout *pl = pango_layout_new(c->mp->pc);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, c->t->font_family);
    pango_font_description_set_size(fd, (gint)lround(size * PANGO_SCALE));
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(pl, (int)(w * PANGO_SCALE));
    pango_layout_set_alignment(pl, align);
    pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(pl, text, -1);
    int pw, ph;
    pango_layout_get_size(pl, &pw, &ph);
    e->layout = pl;
    e->x = x;
    e->y = y;
    e->w = w;
    e->h = (double)ph / PANGO_SCALE;
    e->color = c->t->text_muted;
}

/* The smallest text on the sheet: every text element a piece shows, at the piece's scale. */
static void sheet_smallest(const jm_layout *lo, jm_sheet *s)
{
    double best = INFINITY;
    for (size_t k = 0; k < s->n_pieces; k++) {
        const jm_page_piece *p = &s->piece[k];
        for (size_t i = 0; i < lo->n; i++) {
            const jm_element *e = &lo->el[i];
            if (!e->layout || !e->text || !*e->text || e->x >= p->sx + p->sw ||
                e->x + e->w <= p->sx || e->y >= p->sy + p->sh || e->y + e->h <= p->sy)
                continue;
            double fs = font_size(e) * p->scale;
            if (fs > 0 && fs < best)
                best = fs;
        }
    }
    s->smallest_text = isfinite(best) ? best : 0;
}

/* "page k of n" at the bottom right; the map's footer line (under the grid, which pages cut
 * off) at the bottom left of every page, on the same line, so that a "Confidential" reaches
 * every sheet that leaves the room; cut short with an ellipsis before the page number. */
static void page_number(sheets_ctx *c, jm_sheet *s, size_t k, size_t n, double cw)
{
    char label[96];
    snprintf(label, sizeof label, c->ru ? "страница %zu из %zu" : "page %zu of %zu", k, n);
    double y = c->sh->h - SHEET_MARGIN + 6;
    mark_text(c, s, "page_number", label, SHEET_MARGIN, y, cw, MARK_TEXT, PANGO_ALIGN_RIGHT);
    if (c->mp->footer && cw > FOOTER_ROOM)
        mark_text(c, s, "footer", c->mp->footer, SHEET_MARGIN, y, cw - FOOTER_ROOM, MARK_TEXT,
                  PANGO_ALIGN_LEFT);
}

/* A page that starts inside a stage (one stage wider than a page) gets the stage's name again
 * at its left: the name's own rectangle of the map, chevron colour around it included, drawn
 * over the cut header. */
static void stage_name_again(sheets_ctx *c, jm_sheet *s, double x0, double x1, double gx, double gy)
{
    const map_parts *mp = c->mp;
    double sc = s->n_pieces ? s->piece[s->n_pieces - 1].scale : 1;
    for (size_t i = 0; i < mp->n_names; i++) {
        const rect *hd = &mp->headers[i], *nm = &mp->names[i];
        if (!(hd->x < x0 - EPS && x0 < hd->x + hd->w - EPS))
            continue;
        double inset = nm->x - hd->x, w = fmin(nm->w, x1 - x0 - 2 * inset);
        size_t before = s->n_pieces;
        if (w > 0)
            piece_add(c, s, nm->x, nm->y, w, nm->h, gx + inset * sc,
                      gy + (nm->y - mp->grid_top) * sc, sc);
        if (s->n_pieces > before)
            s->piece[before].over = true;
    }
}

static void build_pages(sheets_ctx *c, double s, double cw, double ch)
{
    const map_parts *mp = c->mp;
    paged p;
    cuts xs = {0}, ys = {0};
    size_t n = plan(mp, s, cw, ch, &p, &xs, &ys);
    if (n == 0 || xs.n * ys.n + p.cover != n) {
        c->failed = c->failed || n != 0;
        jm_free(xs.v);
        jm_free(ys.v);
        return;
    }
    c->sh->cols = xs.n;
    c->sh->rows = ys.n;
    double m = SHEET_MARGIN, label_w = mp->grid_left - mp->label_x;
    double head_h = mp->head_bottom - mp->grid_top;
    size_t k = 0;
    if (p.cover) {
        /* A page of its own: the header band grown to fill the page's width (or height), up
         * to COVER_GROW times, rather than a strip at the top of an empty page. */
        double band_w = 0;
        for (size_t b = 0; b < p.n_fb; b++)
            band_w = fmax(band_w, p.fb_x[b] + p.first_band[b].w * p.fb_s[b]);
        double f =
            band_w > 0 && p.first_h > 0
                ? fmax(1, fmin(COVER_GROW, fmin(cw / band_w, (ch - MARK_TEXT * 2) / p.first_h)))
                : 1;
        jm_sheet *sh = sheet_add(c);
        for (size_t b = 0; sh && b < p.n_fb; b++)
            piece_add(c, sh, p.first_band[b].x, p.first_band[b].y, p.first_band[b].w,
                      p.first_band[b].h, m + p.fb_x[b] * f, m + p.fb_y[b] * f, p.fb_s[b] * f);
        if (sh)
            page_number(c, sh, ++k, n, cw);
    }
    for (size_t r = 0; r < ys.n; r++) {
        double y0 = r ? ys.v[r - 1] : mp->head_bottom, y1 = ys.v[r];
        for (size_t col = 0; col < xs.n; col++, k++) {
            double x0 = col ? xs.v[col - 1] : mp->grid_left, x1 = xs.v[col];
            jm_sheet *sh = sheet_add(c);
            if (!sh)
                break;
            double band;
            if (k == 0 && !p.cover) {
                for (size_t b = 0; b < p.n_fb; b++)
                    piece_add(c, sh, p.first_band[b].x, p.first_band[b].y, p.first_band[b].w,
                              p.first_band[b].h, m + p.fb_x[b], m + p.fb_y[b], p.fb_s[b]);
                band = p.first_h;
            } else {
                piece_add(c, sh, mp->title.x, mp->title.y, mp->title.w, mp->title.h, m, m,
                          p.title_s);
                band = p.title_h;
            }
            double gy = m + band + BAND_GAP, gx = m + label_w * s;
            piece_add(c, sh, mp->label_x, mp->grid_top, label_w, head_h, m, gy, s);
            piece_add(c, sh, x0, mp->grid_top, x1 - x0, head_h, gx, gy, s);
            stage_name_again(c, sh, x0, x1, gx, gy);
            piece_add(c, sh, mp->label_x, y0, label_w, y1 - y0, m, gy + head_h * s, s);
            piece_add(c, sh, x0, y0, x1 - x0, y1 - y0, gx, gy + head_h * s, s);
            page_number(c, sh, k + 1, n, cw);
        }
    }
    jm_free(xs.v);
    jm_free(ys.v);
}

/* Sheet names as on a map: column letters (A … Z, AA …), row numbers. */
static void sheet_name(char *out, size_t n, size_t col, size_t row)
{
    char letters[8];
    size_t k = sizeof letters - 1;
    letters[k] = '\0';
    col++;
    while (col && k) {
        letters[--k] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    snprintf(out, n, "%s%zu", letters + k, row + 1);
}

/* Marks of poster sheet (col,row) of cols×rows, content box m…m+cw × m…m+ch: crop marks at
 * the corners, alignment ticks where the next sheet's edge goes, the sheet's name. */
static void poster_marks(sheets_ctx *c, jm_sheet *s, size_t col, size_t row, double cw, double ch,
                         jm_page poster)
{
    double m = SHEET_MARGIN, x0 = m, y0 = m, x1 = m + cw, y1 = m + ch, g = 3;
    const double cx[2] = {x0, x1}, cy[2] = {y0, y1};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double dx = i ? 1 : -1, dy = j ? 1 : -1;
            mark_line(c, s, cx[i] + dx * g, cy[j], cx[i] + dx * (g + MARK_LEN), cy[j]);
            mark_line(c, s, cx[i], cy[j] + dy * g, cx[i], cy[j] + dy * (g + MARK_LEN));
        }
    /* Where the right and lower neighbours' cut edges are laid. */
    if (col + 1 < c->sh->cols) {
        double x = x1 - POSTER_OVERLAP;
        mark_line(c, s, x, y0 - g - MARK_LEN, x, y0 - g);
        mark_line(c, s, x, y1 + g, x, y1 + g + MARK_LEN);
    }
    if (row + 1 < c->sh->rows) {
        double y = y1 - POSTER_OVERLAP;
        mark_line(c, s, x0 - g - MARK_LEN, y, x0 - g, y);
        mark_line(c, s, x1 + g, y, x1 + g + MARK_LEN, y);
    }
    char name[32], text[400];
    sheet_name(name, sizeof name, col, row);
    snprintf(text, sizeof text,
             c->ru ? "%s · плакат %s, %zu × %zu листов: отрежьте поля по меткам слева и сверху, "
                     "наложите на соседний лист до его засечек"
                   : "%s · poster %s, %zu × %zu sheets: trim the left and top margins at the "
                     "marks, lay the sheet over its neighbour up to the neighbour's ticks",
             name, jm_page_name(poster), c->sh->cols, c->sh->rows);
    mark_text(c, s, "sheet_help", text, x0 + MARK_LEN + 2 * g, y1 + g + 1,
              cw - 2 * (MARK_LEN + 2 * g), MARK_TEXT, PANGO_ALIGN_LEFT);
    /* The name large enough to sort the sheets by. */
    mark_text(c, s, "sheet_name", name, x0 + MARK_LEN + 2 * g, 2, cw - 2 * (MARK_LEN + 2 * g),
              SHEET_NAME_TEXT, PANGO_ALIGN_RIGHT);
}

static void build_poster(sheets_ctx *c, jm_page poster, double pw, double ph)
{
    const jm_layout *lo = c->lo;
    double W = 0, H = 0, m = SHEET_MARGIN;
    jm_page_size(poster, &W, &H);
    double s = fmin((W - 2 * m) / lo->width, (H - 2 * m) / lo->height);
    /* Only the part of the poster the map covers is printed. */
    double uw = lo->width * s + 2 * m, uh = lo->height * s + 2 * m;
    double best = INFINITY, sw = pw, sh = ph;
    size_t cols = 1, rows = 1;
    for (int turn = 0; turn < 2; turn++) {
        double w = turn ? ph : pw, h = turn ? pw : ph;
        double cw = w - 2 * m, ch = h - 2 * m;
        size_t nc = uw <= cw ? 1 : (size_t)ceil((uw - POSTER_OVERLAP) / (cw - POSTER_OVERLAP));
        size_t nr = uh <= ch ? 1 : (size_t)ceil((uh - POSTER_OVERLAP) / (ch - POSTER_OVERLAP));
        if ((double)(nc * nr) < best) {
            best = (double)(nc * nr);
            cols = nc;
            rows = nr;
            sw = w;
            sh = h;
        }
    }
    c->sh->w = sw;
    c->sh->h = sh;
    c->sh->cols = cols;
    c->sh->rows = rows;
    double cw = sw - 2 * m, ch = sh - 2 * m;
    for (size_t r = 0; r < rows && !c->failed; r++)
        for (size_t col = 0; col < cols && !c->failed; col++) {
            jm_sheet *s_ = sheet_add(c);
            if (!s_)
                return;
            /* The poster's rectangle this sheet prints, then the same in map points. */
            double qx = (double)col * (cw - POSTER_OVERLAP), qy = (double)r * (ch - POSTER_OVERLAP);
            piece_add(c, s_, (qx - m) / s, (qy - m) / s, cw / s, ch / s, m, m, s);
            poster_marks(c, s_, col, r, cw, ch, poster);
        }
}

static void build_one(sheets_ctx *c, jm_page page)
{
    const jm_layout *lo = c->lo;
    jm_sheets *sh = c->sh;
    double scale = 1, dx = 0, dy = 0;
    sh->w = lo->width;
    sh->h = lo->height;
    if (jm_page_size(page, &sh->w, &sh->h)) {
        scale =
            fmin((sh->w - 2 * SHEET_MARGIN) / lo->width, (sh->h - 2 * SHEET_MARGIN) / lo->height);
        dx = (sh->w - lo->width * scale) / 2;
        dy = (sh->h - lo->height * scale) / 2;
    }
    sh->cols = sh->rows = 1;
    jm_sheet *s = sheet_add(c);
    if (!s)
        return;
    piece_add(c, s, 0, 0, lo->width, lo->height, dx, dy, scale);
    if (s->n_pieces)
        s->piece[0].clip = false;
}

/* How --pages prints on a page size: the orientation, the scale and the page count. */
typedef struct pages_choice {
    double w, h; /* the sheets' size, turned or not */
    double s;    /* 0 when the map fits neither way */
    size_t n;
    bool legible; /* auto: the header band keeps JM_PAGES_MIN_TEXT */
} pages_choice;

/* The smallest text of the header band at plan p's scales (a persona card wider than the page
 * shrinks, so does the title); INFINITY when the band has no text. */
static double band_smallest(const map_parts *mp, const paged *p)
{
    double best = INFINITY;
    for (size_t i = 0; i < mp->lo->n; i++) {
        const jm_element *e = &mp->lo->el[i];
        double fs = e->layout && e->text && *e->text ? font_size(e) : 0;
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
static pages_choice pages_choose(const map_parts *mp, double pw, double ph, int want)
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
            c.n = c.s > 0 ? plan(mp, c.s, cw, ch, &p, NULL, NULL) : 0;
        }
        if (!(c.s > 0))
            continue;
        if (want < 0) {
            paged p;
            plan(mp, c.s, cw, ch, &p, NULL, NULL);
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
static size_t auto_count(const map_parts *mp, double pw, double ph)
{
    return pages_choose(mp, pw, ph, JM_PAGES_AUTO).n;
}

static void warn_small(sheets_ctx *c, const jm_render_options *o, jm_page page, double pw,
                       double ph, jm_diags *diags)
{
    jm_sheets *sh = c->sh;
    if (!(sh->smallest_text > 0 && sh->smallest_text < JM_PAGES_WARN_TEXT))
        return;
    size_t worst = 0;
    for (size_t i = 0; i < sh->n; i++)
        if (sh->v[i].smallest_text > 0 && sh->v[i].smallest_text < sh->v[worst].smallest_text - EPS)
            worst = i;
    /* Which page, when not every page is as small. */
    bool same = true;
    for (size_t i = 0; i < sh->n; i++)
        same = same && fabs(sh->v[i].smallest_text - sh->smallest_text) < 0.05;
    char where[64] = "";
    if (!same)
        snprintf(where, sizeof where, " (%s %zu)", o->poster ? "sheet" : "page", worst + 1);
    char fix[200];
    size_t n = auto_count(c->mp, pw, ph);
    if (o->poster)
        snprintf(fix, sizeof fix, "take a bigger --poster (A0 is the largest) or --pages auto");
    else if (n)
        snprintf(fix, sizeof fix,
                 "--pages auto prints it on %zu %s page%s with text of %g pt or more, or take a "
                 "bigger --page",
                 n, jm_page_name(page), n == 1 ? "" : "s", JM_PAGES_MIN_TEXT);
    else
        snprintf(fix, sizeof fix, "take a bigger --page");
    char sz[32];
    snprintf(sz, sizeof sz, "%.1f", sh->smallest_text);
    jm_diag_add(diags, JM_SEVERITY_WARNING, c->lo->map ? c->lo->map->file : NULL, 0, 0, "",
                "the smallest text in the PDF%s is %s pt, under %g pt and hard to read on paper; "
                "%s",
                where, sz, JM_PAGES_WARN_TEXT, fix);
}

jm_sheets *jm_sheets_new(const jm_layout *lo, const jm_render_options *o, jm_diags *diags)
{
    jm_sheets *sh = jm_calloc(1, sizeof *sh);
    map_parts mp = {0};
    if (!sh || !parts_find(lo, &mp)) {
        jm_free(sh);
        parts_free(&mp);
        jm_diag_add(diags, JM_SEVERITY_ERROR, lo->map ? lo->map->file : NULL, 0, 0, "",
                    "out of memory while cutting the map into pages");
        return NULL;
    }
    sheets_ctx c = {lo, &mp, sh, lo->theme, false, false};
    c.ru = lo->map && lo->map->lang && strncmp(lo->map->lang, "ru", 2) == 0;
    bool paper = o->pages != 0 || o->poster != JM_PAGE_AUTO;
    jm_page page = o->page != JM_PAGE_AUTO || !paper ? o->page : JM_PAGE_A4;
    double pw = 0, ph = 0;
    jm_page_size(page, &pw, &ph);
    if (o->poster != JM_PAGE_AUTO) {
        build_poster(&c, o->poster, pw, ph);
    } else if (o->pages != 0 && mp.ok) {
        pages_choice pc = pages_choose(&mp, pw, ph, o->pages);
        sh->w = pc.w;
        sh->h = pc.h;
        if (pc.s > 0)
            build_pages(&c, pc.s, pc.w - 2 * SHEET_MARGIN, pc.h - 2 * SHEET_MARGIN);
        if (sh->n == 0 && !c.failed) /* nothing fits the page: fit the whole map instead */
            build_one(&c, page);
    } else {
        build_one(&c, page);
    }
    sh->smallest_text = INFINITY;
    for (size_t i = 0; i < sh->n && !c.failed; i++) {
        sheet_smallest(lo, &sh->v[i]);
        if (sh->v[i].smallest_text > 0)
            sh->smallest_text = fmin(sh->smallest_text, sh->v[i].smallest_text);
    }
    if (!isfinite(sh->smallest_text))
        sh->smallest_text = 0;
    if (c.failed) {
        parts_free(&mp);
        jm_sheets_free(sh);
        jm_diag_add(diags, JM_SEVERITY_ERROR, lo->map ? lo->map->file : NULL, 0, 0, "",
                    "out of memory while cutting the map into pages");
        return NULL;
    }
    if (page != JM_PAGE_AUTO)
        warn_small(&c, o, page, pw, ph, diags);
    parts_free(&mp);
    return sh;
}

void jm_sheets_free(jm_sheets *sh)
{
    if (!sh)
        return;
    for (size_t i = 0; i < sh->n; i++) {
        jm_layout_free(sh->v[i].marks);
        jm_free(sh->v[i].piece);
    }
    jm_free(sh->v);
    jm_free(sh);
}
