/* Paper (layout/pages.c): invariants of the printed sheets, checked on every example, every
 * golden valid input and the generated 40-touchpoint map (tests/data/generated-40.json), for
 * --pages auto and N on several page sizes and for posters:
 *
 *   - every piece lies inside its sheet's printable area (margins kept);
 *   - no two pieces of a sheet overlap (but the stage name drawn again over a cut header);
 *   - the grid (stage columns under the stage headers) is printed exactly once over the pages;
 *   - each page repeats the lane label column and the stage header row of its columns;
 *   - --pages auto: every text drawn, at its piece's scale, is 7 pt or more (computed here
 *     from the layout's fonts, not taken from the sheets' own figure), and --pages N gives
 *     at most N pages;
 *   - a poster's sheets cover the whole map, neighbours sharing an overlap.
 * Also: the smallest-text warning and what it suggests. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context/context.h"
#include "layout/layout.h"
#include "layout/pages.h"
#include "model/model.h"
#include "testutil.h"
#include "theme/theme.h"

#define EPS 0.01
#define MARGIN 24.0 /* page_cuts.h's SHEET_MARGIN: the printable area starts here */

static tu_inputs inputs; /* every example and golden valid input, and the generated map */
static jm_context *ctx;

static jm_layout *layout_of(const char *path, jm_layout_kind kind, jm_map **m, jm_theme **th)
{
    jm_diags *d = jm_diags_new();
    *m = jm_map_load_file(ctx, path, NULL, d);
    ck_assert_msg(*m != NULL, "%s does not load", path);
    *th = jm_theme_new_default();
    jm_layout_options o = {.state = JM_STATE_AUTO, .layout = kind};
    jm_layout *lo = jm_layout_new(ctx, *m, *th, &o, d);
    ck_assert_msg(lo != NULL, "%s: layout failed", path);
    jm_diags_free(d);
    return lo;
}

static double font_pt(const jm_element *e)
{
    const PangoFontDescription *fd = pango_layout_get_font_description(e->layout);
    return fd ? (double)pango_font_description_get_size(fd) / PANGO_SCALE : 0;
}

static bool meets(const jm_page_piece *p, const jm_element *e)
{
    return e->x < p->sx + p->sw && e->x + e->w > p->sx && e->y < p->sy + p->sh &&
           e->y + e->h > p->sy;
}

/* The grid as the layout has it: stage columns and the stage header lane (first lane label). */
typedef struct grid {
    double left, right, top, head_bottom, bottom, label_x;
} grid;

static bool grid_of(const jm_layout *lo, grid *g)
{
    bool any = false, label = false;
    double label_top = INFINITY;
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *e = &lo->el[i];
        if (!strcmp(e->kind, "stage") && e->parent == 0) {
            if (!any) {
                g->left = e->x;
                g->top = e->y;
                g->bottom = e->y + e->h;
            }
            g->right = e->x + e->w;
            any = true;
        } else if (!strcmp(e->kind, "lane_label") && e->y < label_top) {
            label_top = e->y;
            g->head_bottom = e->y + e->h;
            g->label_x = e->x;
            label = true;
        }
    }
    return any && label;
}

static void check_pieces_inside(const char *name, const jm_sheets *sh)
{
    for (size_t i = 0; i < sh->n; i++)
        for (size_t k = 0; k < sh->v[i].n_pieces; k++) {
            const jm_page_piece *p = &sh->v[i].piece[k];
            ck_assert_msg(p->px >= MARGIN - EPS && p->py >= MARGIN - EPS &&
                              p->px + p->sw * p->scale <= sh->w - MARGIN + EPS &&
                              p->py + p->sh * p->scale <= sh->h - MARGIN + EPS,
                          "%s: sheet %zu piece %zu (%g,%g %gx%g at %g) outside the printable area "
                          "of %gx%g",
                          name, i + 1, k, p->px, p->py, p->sw * p->scale, p->sh * p->scale,
                          p->scale, sh->w, sh->h);
            for (size_t j = 0; j < k; j++) {
                const jm_page_piece *q = &sh->v[i].piece[j];
                if (p->over || q->over)
                    continue;
                bool overlap = p->px + EPS < q->px + q->sw * q->scale &&
                               q->px + EPS < p->px + p->sw * p->scale &&
                               p->py + EPS < q->py + q->sh * q->scale &&
                               q->py + EPS < p->py + p->sh * p->scale;
                ck_assert_msg(!overlap, "%s: sheet %zu: pieces %zu and %zu overlap", name, i + 1, j,
                              k);
            }
        }
}

