/* The public API, as a C program sees it: only <journeymap.h> and the installed library.
 * Every function of the header is called here (tests/install/test_install.sh checks that),
 * through a counting allocator so that anything the API hands out and takes back is also
 * checked for leaks.
 *
 * Usage: api_test_c VALID_MODEL.json SCRATCH_DIR
 * Environment: JM_EXPECT_VERSION, JM_EXPECT_DATA_DIR (checked when set and not empty). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <journeymap.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* ---- A counting allocator ----------------------------------------------------------------- */

static long live_blocks;

static void *count_malloc(size_t n)
{
    void *p = malloc(n);
    if (p)
        live_blocks++;
    return p;
}

static void *count_realloc(void *old, size_t n)
{
    void *p = realloc(old, n);
    if (p && !old)
        live_blocks++;
    return p;
}

static void count_free(void *p)
{
    if (p)
        live_blocks--;
    free(p);
}

/* ---- Helpers ------------------------------------------------------------------------------ */

static int starts_with(const unsigned char *data, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(data, prefix, n) == 0;
}

static int contains(const unsigned char *data, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(data + i, needle, n) == 0)
            return 1;
    return 0;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The pages of a PDF: its "/Type /Page" objects (not "/Type /Pages"). */
static size_t count_pages(const unsigned char *data, size_t len)
{
    static const char key[] = "/Type /Page";
    size_t n = 0, k = sizeof key - 1;
    for (size_t i = 0; data && i + k < len; i++)
        if (memcmp(data + i, key, k) == 0 && data[i + k] != 's')
            n++;
    return n;
}

/* The first diagnostic whose message contains `needle`, or NULL. */
static const jm_diag *find_diag(const jm_diags *d, const char *needle)
{
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        const jm_diag *g = jm_diags_get(d, i);
        if (g && g->message && strstr(g->message, needle))
            return g;
    }
    return NULL;
}

/* ---- Tests -------------------------------------------------------------------------------- */

static void test_version(void)
{
    const char *v = jm_version();
    const char *expect = getenv("JM_EXPECT_VERSION");
    CHECK(v && *v);
    if (expect && *expect)
        CHECK(strcmp(v, expect) == 0);
}

static void test_diags(void)
{
    jm_diags *d = jm_diags_new();
    CHECK(d != NULL);
    CHECK(jm_diags_count(d) == 0);
    CHECK(jm_diags_error_count(d) == 0);
    CHECK(jm_diags_get(d, 0) == NULL);
    jm_diags_clear(d);
    jm_diags_free(d);
    jm_diags_free(NULL); /* every *_free accepts NULL */
    jm_free(NULL);
}

static void test_context(jm_context *ctx)
{
    const char *dir = jm_context_data_dir(ctx);
    const char *expect = getenv("JM_EXPECT_DATA_DIR");
    CHECK(dir && *dir);
    if (dir && expect && *expect) {
        char a[PATH_MAX], b[PATH_MAX];
        CHECK(realpath(dir, a) && realpath(expect, b) && strcmp(a, b) == 0);
        if (strcmp(a, b) != 0)
            fprintf(stderr, "data folder %s, expected %s\n", dir, expect);
    }
    /* A folder without fonts is an error in diags, not a crash nor a print. */
    jm_diags *d = jm_diags_new();
    CHECK(jm_context_new("/nonexistent/journeymap-data", d) == NULL);
    CHECK(jm_diags_error_count(d) == 1);
    jm_diags_free(d);
}

