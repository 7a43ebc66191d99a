/* The statistics of joined data (model/stats.c) and the join itself (load/data.c): means,
 * quartiles, standard deviation, NPS, scores onto the map's scale, aggregates, metrics, and
 * every message with its position. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "model/stats.h"
#include "testutil.h"
#include "util/util.h"

START_TEST(summary_of_responses)
{
    double v[] = {4, 1, 3, 2, 5, 2, 4, 4};
    jm_summary s = jm_stats_summary(v, 8);
    ck_assert_uint_eq(s.n, 8);
    ck_assert_double_eq_tol(s.mean, 3.125, 1e-12);
    /* type 7 (R's default, numpy's): sorted 1 2 2 3 4 4 4 5; Q1 at 1.75 → 2, Q3 at 5.25 → 4 */
    ck_assert_double_eq_tol(s.q1, 2, 1e-12);
    ck_assert_double_eq_tol(s.median, 3.5, 1e-12);
    ck_assert_double_eq_tol(s.q3, 4, 1e-12);
    ck_assert_double_eq_tol(s.sd, sqrt(12.875 / 7), 1e-12);
    ck_assert_double_eq(v[0], 1); /* sorted in place */
    double w[] = {1, 2, 3, 4};
    s = jm_stats_summary(w, 4);
    ck_assert_double_eq_tol(s.q1, 1.75, 1e-12); /* interpolated between order statistics */
    ck_assert_double_eq_tol(s.q3, 3.25, 1e-12);
    double one[] = {7};
    s = jm_stats_summary(one, 1);
    ck_assert_double_eq(s.mean, 7);
    ck_assert_double_eq(s.q1, 7);
    ck_assert_double_eq(s.q3, 7);
    ck_assert_double_eq(s.sd, 0);
    /* No cancellation: large values close together. */
    double big[] = {1e9 + 1, 1e9 + 2, 1e9 + 3};
    s = jm_stats_summary(big, 3);
    ck_assert_double_eq_tol(s.sd, 1, 1e-9);
}
END_TEST

START_TEST(nps_weights)
{
    ck_assert_double_eq(jm_stats_nps_weight(10), 1);
    ck_assert_double_eq(jm_stats_nps_weight(9), 1);
    ck_assert_double_eq(jm_stats_nps_weight(8), 0);
    ck_assert_double_eq(jm_stats_nps_weight(7), 0);
    ck_assert_double_eq(jm_stats_nps_weight(6), -1);
    ck_assert_double_eq(jm_stats_nps_weight(0), -1);
}
END_TEST

/* ---- The join ----------------------------------------------------------------------------- */

static const char *model =
    "{\"journeymap\": 1, \"title\": \"T\",\n"
    " \"stages\": [{\"id\": \"s\", \"name\": \"S\"}],\n"
    " \"touchpoints\": [\n"
    "  {\"id\": \"a\", \"stage\": \"s\", \"name\": \"A\", \"emotion\": 1,\n"
    "   \"metrics\": [{\"name\": \"Wait\", \"value\": 9, \"unit\": \"min\"}]},\n"
    "  {\"id\": \"b\", \"stage\": \"s\", \"name\": \"B\"}]}";

static jm_diags *diags;

static jm_map *load_model(const char *json)
{
    jm_map *m = jm_load_json("m.json", json, strlen(json), diags);
    ck_assert_ptr_nonnull(m);
    return m;
}

static int join(jm_map *m, const char *csv, const jm_data_options *o)
{
    return jm_load_data(m, "dir/d.csv", csv, strlen(csv), o, diags);
}

/* The diagnostics so far (then forgotten). */
static char *messages(void)
{
    char *out = tu_messages(diags);
    jm_diags_clear(diags);
    return out;
}

