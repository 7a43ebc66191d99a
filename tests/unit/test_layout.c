/* Layout behaviour: state resolution, lane selection and order, the emotion curves (states,
 * personas, actors), and the grid (slots, columns, growth). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "context/context.h"
#include "layout/layout.h"
#include "model/model.h"
#include "testutil.h"
#include "theme/theme.h"
#include "util/util.h"

#include "testutil.h"

static jm_context *ctx;

static jm_layout *lay_themed(const char *json, jm_state state, const char *theme);
static jm_layout *lay(const char *json, jm_state state) { return lay_themed(json, state, NULL); }

static jm_layout *lay_themed(const char *json, jm_state state, const char *theme)
{
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_buffer(ctx, "t.json", json, strlen(json), NULL, d);
    if (!m) {
        const jm_diag *g = jm_diags_get(d, 0);
        ck_abort_msg("model does not load: %s", g ? g->message : "?");
    }
    jm_theme *t =
        theme ? jm_theme_load(jm_context_data_dir(ctx), theme, d) : jm_theme_new_default();
    ck_assert_ptr_nonnull(t);
    jm_layout_options o = {.state = state, .layout = JM_LAYOUT_AUTO};
    jm_layout *lo = jm_layout_new(ctx, m, t, &o, d);
    ck_assert_ptr_nonnull(lo);
    jm_theme_free(t);
    jm_diags_free(d);
    return lo; /* the map is freed with done() */
}

static void done(jm_layout *lo)
{
    jm_map *m = (jm_map *)lo->map;
    jm_layout_free(lo);
    jm_map_free(m);
}

static size_t count_kind(const jm_layout *lo, const char *kind)
{
    size_t n = 0;
    for (size_t i = 0; i < lo->n; i++)
        n += strcmp(lo->el[i].kind, kind) == 0;
    return n;
}

static const jm_element *find(const jm_layout *lo, const char *kind, const char *ref)
{
    for (size_t i = 0; i < lo->n; i++)
        if (strcmp(lo->el[i].kind, kind) == 0 && lo->el[i].ref && strcmp(lo->el[i].ref, ref) == 0)
            return &lo->el[i];
    return NULL;
}

/* Lane labels in drawing order, joined with '|'. */
static void lane_labels(const jm_layout *lo, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < lo->n; i++) {
        if (strcmp(lo->el[i].kind, "lane_label") != 0)
            continue;
        for (size_t j = i + 1; j < lo->n; j++)
            if (lo->el[j].parent == (long)i && lo->el[j].text) {
                strncat(out, lo->el[j].text, n - strlen(out) - 2);
                strncat(out, "|", n - strlen(out) - 1);
                break;
            }
    }
}

#define STATES_MAP                                                                                 \
    "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],"        \
    " \"touchpoints\": [{\"stage\": \"a\", \"channel\": \"website\", \"name\": \"Site\","          \
    " \"emotion\": 0, \"before\": {\"emotion\": -2, \"description\": \"Slow\","                    \
    " \"metrics\": [{\"name\": \"Wait\", \"value\": 10, \"unit\": \"min\", \"better\": "           \
    "\"lower\"}]}, \"after\": {\"emotion\": 1, \"description\": \"Fast\", \"metrics\": "           \
    "[{\"name\": \"Wait\", \"value\": 2, \"unit\": \"min\", \"better\": \"lower\"}]}},"            \
    " {\"stage\": \"a\", \"channel\": \"app\", \"name\": \"App\", \"emotion\": 2}]}"

START_TEST(test_state_defaults_to_compare_when_the_map_has_states)
{
    jm_layout *lo = lay(STATES_MAP, JM_STATE_AUTO);
    ck_assert_int_eq(lo->state, JM_STATE_COMPARE);
    ck_assert_uint_eq(count_kind(lo, "emotion_curve"), 2); /* before dashed, after solid */
    bool dashed = false, solid = false;
    for (size_t i = 0; i < lo->n; i++)
        if (strcmp(lo->el[i].kind, "emotion_curve") == 0) {
            dashed |= lo->el[i].dash == JM_DASH_DASHED;
            solid |= lo->el[i].dash == JM_DASH_SOLID;
        }
    ck_assert(dashed && solid);
    ck_assert_ptr_nonnull(find(lo, "state_before", "/touchpoints/0/before"));
    ck_assert_ptr_nonnull(find(lo, "state_after", "/touchpoints/0/after"));
    /* KPI: before → after with the change, coloured as an improvement (lower is better). */
    bool delta = false;
    for (size_t i = 0; i < lo->n; i++)
        if (strcmp(lo->el[i].kind, "delta") == 0) {
            delta = true;
            ck_assert_double_eq_tol(lo->el[i].value, -8, 1e-9);
            ck_assert(lo->el[i].color.g > lo->el[i].color.r); /* green: an improvement */
        }
    ck_assert(delta);
    done(lo);
}
END_TEST

START_TEST(test_before_and_after_states_show_their_own_values)
{
    jm_layout *lo = lay(STATES_MAP, JM_STATE_BEFORE);
    ck_assert_int_eq(lo->state, JM_STATE_BEFORE);
    ck_assert_uint_eq(count_kind(lo, "emotion_curve"), 1);
    ck_assert_uint_eq(count_kind(lo, "state_before"), 0); /* no compare lane */
    const jm_element *p = find(lo, "emotion_point", "/touchpoints/0/before/emotion");
    ck_assert_ptr_nonnull(p);
    ck_assert_double_eq(p->value, -2);
    bool slow = false;
    for (size_t i = 0; i < lo->n; i++)
        slow |= lo->el[i].text && strcmp(lo->el[i].text, "Slow") == 0;
    ck_assert(slow);
    done(lo);
    lo = lay(STATES_MAP, JM_STATE_AFTER);
    p = find(lo, "emotion_point", "/touchpoints/0/after/emotion");
    ck_assert_ptr_nonnull(p);
    ck_assert_double_eq(p->value, 1);
    done(lo);
}
END_TEST

START_TEST(test_default_lanes_are_those_with_content_in_canonical_order)
{
    jm_layout *lo =
        lay("{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": \"A\","
            " \"goal\": \"G\"}], \"touchpoints\": [{\"stage\": \"a\", \"name\": \"N\", \"pain\": "
            "\"P\", \"action\": \"Act\", \"emotion\": 1}], \"items\": [{\"lane\": \"support\","
            " \"stage\": \"a\", \"text\": \"S\"}]}",
            JM_STATE_AUTO);
    char labels[512];
    lane_labels(lo, labels, sizeof labels);
    ck_assert_str_eq(
        labels, "Stages|Goals & questions|Actions|Touchpoints|Emotions|Pains|Support processes|");
    /* The support lane sits under the line of internal interaction. */
    bool line = false;
    for (size_t i = 0; i < lo->n; i++)
        line |= lo->el[i].text && strcmp(lo->el[i].text, "Line of internal interaction") == 0;
    ck_assert(line);
    done(lo);
}
END_TEST

