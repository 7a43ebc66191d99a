/* diff's pairing of objects (src/diff/match.c) and what jm_diff_new makes of pairs; lint's
 * settings. The golden folders tests/golden/diff and tests/golden/lint hold whole reports. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "diff/match.h"
#include "load/load.h"
#include "model/model.h"
#include "testutil.h"
#include "util/util.h"

static jm_map *load(const char *json)
{
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_load_json("t.json", json, strlen(json), d);
    if (!m) {
        const jm_diag *g = jm_diags_get(d, 0);
        ck_abort_msg("model does not load: %s", g ? g->message : "?");
    }
    jm_diags_free(d);
    return m;
}

START_TEST(test_names_match_across_case_and_spaces)
{
    ck_assert(jm_match_same_name("Pays at the till", "pays  at the TILL "));
    ck_assert(jm_match_same_name("  Pay", "Pay"));
    ck_assert(!jm_match_same_name("Pay", "Pays"));
    ck_assert(!jm_match_same_name("Pay now", "Paynow"));
    ck_assert(!jm_match_same_name("Оплата", "оплата")); /* only ASCII letters fold */
    ck_assert(!jm_match_same_name(NULL, "Pay"));
}
END_TEST

START_TEST(test_ids_pair_before_names)
{
    /* old: a "Pay", b "Order"; new: b "Pay" (the id b wins over the name), x "Order" */
    jm_match_key old[] = {{"a", "Pay", -1}, {"b", "Order", -1}};
    jm_match_key new[] = {{"b", "Pay", -1}, {"x", "Order", -1}};
    long n2o[2], o2n[2];
    jm_match(old, 2, new, 2, n2o, o2n);
    ck_assert_int_eq(n2o[0], 1);  /* by id */
    ck_assert_int_eq(n2o[1], -1); /* "Order" is taken by id b: not paired again */
    ck_assert_int_eq(o2n[0], -1);
    ck_assert_int_eq(o2n[1], 0);
}
END_TEST

START_TEST(test_names_pair_in_the_same_group_first_then_in_order)
{
    /* two old "Calls support", in groups 0 and 1; the new one in group 1 takes group 1's */
    jm_match_key old[] = {{NULL, "Calls support", 0}, {NULL, "Calls support", 1}};
    jm_match_key new[] = {{NULL, "calls support", -1}, {NULL, "Calls support", 1}};
    long n2o[2], o2n[2];
    jm_match(old, 2, new, 2, n2o, o2n);
    ck_assert_int_eq(n2o[1], 1);
    ck_assert_int_eq(n2o[0], 0); /* then the first left, in old order */
    /* an id on one side only does not stop pairing by name */
    jm_match_key old2[] = {{NULL, "Pay", -1}};
    jm_match_key new2[] = {{"pay", "Pay", -1}};
    jm_match(old2, 1, new2, 1, n2o, o2n);
    ck_assert_int_eq(n2o[0], 0);
}
END_TEST

START_TEST(test_moved_are_those_outside_the_longest_kept_order)
{
    long n2o[] = {0, 2, 1, -1, 3}; /* new order of old 0..3, and one added */
    bool moved[5];
    jm_match_moved(n2o, 5, moved);
    int count = 0;
    for (int i = 0; i < 5; i++)
        count += moved[i];
    ck_assert_int_eq(count, 1); /* one of old 1 and 2 moved, nothing else */
    ck_assert(!moved[0] && !moved[3] && !moved[4]);
    long same[] = {0, 1, 2};
    jm_match_moved(same, 3, moved);
    ck_assert(!moved[0] && !moved[1] && !moved[2]);
}
END_TEST

static const jm_change *find_change(const jm_diff *d, jm_change_kind kind, const char *field)
{
    for (size_t i = 0; i < jm_diff_count(d); i++) {
        const jm_change *c = jm_diff_get(d, i);
        if (c->kind == kind &&
            ((!field && !c->field) || (field && c->field && !strcmp(field, c->field))))
            return c;
    }
    return NULL;
}

START_TEST(test_numbered_stage_ids_are_not_matched)
{
    /* "s1" written by the user is an id; the two stages differ in name: paired by id */
    jm_map *a =
        load("{\"journeymap\":1,\"title\":\"t\",\"stages\":[{\"id\":\"s1\",\"name\":\"A\"}],"
             "\"touchpoints\":[{\"stage\":\"s1\",\"name\":\"T\"}]}");
    jm_map *b =
        load("{\"journeymap\":1,\"title\":\"t\",\"stages\":[{\"id\":\"s1\",\"name\":\"B\"}],"
             "\"touchpoints\":[{\"stage\":\"s1\",\"name\":\"T\"}]}");
    jm_diff *d = jm_diff_new(a, b);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(jm_diff_count(d), 1);
    ck_assert_int_eq(jm_diff_get(d, 0)->kind, JM_CHANGE_RENAMED);
    jm_diff_free(d);
    /* the same ids made by a loader (Mermaid, CSV) are not the user's: paired by name, so
     * nothing pairs and the stage is removed and added */
    b->stages[0].id_made = true;
    d = jm_diff_new(a, b);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(find_change(d, JM_CHANGE_ADDED, NULL));
    ck_assert_ptr_nonnull(find_change(d, JM_CHANGE_REMOVED, NULL));
    ck_assert_ptr_null(find_change(d, JM_CHANGE_RENAMED, "name"));
    jm_diff_free(d);
    jm_map_free(a);
    jm_map_free(b);
}
END_TEST

