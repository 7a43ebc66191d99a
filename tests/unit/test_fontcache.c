/* The font cache (src/context/fontcache.h): the patterns compiled into the library are exactly what
 * fontconfig makes of the bundled fonts now, down to the type of each value, the character
 * and language sets and the order of the fonts; every bundled font comes from the cache; a
 * font the cache does not hold as it is (changed, or another file) is read from its file, and
 * the fonts still come out as FcConfigAppFontAddFile's; with another fontconfig version every
 * file is read. Fonts are compared the way Pango lists them: the system set, then the
 * application set (pangofc-fontmap.c). */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "context/fontcache.h"
#include "testutil.h"

static char fonts_dir[4096];
static char *names[64];
static size_t n_names;
static char tmp_dir[64];

static bool is_font_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcmp(dot, ".otf") == 0 || strcmp(dot, ".ttf") == 0);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The font files of dir, sorted as the library sorts them. */
static size_t list_fonts(const char *dir, char **out, size_t max)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max)
        if (is_font_name(e->d_name))
            out[n++] = strdup(e->d_name);
    closedir(d);
    qsort(out, n, sizeof out[0], cmp_name);
    return n;
}

/* The reference: the files read by fontconfig, as the library did before the cache. */
static FcConfig *read_files(const char *dir, char *const *files, size_t n)
{
    FcConfig *fc = FcConfigCreate();
    for (size_t i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        ck_assert_msg(FcConfigAppFontAddFile(fc, (const FcChar8 *)path), "cannot read %s", path);
    }
    return fc;
}

static FcConfig *load(const jm_fontcache *cache, const char *dir, char *const *files, size_t n,
                      int *from_cache)
{
    FcConfig *fc = FcConfigCreate();
    int added = jm_fontcache_load(cache, fc, dir, (const char *const *)files, n, from_cache);
    ck_assert_int_eq(added, (int)n);
    return fc;
}

/* fc's fonts in the order Pango sees them. */
static FcFontSet *all_fonts(FcConfig *fc)
{
    FcFontSet *all = FcFontSetCreate();
    for (int s = FcSetSystem; s <= FcSetApplication; s++) {
        FcFontSet *set = FcConfigGetFonts(fc, (FcSetName)s);
        for (int i = 0; set && i < set->nfont; i++) {
            FcPatternReference(set->fonts[i]);
            FcFontSetAdd(all, set->fonts[i]);
        }
    }
    return all;
}

/* Equal as fontconfig compares them, and more: the same objects in the same order, the same
 * values with the same types and bindings, the same text for them. (Messages name the first
 * difference: whole patterns are too long for Check's messages.) */
static void assert_same_pattern(FcPattern *want, FcPattern *got)
{
    FcChar8 *file = NULL;
    FcPatternGetString(want, FC_FILE, 0, &file);
    ck_assert_int_eq(FcPatternObjectCount(want), FcPatternObjectCount(got));
    FcPatternIter wi, gi;
    FcPatternIterStart(want, &wi);
    FcPatternIterStart(got, &gi);
    bool more;
    do {
        const char *object = FcPatternIterGetObject(want, &wi);
        ck_assert_str_eq(object, FcPatternIterGetObject(got, &gi));
        int n = FcPatternIterValueCount(want, &wi);
        ck_assert_int_eq(n, FcPatternIterValueCount(got, &gi));
        for (int i = 0; i < n; i++) {
            FcValue wv, gv;
            FcValueBinding wb, gb;
            FcPatternIterGetValue(want, &wi, i, &wv, &wb);
            FcPatternIterGetValue(got, &gi, i, &gv, &gb);
            ck_assert_msg(wv.type == gv.type && wb == gb && FcValueEqual(wv, gv),
                          "%s: %s[%d] differs", file, object, i);
        }
        more = FcPatternIterNext(want, &wi);
        ck_assert_int_eq(more, FcPatternIterNext(got, &gi));
    } while (more);
    ck_assert_msg(FcPatternEqual(want, got), "%s: patterns differ", file);
    FcChar8 *want_text = FcNameUnparse(want), *got_text = FcNameUnparse(got);
    size_t at = 0;
    while (want_text[at] && want_text[at] == got_text[at])
        at++;
    ck_assert_msg(want_text[at] == got_text[at], "%s: texts differ at \"%.40s\"", file,
                  want_text + at);
    free(want_text);
    free(got_text);
}

static void assert_same_fonts(FcConfig *want, FcConfig *got)
{
    FcFontSet *w = all_fonts(want), *g = all_fonts(got);
    ck_assert_int_eq(w->nfont, g->nfont);
    for (int i = 0; i < w->nfont; i++)
        assert_same_pattern(w->fonts[i], g->fonts[i]);
    FcFontSetDestroy(w);
    FcFontSetDestroy(g);
}

START_TEST(bundled_fonts_come_from_the_cache_as_fontconfig_reads_them)
{
    ck_assert_uint_gt(n_names, 0);
    int from_cache = -1;
    FcConfig *got = load(&jm_fontcache_bundled, fonts_dir, names, n_names, &from_cache);
    ck_assert_msg(from_cache == (int)n_names,
                  "%d of %zu bundled fonts from the cache: is every font a single OpenType "
                  "font (jm-fontcache-gen says which it left out)?",
                  from_cache, n_names);
    FcConfig *want = read_files(fonts_dir, names, n_names);
    assert_same_fonts(want, got);
    FcConfigDestroy(want);
    FcConfigDestroy(got);
}
END_TEST