static void test_load_errors(jm_context *ctx)
{
    static const char bad[] = "{\n  \"journeymap\": 1,\n  \"title\": \"t\",\n  \"stages\": []\n}\n";
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_buffer(ctx, "bad.json", bad, strlen(bad), NULL, d);
    CHECK(m == NULL);
    CHECK(jm_diags_error_count(d) == 1);
    const jm_diag *g = jm_diags_get(d, 0);
    CHECK(g != NULL);
    if (g) {
        CHECK(g->severity == JM_SEVERITY_ERROR);
        CHECK(strcmp(g->file, "bad.json") == 0);
        CHECK(g->line == 4 && g->column == 13);
        CHECK(strcmp(g->path, "/stages") == 0);
        char *s = jm_diag_format(g);
        CHECK(s && strncmp(s, "bad.json:4:13: error: /stages: ", 31) == 0);
        jm_free(s);
    }
    jm_diags_clear(d);
    CHECK(jm_diags_count(d) == 0 && jm_diags_error_count(d) == 0);

    /* An unknown key is a warning: the map loads and the warning is there. */
    static const char warn[] = "{\"journeymap\": 1, \"title\": \"t\", \"titel\": \"x\","
                               " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}]}";
    m = jm_map_load_buffer(ctx, "warn.json", warn, strlen(warn), NULL, d);
    CHECK(m != NULL);
    CHECK(jm_diags_error_count(d) == 0 && jm_diags_count(d) == 1);
    CHECK(find_diag(d, "did you mean \"title\"") != NULL);
    CHECK(jm_diags_get(d, 0) && jm_diags_get(d, 0)->severity == JM_SEVERITY_WARNING);
    jm_map_free(m);

    jm_diags_clear(d);
    CHECK(jm_map_load_file(ctx, "/nonexistent/map.json", NULL, d) == NULL);
    CHECK(jm_diags_error_count(d) >= 1);
    jm_diags_free(d);
}

static void test_other_inputs(jm_context *ctx)
{
    static const char mmd[] = "journey\n  title Coffee\n  section Order\n    Orders: 5: Me\n"
                              "  section Collect\n    Waits: 2: Me\n";
    static const char csv[] = "stage;name;emotion\nOrder;Orders in the app;2\nCollect;Waits;-1\n";
    jm_diags *d = jm_diags_new();
    jm_load_options lo = {JM_INPUT_MERMAID, NULL};
    jm_map *m = jm_map_load_buffer(ctx, "-", mmd, strlen(mmd), &lo, d);
    CHECK(m && strcmp(jm_map_title(m), "Coffee") == 0 && jm_map_touchpoint_count(m) == 2);
    jm_map_free(m);
    lo.kind = JM_INPUT_CSV;
    lo.title = "From a spreadsheet";
    m = jm_map_load_buffer(ctx, "export.csv", csv, strlen(csv), &lo, d);
    CHECK(m && strcmp(jm_map_title(m), "From a spreadsheet") == 0);
    CHECK(m && jm_map_touchpoint_count(m) == 2);
    CHECK(jm_diags_error_count(d) == 0);
    jm_map_free(m);
    jm_diags_free(d);
}

/* The theme a render would use, checked without drawing: a family no font has is a warning at
 * the theme's key; an unknown theme an error. */
static void test_check_theme(jm_context *ctx)
{
    static const char model[] = "{\"journeymap\": 1, \"title\": \"T\", \"theme\": "
                                "{\"font_family\": \"JM No Such Family\"}, \"stages\": "
                                "[{\"id\": \"s\", \"name\": \"S\"}], \"touchpoints\": []}";
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_buffer(ctx, "t.json", model, strlen(model), NULL, d);
    CHECK(m != NULL && jm_diags_count(d) == 0);
    CHECK(m && jm_map_check_theme(ctx, m, NULL, d) == 0);
    const jm_diag *w = find_diag(d, "no font of family \"JM No Such Family\"");
    CHECK(w && w->severity == JM_SEVERITY_WARNING && w->line == 1 &&
          strcmp(w->path, "/theme/font_family") == 0);
    CHECK(jm_diags_error_count(d) == 0);
    CHECK(m && jm_map_check_theme(ctx, m, "no-such-theme", d) == -1);
    CHECK(jm_diags_error_count(d) == 1);
    jm_map_free(m);
    jm_diags_free(d);
}

/* Survey data joined to a map: from memory and from a file, with a warning for a row the map
 * cannot place and an error (the map unchanged) for a value off the scale. */
