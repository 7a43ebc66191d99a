/* Files a model names (a theme file, persona photos), through the public API: read once, at
 * load, so replacing them afterwards (by a link out of the folder) changes nothing a render
 * draws or says; one photo shared by many personas goes into a PDF once; the files are listed
 * for a program that watches them; a --theme file is read again at every render. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journeymap.h"
#include "testutil.h"

static char dir[64];
static jm_context *ctx;
static const char *source_dir;

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *path_in(const char *name)
{
    static char p[4][160];
    static int next;
    char *s = p[next++ % 4];
    snprintf(s, sizeof p[0], "%s/%s", dir, name);
    return s;
}

static void copy_golden_photo(const char *to)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp '%s/tests/golden/valid/persona-photo/anna.png' '%s'", source_dir,
             to);
    ck_assert_int_eq(system(cmd), 0);
}

/* Renders map to `format`; the render must succeed. Caller frees. */
static unsigned char *render(const jm_map *map, jm_format format, size_t *len, jm_diags *d)
{
    jm_render_options o;
    jm_render_options_init(&o);
    o.format = format;
    unsigned char *data = NULL;
    int rc = jm_render_to_buffer(ctx, map, &o, &data, len, d);
    const jm_diag *g = jm_diags_get(d, 0);
    ck_assert_msg(rc == 0, "render failed: %s", g ? g->message : "?");
    return data;
}

static jm_map *load(const char *name, jm_diags *d)
{
    jm_map *map = jm_map_load_file(ctx, path_in(name), NULL, d);
    const jm_diag *g = jm_diags_get(d, 0);
    ck_assert_msg(map != NULL, "load failed: %s", g ? g->message : "?");
    return map;
}

/* The theme file and the photo replaced by links to files outside the folder between load and
 * render: the render draws what was loaded, and no message quotes the outside files. */
START_TEST(replaced_after_load)
{
    ck_assert_int_eq(mkdir(path_in("maps"), 0700), 0);
    write_text(path_in("maps/calm.json"), "{\"card_width\": 150}");
    copy_golden_photo(path_in("maps/anna.png"));
    write_text(path_in("maps/m.json"),
               "{\"journeymap\": 1, \"title\": \"T\", \"theme\": \"calm.json\",\n"
               " \"persona\": {\"name\": \"Anna\", \"photo\": \"anna.png\"},\n"
               " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],\n"
               " \"touchpoints\": [{\"stage\": \"a\", \"name\": \"Calls\", \"emotion\": 1}]}\n");
    write_text(path_in("secret.txt"), "SECRET-TEXT\n");
    jm_diags *d = jm_diags_new();
    jm_map *map = load("maps/m.json", d);
    size_t len_before, len_after;
    unsigned char *before = render(map, JM_FORMAT_SVG, &len_before, d);

    ck_assert_int_eq(unlink(path_in("maps/calm.json")), 0);
    ck_assert_int_eq(symlink(path_in("secret.txt"), path_in("maps/calm.json")), 0);
    ck_assert_int_eq(unlink(path_in("maps/anna.png")), 0);
    ck_assert_int_eq(symlink(path_in("secret.txt"), path_in("maps/anna.png")), 0);
    jm_diags *d2 = jm_diags_new();
    unsigned char *after = render(map, JM_FORMAT_SVG, &len_after, d2);
    for (size_t i = 0; i < jm_diags_count(d2); i++)
        ck_assert_ptr_null(strstr(jm_diags_get(d2, i)->message, "SECRET"));
    ck_assert_uint_eq(len_after, len_before);
    ck_assert_int_eq(memcmp(after, before, len_before), 0);
    jm_free(before);
    jm_free(after);
    jm_map_free(map);
    jm_diags_free(d);
    jm_diags_free(d2);
}
END_TEST

static size_t count(const unsigned char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle), found = 0;
    for (size_t i = 0; i + m <= n; i++)
        found += memcmp(hay + i, needle, m) == 0;
    return found;
}

/* 50 personas with one photo: decoded once, so the PDF holds the image once (cairo shares one
 * image object between draws of one surface) and so does the SVG (later draws <use> it), not 50
 * times. */
START_TEST(shared_photo_drawn_from_one_decoding)
{
    copy_golden_photo(path_in("anna.png"));
    FILE *f = fopen(path_in("fifty.json"), "wb");
    ck_assert_ptr_nonnull(f);
    fputs("{\"journeymap\": 1, \"title\": \"Fifty\", \"personas\": [", f);
    for (int i = 0; i < 50; i++)
        fprintf(f, "%s{\"id\": \"p%d\", \"name\": \"P%d\", \"photo\": \"anna.png\"}", i ? ", " : "",
                i, i);
    fputs("], \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],\n"
          " \"touchpoints\": [{\"stage\": \"a\", \"name\": \"x\"}]}\n",
          f);
    fclose(f);
    jm_diags *d = jm_diags_new();
    jm_map *map = load("fifty.json", d);
    size_t len;
    unsigned char *pdf = render(map, JM_FORMAT_PDF, &len, d);
    ck_assert_uint_eq(count(pdf, len, "/Subtype /Image"), 1);
    jm_free(pdf);
    unsigned char *svg = render(map, JM_FORMAT_SVG, &len, d);
    ck_assert_uint_eq(count(svg, len, "data:image/"), 1);
    ck_assert_uint_eq(count(svg, len, "-i1\""), 1 + 50); /* its id, and each persona's <use> */
    jm_free(svg);
    jm_map_free(map);
    jm_diags_free(d);
}
END_TEST