/* Where the grid may be cut across (page_cuts.c): the stage boundaries (*n_stage of them,
 * first) and the middles of the gaps between the cards' merged x-extents. */
static size_t cut_places(const jm_layout *lo, double *out, size_t cap, size_t *n_stage)
{
    size_t n = 0;
    for (size_t i = 0; i < lo->n && n < cap; i++)
        if (!strcmp(lo->el[i].kind, "stage") && lo->el[i].parent == 0)
            out[n++] = lo->el[i].x + lo->el[i].w;
    *n_stage = n;
    double ext[4096][2];
    size_t k = 0;
    for (size_t i = 0; i < lo->n && k < 4096; i++)
        if (!strcmp(lo->el[i].kind, "card")) {
            ext[k][0] = lo->el[i].x;
            ext[k++][1] = lo->el[i].x + lo->el[i].w;
        }
    for (size_t i = 1; i < k; i++) /* by left edge */
        for (size_t j = i; j > 0 && ext[j][0] < ext[j - 1][0]; j--) {
            double t0 = ext[j][0], t1 = ext[j][1];
            ext[j][0] = ext[j - 1][0];
            ext[j][1] = ext[j - 1][1];
            ext[j - 1][0] = t0;
            ext[j - 1][1] = t1;
        }
    double right = k ? ext[0][1] : 0;
    for (size_t i = 1; i < k && n < cap; i++) {
        if (ext[i][0] > right)
            out[n++] = (right + ext[i][0]) / 2;
        right = fmax(right, ext[i][1]);
    }
    return n;
}

/* --pages auto fills its pages across: (a) no fewer page columns would do at the pages' scale
 * (cutting greedily at the farthest stage boundary or gap between touchpoint columns in reach
 * gives the fewest); (b) a page that ends at a stage boundary or inside a stage leaves no room
 * for the rest of the stage that follows (so a page's right side is empty only when the next
 * stage does not fit). */
static void check_filled(const char *name, const jm_layout *lo, const jm_sheets *sh, const grid *g)
{
    double x0s[256], x1s[256], s = 0;
    size_t n_cols = 0;
    for (size_t i = 0; i < sh->n; i++)
        for (size_t k = 0; k < sh->v[i].n_pieces; k++) {
            const jm_page_piece *p = &sh->v[i].piece[k];
            if (p->over || p->sx < g->left - EPS || p->sy < g->head_bottom - EPS)
                continue;
            s = p->scale;
            bool seen = false;
            for (size_t c = 0; c < n_cols; c++)
                seen = seen || fabs(x0s[c] - p->sx) < EPS;
            if (!seen && n_cols < 256) {
                x0s[n_cols] = p->sx;
                x1s[n_cols++] = p->sx + p->sw;
            }
        }
    if (n_cols == 0)
        return;
    static double places[8192];
    size_t n_stage = 0, n = cut_places(lo, places, 8192, &n_stage);
    double span = (sh->w - 2 * MARGIN - (g->left - g->label_x) * s) / s;
    size_t fewest = 0;
    for (double from = g->left; from < g->right - EPS; fewest++) {
        double to = from + span >= g->right - EPS ? g->right : NAN;
        for (size_t i = 0; i < n && isnan(to); i++)
            if (places[i] > from + EPS && places[i] <= from + span + EPS)
                to = isnan(to) || places[i] > to ? places[i] : to;
        for (size_t i = 0; i < n; i++) /* the farthest one in reach */
            if (places[i] > from + EPS && places[i] <= from + span + EPS && places[i] > to)
                to = places[i];
        from = isnan(to) ? from + span : to;
    }
    ck_assert_msg(n_cols <= fewest,
                  "%s: %zu page columns at scale %g where %zu would do (%g pt of map a page)", name,
                  n_cols, s, fewest, span);
    for (size_t c = 0; c < n_cols; c++) {
        double next_stage = INFINITY;
        for (size_t i = 0; i < n_stage; i++)
            if (places[i] > x1s[c] + EPS)
                next_stage = fmin(next_stage, places[i]);
        ck_assert_msg(!(next_stage - x0s[c] <= span + EPS),
                      "%s: the page column at %g ends at %g, leaving room for the stage up to %g "
                      "(%g pt of map a page)",
                      name, x0s[c], x1s[c], next_stage, span);
    }
}

