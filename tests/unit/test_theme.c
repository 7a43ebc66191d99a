/* Themes: every theme in data/themes/ loads cleanly and meets WCAG 2 AA contrast for every
 * text colour on every background layout.c draws it on (4.5:1), and 3:1 for the graphics that
 * carry meaning (curves, face features, markers, badges); theme loading reports wrong types,
 * bad values and unknown names as FILE:LINE:COL errors and unknown keys as warnings with a
 * hint; colours parse and compose as documented. */
#include <check.h>
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "theme/theme.h"
#include "util/util.h"

#define AA_TEXT 4.5     /* WCAG 2 SC 1.4.3, body text */
#define AA_GRAPHICS 3.0 /* WCAG 2 SC 1.4.11, graphical objects */
#define STAGE_TINT 0.22 /* layout.c: a stage's column is its palette colour at this alpha */

static const char *root;
static char themes[16][64];
static size_t n_themes;

/* ---- Which colour is drawn on which --------------------------------------------------------- */

#define C(field) offsetof(jm_theme, field)

static jm_rgba color_at(const jm_theme *t, size_t off)
{
    return *(const jm_rgba *)((const char *)t + off);
}

/* Text colour on an opaque fill, as layout.c pairs them. */
static const struct {
    const char *fg, *bg, *where;
    size_t fg_off, bg_off;
} text_pairs[] = {
#define P(fg, bg, where)                                                                           \
    {                                                                                              \
#fg, #bg, where, C(fg), C(bg)                                                              \
    }
    P(text, background, "title, compare lane"),
    P(text_muted, background, "subtitle, legend, compare lane (before)"),
    P(line_of_interaction, background, "divider labels"),
    P(text, lane_alt_fill, "action and item boxes"),
    P(text_muted, lane_alt_fill, "action and item boxes"),
    P(card_text, lane_alt_fill, "action and item boxes"),
    P(lane_label_text, lane_label_fill, "lane names"),
    P(text_muted, lane_label_fill, "channel kind captions, emotion scale"),
    P(card_title, card_fill, "touchpoint card titles"),
    P(card_text, card_fill, "touchpoint card text"),
    P(link, card_fill, "card links"),
    P(text, card_fill, "persona card"),
    P(text_muted, card_fill, "persona card quote and labels"),
    P(text, thought_fill, "thoughts"),
    P(text, pain_fill, "pains"),
    P(text, opportunity_fill, "opportunities, compare lane (after)"),
    P(text_muted, opportunity_fill, "compare lane"),
    P(text, metric_fill, "KPI values"),
    P(text_muted, metric_fill, "KPI names"),
    P(pain, metric_fill, "KPI change for the worse"),
    P(opportunity, metric_fill, "KPI change for the better"),
#undef P
};

/* Graphics that carry meaning, on what they are drawn on. */
static const struct {
    const char *fg, *bg, *where;
    size_t fg_off, bg_off;
} graphic_pairs[] = {
#define P(fg, bg, where)                                                                           \
    {                                                                                              \
#fg, #bg, where, C(fg), C(bg)                                                              \
    }
    P(curve, background, "emotion curve"),
    P(curve_before, background, "emotion curve before, compare lane border"),
    P(moment_of_truth, card_fill, "moment-of-truth badge"),
    P(pain, pain_fill, "pain marker"),
    P(opportunity, opportunity_fill, "opportunity marker"),
    P(line_of_interaction, background, "line of interaction, zero line"),
#undef P
};

static jm_theme *load(const char *name)
{
    jm_diags *d = jm_diags_new();
    jm_theme *t = jm_theme_load(root, name, d);
    const jm_diag *g = jm_diags_get(d, 0);
    ck_assert_msg(t != NULL, "theme %s does not load: %s", name, g ? g->message : "?");
    ck_assert_msg(jm_diags_count(d) == 0, "theme %s: %s", name, g ? g->message : "?");
    jm_diags_free(d);
    return t;
}

typedef struct lowest {
    double ratio;
    char pair[160];
} lowest;