/* The files a map names are listed for a watcher: each once, in the order read, as the input's
 * folder joined with the model's name for it; a map naming none lists none. */
START_TEST(listed_for_watchers)
{
    ck_assert_int_eq(mkdir(path_in("listed"), 0700), 0);
    ck_assert_int_eq(mkdir(path_in("listed/photos"), 0700), 0);
    write_text(path_in("listed/calm.json"), "{\"card_width\": 150}");
    copy_golden_photo(path_in("listed/photos/anna.png"));
    write_text(path_in("listed/m.json"),
               "{\"journeymap\": 1, \"title\": \"T\", \"theme\": \"calm.json\",\n"
               " \"personas\": [{\"id\": \"a\", \"name\": \"A\", \"photo\": \"photos/anna.png\"},\n"
               "  {\"id\": \"b\", \"name\": \"B\", \"photo\": \"photos/anna.png\"}],\n"
               " \"stages\": [{\"id\": \"s\", \"name\": \"S\"}],\n"
               " \"touchpoints\": [{\"stage\": \"s\", \"name\": \"Calls\"}]}\n");
    jm_diags *d = jm_diags_new();
    jm_map *map = load("listed/m.json", d);
    ck_assert_uint_eq(jm_map_named_file_count(map), 2);
    const char *a = jm_map_named_file(map, 0), *b = jm_map_named_file(map, 1);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    if (strcmp(a, b) > 0) { /* the order is the loader's */
        const char *t = a;
        a = b;
        b = t;
    }
    ck_assert_str_eq(a, path_in("listed/calm.json"));
    ck_assert_str_eq(b, path_in("listed/photos/anna.png"));
    ck_assert_ptr_null(jm_map_named_file(map, 2));
    jm_map_free(map);
    write_text(path_in("listed/plain.json"),
               "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"s\", \"name\": "
               "\"S\"}]}\n");
    map = load("listed/plain.json", d);
    ck_assert_uint_eq(jm_map_named_file_count(map), 0);
    ck_assert_ptr_null(jm_map_named_file(map, 0));
    jm_map_free(map);
    jm_diags_free(d);
}
END_TEST

/* A theme file given as the render option is read at every render: an edit between two renders
 * with one context shows in the second (it was once kept in the context by its name). */
START_TEST(option_theme_file_read_at_every_render)
{
    write_text(path_in("edited.json"), "{\"card_width\": 150}");
    write_text(path_in("plain.json"), "{\"journeymap\": 1, \"title\": \"T\", \"stages\": "
                                      "[{\"id\": \"s\", \"name\": \"S\"}], \"touchpoints\": "
                                      "[{\"stage\": \"s\", \"name\": \"Calls\"}]}\n");
    jm_diags *d = jm_diags_new();
    jm_map *map = load("plain.json", d);
    jm_render_options o;
    jm_render_options_init(&o);
    o.format = JM_FORMAT_JSON;
    o.theme = path_in("edited.json");
    unsigned char *first = NULL, *second = NULL;
    size_t len_first, len_second;
    ck_assert_int_eq(jm_render_to_buffer(ctx, map, &o, &first, &len_first, d), 0);
    write_text(path_in("edited.json"), "{\"card_width\": 250}");
    ck_assert_int_eq(jm_render_to_buffer(ctx, map, &o, &second, &len_second, d), 0);
    ck_assert_msg(len_first != len_second || memcmp(first, second, len_first) != 0,
                  "the edited theme file was not read again");
    jm_free(first);
    jm_free(second);
    jm_map_free(map);
    jm_diags_free(d);
}
END_TEST

int main(void)
{
    source_dir = getenv("JM_SOURCE_DIR");
    if (!source_dir) {
        fprintf(stderr, "JM_SOURCE_DIR is not set\n");
        return 1;
    }
    snprintf(dir, sizeof dir, "/tmp/jm-test-named-%ld", (long)getpid());
    if (mkdir(dir, 0700) != 0) {
        perror(dir);
        return 1;
    }
    ctx = tu_context_new();
    Suite *s = suite_create("named_files");
    TCase *tc = tcase_create("named_files");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, replaced_after_load);
    tcase_add_test(tc, shared_photo_drawn_from_one_decoding);
    tcase_add_test(tc, listed_for_watchers);
    tcase_add_test(tc, option_theme_file_read_at_every_render);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    jm_context_free(ctx);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return failed ? 1 : 0;
}