/* A cover page (the header band on a page of its own, no grid) is filled: the band reaches the
 * printable width or height (less the page number's line), or is drawn twice as large as the
 * grid (pages.c's COVER_GROW); the persona cards share one row when they fit in one. */
static void check_cover(const char *name, const jm_sheets *sh, const jm_sheet *s, double grid_s)
{
    double right = 0, bottom = 0, cards_w = 0, scale = 0;
    for (size_t k = 0; k < s->n_pieces; k++) {
        const jm_page_piece *p = &s->piece[k];
        right = fmax(right, p->px + p->sw * p->scale);
        bottom = fmax(bottom, p->py + p->sh * p->scale);
        if (k == 0)
            scale = p->scale;
        else
            cards_w += p->sw * p->scale + (k > 1 ? 12 : 0);
    }
    bool wide = right >= sh->w - MARGIN - 1, tall = bottom >= sh->h - MARGIN - 15 - 1;
    ck_assert_msg(wide || tall || scale >= 2 * grid_s - EPS,
                  "%s: the cover's band ends at %g x %g of a %g x %g page, at %g times the grid's "
                  "scale",
                  name, right, bottom, sh->w, sh->h, scale / grid_s);
    if (cards_w / (scale / grid_s) <= sh->w - 2 * MARGIN)
        for (size_t k = 2; k < s->n_pieces; k++)
            ck_assert_msg(fabs(s->piece[k].py - s->piece[1].py) < EPS,
                          "%s: the cover's persona cards fit in one row but take two", name);
}

/* Pages: the grid body printed exactly once, each page with its label column and header row,
 * and (auto) no text under 7 pt. */
static void check_pages(const char *name, const jm_layout *lo, const jm_sheets *sh, bool legible)
{
    check_pieces_inside(name, sh);
    grid g = {0};
    if (!grid_of(lo, &g) || sh->n == 1)
        return;
    double body = 0, want = (g.right - g.left) * (g.bottom - g.head_bottom);
    for (size_t i = 0; i < sh->n; i++) {
        const jm_sheet *s = &sh->v[i];
        bool has_body = false, has_labels = false, has_head = false;
        for (size_t k = 0; k < s->n_pieces; k++) {
            const jm_page_piece *p = &s->piece[k];
            if (p->over)
                continue;
            if (p->sx >= g.left - EPS && p->sy >= g.head_bottom - EPS) {
                body += p->sw * p->sh;
                has_body = true;
                for (size_t j = 0; j < sh->n; j++) /* and no other page prints the same */
                    for (size_t l = 0; l < sh->v[j].n_pieces; l++) {
                        const jm_page_piece *q = &sh->v[j].piece[l];
                        if ((j == i && l == k) || q->over || q->sx < g.left - EPS ||
                            q->sy < g.head_bottom - EPS)
                            continue;
                        ck_assert_msg(
                            !(p->sx + EPS < q->sx + q->sw && q->sx + EPS < p->sx + p->sw &&
                              p->sy + EPS < q->sy + q->sh && q->sy + EPS < p->sy + p->sh),
                            "%s: pages %zu and %zu print the same part", name, i + 1, j + 1);
                    }
            }
            if (fabs(p->sx - g.label_x) < EPS && fabs(p->sw - (g.left - g.label_x)) < EPS &&
                p->sy >= g.head_bottom - EPS)
                has_labels = true;
            if (fabs(p->sy - g.top) < EPS && fabs(p->sh - (g.head_bottom - g.top)) < EPS &&
                p->sx >= g.left - EPS)
                has_head = true;
        }
        if (has_body)
            ck_assert_msg(has_labels && has_head,
                          "%s: page %zu lacks its lane labels (%d) or stage headers (%d)", name,
                          i + 1, has_labels, has_head);
        else if (legible && i == 0 && sh->n > 1)
            check_cover(name, sh, s, sh->v[1].piece[sh->v[1].n_pieces - 1].scale);
        if (!legible)
            continue;
        for (size_t k = 0; k < s->n_pieces; k++)
            for (size_t e = 0; e < lo->n; e++) {
                const jm_element *el = &lo->el[e];
                if (!el->layout || !el->text || !*el->text || !meets(&s->piece[k], el))
                    continue;
                double pt = font_pt(el) * s->piece[k].scale;
                ck_assert_msg(pt >= JM_PAGES_MIN_TEXT - EPS,
                              "%s: page %zu: '%s' is %.2f pt, under %g pt", name, i + 1, el->text,
                              pt, JM_PAGES_MIN_TEXT);
            }
    }
    ck_assert_msg(fabs(body - want) < 1 + want * 1e-9,
                  "%s: the pages print %g pt² of the %g pt² grid", name, body, want);
    if (legible)
        check_filled(name, lo, sh, &g);
}