static void check(const char *theme, jm_rgba fg, jm_rgba bg, double need, const char *fg_name,
                  const char *bg_name, const char *where, lowest *low)
{
    double r = jm_contrast_ratio(fg, jm_rgba_over(bg, (jm_rgba){1, 1, 1, 1}));
    ck_assert_msg(r >= need, "theme %s: %s on %s (%s) has contrast %.2f, under %.1f", theme,
                  fg_name, bg_name, where, r, need);
    if (r < low->ratio) {
        low->ratio = r;
        snprintf(low->pair, sizeof low->pair, "%s on %s", fg_name, bg_name);
    }
}

/* layout.c's emotion colour: grey at 0, towards emotion_neg/emotion_pos at ±2. */
static jm_rgba emotion_fill(const jm_theme *t, double v)
{
    jm_rgba a = t->emotion_zero, c = v < 0 ? t->emotion_neg : t->emotion_pos;
    double k = (v < 0 ? -v : v) / 2;
    return (jm_rgba){a.r + (c.r - a.r) * k, a.g + (c.g - a.g) * k, a.b + (c.b - a.b) * k, 1};
}

START_TEST(every_theme_meets_wcag_aa)
{
    ck_assert_uint_ge(n_themes, 3);
    for (size_t i = 0; i < n_themes; i++) {
        const char *name = themes[i];
        jm_theme *t = load(name);
        lowest text = {99, ""}, graphics = {99, ""};
        for (size_t k = 0; k < sizeof text_pairs / sizeof text_pairs[0]; k++)
            check(name, color_at(t, text_pairs[k].fg_off), color_at(t, text_pairs[k].bg_off),
                  AA_TEXT, text_pairs[k].fg, text_pairs[k].bg, text_pairs[k].where, &text);
        for (int s = 0; s < JM_THEME_PALETTE; s++) {
            char bg[48];
            snprintf(bg, sizeof bg, "stage_palette[%d]", s);
            check(name, t->stage_text, t->stage_palette[s], AA_TEXT, "stage_text", bg,
                  "stage headers", &text);
            /* a stage's column tint over the background, where goals and questions sit */
            jm_rgba tint = t->stage_palette[s];
            tint.a = STAGE_TINT;
            jm_rgba column = jm_rgba_over(tint, t->background);
            snprintf(bg, sizeof bg, "stage column %d", s);
            check(name, t->text, column, AA_TEXT, "text", bg, "stage goals", &text);
            check(name, t->text_muted, column, AA_TEXT, "text_muted", bg, "questions", &text);
        }
        for (size_t k = 0; k < sizeof graphic_pairs / sizeof graphic_pairs[0]; k++)
            check(name, color_at(t, graphic_pairs[k].fg_off), color_at(t, graphic_pairs[k].bg_off),
                  AA_GRAPHICS, graphic_pairs[k].fg, graphic_pairs[k].bg, graphic_pairs[k].where,
                  &graphics);
        /* A face's eyes and mouth are drawn in `text` on its emotion colour. */
        for (int v = -2; v <= 2; v++) {
            char bg[48];
            snprintf(bg, sizeof bg, "the emotion %+d face", v);
            check(name, t->text, emotion_fill(t, v), AA_GRAPHICS, "text", bg, "emotion faces",
                  &graphics);
        }
        for (int p = 0; p < JM_THEME_PALETTE; p++) {
            char fg[48];
            snprintf(fg, sizeof fg, "persona_palette[%d]", p);
            check(name, t->persona_palette[p], t->background, AA_GRAPHICS, fg, "background",
                  "persona curves and legend", &graphics);
        }
        printf("theme %-10s lowest text contrast %5.2f (%s); graphics %5.2f (%s)\n", name,
               text.ratio, text.pair, graphics.ratio, graphics.pair);
        jm_theme_free(t);
    }
}
END_TEST