START_TEST(test_metric_direction_follows_better)
{
    const char *fmt =
        "{\"journeymap\":1,\"title\":\"t\",\"stages\":[{\"id\":\"s\",\"name\":\"S\"}],"
        "\"touchpoints\":[{\"id\":\"t\",\"stage\":\"s\",\"name\":\"T\",\"metrics\":["
        "{\"name\":\"Wait\",\"value\":%d,\"better\":\"lower\"},"
        "{\"name\":\"CSAT\",\"value\":%d}]}]}";
    char *ja = jm_asprintf(fmt, 10, 80), *jb = jm_asprintf(fmt, 12, 90);
    jm_map *a = load(ja), *b = load(jb);
    jm_diff *d = jm_diff_new(a, b);
    ck_assert_uint_eq(jm_diff_count(d), 2);
    const jm_change *wait = jm_diff_get(d, 0), *csat = jm_diff_get(d, 1);
    ck_assert_str_eq(wait->detail, "Wait");
    ck_assert_int_eq(wait->direction, -1); /* lower is better, and it rose */
    ck_assert(wait->has_numbers && wait->old_number == 10 && wait->new_number == 12);
    ck_assert_str_eq(csat->detail, "CSAT");
    ck_assert_int_eq(csat->direction, 1);
    ck_assert_str_eq(csat->new_place.path, "/touchpoints/0/metrics/1");
    jm_diff_free(d);
    /* and the other way round */
    d = jm_diff_new(b, a);
    ck_assert_int_eq(jm_diff_get(d, 0)->direction, 1);
    ck_assert_int_eq(jm_diff_get(d, 1)->direction, -1);
    jm_diff_free(d);
    d = jm_diff_new(a, a);
    ck_assert_uint_eq(jm_diff_count(d), 0);
    jm_diff_free(d);
    jm_map_free(a);
    jm_map_free(b);
    jm_free(ja);
    jm_free(jb);
}
END_TEST

START_TEST(test_change_map_marks_and_versions)
{
    jm_map *a = load("{\"journeymap\":1,\"title\":\"t\",\"stages\":[{\"id\":\"s\",\"name\":\"S\"},"
                     "{\"id\":\"gone\",\"name\":\"Gone\"}],\"touchpoints\":["
                     "{\"id\":\"a\",\"stage\":\"s\",\"name\":\"A\",\"emotion\":-1},"
                     "{\"id\":\"b\",\"stage\":\"gone\",\"name\":\"B\",\"emotion\":1,"
                     "\"thought\":\"old text\"}]}");
    jm_map *b = load("{\"journeymap\":1,\"title\":\"t\",\"stages\":[{\"id\":\"s\",\"name\":\"S\"}],"
                     "\"touchpoints\":[{\"id\":\"a\",\"stage\":\"s\",\"name\":\"A\",\"emotion\":2},"
                     "{\"id\":\"c\",\"stage\":\"s\",\"name\":\"C\"}]}");
    jm_diff *d = jm_diff_new(a, b);
    jm_diags *dg = jm_diags_new();
    jm_map *m = jm_diff_change_map(d, a, b, dg);
    ck_assert_ptr_nonnull(m);
    ck_assert(m->change_map && m->has_states);
    ck_assert_uint_eq(m->n_stages, 2); /* the removed stage is copied in, after S */
    ck_assert_str_eq(m->stages[1].name, "Gone");
    ck_assert_uint_eq(m->stages[0].change, 0);
    ck_assert_uint_eq(m->stages[1].change, JM_MARK_REMOVED);
    ck_assert_uint_eq(m->n_touchpoints, 3);
    ck_assert_uint_eq(m->touchpoints[0].change, JM_MARK_CHANGED); /* emotion -1 -> 2 */
    ck_assert(m->touchpoints[0].before.emotion[0] == -1 && m->touchpoints[0].after.emotion[0] == 2);
    ck_assert(!m->touchpoints[0].base.has_emotion); /* the versions are the states */
    ck_assert_uint_eq(m->touchpoints[1].change, JM_MARK_ADDED);
    ck_assert(!m->touchpoints[1].before.present);
    const jm_touchpoint *gone = &m->touchpoints[2];
    ck_assert_uint_eq(gone->change, JM_MARK_REMOVED);
    ck_assert_str_eq(gone->name, "B");
    ck_assert_uint_eq(gone->stage, 1);
    ck_assert(gone->before.emotion[0] == 1 && !gone->after.present);
    ck_assert_uint_eq(gone->base.thought.n, 0); /* a ghost keeps no texts */
    ck_assert_str_eq(m->state_label[0], "Old"); /* both inputs are t.json */
    jm_map_free(m);
    jm_diags_free(dg);
    jm_diff_free(d);
    jm_map_free(a);
    jm_map_free(b);
}
END_TEST