START_TEST(test_explicit_lanes_set_order_and_names)
{
    jm_layout *lo =
        lay("{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],"
            " \"lanes\": [\"pains\", {\"id\": \"touchpoints\", \"name\": \"Channels\"},"
            " {\"id\": \"it\", \"name\": \"IT systems\"}], \"touchpoints\": [{\"stage\": \"a\", "
            "\"name\": \"N\", \"pain\": \"P\", \"action\": \"not drawn\"}], \"items\": [{\"lane\": "
            "\"it\", \"stage\": \"a\", \"text\": \"CRM\"}]}",
            JM_STATE_AUTO);
    char labels[512];
    lane_labels(lo, labels, sizeof labels);
    /* A touchpoint without a channel sits in a row named after the touchpoints lane. */
    ck_assert_str_eq(labels, "Stages|Pains|Channels|IT systems|");
    for (size_t i = 0; i < lo->n; i++)
        ck_assert(!lo->el[i].text || strcmp(lo->el[i].text, "not drawn") != 0);
    done(lo);
}
END_TEST

START_TEST(test_persona_curves_skip_touchpoints_without_the_actor)
{
    jm_layout *lo = lay(
        "{\"journeymap\": 1, \"title\": \"T\", \"personas\": [{\"id\": \"ann\", \"name\": \"Ann\"},"
        " {\"id\": \"bob\", \"name\": \"Bob\"}], \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],"
        " \"touchpoints\": ["
        "{\"stage\": \"a\", \"name\": \"1\", \"emotion\": {\"ann\": 1, \"bob\": -1}},"
        "{\"stage\": \"a\", \"name\": \"2\", \"emotion\": 2, \"actors\": [\"ann\"]},"
        "{\"stage\": \"a\", \"name\": \"3\", \"emotion\": {\"ann\": 0, \"bob\": 2}}]}",
        JM_STATE_AUTO);
    size_t curves = 0;
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *e = &lo->el[i];
        if (strcmp(e->kind, "emotion_curve") != 0)
            continue;
        curves++;
        /* Ann's curve has 3 points (1 + 3×2 Bézier points), Bob's 2 (1 + 3). */
        ck_assert_uint_eq(e->npts, e->value == 0 ? 7 : 4);
    }
    ck_assert_uint_eq(curves, 2);
    ck_assert_uint_eq(count_kind(lo, "emotion_point"), 5);
    /* Personas with nothing but a name go to the legend, not to cards. */
    ck_assert_uint_eq(count_kind(lo, "persona"), 0);
    ck_assert_uint_eq(count_kind(lo, "legend_swatch"), 2);
    done(lo);
}
END_TEST

/* Grayscale print: each persona's curve has its own line style, and the model's colours give
 * way to the theme's greys; in colour themes the curves are solid in the model's colours. */
START_TEST(test_monochrome_theme_gives_personas_line_styles)
{
    const char *json =
        "{\"journeymap\": 1, \"title\": \"T\", \"personas\": ["
        "{\"id\": \"a\", \"name\": \"A\", \"color\": \"#E11D48\"}, {\"id\": \"b\", \"name\": "
        "\"B\"},"
        " {\"id\": \"c\", \"name\": \"C\"}], \"stages\": [{\"id\": \"s\", \"name\": \"S\"}],"
        " \"touchpoints\": [{\"stage\": \"s\", \"name\": \"1\", \"emotion\": {\"a\": 1, \"b\": 0, "
        "\"c\": -1}},"
        "{\"stage\": \"s\", \"name\": \"2\", \"emotion\": {\"a\": 2, \"b\": 1, \"c\": 0}}]}";
    for (int print = 0; print <= 1; print++) {
        jm_layout *lo = lay_themed(json, JM_STATE_AUTO, print ? "print" : "default");
        jm_dash seen[3] = {0};
        size_t curves = 0;
        for (size_t i = 0; i < lo->n; i++) {
            const jm_element *e = &lo->el[i];
            if (strcmp(e->kind, "emotion_curve") != 0)
                continue;
            ck_assert_uint_lt((size_t)e->value, 3);
            seen[(size_t)e->value] = e->dash;
            curves++;
            jm_rgba c = e->stroke;
            bool grey = fabs(c.r - c.g) < 1e-9 && fabs(c.g - c.b) < 1e-9;
            if (print)
                ck_assert_msg(grey, "persona %g's curve is not grey in print", e->value);
            else if (e->value == 0)
                ck_assert(fabs(c.r - 0xE1 / 255.0) < 1e-9 && fabs(c.b - 0x48 / 255.0) < 1e-9);
        }
        ck_assert_uint_eq(curves, 3);
        if (print) {
            ck_assert(seen[0] != seen[1] && seen[1] != seen[2] && seen[0] != seen[2]);
            for (int k = 0; k < 3; k++)
                ck_assert_int_ne(seen[k], JM_DASH_DASHED); /* dashed means "before" */
        } else {
            for (int k = 0; k < 3; k++)
                ck_assert_int_eq(seen[k], JM_DASH_SOLID);
        }
        done(lo);
    }
}
END_TEST

START_TEST(test_slots_follow_time_order_and_columns_grow)
{
    jm_layout *lo =
        lay("{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": \"A\"},"
            " {\"id\": \"b\", \"name\": \"B\"}], \"touchpoints\": ["
            "{\"stage\": \"b\", \"name\": \"b1\"}, {\"stage\": \"a\", \"name\": \"a1\"},"
            "{\"stage\": \"b\", \"name\": \"b2\"}, {\"stage\": \"b\", \"name\": \"b3\"}]}",
            JM_STATE_AUTO);
    const jm_element *b1 = find(lo, "card", "/touchpoints/0");
    const jm_element *a1 = find(lo, "card", "/touchpoints/1");
    const jm_element *b2 = find(lo, "card", "/touchpoints/2");
    const jm_element *b3 = find(lo, "card", "/touchpoints/3");
    ck_assert(a1->x < b1->x && b1->x < b2->x && b2->x < b3->x);
    const jm_element *sa = find(lo, "stage", "/stages/0");
    const jm_element *sb = find(lo, "stage", "/stages/1");
    ck_assert_double_eq_tol(sb->w, 3 * sa->w - 2 * 8, 1e-6); /* three slots vs one */
    ck_assert_double_eq_tol(sa->x + sa->w, sb->x, 1e-9);
    done(lo);
}
END_TEST