/* The themes differ from the defaults the way their descriptions say. */
START_TEST(themes_are_what_they_say)
{
    jm_theme *def = load("default"), *work = load("workshop"), *print = load("print");
    ck_assert_str_eq(work->name, "workshop");
    ck_assert_double_gt(work->font_body.size, def->font_body.size);
    ck_assert_double_gt(work->card_width, def->card_width);
    ck_assert_str_eq(print->name, "print");
    ck_assert(print->monochrome && !def->monochrome && !work->monochrome);
    /* print is grey: every colour has r = g = b */
    static const struct {
        const char *name;
        size_t off;
    } colours[] = {
#define F(field) {#field, C(field)}
        F(background),
        F(text),
        F(text_muted),
        F(grid),
        F(lane_label_fill),
        F(lane_label_text),
        F(lane_alt_fill),
        F(card_fill),
        F(card_stroke),
        F(card_title),
        F(card_text),
        F(thought_fill),
        F(thought_stroke),
        F(pain),
        F(pain_fill),
        F(opportunity),
        F(opportunity_fill),
        F(metric_fill),
        F(emotion_neg),
        F(emotion_zero),
        F(emotion_pos),
        F(curve),
        F(curve_before),
        F(guide),
        F(line_of_interaction),
        F(moment_of_truth),
        F(link),
        F(stage_text),
#undef F
    };
    for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++) {
        jm_rgba c = color_at(print, colours[i].off);
        ck_assert_msg(c.r == c.g && c.g == c.b, "print: %s is not grey", colours[i].name);
    }
    for (int i = 0; i < JM_THEME_PALETTE; i++) {
        jm_rgba a = print->stage_palette[i], b = print->persona_palette[i];
        ck_assert_msg(a.r == a.g && a.g == a.b, "print: stage_palette[%d] is not grey", i);
        ck_assert_msg(b.r == b.g && b.g == b.b, "print: persona_palette[%d] is not grey", i);
    }
    jm_theme_free(def);
    jm_theme_free(work);
    jm_theme_free(print);
}
END_TEST

/* ---- Loading errors ------------------------------------------------------------------------ */

static char scratch[96];

static const char *write_theme(const char *text)
{
    snprintf(scratch, sizeof scratch, "/tmp/jm-test-theme-%ld.json", (long)getpid());
    FILE *f = fopen(scratch, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return scratch;
}

/* Loads `text` as a theme file; returns every diagnostic formatted, one per line, with the
 * scratch path replaced by "THEME". *ok: whether a theme came back. */
static char *load_text(const char *text, bool *ok)
{
    const char *path = write_theme(text);
    jm_diags *d = jm_diags_new();
    jm_theme *t = jm_theme_load(root, path, d);
    *ok = t != NULL;
    jm_theme_free(t);
    jm_buf b = {0};
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        char *line = jm_diag_format(jm_diags_get(d, i));
        const char *at = strstr(line, path);
        if (at) {
            jm_buf_append(&b, line, (size_t)(at - line));
            jm_buf_puts(&b, "THEME");
            jm_buf_puts(&b, at + strlen(path));
        } else {
            jm_buf_puts(&b, line);
        }
        jm_buf_puts(&b, "\n");
        jm_free(line);
    }
    jm_diags_free(d);
    unlink(path);
    char *s = jm_buf_take(&b);
    return s ? s : strdup("");
}

#define EXPECT_LOAD(text, want_ok, want)                                                           \
    do {                                                                                           \
        bool ok_;                                                                                  \
        char *got_ = load_text(text, &ok_);                                                        \
        ck_assert_str_eq(got_, want);                                                              \
        ck_assert_msg(ok_ == (want_ok), "theme %s", (want_ok) ? "refused" : "accepted");           \
        jm_free(got_);                                                                             \
    } while (0)

START_TEST(wrong_types_and_values_are_errors_with_position)
{
    EXPECT_LOAD("{\n  \"gap\": \"wide\"\n}\n", false,
                "THEME:2:10: error: /gap: expected a number, got a string\n");
    EXPECT_LOAD("{\"gap\": 1000}", false,
                "THEME:1:9: error: /gap: expected a number from 1 to 100, got 1000\n");
    EXPECT_LOAD("{\"text\": \"#12345\"}", false,
                "THEME:1:10: error: /text: expected a colour \"#rrggbb\" or \"#rrggbbaa\", got "
                "\"#12345\"\n");
    EXPECT_LOAD("{\"text\": 12}", false,
                "THEME:1:10: error: /text: expected a colour \"#rrggbb\" or \"#rrggbbaa\", got a "
                "number\n");
    EXPECT_LOAD("{\"max_lines\": 2.5}", false,
                "THEME:1:15: error: /max_lines: expected a whole number, got a number\n");
    EXPECT_LOAD("{\"font_body\": {\"size\": 2}}", false,
                "THEME:1:24: error: /font_body/size: expected a font size from 4 to 200 pt\n");
    EXPECT_LOAD("{\"stage_palette\": []}", false,
                "THEME:1:19: error: /stage_palette: expected an array of 1 to 8 colours\n");
    /* several problems, all reported */
    EXPECT_LOAD("{\"gap\": true,\n \"radius\": -1}", false,
                "THEME:1:9: error: /gap: expected a number, got a boolean\n"
                "THEME:2:12: error: /radius: expected a number from 0 to 50, got -1\n");
    EXPECT_LOAD("{\"monochrome\": \"yes\"}", false,
                "THEME:1:16: error: /monochrome: expected true or false, got a string\n");
    EXPECT_LOAD("[1, 2]", false, "THEME:1:1: error: expected a theme object, got an array\n");
    EXPECT_LOAD("{\"font_family\": \"Inter\\uFFFF\"}", false,
                "THEME:1:17: error: /font_family: U+FFFF is not allowed in text (a Unicode "
                "non-character)\n");
    EXPECT_LOAD("{\"gap\": 4,", false,
                "THEME:1:10: error: string or '}' expected near end of file\n");
}
END_TEST