static void test_data(jm_context *ctx, const char *scratch)
{
    static const char model[] = "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": "
                                "\"s\", \"name\": \"S\"}], \"touchpoints\": [{\"id\": \"a\", "
                                "\"stage\": \"s\", \"name\": \"A\", \"emotion\": -1}]}";
    static const char data[] = "touchpoint,score,Wait\na,5,3\na,4,5\nzz,1,1\n";
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_buffer(ctx, "m.json", model, strlen(model), NULL, d);
    CHECK(m != NULL);
    jm_data_options o;
    jm_data_options_init(&o);
    CHECK(o.min_n == 5 && o.score_kind == JM_SCORE_NONE && !o.date && !o.notes);
    o.score_kind = JM_SCORE_RANGE;
    o.score_min = 1;
    o.score_max = 5;
    o.notes = 1;
    CHECK(m && jm_map_join_data_buffer(m, "d.csv", data, strlen(data), &o, d) == 0);
    CHECK(jm_diags_error_count(d) == 0);
    CHECK(find_diag(d, "no touchpoint with the id \"zz\"") != NULL);
    const jm_diag *note = find_diag(d, "the data's is drawn");
    CHECK(note && note->severity == JM_SEVERITY_NOTE);
    char *json = m ? jm_map_to_json(m) : NULL;
    CHECK(json && strstr(json, "\"emotion\": 1.5") && strstr(json, "\"name\": \"Wait\""));
    jm_free(json);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/api-data.csv", scratch);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("touchpoint,emotion\na,7\n", f);
        fclose(f);
    }
    jm_diags_clear(d);
    o.score_kind = JM_SCORE_NONE;
    CHECK(m && jm_map_join_data_file(m, path, &o, d) == -1);
    CHECK(find_diag(d, "emotion must be a number from -2 to 2") != NULL);
    remove(path);
    jm_map_free(m);
    jm_diags_free(d);
}

/* diff and lint: results as data, whatever the input kinds. */
static void test_diff_and_lint(jm_context *ctx)
{
    static const char mmd[] = "journey\n  title Coffee\n  section Order\n    Orders: 5: Me\n"
                              "  section Collect\n    Waits: 2: Me\n";
    static const char json[] =
        "{\"journeymap\": 1, \"title\": \"Coffee\", \"personas\": [{\"id\": \"me\", \"name\": "
        "\"Me\"}], \"stages\": [{\"id\": \"order\", \"name\": \"Order\"}, {\"id\": "
        "\"collect\", \"name\": \"Collect\"}], \"touchpoints\": [{\"stage\": \"order\", "
        "\"name\": \"Orders\", \"emotion\": 2}, {\"stage\": \"collect\", \"name\": \"Waits\", "
        "\"emotion\": -2, \"pain\": \"Slow\"}]}";
    jm_diags *d = jm_diags_new();
    jm_load_options lo = {JM_INPUT_MERMAID, NULL};
    jm_map *old_map = jm_map_load_buffer(ctx, "old.mmd", mmd, strlen(mmd), &lo, d);
    jm_map *new_map = jm_map_load_buffer(ctx, "new.json", json, strlen(json), NULL, d);
    CHECK(old_map && new_map);
    jm_diff *diff = jm_diff_new(old_map, new_map);
    CHECK(diff && jm_diff_count(diff) == 2); /* Waits: emotion -1 -> -2; a pain added */
    const jm_change *c = jm_diff_get(diff, 0);
    CHECK(c && c->kind == JM_CHANGE_CHANGED && strcmp(c->field, "pain") == 0);
    c = jm_diff_get(diff, 1);
    CHECK(c && strcmp(c->field, "emotion") == 0 && c->has_numbers && c->old_number == -1 &&
          c->new_number == -2 && c->direction == -1);
    CHECK(c && c->old_place.line == 6 && c->new_place.line == 1);
    CHECK(strcmp(jm_change_kind_name(JM_CHANGE_MOVED), "moved") == 0);
    CHECK(strcmp(jm_diff_old_file(diff), "old.mmd") == 0);
    CHECK(strcmp(jm_diff_new_file(diff), "new.json") == 0);
    CHECK(jm_diff_get(diff, 2) == NULL);
    /* the change map is a map like any other */
    jm_map *change = jm_diff_change_map(diff, old_map, new_map, d);
    CHECK(change && jm_map_touchpoint_count(change) == 2);
    unsigned char *png = NULL;
    size_t png_len = 0;
    CHECK(change && jm_render_to_buffer(ctx, change, NULL, &png, &png_len, d) == 0 && png_len > 8);
    jm_free(png);
    jm_map_free(change);
    jm_diff_free(diff);
    jm_diff_free(NULL);

    size_t n = 0;
    const jm_lint_rule *rules = jm_lint_rules(&n);
    CHECK(n >= 15 && strcmp(rules[0].id, "empty-stage") == 0);
    CHECK(strcmp(jm_lint_level_name(JM_LINT_ERROR), "error") == 0);
    jm_lint_settings *s = jm_lint_settings_new();
    CHECK(s && jm_lint_settings_set(s, "pain-without-opportunity=error", d) == 0);
    CHECK(jm_lint_settings_set(s, "no-such-rule=off", d) == -1);
    jm_findings *f = jm_lint_map(new_map, s);
    const jm_finding *g = jm_findings_get(f, 0);
    CHECK(f && jm_findings_count(f) == 1 && g && g->level == JM_LINT_ERROR);
    CHECK(g && strcmp(g->rule, "pain-without-opportunity") == 0 &&
          strcmp(g->file, "new.json") == 0);
    CHECK(jm_findings_get(f, 1) == NULL);
    jm_findings_free(f);
    jm_findings_free(NULL);
    jm_lint_settings_free(s);
    jm_map_free(old_map);
    jm_map_free(new_map);
    jm_diags_free(d);
}