START_TEST(test_emotion_points_are_monotone_and_inside_the_guides)
{
    jm_layout *lo = lay(
        "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],"
        " \"touchpoints\": [{\"stage\": \"a\", \"name\": \"1\", \"emotion\": -2},"
        "{\"stage\": \"a\", \"name\": \"2\", \"emotion\": 2}, {\"stage\": \"a\", \"name\": \"3\","
        " \"emotion\": 1.5}, {\"stage\": \"a\", \"name\": \"4\", \"emotion\": 2},"
        " {\"stage\": \"a\", \"name\": \"5\", \"emotion\": -0.5}]}",
        JM_STATE_AUTO);
    double ys[5];
    for (int k = 0; k < 5; k++) {
        char ref[64];
        snprintf(ref, sizeof ref, "/touchpoints/%d/emotion", k);
        const jm_element *p = find(lo, "emotion_point", ref);
        ck_assert_ptr_nonnull(p);
        ys[k] = p->y + p->h / 2;
    }
    ck_assert(ys[1] < ys[2] && ys[2] < ys[4] && ys[4] < ys[0]);
    ck_assert_double_eq_tol(ys[1], ys[3], 1e-9);
    /* The curve never rises above +2 between two +2 points nor dips below −2. */
    for (size_t i = 0; i < lo->n; i++)
        if (strcmp(lo->el[i].kind, "emotion_curve") == 0)
            for (size_t k = 0; k < lo->el[i].npts; k++)
                ck_assert(lo->el[i].pts[k].y >= ys[1] - 1e-9 && lo->el[i].pts[k].y <= ys[0] + 1e-9);
    done(lo);
}
END_TEST

START_TEST(test_declared_scale_maps_onto_the_emotion_axis)
{
    /* 1…5: 1 sits where −2 does, 3 on the dotted midpoint, 5 where +2 does; the faces' values
     * (which set the mouth) are the axis values; the guides show the scale and its labels. */
    jm_layout *lo = lay(
        "{\"journeymap\": 1, \"title\": \"T\", \"scale\": {\"min\": 1, \"max\": 5, \"labels\":"
        " {\"5\": \"Delighted\", \"1\": \"Frustrated\", \"2\": \"Annoyed\"}},"
        " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],"
        " \"touchpoints\": [{\"stage\": \"a\", \"name\": \"P\", \"emotion\": 1},"
        "{\"stage\": \"a\", \"name\": \"Q\", \"emotion\": 3}, {\"stage\": \"a\", \"name\": \"R\","
        " \"emotion\": 5}, {\"stage\": \"a\", \"name\": \"S\", \"emotion\": 4.5}]}",
        JM_STATE_AUTO);
    static const double axis[] = {-2, 0, 2, 1.5};
    double ys[4];
    for (int k = 0; k < 4; k++) {
        char ref[64];
        snprintf(ref, sizeof ref, "/touchpoints/%d/emotion", k);
        const jm_element *p = find(lo, "emotion_point", ref);
        ck_assert_ptr_nonnull(p);
        ck_assert_double_eq_tol(p->value, axis[k], 1e-12);
        ys[k] = p->y + p->h / 2;
    }
    ck_assert_double_eq_tol(ys[1] - ys[2], ys[0] - ys[1], 1e-9); /* evenly spaced */
    ck_assert_double_eq_tol(ys[3], ys[2] + (ys[1] - ys[2]) / 4, 1e-9);
    const char *want[] = {"Delighted (5)", "3", "Frustrated (1)", "Annoyed (2)"};
    size_t found = 0;
    double guide_y[4] = {0}, dotted_y = -1;
    size_t g = 0;
    for (size_t i = 0; i < lo->n; i++) {
        if (strcmp(lo->el[i].kind, "guide") == 0 && g < 4) {
            if (lo->el[i].dash == JM_DASH_DOTTED)
                dotted_y = lo->el[i].y;
            guide_y[g++] = lo->el[i].y;
        }
        for (size_t k = 0; k < 4; k++)
            found += lo->el[i].text && strcmp(lo->el[i].text, want[k]) == 0;
    }
    ck_assert_uint_eq(found, 4);
    ck_assert_uint_eq(g, 4);
    ck_assert_double_eq_tol(guide_y[0], ys[2], 1e-9);
    ck_assert_double_eq_tol(dotted_y, ys[1], 1e-9);
    ck_assert_double_eq_tol(guide_y[2], ys[0], 1e-9);
    ck_assert_uint_eq(count_kind(lo, "icon_face"), 4);
    done(lo);
}
END_TEST

START_TEST(test_emotion_axis_of_a_scale)
{
    jm_map *m = jm_model_new("t");
    ck_assert_ptr_nonnull(m);
    ck_assert_double_eq(jm_emotion_axis(m, 0.3), 0.3); /* the default: the value itself */
    ck_assert_double_eq(jm_emotion_axis(m, 7), 2);     /* clamped */
    m->scale.min = 0;
    m->scale.max = 10;
    ck_assert_double_eq_tol(jm_emotion_axis(m, 0), -2, 1e-12);
    ck_assert_double_eq_tol(jm_emotion_axis(m, 5), 0, 1e-12);
    ck_assert_double_eq_tol(jm_emotion_axis(m, 7.5), 1, 1e-12);
    ck_assert_double_eq_tol(jm_emotion_axis(m, 10), 2, 1e-12);
    ck_assert(jm_emotion_in_scale(m, 10) && !jm_emotion_in_scale(m, 10.5));
    ck_assert(!jm_emotion_in_scale(m, -0.1));
    char range[80];
    jm_scale_range_text(m, range, sizeof range);
    ck_assert_str_eq(range, "from 0 to 10");
    jm_map_free(m);
}
END_TEST

START_TEST(test_russian_map_gets_russian_labels_and_decimal_commas)
{
    jm_layout *lo =
        lay("{\"journeymap\": 1, \"title\": \"Т\", \"lang\": \"ru\", \"stages\": [{\"id\": \"a\","
            " \"name\": \"А\"}], \"touchpoints\": [{\"stage\": \"a\", \"channel\": \"phone\", "
            "\"name\": \"Звонок\", \"metrics\": [{\"name\": \"CSAT\", \"value\": 4.5}]}]}",
            JM_STATE_AUTO);
    bool channel = false, number = false;
    for (size_t i = 0; i < lo->n; i++) {
        const char *t = lo->el[i].text;
        channel |= t && strcmp(t, "Колл-центр") == 0;
        number |= t && strcmp(t, "4,5") == 0;
    }
    ck_assert(channel);
    ck_assert(number);
    done(lo);
}
END_TEST