START_TEST(emotions_and_metrics_from_responses)
{
    diags = jm_diags_new();
    jm_map *m = load_model(model);
    jm_data_options o;
    jm_data_options_init(&o);
    o.notes = 1;
    ck_assert_int_eq(join(m,
                          "\xEF\xBB\xBFtouchpoint;emotion;Wait;comment;date\n"
                          "a;-2;10;slow;2026-03-02T10:00\n"
                          "a;0;20;;2026-03-01\n"
                          "a;1,5;;fine;2026-03-09\n"
                          "b;2;;;\n"
                          "nope;1;;;\n",
                          &o),
                     0);
    ck_assert_str_eq(messages(),
                     "dir/d.csv:6:1: warning: row 5: the map has no touchpoint with the id "
                     "\"nope\"; the row is left out\n"
                     "m.json:4:3: note: /touchpoints/0/emotion: a: the data (dir/d.csv, n = 3) "
                     "gives -0.167, the model 1; the data's is drawn\n"
                     "m.json:5:16: note: /touchpoints/0/metrics/0: a: Wait: the data (dir/d.csv) "
                     "gives 15, the model 9; the data's is drawn\n");
    const jm_touchpoint *a = &m->touchpoints[0], *b = &m->touchpoints[1];
    ck_assert_double_eq_tol(a->base.emotion[0], -0.5 / 3, 1e-12);
    ck_assert_uint_eq(a->stat[0].n, 3);
    ck_assert_double_eq_tol(a->stat[0].q1, -1, 1e-12);
    ck_assert_double_eq_tol(a->stat[0].q3, 0.75, 1e-12);
    ck_assert_double_eq(a->base.metrics.v[0].value, 15); /* the mean of 10 and 20 */
    ck_assert_str_eq(a->base.metrics.v[0].unit, "min");  /* the model's unit stays */
    ck_assert(b->base.has_emotion);
    ck_assert_double_eq(b->base.emotion[0], 2);
    ck_assert_uint_eq(b->base.metrics.n, 0); /* "comment" is text: not a metric */
    ck_assert_uint_eq(m->n_data_sources, 1);
    ck_assert_str_eq(m->data_sources[0].name, "d.csv");
    ck_assert_uint_eq(m->data_sources[0].responses, 4);
    ck_assert_str_eq(m->data_sources[0].date, "2026-03-01\u20262026-03-09");
    ck_assert_uint_eq(m->data_min_n, 5);
    jm_map_free(m);
    jm_diags_free(diags);
}
END_TEST

START_TEST(scores_onto_the_scale)
{
    diags = jm_diags_new();
    jm_map *m = load_model(model);
    jm_data_options o;
    jm_data_options_init(&o);
    o.score_kind = JM_SCORE_RANGE;
    o.score_min = 1;
    o.score_max = 5;
    o.date = "Q1 2026";
    ck_assert_int_eq(join(m, "touchpoint,score\na,5\na,1\na,4\nb,3\n", &o), 0);
    ck_assert_str_eq(messages(), ""); /* no notes unless asked */
    ck_assert_double_eq_tol(m->touchpoints[0].base.emotion[0], (2 - 2 + 1) / 3.0, 1e-12);
    ck_assert_double_eq(m->touchpoints[1].base.emotion[0], 0);
    ck_assert_str_eq(m->data_sources[0].date, "Q1 2026");
    /* NPS: 2 promoters, 1 passive, 1 detractor of 4: NPS 25 → 0.5 on −2…+2. */
    o.score_kind = JM_SCORE_NPS;
    o.date = NULL;
    ck_assert_int_eq(join(m, "touchpoint\tscore\na\t10\na\t9\na\t7\na\t6\n", &o), 0);
    ck_assert_double_eq_tol(m->touchpoints[0].base.emotion[0], 0.5, 1e-12);
    ck_assert_ptr_null(m->data_sources[1].date);
    jm_map_free(m);
    /* On a map of its own scale (0…10), a 1…5 score of 5 is 10. */
    m = load_model("{\"journeymap\": 1, \"title\": \"T\", \"scale\": {\"min\": 0, \"max\": 10},"
                   " \"stages\": [{\"id\": \"s\", \"name\": \"S\"}],"
                   " \"touchpoints\": [{\"id\": \"a\", \"stage\": \"s\", \"name\": \"A\"}]}");
    o.score_kind = JM_SCORE_RANGE;
    ck_assert_int_eq(join(m, "touchpoint,score\na,5\na,3\n", &o), 0);
    ck_assert_double_eq_tol(m->touchpoints[0].base.emotion[0], 7.5, 1e-12);
    jm_map_free(m);
    jm_diags_free(diags);
}
END_TEST

