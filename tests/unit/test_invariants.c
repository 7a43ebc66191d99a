/* Layout invariants of the contract, checked on every example and every golden valid input,
 * in every state and theme: nothing outside its parent or its stage column, no two cards (or
 * boxes of one cell) overlap, all text drawn in full with glyphs from our fonts, the emotion
 * curve monotone in the value, the map large enough for everything, and persona cards tight
 * and aligned field by field. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context/context.h"
#include "layout/layout.h"
#include "model/model.h"
#include "testutil.h"
#include "theme/theme.h"
#include "util/util.h"

#define EPS 0.01

static tu_inputs inputs; /* every example and golden valid input, sorted */
static jm_context *ctx;

static bool inside(const jm_element *a, const jm_element *p)
{
    return a->x >= p->x - EPS && a->y >= p->y - EPS && a->x + a->w <= p->x + p->w + EPS &&
           a->y + a->h <= p->y + p->h + EPS;
}

static bool overlap(const jm_element *a, const jm_element *b)
{
    return a->x < b->x + b->w - EPS && b->x < a->x + a->w - EPS && a->y < b->y + b->h - EPS &&
           b->y < a->y + a->h - EPS;
}

static bool is_box(const jm_element *e)
{
    static const char *const kinds[] = {"card",        "action",  "thought",      "pain",
                                        "opportunity", "metrics", "state_before", "state_after",
                                        "item",        "note",    "before",       "stage_header"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(e->kind, kinds[i]) == 0)
            return true;
    return false;
}

static void check_layout(const char *name, const jm_layout *lo)
{
    ck_assert_msg(lo->width > 0 && lo->height > 0, "%s: empty map", name);
    size_t cards = 0;
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *e = &lo->el[i];
        ck_assert_msg(isfinite(e->x) && isfinite(e->y) && isfinite(e->w) && isfinite(e->h),
                      "%s: element %zu (%s) has a non-finite coordinate", name, i, e->kind);
        ck_assert_msg(e->w >= 0 && e->h >= 0, "%s: element %zu (%s) has a negative size", name, i,
                      e->kind);
        ck_assert_msg(e->x >= -EPS && e->y >= -EPS && e->x + e->w <= lo->width + EPS &&
                          e->y + e->h <= lo->height + EPS,
                      "%s: element %zu (%s) lies outside the map", name, i, e->kind);
        if (e->parent >= 0) {
            ck_assert_msg((size_t)e->parent < i, "%s: element %zu drawn before its parent", name,
                          i);
            const jm_element *p = &lo->el[e->parent];
            ck_assert_msg(inside(e, p),
                          "%s: element %zu (%s %.1f,%.1f %.1fx%.1f) lies outside its parent %ld "
                          "(%s %.1f,%.1f %.1fx%.1f)",
                          name, i, e->kind, e->x, e->y, e->w, e->h, e->parent, p->kind, p->x, p->y,
                          p->w, p->h);
        }
        if (e->column >= 0 && strcmp(e->kind, "stage") != 0) {
            const jm_element *c = &lo->el[e->column];
            ck_assert_msg(e->x >= c->x - EPS && e->x + e->w <= c->x + c->w + EPS,
                          "%s: element %zu (%s) leaves its stage column", name, i, e->kind);
        }
        if (e->layout) {
            int lw, lh;
            pango_layout_get_size(e->layout, &lw, &lh);
            ck_assert_msg((double)lw / PANGO_SCALE <= e->w + EPS,
                          "%s: text \"%s\" is wider than its box", name, e->text);
            ck_assert_msg(fabs((double)lh / PANGO_SCALE - e->h) < EPS,
                          "%s: text \"%s\" is taller than its box", name, e->text);
            /* Every character has a font (the fallback fonts bootstrap.sh installs), but in
             * the case made of a character no font has (a warning and a box). */
            ck_assert_msg(pango_layout_get_unknown_glyphs_count(e->layout) == 0 ||
                              strstr(name, "/font-missing-glyph/"),
                          "%s: text \"%s\" has characters our fonts lack", name, e->text);
            /* Shortened text must keep its full form for the tooltip and the layout JSON. */
            if (pango_layout_is_ellipsized(e->layout))
                ck_assert_msg(e->tooltip && strcmp(e->tooltip, e->text) == 0,
                              "%s: ellipsized text without its full text", name);
            else
                ck_assert_str_eq(pango_layout_get_text(e->layout), e->text);
        }
        if (strcmp(e->kind, "card") == 0)
            cards++;
    }
    /* Boxes never overlap: cards anywhere, other boxes within their cell. */
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *a = &lo->el[i];
        if (!is_box(a))
            continue;
        for (size_t j = i + 1; j < lo->n; j++) {
            const jm_element *b = &lo->el[j];
            if (!is_box(b))
                continue;
            if (strcmp(a->kind, "card") == 0 && strcmp(b->kind, "card") == 0)
                ck_assert_msg(!overlap(a, b), "%s: cards %zu (%s) and %zu (%s) overlap", name, i,
                              a->ref, j, b->ref);
            else if (a->parent == b->parent)
                ck_assert_msg(!overlap(a, b), "%s: %s %zu and %s %zu overlap", name, a->kind, i,
                              b->kind, j);
        }
    }
    size_t expect_cards = lo->map->n_touchpoints;
    bool touchpoints_drawn = !lo->map->lanes_explicit;
    for (size_t k = 0; k < lo->map->n_lanes; k++)
        if (lo->map->lanes[k].type == JM_LANE_TOUCHPOINTS)
            touchpoints_drawn = true;
    if (touchpoints_drawn)
        ck_assert_msg(cards == expect_cards, "%s: %zu cards for %zu touchpoints", name, cards,
                      expect_cards);
    /* The emotion height is monotone in the value: higher emotion, higher on the map. */
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *a = &lo->el[i];
        if (strcmp(a->kind, "emotion_point") != 0)
            continue;
        ck_assert_msg(a->value >= -2 - EPS && a->value <= 2 + EPS, "%s: emotion out of range",
                      name);
        for (size_t j = 0; j < lo->n; j++) {
            const jm_element *b = &lo->el[j];
            if (strcmp(b->kind, "emotion_point") != 0 || b->value <= a->value + EPS)
                continue;
            ck_assert_msg(b->y + b->h / 2 < a->y + a->h / 2,
                          "%s: emotion %g drawn below emotion %g", name, b->value, a->value);
        }
    }
}