/* ---- Issue 14: each thing said once, no dead space, several personas ------------------- */

static size_t count_text(const jm_layout *lo, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < lo->n; i++)
        n += lo->el[i].text && strcmp(lo->el[i].text, text) == 0;
    return n;
}

static bool inside_kind(const jm_layout *lo, const jm_element *e, const char *kind)
{
    for (long p = e->parent; p >= 0; p = lo->el[p].parent)
        if (strcmp(lo->el[p].kind, kind) == 0)
            return true;
    return false;
}

/* Compare: a description that changes is said once, in the before/after lane (the card
 * carries what does not change); an action that changes is said in the actions lane only. */
START_TEST(test_compare_says_each_change_once)
{
    jm_layout *lo = lay(
        "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],"
        " \"touchpoints\": ["
        "{\"stage\": \"a\", \"name\": \"Pay\", \"emotion\": 0,"
        "  \"before\": {\"description\": \"Six-step form\"},"
        "  \"after\": {\"description\": \"One page, guest checkout\"}},"
        "{\"stage\": \"a\", \"name\": \"Get\", \"emotion\": 0,"
        "  \"before\": {\"action\": \"Waits at home\"}, \"after\": {\"action\": \"Picks a slot\"}},"
        "{\"stage\": \"a\", \"name\": \"Keep\", \"description\": \"Same in both\", \"emotion\": 1,"
        "  \"before\": {\"emotion\": -1}, \"after\": {\"emotion\": 1}}]}",
        JM_STATE_COMPARE);
    ck_assert_uint_eq(count_text(lo, "One page, guest checkout"), 1);
    ck_assert_uint_eq(count_text(lo, "Six-step form"), 1);
    for (size_t i = 0; i < lo->n; i++)
        if (lo->el[i].text && strcmp(lo->el[i].text, "One page, guest checkout") == 0)
            ck_assert(!inside_kind(lo, &lo->el[i], "card"));
    ck_assert_uint_eq(count_text(lo, "Picks a slot"), 1);
    ck_assert_uint_eq(count_text(lo, "Waits at home"), 1);
    /* What does not change stays on the card. */
    ck_assert_uint_eq(count_text(lo, "Same in both"), 1);
    done(lo);
}
END_TEST

/* A card is as tall as its content: a title-only card ends one padding below its title. */
START_TEST(test_card_is_as_tall_as_its_content)
{
    jm_layout *lo = lay("{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", "
                        "\"name\": \"A\"}], \"touchpoints\": [{\"stage\": \"a\", \"name\": "
                        "\"Tea\", \"channel\": \"app\"}]}",
                        JM_STATE_AUTO);
    const jm_element *card = find(lo, "card", "/touchpoints/0");
    const jm_element *title = find(lo, "text", "/touchpoints/0/name");
    ck_assert_ptr_nonnull(card);
    ck_assert_ptr_nonnull(title);
    double pad = lo->theme->padding;
    ck_assert_double_eq_tol(card->y + card->h, title->y + title->h + pad, 0.01);
    ck_assert(card->h < lo->theme->card_min_height);
    done(lo);
}
END_TEST

static const char *const three_personas =
    "{\"journeymap\": 1, \"title\": \"T\", \"personas\": [{\"id\": \"ann\", \"name\": \"Ann\"},"
    " {\"id\": \"bob\", \"name\": \"Bob\"}, {\"id\": \"cy\", \"name\": \"Cy\"}],"
    " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}], \"touchpoints\": ["
    "{\"stage\": \"a\", \"name\": \"1\", \"emotion\": {\"ann\": 1, \"bob\": 1, \"cy\": -2}},"
    "{\"stage\": \"a\", \"name\": \"2\", \"emotion\": {\"ann\": 2, \"bob\": -1}},"
    "{\"stage\": \"a\", \"name\": \"3\", \"emotion\": {\"ann\": 0, \"bob\": 2, \"cy\": 0}}]}";

/* Several personas: every curve lies under every marker (drawn before), markers that would
 * touch stand apart and a marker alone stays on its touchpoint's centre, and the band is taller
 * than for one persona. */
START_TEST(test_persona_curves_run_under_markers_that_never_touch)
{
    jm_layout *lo = lay(three_personas, JM_STATE_AUTO);
    size_t last_curve = 0, first_point = lo->n;
    for (size_t i = 0; i < lo->n; i++) {
        if (strcmp(lo->el[i].kind, "emotion_curve") == 0)
            last_curve = i;
        if (strcmp(lo->el[i].kind, "emotion_point") == 0 && i < first_point)
            first_point = i;
    }
    ck_assert(last_curve < first_point);
    ck_assert_uint_eq(count_kind(lo, "emotion_halo"), count_kind(lo, "emotion_point"));
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *a = &lo->el[i];
        if (strcmp(a->kind, "emotion_point") != 0)
            continue;
        for (size_t j = i + 1; j < lo->n; j++) {
            const jm_element *b = &lo->el[j];
            if (strcmp(b->kind, "emotion_point") != 0)
                continue;
            double dx = (a->x + a->w / 2) - (b->x + b->w / 2),
                   dy = (a->y + a->h / 2) - (b->y + b->h / 2);
            ck_assert_msg(sqrt(dx * dx + dy * dy) >= a->w - 0.01, "markers %s and %s touch", a->ref,
                          b->ref);
        }
    }
    /* Cy's -2 at touchpoint 1 is alone: on the card's centre line. */
    const jm_element *card = find(lo, "card", "/touchpoints/0");
    ck_assert_ptr_nonnull(card);
    bool centred = false;
    for (size_t i = 0; i < lo->n; i++)
        if (strcmp(lo->el[i].kind, "emotion_point") == 0 && lo->el[i].value == -2)
            centred = fabs(lo->el[i].x + lo->el[i].w / 2 - (card->x + card->w / 2)) < 0.01;
    ck_assert(centred);
    double band3 = 0, band1 = 0;
    for (int k = 0; k < 2; k++) {
        jm_layout *l = k ? lay("{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\","
                               " \"name\": \"A\"}], \"touchpoints\": [{\"stage\": \"a\", "
                               "\"name\": \"1\", \"emotion\": 1}]}",
                               JM_STATE_AUTO)
                         : lo;
        double top = INFINITY, bottom = -INFINITY;
        for (size_t i = 0; i < l->n; i++)
            if (strcmp(l->el[i].kind, "guide") == 0) {
                top = fmin(top, l->el[i].y);
                bottom = fmax(bottom, l->el[i].y);
            }
        *(k ? &band1 : &band3) = bottom - top;
        if (k)
            done(l);
    }
    ck_assert(band3 > band1);
    done(lo);
}
END_TEST