START_TEST(aggregates_and_personas)
{
    diags = jm_diags_new();
    jm_map *m = load_model(
        "{\"journeymap\": 1, \"title\": \"T\", \"personas\": [{\"id\": \"p\", \"name\": \"P\"},"
        " {\"id\": \"q\", \"name\": \"Q\"}], \"stages\": [{\"id\": \"s\", \"name\": \"S\"}],"
        " \"touchpoints\": [{\"id\": \"a\", \"stage\": \"s\", \"name\": \"A\"}]}");
    jm_data_options o;
    jm_data_options_init(&o);
    ck_assert_int_eq(join(m, "touchpoint,persona,emotion,n\na,p,1,30\na,p,-1,10\na,,2,4\n", &o), 0);
    const jm_touchpoint *a = &m->touchpoints[0];
    ck_assert_uint_eq(a->stat[0].n, 40);
    ck_assert_double_eq_tol(a->stat[0].mean, 0.5, 1e-12); /* (30 − 10) / 40 */
    ck_assert_double_eq(a->stat[0].q1, a->stat[0].q3);    /* aggregates: no band */
    ck_assert_uint_eq(a->stat[1].n, 4); /* q had no rows of its own: the rows for everybody */
    ck_assert_double_eq(a->base.emotion[1], 2);
    jm_map_free(m);
    jm_diags_free(diags);
}
END_TEST

START_TEST(errors_leave_the_map_as_it_was)
{
    diags = jm_diags_new();
    jm_map *m = load_model(model);
    jm_data_options o;
    jm_data_options_init(&o);
    ck_assert_int_eq(join(m, "emotion\n1\n", &o), -1);
    ck_assert_str_eq(messages(), "dir/d.csv:1:1: error: header row: no \"touchpoint\" column (the "
                                 "id of the touchpoint each row is about)\n");
    ck_assert_int_eq(join(m, "touchpoint,score\na,3\n", &o), -1);
    ck_assert_str_eq(messages(), "dir/d.csv:1:12: error: header row: a score column needs the "
                                 "scale it is on (--data-scale 1..5, 0..10 or nps)\n");
    ck_assert_int_eq(join(m, "touchpoint,emotion,n\na,3,1\nb,x,1\na,1,0\n", &o), -1);
    ck_assert_str_eq(messages(),
                     "dir/d.csv:2:3: error: row 1: emotion must be a number from -2 to 2 (the "
                     "map's scale), got \"3\"\n"
                     "dir/d.csv:3:3: error: row 2: emotion must be a number from -2 to 2 (the "
                     "map's scale), got \"x\"\n"
                     "dir/d.csv:4:5: error: row 3: n must be a whole number of responses from 1, "
                     "got \"0\"\n");
    ck_assert_int_eq(join(m, "touchpoint,emotion\na,\"1\n", &o), -1);
    ck_assert_str_eq(
        messages(),
        "dir/d.csv:2:3: error: row 1: the quoted cell is not closed (a \" is missing)\n");
    ck_assert_int_eq(join(m, "touchpoint,emotion\na,\xC0\n", &o), -1);
    ck_assert_str_eq(messages(), "dir/d.csv:2:3: error: row 1: not valid UTF-8 (byte 0xC0); save "
                                 "the file as \"CSV UTF-8\" — a Windows-1251 export is not "
                                 "supported\n");
    ck_assert_int_eq(join(m, "\xFF\xFEt\0", &o), -1);
    ck_assert_str_eq(messages(), "dir/d.csv:1:1: error: the file is UTF-16 (\"Unicode text\"); "
                                 "save it as \"CSV UTF-8\"\n");
    ck_assert_double_eq(m->touchpoints[0].base.emotion[0], 1);
    ck_assert_ptr_null(m->touchpoints[0].stat);
    ck_assert_uint_eq(m->n_data_sources, 0);
    jm_map_free(m);
    jm_diags_free(diags);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, summary_of_responses);
    tcase_add_test(tc, nps_weights);
    tcase_add_test(tc, emotions_and_metrics_from_responses);
    tcase_add_test(tc, scores_onto_the_scale);
    tcase_add_test(tc, aggregates_and_personas);
    tcase_add_test(tc, errors_leave_the_map_as_it_was);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    return failed ? 1 : 0;
}