/* Persona cards: a card's content as tight at the bottom as at the top (no empty lower
 * part: at most a line of text more), and on a map with one card no gap inside a column larger
 * than a line of text; several cards are equally tall, the tallest as tight as one card, and a
 * group's heading ("Goals") sits at the same height in every card (aligned field by field); the
 * quote is as wide as the name's column (it wraps to the card's text width, not a quarter of it).
 */
static void check_persona_cards(const char *name, const jm_layout *lo)
{
    static const char *const heads[] = {"Who they are", "What they value", "Goals",     "Needs",
                                        "Frustrations", "Кто это",         "Что ценит", "Цели",
                                        "Потребности",  "Раздражители"};
    const jm_map *m = lo->map;
    size_t cards[64], n = 0;
    for (size_t i = 0; i < lo->n && n < 64; i++)
        if (!strcmp(lo->el[i].kind, "persona"))
            cards[n++] = i;
    double tightest = INFINITY, line_all = INFINITY;
    for (size_t c = 0; c < n; c++) {
        const jm_element *card = &lo->el[cards[c]];
        double top = INFINITY, bottom = -INFINITY, line = INFINITY;
        const jm_element *name_el = NULL, *quote_el = NULL;
        const jm_persona *ps = NULL;
        for (size_t p = 0; p < m->n_personas; p++)
            if (card->ref && m->personas[p].src.path && !strcmp(card->ref, m->personas[p].src.path))
                ps = &m->personas[p];
        for (size_t i = cards[c] + 1; i < lo->n; i++) {
            const jm_element *e = &lo->el[i];
            if (e->parent != (long)cards[c])
                continue;
            top = fmin(top, e->y);
            bottom = fmax(bottom, e->y + e->h);
            if (e->text && e->h > 0)
                line = fmin(line, e->h);
            if (ps && e->text && !strcmp(e->text, ps->name))
                name_el = e;
            if (ps && ps->quote && e->text && strstr(e->text, ps->quote))
                quote_el = e;
        }
        if (!isfinite(top))
            continue;
        line_all = fmin(line_all, line);
        double slack = (card->y + card->h - bottom) - (top - card->y);
        tightest = fmin(tightest, slack);
        ck_assert_msg(n > 1 || slack <= line + EPS,
                      "%s: persona card %zu has %.1f pt of empty space at its bottom (a line is "
                      "%.1f)",
                      name, c, slack, line);
        if (quote_el && name_el)
            ck_assert_msg(fabs(quote_el->w - name_el->w) < EPS,
                          "%s: persona card %zu: the quote is %.1f pt wide, its column %.1f", name,
                          c, quote_el->w, name_el->w);
        if (n != 1)
            continue;
        /* One card: nothing is aligned with another, so no gap over a line in a column. A
         * column starts at the name or at a group's heading; what lies in it, merged top to
         * bottom, leaves no gap taller than a line of text. */
        double starts[8];
        size_t ns = 0;
        for (size_t i = cards[c] + 1; i < lo->n && ns < 8; i++) {
            const jm_element *e = &lo->el[i];
            if (e->parent != (long)cards[c] || !e->text)
                continue;
            bool head = e == name_el;
            for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++)
                head = head || !strcmp(e->text, heads[h]);
            bool known = false;
            for (size_t k = 0; k < ns; k++)
                known = known || fabs(starts[k] - e->x) < EPS;
            if (head && !known)
                starts[ns++] = e->x;
        }
        for (size_t k = 0; k < ns; k++) {
            double next = INFINITY;
            for (size_t j = 0; j < ns; j++)
                if (starts[j] > starts[k] + EPS)
                    next = fmin(next, starts[j]);
            double reach = -INFINITY; /* bottom of what is merged so far */
            for (;;) {                /* the next element down in this column */
                const jm_element *low = NULL;
                for (size_t i = cards[c] + 1; i < lo->n; i++) {
                    const jm_element *e = &lo->el[i];
                    if (e->parent != (long)cards[c] || e->x < starts[k] - EPS ||
                        e->x >= next - EPS || e->y + e->h <= reach + EPS)
                        continue;
                    if (!low || e->y < low->y)
                        low = e;
                }
                if (!low)
                    break;
                if (isfinite(reach))
                    ck_assert_msg(low->y - reach <= line + EPS,
                                  "%s: persona card: %.1f pt of empty space above '%s' (a line "
                                  "is %.1f)",
                                  name, low->y - reach, low->text ? low->text : low->kind, line);
                reach = fmax(reach, low->y + low->h);
                for (size_t i = cards[c] + 1; i < lo->n; i++) { /* all that overlaps it */
                    const jm_element *e = &lo->el[i];
                    if (e->parent == (long)cards[c] && e->x >= starts[k] - EPS &&
                        e->x < next - EPS && e->y <= reach + EPS)
                        reach = fmax(reach, e->y + e->h);
                }
            }
        }
    }
    if (n < 2)
        return;
    /* Several cards are as tall as the tallest: that one, at least, ends at its content. */
    ck_assert_msg(tightest <= line_all + EPS,
                  "%s: every persona card has %.1f pt or more of empty space at its bottom", name,
                  tightest);
    for (size_t c = 1; c < n; c++)
        ck_assert_msg(fabs(lo->el[cards[c]].h - lo->el[cards[0]].h) < EPS &&
                          fabs(lo->el[cards[c]].y - lo->el[cards[0]].y) < EPS,
                      "%s: persona cards 0 and %zu differ in height or top", name, c);
    /* Headings of the same group at the same height (relative to the card) in every card. */
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        double at = NAN;
        for (size_t c = 0; c < n; c++)
            for (size_t i = cards[c] + 1; i < lo->n; i++) {
                const jm_element *e = &lo->el[i];
                if (e->parent != (long)cards[c] || !e->text || strcmp(e->text, heads[h]))
                    continue;
                double rel = e->y - lo->el[cards[c]].y;
                if (isnan(at))
                    at = rel;
                ck_assert_msg(fabs(rel - at) < EPS,
                              "%s: '%s' at %.1f in persona card %zu, at %.1f in the first", name,
                              heads[h], rel, c, at);
            }
    }
}