START_TEST(unknown_keys_are_warnings_with_a_hint)
{
    EXPECT_LOAD("{\"backgrund\": \"#ffffff\"}", true,
                "THEME:1:2: warning: /backgrund: unknown theme key \"backgrund\" (did you mean "
                "\"background\"?)\n");
    EXPECT_LOAD("{\"font_body\": {\"sise\": 9}}", true,
                "THEME:1:16: warning: /font_body/sise: unknown key \"sise\" (did you mean "
                "\"size\"?)\n");
    EXPECT_LOAD("{\"zzzzzzzz\": 1, \"$schema\": \"x\", \"description\": \"d\"}", true,
                "THEME:1:2: warning: /zzzzzzzz: unknown theme key \"zzzzzzzz\"\n");
}
END_TEST

START_TEST(unknown_theme_names)
{
    static const char *const names[] = {"nope", "Default", "work shop", "print!"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        jm_diags *d = jm_diags_new();
        ck_assert_ptr_null(jm_theme_load(root, names[i], d));
        ck_assert_uint_eq(jm_diags_error_count(d), 1);
        char want[200];
        snprintf(want, sizeof want,
                 "unknown theme \"%s\" (themes: default, print, workshop; or a path to a .json "
                 "theme file)",
                 names[i]);
        ck_assert_str_eq(jm_diags_get(d, 0)->message, want);
        jm_diags_free(d);
    }
    /* A path is a file, never a name: a missing file says so with its path. */
    jm_diags *d = jm_diags_new();
    ck_assert_ptr_null(jm_theme_load(root, "/nonexistent/mine.json", d));
    const jm_diag *g = jm_diags_get(d, 0);
    ck_assert_str_eq(g->file, "/nonexistent/mine.json");
    ck_assert_str_eq(g->message, "theme file: cannot open: No such file or directory");
    jm_diags_free(d);
    /* NULL and "default" are the built-in theme */
    d = jm_diags_new();
    jm_theme *t = jm_theme_load(root, NULL, d);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->name, "default");
    jm_theme_free(t);
    jm_diags_free(d);
}
END_TEST

/* A model's "theme" object: overrides on top, with paths inside the model. */
START_TEST(model_theme_object)
{
    static const char model[] = "{\"journeymap\": 1,\n \"theme\": {\"card_width\": 200,\n"
                                "   \"stage_palette\": [\"#ff0000\", \"#00ff00\"],\n"
                                "   \"gap\": \"x\"}}";
    jm_theme *t = jm_theme_new_default();
    jm_diags *d = jm_diags_new();
    ck_assert_int_eq(jm_theme_apply_json(t, "m.json", model, sizeof model - 1, "/theme", d), -1);
    ck_assert_uint_eq(jm_diags_count(d), 1);
    char *line = jm_diag_format(jm_diags_get(d, 0));
    ck_assert_str_eq(line, "m.json:4:11: error: /theme/gap: expected a number, got a string");
    jm_free(line);
    /* the valid keys were applied; a short palette repeats */
    ck_assert_double_eq(t->card_width, 200);
    ck_assert_double_eq(t->stage_palette[0].r, 1);
    ck_assert_double_eq(t->stage_palette[1].g, 1);
    ck_assert_double_eq(t->stage_palette[2].r, 1);
    ck_assert_double_eq(t->stage_palette[7].g, 1);
    jm_theme_free(t);
    jm_diags_free(d);
}
END_TEST

