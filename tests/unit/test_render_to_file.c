/* jm_render_to_file: the output gets mode 0666 less the umask without the library ever setting
 * the process-wide umask (another thread creating a file at that moment would get mode 0666),
 * and any valid output name can be written (the temporary name is longer than the output's). */
#define _GNU_SOURCE /* syscall */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "journeymap.h"
#include "testutil.h"

/* Every umask() call of the library comes here (the test links a static copy of it). */
static int umask_calls;

mode_t umask(mode_t mask)
{
    umask_calls++;
    return (mode_t)syscall(SYS_umask, mask);
}

static char dir[64];
static jm_context *ctx;
static jm_map *map;

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/jm-test-render-to-file-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    jm_diags *d = jm_diags_new();
    ctx = jm_context_new(NULL, d);
    ck_assert_ptr_nonnull(ctx);
    char input[4096];
    tu_source_path(input, sizeof input, "data/examples/minimal.json");
    map = jm_map_load_file(ctx, input, NULL, d);
    ck_assert_ptr_nonnull(map);
    jm_diags_free(d);
}

static void teardown(void)
{
    jm_map_free(map);
    jm_context_free(ctx);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")))
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* The folder holds exactly the file name (no temporary file left). */
static void only_file_is(const char *name)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        ck_assert_str_eq(e->d_name, name);
        n++;
    }
    closedir(d);
    ck_assert_int_eq(n, 1);
}

static int render_svg(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    jm_render_options o;
    jm_render_options_init(&o);
    o.format = JM_FORMAT_SVG;
    jm_diags *d = jm_diags_new();
    int rc = jm_render_to_file(ctx, map, &o, path, d);
    for (size_t i = 0; i < jm_diags_count(d); i++)
        fprintf(stderr, "%s\n", jm_diags_get(d, i)->message);
    jm_diags_free(d);
    return rc;
}

START_TEST(mode_from_the_umask_without_setting_it)
{
    static const mode_t masks[] = {027, 002, 077};
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        mode_t old = (mode_t)syscall(SYS_umask, masks[i]);
        umask_calls = 0;
        ck_assert_int_eq(render_svg("map.svg"), 0);
        syscall(SYS_umask, old);
        ck_assert_int_eq(umask_calls, 0);
        char path[512];
        snprintf(path, sizeof path, "%s/map.svg", dir);
        struct stat st;
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0666 & ~masks[i]);
        only_file_is("map.svg");
        unlink(path);
    }
}
END_TEST

/* Names of 245 to 255 bytes failed with "File name too long": the temporary name added 11. */
START_TEST(longest_names)
{
    char name[256];
    for (size_t len = 240; len <= 255; len++) {
        memset(name, 'a', len - 4);
        strcpy(name + len - 4, ".svg");
        ck_assert_int_eq(render_svg(name), 0);
        only_file_is(name);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        unlink(path);
    }
    /* 125 two-byte characters and ".svg": 254 bytes; the temporary name is cut between
     * characters. */
    name[0] = '\0';
    for (int i = 0; i < 125; i++)
        strcat(name, "д");
    strcat(name, ".svg");
    ck_assert_int_eq(render_svg(name), 0);
    only_file_is(name);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("render_to_file");
    TCase *tc = tcase_create("render_to_file");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, mode_from_the_umask_without_setting_it);
    tcase_add_test(tc, longest_names);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