static void check_curves(const char *name, const jm_layout *lo)
{
    /* No overshoot: every curve point lies between the +2 and −2 guides. */
    double top = INFINITY, bottom = -INFINITY;
    for (size_t i = 0; i < lo->n; i++)
        if (strcmp(lo->el[i].kind, "guide") == 0) {
            top = fmin(top, lo->el[i].y);
            bottom = fmax(bottom, lo->el[i].y);
        }
    for (size_t i = 0; i < lo->n; i++) {
        const jm_element *e = &lo->el[i];
        if (strcmp(e->kind, "emotion_curve") != 0)
            continue;
        for (size_t k = 0; k < e->npts; k++)
            ck_assert_msg(e->pts[k].y >= top - EPS && e->pts[k].y <= bottom + EPS,
                          "%s: the emotion curve overshoots the ±2 guides", name);
        for (size_t k = 1; k < e->npts; k++)
            ck_assert_msg(e->pts[k].x >= e->pts[k - 1].x - EPS,
                          "%s: the emotion curve goes back in time", name);
    }
}

START_TEST(test_invariants_every_input)
{
    static const jm_state states[] = {JM_STATE_AUTO, JM_STATE_BEFORE, JM_STATE_AFTER,
                                      JM_STATE_COMPARE};
    static const char *const themes[] = {"default", "workshop", "print"};
    static const jm_layout_kind kinds[] = {JM_LAYOUT_DETAIL, JM_LAYOUT_OVERVIEW};
    ck_assert_msg(inputs.n >= 4, "found only %zu inputs", inputs.n);
    for (size_t i = 0; i < inputs.n; i++) {
        jm_diags *d = jm_diags_new();
        jm_map *m = jm_map_load_file(ctx, inputs.v[i], NULL, d);
        if (!m) {
            const jm_diag *g = jm_diags_get(d, 0);
            ck_abort_msg("%s does not load: %s", inputs.v[i], g ? g->message : "?");
        }
        for (size_t t = 0; t < sizeof themes / sizeof themes[0]; t++) {
            jm_theme *th = jm_theme_load(jm_context_data_dir(ctx), themes[t], d);
            if (!th)
                continue; /* a theme not written yet is tested by the theme suite */
            for (size_t s = 0; s < sizeof states / sizeof states[0]; s++)
                for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
                    jm_layout_options o = {.state = states[s], .layout = kinds[k]};
                    jm_layout *lo = jm_layout_new(ctx, m, th, &o, d);
                    ck_assert_msg(lo != NULL, "%s: layout failed", inputs.v[i]);
                    char name[4200];
                    snprintf(name, sizeof name, "%s [%s, state %d, %s]", inputs.v[i], themes[t],
                             (int)states[s], k ? "overview" : "detail");
                    check_layout(name, lo);
                    check_curves(name, lo);
                    check_persona_cards(name, lo);
                    jm_layout_free(lo);
                }
            jm_theme_free(th);
        }
        jm_map_free(m);
        jm_diags_free(d);
    }
}
END_TEST