static void test_render(jm_context *ctx, const char *input, const char *scratch)
{
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_file(ctx, input, NULL, d);
    CHECK(m != NULL);
    CHECK(jm_diags_error_count(d) == 0);
    if (!m) {
        jm_diags_free(d);
        return;
    }
    CHECK(jm_map_title(m) && *jm_map_title(m));
    CHECK(jm_map_touchpoint_count(m) > 0);
    /* The example names no theme file and no photo (tests/unit/test_named_files.c lists some). */
    CHECK(jm_map_named_file_count(m) == 0 && jm_map_named_file(m, 0) == NULL);

    /* The model as JSON loads again into the same map. */
    char *json = jm_map_to_json(m);
    CHECK(json != NULL);
    if (json) {
        jm_map *again = jm_map_load_buffer(ctx, "again.json", json, strlen(json), NULL, d);
        CHECK(again && strcmp(jm_map_title(again), jm_map_title(m)) == 0);
        CHECK(again && jm_map_touchpoint_count(again) == jm_map_touchpoint_count(m));
        jm_map_free(again);
        jm_free(json);
    }

    /* Every format into memory. */
    static const struct {
        jm_format format;
        const char *magic;
    } formats[] = {{JM_FORMAT_PNG, "\x89PNG\r\n\x1a\n"},
                   {JM_FORMAT_SVG, "<"},
                   {JM_FORMAT_PDF, "%PDF-"},
                   {JM_FORMAT_JSON, "{"},
                   {JM_FORMAT_HTML, "<!DOCTYPE html>"}};
    jm_render_options opts;
    jm_render_options_init(&opts);
    CHECK(opts.format == JM_FORMAT_PNG && opts.state == JM_STATE_AUTO && opts.scale == 0);
    CHECK(opts.theme == NULL && opts.page == JM_PAGE_AUTO);
    CHECK(opts.pages == 0 && opts.poster == JM_PAGE_AUTO);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        unsigned char *data = NULL;
        size_t len = 0;
        opts.format = formats[i].format;
        CHECK(jm_render_to_buffer(ctx, m, &opts, &data, &len, d) == 0);
        CHECK(data && starts_with(data, len, formats[i].magic));
        if (formats[i].format == JM_FORMAT_SVG)
            CHECK(contains(data, len, "<svg"));
        if (formats[i].format == JM_FORMAT_JSON)
            CHECK(contains(data, len, "\"elements\""));
        if (formats[i].format == JM_FORMAT_HTML)
            CHECK(contains(data, len, "<svg") && contains(data, len, "</html>"));
        jm_free(data);
    }

    /* Options: a theme by name, a page, a state; NULL options are the defaults. */
    unsigned char *data = NULL;
    size_t len = 0;
    opts.format = JM_FORMAT_PDF;
    opts.theme = "workshop";
    opts.page = JM_PAGE_A3;
    opts.state = JM_STATE_AFTER;
    CHECK(jm_render_to_buffer(ctx, m, &opts, &data, &len, d) == 0);
    CHECK(data && starts_with(data, len, "%PDF-"));
    jm_free(data);
    /* Pages and posters (the minimal map fits one legible A4 page; its A0 poster takes
     * several A4 sheets). */
    opts.page = JM_PAGE_A4;
    opts.pages = JM_PAGES_AUTO;
    CHECK(jm_render_to_buffer(ctx, m, &opts, &data, &len, d) == 0);
    CHECK(count_pages(data, len) == 1);
    jm_free(data);
    opts.pages = 2;
    CHECK(jm_render_to_buffer(ctx, m, &opts, &data, &len, d) == 0);
    CHECK(count_pages(data, len) >= 1 && count_pages(data, len) <= 2);
    jm_free(data);
    opts.pages = 0;
    opts.poster = JM_PAGE_A0;
    CHECK(jm_render_to_buffer(ctx, m, &opts, &data, &len, d) == 0);
    CHECK(count_pages(data, len) > 1);
    jm_free(data);
    opts.poster = JM_PAGE_AUTO;
    CHECK(jm_render_to_buffer(ctx, m, NULL, &data, &len, d) == 0);
    CHECK(data && starts_with(data, len, "\x89PNG"));
    jm_free(data);
    CHECK(jm_diags_error_count(d) == 0);

    /* An unknown theme is an error in diags, and nothing is returned. */
    opts.theme = "no-such-theme";
    CHECK(jm_render_to_buffer(ctx, m, &opts, &data, &len, d) == -1);
    CHECK(data == NULL && len == 0);
    CHECK(find_diag(d, "unknown theme") != NULL);
    jm_diags_clear(d);
    opts.theme = NULL;

    /* To files, atomically. */
    char path[4096];
    snprintf(path, sizeof path, "%s/api-test-c.svg", scratch);
    remove(path);
    CHECK(jm_format_from_path(path) == JM_FORMAT_SVG);
    CHECK(jm_format_from_path("map.PDF") == JM_FORMAT_PDF);
    CHECK(jm_format_from_path("map.png") == JM_FORMAT_PNG);
    CHECK(jm_format_from_path("layout.json") == JM_FORMAT_JSON);
    CHECK(jm_format_from_path("map.HTML") == JM_FORMAT_HTML);
    CHECK(jm_format_from_path("report/map.htm") == JM_FORMAT_HTML);
    CHECK(jm_format_from_path("map.xhtm") == -1);
    CHECK(jm_format_from_path("htm") == -1);
    CHECK(jm_format_from_path("map.gif") == -1);
    /* The formats by name: every one round-trips, the list ends at the first NULL. */
    static const char *const names[] = {"png", "svg", "pdf", "json", "html"};
    for (int f = 0; f < 5; f++) {
        CHECK(jm_format_name(f) && strcmp(jm_format_name(f), names[f]) == 0);
        CHECK(jm_format_from_name(names[f]) == f);
    }
    CHECK(jm_format_name(5) == NULL && jm_format_name(-1) == NULL);
    CHECK(jm_format_from_name("SVG") == JM_FORMAT_SVG);
    CHECK(jm_format_from_name("htm") == -1 && jm_format_from_name("") == -1);
    CHECK(jm_format_from_name("gif") == -1);
    opts.format = JM_FORMAT_SVG;
    CHECK(jm_render_to_file(ctx, m, &opts, path, d) == 0);
    CHECK(file_size(path) > 0);
    remove(path);
    CHECK(jm_render_to_file(ctx, m, &opts, "/nonexistent/dir/map.svg", d) == -1);
    CHECK(jm_diags_error_count(d) == 1);
    jm_diags_clear(d);

    /* A clone renders on its own, after the original context is gone (see main). */
    jm_map_free(m);
    jm_diags_free(d);
}

