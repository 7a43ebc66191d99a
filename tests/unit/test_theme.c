/* Themes: every theme in data/themes/ loads cleanly and passes the contrast check (WCAG 2 AA for
 * every text colour on every background the layout draws it on, 4.5:1, 3:1 for large text and
 * for the graphics that carry meaning: curves, face features, markers, badges); a theme that
 * fails gets a warning naming the keys and the ratio; theme loading reports wrong types,
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
#include "theme/contrast.h"
#include "theme/theme.h"
#include "util/util.h"

static const char *root;
static char themes[16][64];
static size_t n_themes;

/* ---- Colours ---------------------------------------------------------------------------- */

#define C(field) offsetof(jm_theme, field)

static jm_rgba color_at(const jm_theme *t, size_t off)
{
    return *(const jm_rgba *)((const char *)t + off);
}

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

/* The built-in themes pass the library's own contrast check (theme/contrast.c): every text
 * colour on every fill the layout draws it on, 4.5:1 (3:1 large text), and the graphics that
 * carry meaning, 3:1. */
START_TEST(every_theme_meets_wcag_aa)
{
    ck_assert_uint_ge(n_themes, 3);
    for (size_t i = 0; i < n_themes; i++) {
        const char *name = themes[i];
        jm_theme *t = load(name);
        jm_contrast_pair pairs[128];
        size_t n = jm_theme_contrast_pairs(t, pairs, 128);
        ck_assert_uint_ge(n, 60);
        ck_assert_uint_le(n, 96); /* jm_theme_check_contrast's buffer */
        double low_text = 99, low_graphics = 99;
        const char *lt = "", *lg = "";
        for (size_t k = 0; k < n; k++) {
            double r = jm_contrast_ratio(pairs[k].fg_color, pairs[k].bg_color);
            ck_assert_msg(r >= pairs[k].need,
                          "theme %s: %s on %s (%s) has contrast %.2f, under %.1f", name,
                          pairs[k].fg, pairs[k].bg, pairs[k].where, r, pairs[k].need);
            if (pairs[k].text && r < low_text)
                low_text = r, lt = pairs[k].fg;
            if (!pairs[k].text && r < low_graphics)
                low_graphics = r, lg = pairs[k].fg;
        }
        jm_diags *d = jm_diags_new();
        ck_assert_uint_eq(jm_theme_check_contrast(t, "x.json", NULL, d), 0);
        ck_assert_uint_eq(jm_diags_count(d), 0);
        jm_diags_free(d);
        printf("theme %-10s lowest text contrast %5.2f (%s); graphics %5.2f (%s)\n", name, low_text,
               lt, low_graphics, lg);
        jm_theme_free(t);
    }
}
END_TEST

/* A theme whose text cannot be read: a warning naming the keys and the ratio, at the theme's
 * place; a theme that only makes a title large may go down to 3:1 for it. */
START_TEST(low_contrast_is_a_warning_naming_the_keys)
{
    jm_theme *t = jm_theme_new_default();
    jm_rgba_parse("#AAAAAA", &t->card_text);
    jm_diags *d = jm_diags_new();
    ck_assert_uint_eq(jm_theme_check_contrast(t, "m.json", "/theme", d), 2);
    ck_assert_uint_eq(jm_diags_count(d), 2);
    const jm_diag *g = jm_diags_get(d, 1);
    ck_assert_int_eq(g->severity, JM_SEVERITY_WARNING);
    ck_assert_str_eq(g->file, "m.json");
    ck_assert_str_eq(g->path, "/theme");
    ck_assert_str_eq(g->message, "theme \"default\": \"card_text\" on \"card_fill\" (touchpoint "
                                 "card text) has contrast 2.32:1, under WCAG AA's 4.5:1 for text");
    jm_diags_free(d);
    /* #767676 on white is 4.54:1; #888888 3.54:1: enough for the 22 pt title only */
    jm_theme_free(t);
    t = jm_theme_new_default();
    jm_rgba_parse("#888888", &t->text);
    d = jm_diags_new();
    jm_contrast_pair pairs[128];
    size_t n = jm_theme_contrast_pairs(t, pairs, 128);
    bool title_large = false;
    for (size_t k = 0; k < n; k++)
        if (strcmp(pairs[k].where, "title") == 0)
            title_large = pairs[k].need == 3.0;
    ck_assert(title_large);
    jm_theme_check_contrast(t, NULL, NULL, d);
    for (size_t k = 0; k < jm_diags_count(d); k++)
        ck_assert_msg(!strstr(jm_diags_get(d, k)->message, "(title)"), "%s",
                      jm_diags_get(d, k)->message);
    ck_assert_uint_gt(jm_diags_count(d), 0); /* body text in `text` still fails */
    jm_diags_free(d);
    jm_theme_free(t);
}
END_TEST

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
    tcase_add_test(tc, low_contrast_is_a_warning_naming_the_keys);
    tcase_add_test(tc, themes_are_what_they_say);
    tcase_add_test(tc, wrong_types_and_values_are_errors_with_position);
    tcase_add_test(tc, unknown_keys_are_warnings_with_a_hint);
    tcase_add_test(tc, unknown_theme_names);
    tcase_add_test(tc, model_theme_object);
    tcase_add_test(tc, rgba_parse);
    tcase_add_test(tc, contrast_and_compositing);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    return failed ? 1 : 0;
}