/* A long unbreakable word wraps inside its card rather than overflowing it. */
START_TEST(test_long_word_breaks)
{
    static const char json[] =
        "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],"
        " \"touchpoints\": [{\"stage\": \"a\", \"name\": "
        "\"Supercalifragilisticexpialidocious-configuration-wizard-step-number-seven\","
        " \"pain\": "
        "\"Аааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааа\"}]}";
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_buffer(ctx, "long.json", json, sizeof json - 1, NULL, d);
    ck_assert_ptr_nonnull(m);
    jm_theme *th = jm_theme_new_default();
    jm_layout *lo = jm_layout_new(ctx, m, th, NULL, d);
    ck_assert_ptr_nonnull(lo);
    check_layout("long word", lo);
    int lines = 0;
    for (size_t i = 0; i < lo->n; i++)
        if (lo->el[i].text && strncmp(lo->el[i].text, "Super", 5) == 0)
            lines = pango_layout_get_line_count(lo->el[i].layout);
    ck_assert_int_ge(lines, 2);
    jm_layout_free(lo);
    jm_theme_free(th);
    jm_map_free(m);
    jm_diags_free(d);
}
END_TEST

/* Text beyond the theme's line limit ends in an ellipsis but keeps its full text. */
START_TEST(test_very_long_text_is_ellipsized_with_full_text_kept)
{
    jm_buf b = {0};
    jm_buf_puts(&b,
                "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": "
                "\"A\"}], \"touchpoints\": [{\"stage\": \"a\", \"name\": \"N\", \"thought\": \"");
    for (int i = 0; i < 400; i++)
        jm_buf_puts(&b, "word ");
    jm_buf_puts(&b, "\"}]}");
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_buffer(ctx, "long.json", b.data, b.len, NULL, d);
    ck_assert_ptr_nonnull(m);
    jm_theme *th = jm_theme_new_default();
    jm_layout *lo = jm_layout_new(ctx, m, th, NULL, d);
    ck_assert_ptr_nonnull(lo);
    check_layout("long text", lo);
    bool found = false;
    for (size_t i = 0; i < lo->n; i++)
        if (lo->el[i].layout && pango_layout_is_ellipsized(lo->el[i].layout)) {
            found = true;
            ck_assert_int_eq(pango_layout_get_line_count(lo->el[i].layout), th->max_lines);
            ck_assert_uint_eq(strlen(lo->el[i].tooltip), 400 * 5 + 2 * 3); /* “…” quotes */
        }
    ck_assert(found);
    jm_layout_free(lo);
    jm_theme_free(th);
    jm_map_free(m);
    jm_diags_free(d);
    jm_buf_free(&b);
}
END_TEST