static void test_clone(jm_context *clone, const char *input)
{
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_map_load_file(clone, input, NULL, d);
    unsigned char *data = NULL;
    size_t len = 0;
    CHECK(m && jm_render_to_buffer(clone, m, NULL, &data, &len, d) == 0);
    CHECK(data && len > 8);
    jm_free(data);
    jm_map_free(m);
    jm_diags_free(d);
}

/* A JSON render of a model whose theme asks for "JM Test Sans"; *warned: a warning names it. */
static unsigned char *render_test_family(jm_context *ctx, size_t *len, int *warned)
{
    static const char model[] =
        "{\"journeymap\": 1, \"title\": \"Fonts\", \"theme\": {\"font_family\": \"JM Test "
        "Sans\"}, \"stages\": [{\"id\": \"a\", \"name\": \"A\"}], \"touchpoints\": []}";
    jm_diags *d = jm_diags_new();
    jm_render_options o;
    jm_render_options_init(&o);
    o.format = JM_FORMAT_JSON;
    jm_map *m = jm_map_load_buffer(ctx, "fonts.json", model, sizeof model - 1, NULL, d);
    unsigned char *data = NULL;
    *len = 0;
    CHECK(m && jm_render_to_buffer(ctx, m, &o, &data, len, d) == 0);
    *warned = 0;
    for (size_t i = 0; i < jm_diags_count(d); i++)
        *warned |= strstr(jm_diags_get(d, i)->message, "JM Test Sans") != NULL;
    jm_map_free(m);
    jm_diags_free(d);
    return data;
}