/* Persona colours keep away from the sentiment red and green of the faces. */
static double hue(jm_rgba c)
{
    double mx = fmax(c.r, fmax(c.g, c.b)), mn = fmin(c.r, fmin(c.g, c.b)), d = mx - mn, h;
    if (d < 1e-9)
        return -1; /* grey: no hue */
    if (mx == c.r)
        h = fmod((c.g - c.b) / d, 6);
    else if (mx == c.g)
        h = (c.b - c.r) / d + 2;
    else
        h = (c.r - c.g) / d + 4;
    h *= 60;
    return h < 0 ? h + 360 : h;
}

START_TEST(test_persona_palette_avoids_sentiment_colours)
{
    static const char *const names[] = {"default", "workshop"};
    for (size_t k = 0; k < 2; k++) {
        jm_diags *d = jm_diags_new();
        jm_theme *t = jm_theme_load(jm_context_data_dir(ctx), names[k], d);
        ck_assert_ptr_nonnull(t);
        double neg = hue(t->emotion_neg), pos = hue(t->emotion_pos);
        for (int i = 0; i < JM_THEME_PALETTE; i++) {
            double h = hue(t->persona_palette[i]);
            if (h < 0)
                continue;
            double dn = fmin(fabs(h - neg), 360 - fabs(h - neg));
            double dp = fmin(fabs(h - pos), 360 - fabs(h - pos));
            ck_assert_msg(dn >= 20 && dp >= 40,
                          "%s persona colour %d (hue %.0f) is near red "
                          "(%.0f) or green (%.0f)",
                          names[k], i, h, neg, pos);
        }
        jm_theme_free(t);
        jm_diags_free(d);
    }
}
END_TEST

/* Cards carry a chip for each persona that took part (has an emotion there), when the map has
 * several; the legend shows the same chips; a map of one persona has none. */
START_TEST(test_cards_show_who_took_part)
{
    jm_layout *lo = lay(three_personas, JM_STATE_AUTO);
    size_t on_cards = 0, in_legend = 0;
    for (size_t i = 0; i < lo->n; i++) {
        if (strcmp(lo->el[i].kind, "persona_chip") != 0)
            continue;
        if (inside_kind(lo, &lo->el[i], "card"))
            on_cards++;
        else if (inside_kind(lo, &lo->el[i], "legend"))
            in_legend++;
    }
    ck_assert_uint_eq(on_cards, 3 + 2 + 3);
    ck_assert_uint_eq(in_legend, 3);
    done(lo);
    lo = lay("{\"journeymap\": 1, \"title\": \"T\", \"personas\": [{\"id\": \"ann\", \"name\": "
             "\"Ann\"}], \"stages\": [{\"id\": \"a\", \"name\": \"A\"}], \"touchpoints\": "
             "[{\"stage\": \"a\", \"name\": \"1\", \"emotion\": 1}]}",
             JM_STATE_AUTO);
    ck_assert_uint_eq(count_kind(lo, "persona_chip"), 0);
    done(lo);
}
END_TEST

/* A chip as it looks: its label, shape, corner, fill and outline. */
typedef struct chip_look {
    char label[24];
    jm_shape shape;
    double w, radius;
    jm_rgba fill, stroke;
    bool ok;
} chip_look;

static chip_look look_of(const jm_layout *lo, size_t i)
{
    chip_look c = {.shape = lo->el[i].shape,
                   .w = lo->el[i].w,
                   .radius = lo->el[i].radius,
                   .fill = lo->el[i].fill,
                   .stroke = lo->el[i].stroke,
                   .ok = true};
    for (size_t j = i + 1; j < lo->n; j++)
        if (lo->el[j].parent == (long)i && lo->el[j].text)
            snprintf(c.label, sizeof c.label, "%s", lo->el[j].text);
    return c;
}

static bool same_look(const chip_look *a, const chip_look *b)
{
    return !strcmp(a->label, b->label) && a->shape == b->shape && fabs(a->w - b->w) < 1e-9 &&
           fabs(a->radius - b->radius) < 1e-9 && !memcmp(&a->fill, &b->fill, sizeof a->fill) &&
           !memcmp(&a->stroke, &b->stroke, sizeof a->stroke);
}

/* Personas whose names start alike ("Anna", "Alex", "Ann Ray") get chips with two letters, so
 * that their chips differ in grayscale; in the print theme each persona also has its own chip
 * style (filled circle, ring, filled square, open square). The legend shows each persona's
 * chip exactly as the cards do. */
START_TEST(test_chips_tell_personas_apart)
{
    static const char *const themes[] = {NULL, "print"};
    const char *json =
        "{\"journeymap\": 1, \"title\": \"T\", \"personas\": [{\"id\": \"anna\", \"name\": "
        "\"Anna\"}, {\"id\": \"alex\", \"name\": \"Alex\"}, {\"id\": \"bo\", \"name\": \"Bo\"}, "
        "{\"id\": \"ann\", \"name\": \"Ann Ray\"}], \"stages\": [{\"id\": \"a\", \"name\": "
        "\"A\"}], \"touchpoints\": [{\"stage\": \"a\", \"channel\": \"app\", \"name\": \"Buys "
        "a ticket for the whole family\", \"emotion\": {\"anna\": 1, \"alex\": -1, \"bo\": 0, "
        "\"ann\": 2}}]}";
    static const char *const want[] = {"An", "Al", "B", "AR"};
    for (size_t t = 0; t < 2; t++) {
        jm_layout *lo = lay_themed(json, JM_STATE_AUTO, themes[t]);
        chip_look card[4] = {0}, legend[4] = {0};
        for (size_t i = 0; i < lo->n; i++) {
            const jm_element *e = &lo->el[i];
            if (strcmp(e->kind, "persona_chip") != 0)
                continue;
            size_t p = (size_t)atoi(strrchr(e->ref, '/') + 1);
            ck_assert_uint_lt(p, 4);
            chip_look *into = inside_kind(lo, e, "legend") ? legend : card;
            ck_assert_msg(!into[p].ok, "persona %zu has two chips in one place", p);
            into[p] = look_of(lo, i);
        }
        for (size_t p = 0; p < 4; p++) {
            ck_assert_msg(card[p].ok && legend[p].ok, "persona %zu: chip on card %d, legend %d", p,
                          card[p].ok, legend[p].ok);
            ck_assert_str_eq(card[p].label, want[p]);
            ck_assert_msg(same_look(&card[p], &legend[p]),
                          "%s: persona %zu's chip in the legend is not the card's",
                          themes[t] ? themes[t] : "default", p);
            for (size_t q = 0; q < p; q++)
                ck_assert_msg(strcasecmp(card[p].label, card[q].label) != 0,
                              "personas %zu and %zu both read '%s'", q, p, card[p].label);
        }
        if (themes[t]) /* print: four personas, four chip styles */
            for (size_t p = 0; p < 4; p++)
                for (size_t q = 0; q < p; q++) {
                    bool open_p = card[p].stroke.a > 0, open_q = card[q].stroke.a > 0;
                    bool square_p = card[p].radius < 3, square_q = card[q].radius < 3;
                    ck_assert_msg(open_p != open_q || square_p != square_q,
                                  "print: personas %zu and %zu have the same chip style", q, p);
                }
        done(lo);
    }
}
END_TEST