/* Same-x: the card, the emotion point and the pain of one touchpoint share their x-centre. */
START_TEST(test_touchpoint_column_alignment)
{
    static const char json[] =
        "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": \"A\"},"
        " {\"id\": \"b\", \"name\": \"B\"}], \"touchpoints\": ["
        "{\"stage\": \"b\", \"channel\": \"email\", \"name\": \"One\", \"emotion\": 1, \"pain\": "
        "\"p\"},"
        "{\"stage\": \"a\", \"channel\": \"website\", \"name\": \"Two\", \"emotion\": -2, "
        "\"pain\": \"q\"},"
        "{\"stage\": \"b\", \"channel\": \"website\", \"name\": \"Three\", \"emotion\": 2}]}";
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_buffer(ctx, "align.json", json, sizeof json - 1, NULL, d);
    ck_assert_ptr_nonnull(m);
    jm_theme *th = jm_theme_new_default();
    jm_layout *lo = jm_layout_new(ctx, m, th, NULL, d);
    ck_assert_ptr_nonnull(lo);
    for (int tp = 0; tp < 3; tp++) {
        char ref[32];
        snprintf(ref, sizeof ref, "/touchpoints/%d", tp);
        double card_cx = NAN;
        for (size_t i = 0; i < lo->n; i++)
            if (lo->el[i].ref && strcmp(lo->el[i].ref, ref) == 0 &&
                strcmp(lo->el[i].kind, "card") == 0)
                card_cx = lo->el[i].x + lo->el[i].w / 2;
        ck_assert(!isnan(card_cx));
        size_t len = strlen(ref);
        for (size_t i = 0; i < lo->n; i++) {
            const jm_element *e = &lo->el[i];
            if (e->ref && strncmp(e->ref, ref, len) == 0 && e->ref[len] == '/' &&
                (strcmp(e->kind, "emotion_point") == 0 || strcmp(e->kind, "pain") == 0))
                ck_assert_double_eq_tol(e->x + e->w / 2, card_cx, EPS);
        }
    }
    /* Time order within a stage: touchpoint 0 (stage b) left of touchpoint 2 (stage b). */
    check_layout("align", lo);
    jm_layout_free(lo);
    jm_theme_free(th);
    jm_map_free(m);
    jm_diags_free(d);
}
END_TEST

int main(void)
{
    static const char *const kinds[] = {".json", ".mmd", ".csv", ".md", NULL};
    tu_inputs_collect(&inputs, "data/examples", kinds);
    tu_inputs_collect(&inputs, "tests/golden/valid", NULL);
    tu_inputs_sort(&inputs);
    ctx = tu_context_new();
    Suite *s = suite_create("invariants");
    TCase *tc = tcase_create("layout");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_invariants_every_input);
    tcase_add_test(tc, test_long_word_breaks);
    tcase_add_test(tc, test_very_long_text_is_ellipsized_with_full_text_kept);
    tcase_add_test(tc, test_touchpoint_column_alignment);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    jm_context_free(ctx);
    tu_inputs_free(&inputs);
    return failed ? 1 : 0;
}