/* jm_context_add_font_dir: the fonts are the context's, and its later clones', alone. */
static void test_font_dir(void)
{
    const char *dir = getenv("JM_TEST_FONT_DIR");
    if (!dir || !*dir)
        return;
    jm_diags *d = jm_diags_new();
    jm_context *ctx = jm_context_new(NULL, d);
    jm_context *before = ctx ? jm_context_clone(ctx) : NULL;
    CHECK(ctx && before);
    if (!ctx || !before) {
        jm_context_free(ctx);
        jm_diags_free(d);
        return;
    }
    CHECK(jm_context_add_font_dir(ctx, dir, d) == 1);
    CHECK(jm_diags_count(d) == 0);
    CHECK(jm_context_add_font_dir(ctx, "/nonexistent/fonts", d) == -1);
    CHECK(jm_diags_error_count(d) == 1);
    jm_context *after = jm_context_clone(ctx);
    CHECK(after != NULL);
    size_t n_with, n_without, n_after;
    int warned_with, warned_without, warned_after = 0;
    unsigned char *with = render_test_family(ctx, &n_with, &warned_with);
    unsigned char *without = render_test_family(before, &n_without, &warned_without);
    unsigned char *in_clone = after ? render_test_family(after, &n_after, &warned_after) : NULL;
    CHECK(!warned_with && warned_without && !warned_after);
    CHECK(with && without && (n_with != n_without || memcmp(with, without, n_with) != 0));
    CHECK(with && in_clone && n_with == n_after && memcmp(with, in_clone, n_with) == 0);
    jm_free(with);
    jm_free(without);
    jm_free(in_clone);
    jm_context_free(after);
    jm_context_free(before);
    jm_context_free(ctx);
    jm_diags_free(d);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s VALID_MODEL.json SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    jm_set_allocator(count_malloc, count_realloc, count_free);

    test_version();
    test_diags();
    jm_diags *d = jm_diags_new();
    jm_context *ctx = jm_context_new(NULL, d);
    CHECK(ctx != NULL);
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        char *s = jm_diag_format(jm_diags_get(d, i));
        fprintf(stderr, "%s\n", s ? s : "?");
        jm_free(s);
    }
    jm_diags_free(d);
    if (!ctx)
        return 1;
    test_context(ctx);
    test_load_errors(ctx);
    test_other_inputs(ctx);
    test_data(ctx, argv[2]);
    test_check_theme(ctx);
    test_diff_and_lint(ctx);
    test_render(ctx, argv[1], argv[2]);
    test_font_dir();
    jm_context *clone = jm_context_clone(ctx);
    CHECK(clone != NULL);
    jm_context_free(ctx);
    if (clone)
        test_clone(clone, argv[1]);
    jm_context_free(clone);
    jm_context_free(NULL);
    jm_map_free(NULL);

    CHECK(live_blocks == 0);
    if (live_blocks)
        fprintf(stderr, "%ld blocks allocated through the API were not freed\n", live_blocks);
    jm_set_allocator(NULL, NULL, NULL);

    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("api_test_c: all checks passed (journeymap %s)\n", jm_version());
    return 0;
}
