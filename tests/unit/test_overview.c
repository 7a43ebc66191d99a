/* The overview layout (issue 14) on a 6-stage, 40-touchpoint, 15-channel map (the example
 * dense-journey.json, bench/gen_inputs.c's dense-40.json): three figures computed from the
 * layout JSON the library writes, held to the targets, and the automatic choice of
 * layout. The geometry itself is the golden case overview-dense-40's; the invariants (nothing
 * overlaps, text fits) are test_invariants'. */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journeymap.h"
#include "testutil.h"
#include "theme/theme.h"

/* A3 landscape and the PDF backend's margin around a map fitted to a page (pdf.c). */
#define A3_W 1191.0
#define A3_H 842.0
#define PAGE_MARGIN 24.0

static jm_context *ctx;

typedef struct figures {
    double aspect;     /* width : height */
    double lane_cells; /* share of channel-lane cells (lane × card column) holding a card */
    double a3_body;    /* body text in points when the map is fitted to one A3 landscape page */
    char layout[16];   /* the layout the JSON says was used */
} figures;

static bool has_ancestor(json_t *els, size_t i, const char *kind, size_t *found)
{
    for (json_t *p = json_object_get(json_array_get(els, i), "parent"); json_is_integer(p);) {
        size_t k = (size_t)json_integer_value(p);
        json_t *e = json_array_get(els, k);
        if (strcmp(json_string_value(json_object_get(e, "kind")), kind) == 0) {
            *found = k;
            return true;
        }
        p = json_object_get(e, "parent");
    }
    return false;
}

static double num(json_t *e, const char *key) { return json_number_value(json_object_get(e, key)); }

static figures measure(const char *rel, jm_layout_kind layout)
{
    char path[4096];
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_file(ctx, tu_source_path(path, sizeof path, rel), NULL, d);
    ck_assert_ptr_nonnull(m);
    jm_render_options o;
    jm_render_options_init(&o);
    o.format = JM_FORMAT_JSON;
    o.layout = layout;
    unsigned char *data;
    size_t len;
    ck_assert_int_eq(jm_render_to_buffer(ctx, m, &o, &data, &len, d), 0);
    json_error_t err;
    json_t *root = json_loadb((const char *)data, len, 0, &err);
    ck_assert_msg(root != NULL, "layout JSON does not parse: %s", err.text);
    jm_free(data);

    figures f = {0};
    double w = num(root, "width"), h = num(root, "height");
    f.aspect = w / h;
    snprintf(f.layout, sizeof f.layout, "%s", json_string_value(json_object_get(root, "layout")));
    jm_theme *theme = jm_theme_new_default();
    double scale = fmin((A3_W - 2 * PAGE_MARGIN) / w, (A3_H - 2 * PAGE_MARGIN) / h);
    f.a3_body = theme->font_body.size * scale;
    jm_theme_free(theme);

    /* Cells: each channel lane × each card column of the grid (a stage is as many card
     * columns as its width holds cards); a cell is used when a card lies in it. */
    json_t *els = json_object_get(root, "elements");
    size_t n = json_array_size(els), lanes = 0, columns = 0, used = 0;
    double card_w = 0;
    for (size_t i = 0; i < n && !card_w; i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(els, i), "kind")), "card") == 0)
            card_w = num(json_array_get(els, i), "w");
    ck_assert(card_w > 0);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(els, i);
        const char *kind = json_string_value(json_object_get(e, "kind"));
        if (strcmp(kind, "channel_lane") == 0)
            lanes++;
        else if (strcmp(kind, "stage") == 0)
            columns += (size_t)floor(num(e, "w") / card_w);
    }
    /* Distinct (lane, column left) pairs: cards stacked in one cell count once. */
    size_t cap = n, k = 0;
    double *seen = calloc(2 * cap, sizeof *seen);
    ck_assert_ptr_nonnull(seen);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(els, i);
        size_t lane;
        if (strcmp(json_string_value(json_object_get(e, "kind")), "card") != 0 ||
            !has_ancestor(els, i, "channel_lane", &lane))
            continue;
        double x = round(num(e, "x"));
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++)
            dup = seen[2 * j] == (double)lane && seen[2 * j + 1] == x;
        if (!dup) {
            seen[2 * k] = (double)lane;
            seen[2 * k + 1] = x;
            k++;
        }
    }
    used = k;
    free(seen);
    f.lane_cells = (double)used / (double)(lanes * columns);
    json_decref(root);
    jm_map_free(m);
    jm_diags_free(d);
    return f;
}

#define DENSE "data/examples/dense-journey.json"

START_TEST(test_dense_map_in_overview_meets_the_targets)
{
    figures f = measure(DENSE, JM_LAYOUT_OVERVIEW);
    printf("dense-40 overview: %.2f : 1, %.0f%% of channel-lane cells used, %.2f pt body text on "
           "A3\n",
           f.aspect, f.lane_cells * 100, f.a3_body);
    ck_assert_str_eq(f.layout, "overview");
    ck_assert_msg(f.aspect <= 2.5, "aspect %.2f : 1 over 2.5 : 1", f.aspect);
    ck_assert_msg(f.aspect >= 1 / 2.5, "aspect %.2f : 1 taller than 1 : 2.5", f.aspect);
    ck_assert_msg(f.lane_cells >= 0.25, "%.1f%% of channel-lane cells used, under 25%%",
                  f.lane_cells * 100);
    ck_assert_msg(f.a3_body >= 6, "body text %.2f pt on A3, under 6 pt", f.a3_body);
}
END_TEST

/* The same figures for the detail layout of the same map miss every target: what the
 * overview is for (and a check that the measure can fail). */
START_TEST(test_dense_map_in_detail_misses_them)
{
    figures f = measure(DENSE, JM_LAYOUT_DETAIL);
    printf("dense-40 detail: %.2f : 1, %.0f%% of channel-lane cells used, %.2f pt body text on "
           "A3\n",
           f.aspect, f.lane_cells * 100, f.a3_body);
    ck_assert_str_eq(f.layout, "detail");
    ck_assert(f.aspect > 2.5);
    ck_assert(f.lane_cells < 0.25);
    ck_assert(f.a3_body < 6);
}
END_TEST

START_TEST(test_auto_picks_overview_for_dense_maps_only)
{
    ck_assert_str_eq(measure(DENSE, JM_LAYOUT_AUTO).layout, "overview"); /* 6.7 a stage */
    ck_assert_str_eq(measure("data/examples/online-store.json", JM_LAYOUT_AUTO).layout,
                     "detail"); /* 4.5 a stage */
}
END_TEST

int main(void)
{
    ctx = tu_context_new();
    Suite *s = suite_create("overview");
    TCase *tc = tcase_create("overview");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_dense_map_in_overview_meets_the_targets);
    tcase_add_test(tc, test_dense_map_in_detail_misses_them);
    tcase_add_test(tc, test_auto_picks_overview_for_dense_maps_only);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    jm_context_free(ctx);
    return failed ? 1 : 0;
}