/* ---- Colours ------------------------------------------------------------------------------- */

START_TEST(rgba_parse)
{
    jm_rgba c;
    ck_assert(jm_rgba_parse("#fff", &c));
    ck_assert(c.r == 1 && c.g == 1 && c.b == 1 && c.a == 1);
    ck_assert(jm_rgba_parse("#123", &c));
    ck_assert_double_eq_tol(c.r, 0x11 / 255.0, 1e-12);
    ck_assert_double_eq_tol(c.b, 0x33 / 255.0, 1e-12);
    ck_assert(jm_rgba_parse("#1F2937", &c));
    ck_assert_double_eq_tol(c.r, 0x1F / 255.0, 1e-12);
    ck_assert_double_eq_tol(c.g, 0x29 / 255.0, 1e-12);
    ck_assert_double_eq_tol(c.b, 0x37 / 255.0, 1e-12);
    ck_assert_double_eq(c.a, 1);
    ck_assert(jm_rgba_parse("#aBcDeF80", &c));
    ck_assert_double_eq_tol(c.r, 0xAB / 255.0, 1e-12);
    ck_assert_double_eq_tol(c.a, 0x80 / 255.0, 1e-12);
    static const char *const bad[] = {"",        "fff",        "#",          "#ff",
                                      "#ffff",   "#fffff",     "#1234567",   "#gggggg",
                                      "#12 456", "#123456789", "rgb(1,2,3)", "#12345\xC3\xA9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = (jm_rgba){0.5, 0.5, 0.5, 0.5};
        ck_assert_msg(!jm_rgba_parse(bad[i], &c), "\"%s\" parsed", bad[i]);
    }
    ck_assert(!jm_rgba_parse(NULL, &c));
}
END_TEST

START_TEST(contrast_and_compositing)
{
    jm_rgba black = {0, 0, 0, 1}, white = {1, 1, 1, 1}, grey;
    ck_assert_double_eq_tol(jm_contrast_ratio(black, white), 21, 1e-9);
    ck_assert_double_eq_tol(jm_contrast_ratio(white, black), 21, 1e-9);
    ck_assert_double_eq_tol(jm_contrast_ratio(white, white), 1, 1e-9);
    ck_assert(jm_rgba_parse("#777777", &grey)); /* the classic just-failing grey */
    ck_assert_double_eq_tol(jm_contrast_ratio(grey, white), 4.48, 0.005);
    jm_rgba half = jm_rgba_over((jm_rgba){0, 0, 0, 0.5}, white);
    ck_assert_double_eq_tol(half.r, 0.5, 1e-12);
    ck_assert_double_eq(half.a, 1);
    jm_rgba none = jm_rgba_over((jm_rgba){0, 0, 0, 0}, white);
    ck_assert_double_eq(none.g, 1);
}
END_TEST

static int cmp_name(const void *a, const void *b) { return strcmp(a, b); }

int main(void)
{
    root = tu_source_dir();
    char path[4096];
    tu_source_path(path, sizeof path, "data/themes");
    DIR *dirp = opendir(path);
    struct dirent *e;
    while (dirp && (e = readdir(dirp))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] != '.' && n > 5 && n < 64 && strcmp(e->d_name + n - 5, ".json") == 0 &&
            n_themes < sizeof themes / sizeof themes[0]) {
            memcpy(themes[n_themes], e->d_name, n - 5);
            themes[n_themes++][n - 5] = '\0';
        }
    }
    if (dirp)
        closedir(dirp);
    qsort(themes, n_themes, sizeof themes[0], cmp_name);

    Suite *s = suite_create("theme");
    TCase *tc = tcase_create("theme");
    tcase_add_test(tc, every_theme_meets_wcag_aa);
    tcase_add_test(tc, themes_are_what_they_say);
    tcase_add_test(tc, wrong_types_and_values_are_errors_with_position);
    tcase_add_test(tc, unknown_keys_are_warnings_with_a_hint);
    tcase_add_test(tc, unknown_theme_names);
    tcase_add_test(tc, model_theme_object);
    tcase_add_test(tc, rgba_parse);
    tcase_add_test(tc, contrast_and_compositing);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