/* ---- Changed and unknown files -------------------------------------------------------------- */

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    ck_assert(in && out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Overwrites 4 bytes of the font in tmp_dir: at offset in its 'head' table, or (head false) in
 * its first table record at offset. */
static void patch_font(const char *name, bool head, long offset, uint32_t value)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    int fd = open(path, O_RDWR);
    ck_assert_int_ge(fd, 0);
    unsigned char dir[12 + 16 * 64];
    ck_assert_int_eq(pread(fd, dir, sizeof dir, 0), (ssize_t)sizeof dir);
    long at = 12 + offset;
    for (int i = 0; head && i < (dir[4] << 8 | dir[5]); i++)
        if (memcmp(dir + 12 + 16 * i, "head", 4) == 0)
            at = (long)be32(dir + 12 + 16 * i + 8) + offset;
    unsigned char b[4] = {value >> 24, value >> 16 & 0xff, value >> 8 & 0xff, value & 0xff};
    ck_assert_int_eq(pwrite(fd, b, 4, at), 4);
    close(fd);
}

static void make_tmp_dir(void)
{
    strcpy(tmp_dir, "/tmp/jm-fontcache-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static void remove_tmp_dir(void)
{
    DIR *d = opendir(tmp_dir);
    struct dirent *e;
    char path[4200];
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", tmp_dir, e->d_name);
            unlink(path);
        }
    if (d)
        closedir(d);
    rmdir(tmp_dir);
}

START_TEST(changed_and_unknown_fonts_are_read)
{
    char from[4200], to[4200];
    for (size_t i = 0; i < n_names; i++) {
        snprintf(from, sizeof from, "%s/%s", fonts_dir, names[i]);
        snprintf(to, sizeof to, "%s/%s", tmp_dir, names[i]);
        copy_file(from, to);
    }
    /* Another version (fontversion is read from there: the cache's would differ) ... */
    patch_font("Inter-Regular.otf", true, 4, 0x00040000);
    /* ... a table changed (its checksum in the table directory) ... */
    patch_font("NotoSans-Bold.ttf", false, 4, 0x12345678);
    /* ... a byte more ... */
    snprintf(to, sizeof to, "%s/NotoSans-Regular.ttf", tmp_dir);
    FILE *f = fopen(to, "ab");
    ck_assert_ptr_nonnull(f);
    fputc(0, f);
    fclose(f);
    /* ... and a file the cache does not know. */
    snprintf(from, sizeof from, "%s/Inter-Italic.otf", fonts_dir);
    snprintf(to, sizeof to, "%s/Inter-Copy.otf", tmp_dir);
    copy_file(from, to);

    char *files[64];
    size_t n = list_fonts(tmp_dir, files, 64);
    ck_assert_uint_eq(n, n_names + 1);
    int from_cache = -1;
    FcConfig *got = load(&jm_fontcache_bundled, tmp_dir, files, n, &from_cache);
    ck_assert_int_eq(from_cache, (int)n_names - 3);
    FcConfig *want = read_files(tmp_dir, files, n);
    assert_same_fonts(want, got);

    /* The changed version is the one read. */
    FcFontSet *fonts = all_fonts(got);
    int version = 0;
    for (int i = 0; i < fonts->nfont; i++) {
        FcChar8 *file;
        if (FcPatternGetString(fonts->fonts[i], FC_FILE, 0, &file) == FcResultMatch &&
            strstr((char *)file, "/Inter-Regular.otf"))
            FcPatternGetInteger(fonts->fonts[i], FC_FONTVERSION, 0, &version);
    }
    ck_assert_int_eq(version, 0x00040000);
    FcFontSetDestroy(fonts);

    FcConfigDestroy(want);
    FcConfigDestroy(got);
    for (size_t i = 0; i < n; i++)
        free(files[i]);
}
END_TEST

START_TEST(another_fontconfig_reads_every_file)
{
    jm_fontcache other = jm_fontcache_bundled;
    other.fc_version++;
    int from_cache = -1;
    FcConfig *got = load(&other, fonts_dir, names, n_names, &from_cache);
    ck_assert_int_eq(from_cache, 0);
    /* FcConfigAppFontAddFile itself: the fonts are in the application set. */
    ck_assert_ptr_null(FcConfigGetFonts(got, FcSetSystem));
    FcConfig *want = read_files(fonts_dir, names, n_names);
    assert_same_fonts(want, got);
    FcConfigDestroy(want);
    FcConfigDestroy(got);
}
END_TEST

START_TEST(identity_of_files_that_are_not_fonts)
{
    jm_font_id id;
    char path[4200];
    snprintf(path, sizeof path, "%s/LICENSE-Inter.txt", fonts_dir);
    ck_assert(!jm_font_id_read(path, &id));
    ck_assert(!jm_font_id_read(fonts_dir, &id));
    snprintf(path, sizeof path, "%s/missing.ttf", fonts_dir);
    ck_assert(!jm_font_id_read(path, &id));
    snprintf(path, sizeof path, "%s/%s", fonts_dir, names[0]);
    ck_assert(jm_font_id_read(path, &id));
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(id.size, (uint64_t)st.st_size);
}
END_TEST

int main(void)
{
    tu_source_path(fonts_dir, sizeof fonts_dir, "fonts");
    n_names = list_fonts(fonts_dir, names, 64);

    Suite *s = suite_create("fontcache");
    TCase *tc = tcase_create("fontcache");
    tcase_add_test(tc, bundled_fonts_come_from_the_cache_as_fontconfig_reads_them);
    tcase_add_test(tc, another_fontconfig_reads_every_file);
    tcase_add_test(tc, identity_of_files_that_are_not_fonts);
    TCase *changed = tcase_create("changed");
    tcase_add_checked_fixture(changed, make_tmp_dir, remove_tmp_dir);
    tcase_add_test(changed, changed_and_unknown_fonts_are_read);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, changed);
    int failed = tu_run_suite(s);
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    return failed ? 1 : 0;
}