/* A poster: every point of the map on some sheet; neighbours overlap. */
static void check_poster(const char *name, const jm_layout *lo, const jm_sheets *sh)
{
    check_pieces_inside(name, sh);
    ck_assert_uint_eq(sh->n, sh->cols * sh->rows);
    for (int a = 0; a <= 40; a++)
        for (int b = 0; b <= 40; b++) {
            double x = lo->width * a / 40, y = lo->height * b / 40;
            bool covered = false;
            for (size_t i = 0; i < sh->n && !covered; i++) {
                const jm_page_piece *p = &sh->v[i].piece[0];
                covered = x >= p->sx - EPS && x <= p->sx + p->sw + EPS && y >= p->sy - EPS &&
                          y <= p->sy + p->sh + EPS;
            }
            ck_assert_msg(covered, "%s: no sheet prints the map's point (%g, %g)", name, x, y);
        }
    for (size_t i = 0; i + 1 < sh->n; i++) {
        const jm_page_piece *p = &sh->v[i].piece[0], *q = &sh->v[i + 1].piece[0];
        if ((i + 1) % sh->cols == 0)
            continue; /* next row */
        double shared = (p->sx + p->sw - q->sx) * p->scale;
        ck_assert_msg(shared >= 20, "%s: sheets %zu and %zu share only %g pt", name, i + 1, i + 2,
                      shared);
    }
}

static jm_sheets *sheets(const jm_layout *lo, jm_page page, int pages, jm_page poster, jm_diags *d)
{
    jm_render_options o;
    jm_render_options_init(&o);
    o.format = JM_FORMAT_PDF;
    o.page = page;
    o.pages = pages;
    o.poster = poster;
    jm_sheets *sh = jm_sheets_new(lo, &o, d);
    ck_assert_ptr_nonnull(sh);
    ck_assert_uint_ge(sh->n, 1);
    return sh;
}

START_TEST(test_pages_every_input)
{
    ck_assert_msg(inputs.n >= 5, "found only %zu inputs", inputs.n);
    static const jm_page sizes[] = {JM_PAGE_A4, JM_PAGE_A3, JM_PAGE_LETTER};
    for (size_t i = 0; i < 2 * inputs.n; i++) { /* each input in detail, then in overview */
        jm_map *m;
        jm_theme *th;
        jm_layout_kind kind = i < inputs.n ? JM_LAYOUT_DETAIL : JM_LAYOUT_OVERVIEW;
        const char *input = inputs.v[i % inputs.n];
        jm_layout *lo = layout_of(input, kind, &m, &th);
        char name[4200];
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            jm_diags *d = jm_diags_new();
            snprintf(name, sizeof name, "%s [--pages auto, %s]", input, jm_page_name(sizes[s]));
            jm_sheets *sh = sheets(lo, sizes[s], JM_PAGES_AUTO, JM_PAGE_AUTO, d);
            check_pages(name, lo, sh, true);
            /* No warning about small text when the pages were chosen for legibility. */
            for (size_t k = 0; k < jm_diags_count(d); k++)
                ck_assert_msg(!strstr(jm_diags_get(d, k)->message, "smallest text"), "%s: %s", name,
                              jm_diags_get(d, k)->message);
            jm_sheets_free(sh);
            for (int n = 1; n <= 4; n++) {
                snprintf(name, sizeof name, "%s [--pages %d, %s]", input, n,
                         jm_page_name(sizes[s]));
                sh = sheets(lo, sizes[s], n, JM_PAGE_AUTO, d);
                ck_assert_msg(sh->n <= (size_t)n, "%s: %zu pages", name, sh->n);
                check_pages(name, lo, sh, false);
                jm_sheets_free(sh);
            }
            jm_diags_free(d);
        }
        static const jm_page posters[] = {JM_PAGE_A2, JM_PAGE_A0};
        for (size_t p = 0; p < 2; p++) {
            jm_diags *d = jm_diags_new();
            snprintf(name, sizeof name, "%s [--poster %s]", input, jm_page_name(posters[p]));
            jm_sheets *sh = sheets(lo, JM_PAGE_A4, 0, posters[p], d);
            check_poster(name, lo, sh);
            jm_sheets_free(sh);
            jm_diags_free(d);
        }
        jm_layout_free(lo);
        jm_theme_free(th);
        jm_map_free(m);
    }
}
END_TEST