/* A persona card's identity column (photo or icon, name, quote, and any fact group that flows
 * under them) sits on a panel of the persona's tint that is as tall as the card's content, so
 * that a column shorter than the facts beside it reads as the card's side bar, not as a gap at
 * its foot; an identity alone on its panel is centred on it. Every example with persona cards:
 * bank-account-ru has the identity alone in its column, online-store two cards with "Who they
 * are" under the identity. */
START_TEST(test_persona_identity_sits_on_a_full_height_panel)
{
    static const char *const examples[] = {"bank-account-ru.json", "online-store.json",
                                           "saas-onboarding.json", "dense-journey.json"};
    for (size_t x = 0; x < sizeof examples / sizeof examples[0]; x++) {
        char rel[128], path[4096];
        snprintf(rel, sizeof rel, "data/examples/%s", examples[x]);
        jm_diags *d = jm_diags_new();
        jm_map *m = jm_map_load_file(ctx, tu_source_path(path, sizeof path, rel), NULL, d);
        ck_assert_ptr_nonnull(m);
        jm_theme *t = jm_theme_new_default();
        jm_layout_options o = {.state = JM_STATE_AUTO, .layout = JM_LAYOUT_AUTO};
        jm_layout *lo = jm_layout_new(ctx, m, t, &o, d);
        ck_assert_ptr_nonnull(lo);
        size_t cards = 0;
        for (size_t c = 0; c < lo->n; c++) {
            const jm_element *card = &lo->el[c];
            if (strcmp(card->kind, "persona") != 0)
                continue;
            cards++;
            const jm_element *panel = NULL;
            for (size_t i = c + 1; i < lo->n && !panel; i++)
                if (lo->el[i].parent == (long)c && !strcmp(lo->el[i].kind, "persona_panel"))
                    panel = &lo->el[i];
            ck_assert_msg(panel != NULL, "%s: persona card %zu has no identity panel", examples[x],
                          cards);
            ck_assert_msg(panel->y - card->y <= 8 + 1e-6 &&
                              card->y + card->h - (panel->y + panel->h) <= 8 + 1e-6,
                          "%s: card %zu's panel (%g…%g) is not as tall as the card (%g…%g)",
                          examples[x], cards, panel->y, panel->y + panel->h, card->y,
                          card->y + card->h);
            /* Column 0: the card's children left of the panel's right edge. */
            double top = INFINITY, bottom = -INFINITY;
            bool facts = false, avatar = false;
            for (size_t i = c + 1; i < lo->n; i++) {
                const jm_element *e = &lo->el[i];
                if (e->parent != (long)c || e == panel || e->x >= panel->x + panel->w)
                    continue;
                ck_assert_msg(
                    e->x >= panel->x - 1e-6 && e->x + e->w <= panel->x + panel->w + 1e-6 &&
                        e->y >= panel->y - 1e-6 && e->y + e->h <= panel->y + panel->h + 1e-6,
                    "%s: card %zu: '%s' sticks out of the identity panel", examples[x], cards,
                    e->text ? e->text : e->kind);
                avatar = avatar || !strcmp(e->kind, "icon") || !strcmp(e->kind, "photo");
                facts = facts ||
                        (e->text && (!strcmp(e->text, "Who they are") ||
                                     !strcmp(e->text, "\u041a\u0442\u043e \u044d\u0442\u043e")));
                top = fmin(top, e->y);
                bottom = fmax(bottom, e->y + e->h);
            }
            ck_assert_msg(avatar, "%s: card %zu: no photo or icon on the panel", examples[x],
                          cards);
            if (!facts) {
                double above = top - panel->y, below = panel->y + panel->h - bottom;
                ck_assert_msg(fabs(above - below) <= 1,
                              "%s: card %zu: the identity alone is %g pt "
                              "from the panel's top and %g pt from its foot",
                              examples[x], cards, above, below);
            }
        }
        ck_assert_uint_gt(cards, 0);
        jm_layout_free(lo);
        jm_theme_free(t);
        jm_map_free(m);
        jm_diags_free(d);
    }
}
END_TEST

/* With 50 personas the legend wraps beside the title instead of running under the persona
 * cards. */
START_TEST(test_long_legend_wraps_clear_of_persona_cards)
{
    char json[16384];
    size_t o = (size_t)snprintf(json, sizeof json,
                                "{\"journeymap\": 1, \"title\": \"T\", "
                                "\"personas\": [");
    for (int p = 0; p < 50; p++)
        o += (size_t)snprintf(json + o, sizeof json - o,
                              "%s{\"id\": \"p%d\", \"name\": \"Persona %d\"%s}", p ? ", " : "", p,
                              p, p < 2 ? ", \"quote\": \"Quick, please.\"" : "");
    snprintf(json + o, sizeof json - o,
             "], \"stages\": [{\"id\": \"a\", \"name\": \"A\"}], \"touchpoints\": [{\"stage\": "
             "\"a\", \"name\": \"1\", \"emotion\": 1}]}");
    jm_layout *lo = lay(json, JM_STATE_AUTO);
    double cards_left = INFINITY;
    for (size_t i = 0; i < lo->n; i++)
        if (strcmp(lo->el[i].kind, "persona") == 0)
            cards_left = fmin(cards_left, lo->el[i].x);
    ck_assert(isfinite(cards_left));
    size_t entries = 0;
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *e = &lo->el[i];
        if (!inside_kind(lo, e, "legend"))
            continue;
        entries += strcmp(e->kind, "legend_swatch") == 0;
        ck_assert_msg(e->x + e->w <= cards_left, "legend element %zu (%s) runs under the cards", i,
                      e->kind);
    }
    ck_assert_uint_eq(entries, 50);
    done(lo);
}
END_TEST