/* A stage's metrics carry the old version's on the change map, which the model's stage has no
 * states for: "Completion" 61 -> 74 is drawn as such, like a touchpoint's. */
START_TEST(test_change_map_keeps_old_stage_metrics)
{
    jm_map *a = load("{\"journeymap\":1,\"title\":\"t\",\"stages\":[{\"id\":\"s\",\"name\":\"S\","
                     "\"metrics\":[{\"name\":\"Completion\",\"value\":61,\"unit\":\"%\"},"
                     "{\"name\":\"Gone\",\"value\":1}]},{\"id\":\"u\",\"name\":\"U\"}]}");
    jm_map *b = load("{\"journeymap\":1,\"title\":\"t\",\"stages\":[{\"id\":\"s\",\"name\":\"S\","
                     "\"metrics\":[{\"name\":\"Completion\",\"value\":74,\"unit\":\"%\"}]},"
                     "{\"id\":\"n\",\"name\":\"N\",\"metrics\":[{\"name\":\"X\",\"value\":2}]}]}");
    jm_diff *d = jm_diff_new(a, b);
    jm_diags *dg = jm_diags_new();
    jm_map *m = jm_diff_change_map(d, a, b, dg);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->stages[0].id, "s");
    ck_assert_uint_eq(m->stages[0].old_metrics.n, 2);
    ck_assert_str_eq(m->stages[0].old_metrics.v[0].name, "Completion");
    ck_assert(m->stages[0].old_metrics.v[0].value == 61 && m->stages[0].metrics.v[0].value == 74);
    ck_assert_str_eq(m->stages[0].old_metrics.v[0].unit, "%");
    for (size_t s = 1; s < m->n_stages; s++) /* added or removed: one version only */
        ck_assert_uint_eq(m->stages[s].old_metrics.n, 0);
    jm_map_free(m);
    jm_diags_free(dg);
    jm_diff_free(d);
    jm_map_free(a);
    jm_map_free(b);
}
END_TEST

START_TEST(test_lint_settings)
{
    jm_lint_settings *s = jm_lint_settings_new();
    jm_diags *d = jm_diags_new();
    ck_assert_int_eq(jm_lint_settings_set(s, "empty-stage=error", d), 0);
    ck_assert_int_eq(jm_lint_settings_set(s, "long-thought.max_words=3", d), 0);
    ck_assert_int_eq(jm_lint_settings_set(s, "empty-stag=off", d), -1);
    ck_assert_str_eq(jm_diags_get(d, 0)->message,
                     "unknown lint rule 'empty-stag' (did you mean 'empty-stage'?)");
    ck_assert_int_eq(jm_lint_settings_set(s, "empty-stage=loud", d), -1);
    ck_assert_int_eq(jm_lint_settings_set(s, "empty-stage.max_words=3", d), -1);
    ck_assert_int_eq(jm_lint_settings_set(s, "long-thought.max_words=many", d), -1);
    ck_assert_int_eq(jm_lint_settings_set(s, "empty-stage", d), -1);
    ck_assert_uint_eq(jm_diags_count(d), 5);
    jm_map *m = load("{\"journeymap\":1,\"title\":\"t\",\"stages\":[{\"id\":\"s\",\"name\":\"S\"},"
                     "{\"id\":\"e\",\"name\":\"E\"}],\"touchpoints\":[{\"stage\":\"s\",\"name\":"
                     "\"T\",\"thought\":\"one two three four\"}]}");
    jm_findings *f = jm_lint_map(m, s);
    ck_assert_uint_eq(jm_findings_count(f), 2);
    /* by position: stage "E" comes before the touchpoint in the file */
    ck_assert_str_eq(jm_findings_get(f, 0)->rule, "empty-stage");
    ck_assert_int_eq(jm_findings_get(f, 0)->level, JM_LINT_ERROR);
    ck_assert_str_eq(jm_findings_get(f, 1)->rule, "long-thought");
    ck_assert_str_eq(jm_findings_get(f, 1)->message, "thought of \"T\" has 4 words (at most 3)");
    jm_findings_free(f);
    ck_assert_int_eq(jm_lint_settings_set(s, "all=off", d), 0);
    f = jm_lint_map(m, s);
    ck_assert_uint_eq(jm_findings_count(f), 0);
    jm_findings_free(f);
    jm_map_free(m);
    jm_diags_free(d);
    jm_lint_settings_free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_names_match_across_case_and_spaces);
    tcase_add_test(tc, test_ids_pair_before_names);
    tcase_add_test(tc, test_names_pair_in_the_same_group_first_then_in_order);
    tcase_add_test(tc, test_moved_are_those_outside_the_longest_kept_order);
    tcase_add_test(tc, test_numbered_stage_ids_are_not_matched);
    tcase_add_test(tc, test_metric_direction_follows_better);
    tcase_add_test(tc, test_change_map_marks_and_versions);
    tcase_add_test(tc, test_change_map_keeps_old_stage_metrics);
    tcase_add_test(tc, test_lint_settings);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