/* The 40-touchpoint map in the detail layout (a column a touchpoint, 6556 pt wide) on one A3
 * page: text of about 1.4 pt, a warning that says so and names --pages auto with its page
 * count; with --pages auto, several pages and no warning. */
START_TEST(test_small_text_warns)
{
    char path[4096];
    jm_map *m;
    jm_theme *th;
    jm_layout *lo = layout_of(tu_source_path(path, sizeof path, "tests/data/generated-40.json"),
                              JM_LAYOUT_DETAIL, &m, &th);
    jm_diags *d = jm_diags_new();
    jm_sheets *sh = sheets(lo, JM_PAGE_A3, 0, JM_PAGE_AUTO, d);
    ck_assert_uint_eq(sh->n, 1);
    ck_assert(sh->smallest_text < JM_PAGES_WARN_TEXT);
    ck_assert_uint_eq(jm_diags_count(d), 1);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", jm_diags_get(d, 0)->message);
    ck_assert_msg(strstr(msg, "under 6 pt") && strstr(msg, "--pages auto prints it on"), "%s", msg);
    jm_sheets_free(sh);
    jm_diags_clear(d);

    sh = sheets(lo, JM_PAGE_A3, JM_PAGES_AUTO, JM_PAGE_AUTO, d);
    ck_assert_uint_gt(sh->n, 1);
    ck_assert(sh->smallest_text >= JM_PAGES_MIN_TEXT - EPS);
    ck_assert_uint_eq(jm_diags_count(d), 0);
    /* The warning's page count is the one --pages auto gives. */
    char want[64];
    snprintf(want, sizeof want, "on %zu A3 pages", sh->n);
    ck_assert_msg(strstr(msg, want) != NULL, "want '%s' in: %s", want, msg);
    jm_sheets_free(sh);

    /* A poster too small for the map says to take a bigger one. */
    sh = sheets(lo, JM_PAGE_A4, 0, JM_PAGE_A2, d);
    ck_assert_uint_eq(jm_diags_count(d), 1);
    ck_assert_ptr_nonnull(strstr(jm_diags_get(d, 0)->message, "a bigger --poster"));
    jm_sheets_free(sh);
    jm_diags_free(d);
    jm_layout_free(lo);
    jm_theme_free(th);
    jm_map_free(m);
}
END_TEST

int main(void)
{
    static const char *const kinds[] = {".json", ".mmd", ".csv", NULL};
    char path[4096];
    tu_inputs_collect(&inputs, "data/examples", kinds);
    tu_inputs_collect(&inputs, "tests/golden/valid", NULL);
    tu_inputs_add(&inputs, tu_source_path(path, sizeof path, "tests/data/generated-40.json"));
    ctx = tu_context_new();
    Suite *s = suite_create("pages");
    TCase *tc = tcase_create("pages");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_pages_every_input);
    tcase_add_test(tc, test_small_text_warns);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    jm_context_free(ctx);
    tu_inputs_free(&inputs);
    return failed ? 1 : 0;
}