/* Lint findings (jm_layout_options.findings): a numbered marker on each element a finding is
 * about, at its top right, none over another; every finding listed in a panel under the grid,
 * in the map, the one about a channel nothing draws saying so. */
START_TEST(test_lint_findings_are_marked_and_listed)
{
    char path[1024];
    tu_source_path(path, sizeof path, "tests/golden/lint/all-rules/input.json");
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_file(ctx, path, NULL, d);
    ck_assert_ptr_nonnull(m);
    jm_findings *f = jm_lint_map(m, NULL);
    ck_assert_ptr_nonnull(f);
    size_t n = jm_findings_count(f);
    ck_assert_uint_ge(n, 10);
    jm_theme *t = jm_theme_new_default();
    jm_layout_options o = {.state = JM_STATE_AUTO, .layout = JM_LAYOUT_DETAIL, .findings = f};
    jm_layout *lo = jm_layout_new(ctx, m, t, &o, d);
    ck_assert_ptr_nonnull(lo);
    double grid_bottom = 0;
    for (size_t i = 0; i < lo->n; i++)
        if (strcmp(lo->el[i].kind, "stage") == 0)
            grid_bottom = fmax(grid_bottom, lo->el[i].y + lo->el[i].h);
    size_t marks = 0, not_drawn = 0;
    for (size_t k = 0; k < n; k++) {
        const jm_finding *g = jm_findings_get(f, k);
        const jm_element *mk = NULL;
        for (size_t i = 0; i < lo->n; i++)
            if (strcmp(lo->el[i].kind, "lint_mark") == 0 && lo->el[i].value == (double)(k + 1))
                mk = &lo->el[i];
        if (!mk) { /* only what the map does not draw: the unused channel */
            ck_assert_str_eq(g->rule, "unused-channel");
            not_drawn++;
            continue;
        }
        marks++;
        ck_assert_str_eq(mk->ref, g->path);
        /* on the element it is about (or its drawn ancestor): its top edge, its right part */
        const jm_element *on = &lo->el[mk->parent];
        ck_assert_msg(strncmp(g->path, on->ref, strlen(on->ref)) == 0, "%s marked on %s", g->path,
                      on->ref);
        ck_assert(fabs(mk->y + mk->h / 2 - on->y) < 0.01);
        ck_assert(mk->x + mk->w <= on->x + on->w + mk->w);
        ck_assert(mk->x + mk->w / 2 >= on->x);
        for (size_t i = 0; i < lo->n; i++) {
            const jm_element *o2 = &lo->el[i];
            if (o2 == mk || strcmp(o2->kind, "lint_mark") != 0)
                continue;
            ck_assert_msg(o2->x >= mk->x + mk->w || mk->x >= o2->x + o2->w ||
                              o2->y >= mk->y + mk->h || mk->y >= o2->y + o2->h,
                          "markers %g and %g overlap", mk->value, o2->value);
        }
    }
    ck_assert_uint_eq(marks + not_drawn, n);
    ck_assert_uint_eq(not_drawn, 1);
    ck_assert_uint_eq(count_kind(lo, "lint_entry"), n);
    ck_assert_uint_eq(count_kind(lo, "lint_findings"), 1);
    ck_assert_uint_eq(count_text(lo, "Lint findings: 12 warnings, 4 notes"), 1);
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *e = &lo->el[i];
        if (strcmp(e->kind, "lint_findings") == 0)
            ck_assert(e->y > grid_bottom && e->y + e->h <= lo->height && e->x + e->w <= lo->width);
        if (strcmp(e->kind, "lint_entry") != 0)
            continue;
        ck_assert(e->y > grid_bottom && e->y + e->h <= lo->height);
        for (size_t j = i + 1; j < lo->n; j++) {
            const jm_element *o2 = &lo->el[j];
            if (strcmp(o2->kind, "lint_entry") == 0)
                ck_assert(o2->x >= e->x + e->w || e->x >= o2->x + o2->w || o2->y >= e->y + e->h ||
                          e->y >= o2->y + o2->h);
        }
    }
    bool said = false;
    for (size_t i = 0; i < lo->n; i++)
        said |= lo->el[i].text && strstr(lo->el[i].text, "unused-channel") &&
                strstr(lo->el[i].text, "not on the map");
    ck_assert(said);
    jm_layout_free(lo);
    jm_theme_free(t);
    jm_findings_free(f);
    jm_map_free(m);
    jm_diags_free(d);
}
END_TEST

/* A blank canvas: the paper's size when the stages and lanes fit it, every cell big enough for
 * a 76 mm sticky note (215.4 pt) with a margin, a question on each lane inside its label, and
 * none of the map's touchpoints, cards, points or legend. */
static jm_layout *lay_blank(const char *json, jm_page paper, jm_diags *d)
{
    jm_map *m = jm_map_load_buffer(ctx, "t.json", json, strlen(json), NULL, d);
    ck_assert_ptr_nonnull(m);
    jm_theme *t = jm_theme_new_default();
    jm_layout_options o = {
        .state = JM_STATE_AUTO, .layout = JM_LAYOUT_AUTO, .blank = true, .paper = paper};
    jm_layout *lo = jm_layout_new(ctx, m, t, &o, d);
    ck_assert_ptr_nonnull(lo);
    jm_theme_free(t);
    return lo;
}

