/* The command line's stand-in for g_thread_new (src/cli/pango_threads.c, linked into this test as
 * into the program): Pango 1.50's two font queries run on the calling thread, every other
 * thread is a real one, and the libraries' calls reach the stand-in, not GLib's. */
#include <check.h>
#include <dlfcn.h>
#include <glib.h>
#include <pango/pango.h>
#include <stdbool.h>

#include "testutil.h"

static GThread *ran_on;

static gpointer record(gpointer data)
{
    ran_on = g_thread_self();
    (*(int *)data)++;
    return NULL;
}

static bool pango_1_50(void)
{
    int v = pango_version();
    return v >= PANGO_VERSION_ENCODE(1, 50, 0) && v < PANGO_VERSION_ENCODE(1, 51, 0);
}

START_TEST(libraries_reach_the_stand_in)
{
    /* What a library's call resolves to: the program's export, not GLib's definition. */
    ck_assert_ptr_eq(dlsym(RTLD_DEFAULT, "g_thread_new"), (void *)g_thread_new);
    ck_assert_ptr_ne(dlsym(RTLD_NEXT, "g_thread_new"), (void *)g_thread_new);
}
END_TEST

START_TEST(pango_font_queries_run_inline)
{
    static const char *const names[] = {"[pango] FcFontSetMatch", "[pango] FcFontSetSort"};
    for (int i = 0; i < 2; i++) {
        int runs = 0;
        ran_on = NULL;
        GThread *t = g_thread_new(names[i], record, &runs);
        ck_assert_ptr_nonnull(t);
        if (pango_1_50()) {
            ck_assert_int_eq(runs, 1); /* done before g_thread_new returned */
            ck_assert_ptr_eq(ran_on, g_thread_self());
            g_thread_unref(t); /* as Pango does */
        } else {               /* code not read for other series: real threads */
            g_thread_join(t);
            ck_assert_int_eq(runs, 1);
            ck_assert_ptr_ne(ran_on, g_thread_self());
        }
    }
}
END_TEST

START_TEST(other_threads_are_real)
{
    static const char *const names[] = {"[pango] FcInit", "worker", NULL};
    for (int i = 0; i < 3; i++) {
        int runs = 0;
        ran_on = NULL;
        GThread *t = g_thread_new(names[i], record, &runs);
        g_thread_join(t);
        ck_assert_int_eq(runs, 1);
        ck_assert_ptr_ne(ran_on, g_thread_self());
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pango_threads");
    TCase *tc = tcase_create("g_thread_new");
    tcase_add_test(tc, libraries_reach_the_stand_in);
    tcase_add_test(tc, pango_font_queries_run_inline);
    tcase_add_test(tc, other_threads_are_real);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    return failed ? 1 : 0;
}