START_TEST(test_blank_canvas_fills_its_paper_with_note_sized_cells)
{
    static const char *const maps[] = {
        /* stages only: the workshop's six lanes */
        "{\"journeymap\":1,\"title\":\"W\",\"stages\":[{\"id\":\"a\",\"name\":\"A\"},"
        "{\"id\":\"b\",\"name\":\"B\"},{\"id\":\"c\",\"name\":\"C\"}]}",
        /* a map with touchpoints, drawn blank */
        "{\"journeymap\":1,\"title\":\"M\",\"stages\":[{\"id\":\"a\",\"name\":\"A\"}],"
        "\"touchpoints\":[{\"stage\":\"a\",\"name\":\"T\",\"emotion\":1,\"pain\":\"P\","
        "\"moment_of_truth\":true}]}",
        /* twelve stages and every lane: more than A1 holds */
        "{\"journeymap\":1,\"title\":\"Big\",\"lang\":\"ru\",\"stages\":["
        "{\"id\":\"s1\",\"name\":\"1\"},{\"id\":\"s2\",\"name\":\"2\"},{\"id\":\"s3\",\"name\":"
        "\"3\"},"
        "{\"id\":\"s4\",\"name\":\"4\"},{\"id\":\"s5\",\"name\":\"5\"},{\"id\":\"s6\",\"name\":"
        "\"6\"},"
        "{\"id\":\"s7\",\"name\":\"7\"},{\"id\":\"s8\",\"name\":\"8\"},{\"id\":\"s9\",\"name\":"
        "\"9\"},"
        "{\"id\":\"s10\",\"name\":\"10\"},{\"id\":\"s11\",\"name\":\"11\"},{\"id\":\"s12\","
        "\"name\":\"12\"}],"
        "\"lanes\":[\"goals\",\"actions\",\"storyboard\",\"touchpoints\",\"emotions\","
        "\"thoughts\","
        "\"pains\",\"opportunities\",\"metrics\",\"compare\",\"evidence\",\"frontstage\","
        "\"backstage\",\"support\",{\"id\":\"x\",\"name\":\"Own\"}]}"};
    static const jm_page papers[] = {JM_PAGE_AUTO, JM_PAGE_A0, JM_PAGE_A2};
    const double note = 76 / 25.4 * 72;
    for (size_t k = 0; k < sizeof maps / sizeof maps[0]; k++)
        for (size_t p = 0; p < sizeof papers / sizeof papers[0]; p++) {
            jm_diags *d = jm_diags_new();
            jm_layout *lo = lay_blank(maps[k], papers[p], d);
            double pw = papers[p] == JM_PAGE_A0 ? 3370 : papers[p] == JM_PAGE_A2 ? 1684 : 2384;
            double ph = papers[p] == JM_PAGE_A0 ? 2384 : papers[p] == JM_PAGE_A2 ? 1191 : 1684;
            ck_assert(lo->width >= pw - 1e-6 && lo->height >= ph - 1e-6);
            bool grown = lo->width > pw + 1e-6 || lo->height > ph + 1e-6;
            /* a grown canvas warns, one that fits does not */
            ck_assert_uint_eq(jm_diags_count(d), grown ? 1 : 0);
            if (k == 0 && papers[p] != JM_PAGE_A2)
                ck_assert(!grown);
            ck_assert_uint_eq(count_kind(lo, "card"), 0);
            ck_assert_uint_eq(count_kind(lo, "emotion_point"), 0);
            ck_assert_uint_eq(count_kind(lo, "emotion_curve"), 0);
            ck_assert_uint_eq(count_kind(lo, "legend"), 0);
            double grid_left = INFINITY;
            size_t lanes = 0, prompts = 0;
            for (size_t i = 0; i < lo->n; i++)
                if (strcmp(lo->el[i].kind, "stage") == 0)
                    grid_left = fmin(grid_left, lo->el[i].x);
            for (size_t i = 0; i < lo->n; i++) {
                const jm_element *e = &lo->el[i];
                if (strcmp(e->kind, "lane") == 0 && e->y > lo->el[0].y + 1)
                    lanes++;
                if (strcmp(e->kind, "cell") == 0 && e->h > 150) {
                    ck_assert_msg(e->w >= note * 1.05 && e->h >= note * 1.05,
                                  "map %zu: a %g x %g pt cell", k, e->w, e->h);
                }
                if (strcmp(e->kind, "prompt") == 0) {
                    prompts++;
                    ck_assert(e->x + e->w <= grid_left + 1e-6);
                    ck_assert(e->h > 0);
                }
            }
            /* every lane but the stages' header and the custom one has its question */
            size_t want = k == 0 ? 6 : k == 2 ? 14 : 0;
            if (want)
                ck_assert_uint_eq(prompts, want);
            else
                ck_assert_uint_ge(prompts, 3);
            (void)lanes;
            done(lo);
            jm_diags_free(d);
        }
}
END_TEST

/* A single opportunity (a string or an object, not an array) is drawn with its own JSON
 * pointer, which has no index; one of a list has its index. */
START_TEST(test_single_opportunity_has_no_index_in_its_ref)
{
    jm_layout *lo =
        lay("{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"s\", "
            "\"name\": \"S\"}], \"touchpoints\": [{\"stage\": \"s\", \"name\": \"A\", "
            "\"opportunity\": {\"text\": \"Do it\", \"status\": \"planned\"}}, "
            "{\"stage\": \"s\", \"name\": \"B\", \"opportunity\": [\"One\", \"Two\"]}]}",
            JM_STATE_AUTO);
    ck_assert_ptr_nonnull(find(lo, "opportunity", "/touchpoints/0/opportunity"));
    ck_assert_ptr_null(find(lo, "opportunity", "/touchpoints/0/opportunity/0"));
    ck_assert_ptr_nonnull(find(lo, "opportunity", "/touchpoints/1/opportunity/1"));
    done(lo);
}
END_TEST

int main(void)
{
    ctx = tu_context_new();
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, test_state_defaults_to_compare_when_the_map_has_states);
    tcase_add_test(tc, test_before_and_after_states_show_their_own_values);
    tcase_add_test(tc, test_default_lanes_are_those_with_content_in_canonical_order);
    tcase_add_test(tc, test_explicit_lanes_set_order_and_names);
    tcase_add_test(tc, test_persona_curves_skip_touchpoints_without_the_actor);
    tcase_add_test(tc, test_monochrome_theme_gives_personas_line_styles);
    tcase_add_test(tc, test_slots_follow_time_order_and_columns_grow);
    tcase_add_test(tc, test_emotion_points_are_monotone_and_inside_the_guides);
    tcase_add_test(tc, test_russian_map_gets_russian_labels_and_decimal_commas);
    tcase_add_test(tc, test_declared_scale_maps_onto_the_emotion_axis);
    tcase_add_test(tc, test_emotion_axis_of_a_scale);
    tcase_add_test(tc, test_compare_says_each_change_once);
    tcase_add_test(tc, test_card_is_as_tall_as_its_content);
    tcase_add_test(tc, test_persona_curves_run_under_markers_that_never_touch);
    tcase_add_test(tc, test_persona_palette_avoids_sentiment_colours);
    tcase_add_test(tc, test_cards_show_who_took_part);
    tcase_add_test(tc, test_chips_tell_personas_apart);
    tcase_add_test(tc, test_persona_identity_sits_on_a_full_height_panel);
    tcase_add_test(tc, test_long_legend_wraps_clear_of_persona_cards);
    tcase_add_test(tc, test_lint_findings_are_marked_and_listed);
    tcase_add_test(tc, test_blank_canvas_fills_its_paper_with_note_sized_cells);
    tcase_add_test(tc, test_single_opportunity_has_no_index_in_its_ref);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    jm_context_free(ctx);
    return failed ? 1 : 0;
}
