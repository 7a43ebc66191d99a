/* The context's font map: fontconfig's current configuration (the host program's) is left
 * alone; freeing a context frees its font map then and there, even while a thread of Pango's
 * still holds it. */
#include <check.h>
#include <glib.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <unistd.h>

#include "context/context.h"
#include "testutil.h"
#include "util/util.h"

static jm_context *new_context(void)
{
    jm_diags *d = jm_diags_new();
    jm_context *ctx = jm_context_new(NULL, d);
    ck_assert_msg(ctx != NULL, "no context (JOURNEYMAP_DATA_DIR?)");
    jm_diags_free(d);
    return ctx;
}

/* Stands in for one of Pango 1.50's font query threads: it holds a reference to the font map
 * and lets it go only once the context is being freed (its configuration swapped out). */
typedef struct holder {
    PangoFontMap *fm;
    FcConfig *config;
} holder;

static gpointer hold_font_map(gpointer data)
{
    holder *h = data;
    while (pango_fc_font_map_get_config(PANGO_FC_FONT_MAP(h->fm)) == h->config)
        g_usleep(1000);
    g_object_unref(h->fm);
    return NULL;
}

/* Run first (CK_FORK=no: one process), before any font map exists, as in a host that has just
 * started: that is when the library used to stand its configuration in for fontconfig's. */
START_TEST(host_fontconfig_untouched)
{
    FcConfig *mine = FcConfigCreate();
    ck_assert(FcConfigSetCurrent(mine));
    jm_diags *d = jm_diags_new();
    jm_context *ctx = new_context();
    jm_map *map = jm_map_load_file(ctx, "data/examples/minimal.json", NULL, d);
    ck_assert_ptr_nonnull(map);
    unsigned char *data = NULL;
    size_t len = 0;
    ck_assert_int_eq(jm_render_to_buffer(ctx, map, NULL, &data, &len, d), 0);
    ck_assert_ptr_eq(FcConfigGetCurrent(), mine);
    jm_free(data);
    jm_map_free(map);
    jm_context_free(ctx);
    jm_diags_free(d);
    ck_assert_ptr_eq(FcConfigGetCurrent(), mine);
    FcConfigDestroy(mine);
}
END_TEST

START_TEST(free_waits_for_font_queries)
{
    jm_context *ctx = new_context();
    PangoFontMap *fm = jm_context_fontmap(ctx);
    g_object_add_weak_pointer(G_OBJECT(fm), (gpointer *)&fm);
    holder h = {g_object_ref(fm), pango_fc_font_map_get_config(PANGO_FC_FONT_MAP(fm))};
    GThread *t = g_thread_new("holder", hold_font_map, &h);
    jm_context_free(ctx);
    /* Gone before jm_context_free returned, not later on the other thread. */
    ck_assert_ptr_null(fm);
    g_thread_join(t);
}
END_TEST

/* A reference that is never dropped while the context is freed (a Pango object of it kept
 * by the host) must not hang jm_context_free: it waits at most jm_context_release_wait_ms and
 * leaves the font map to its last holder. Before the bound, this waited forever. */
START_TEST(free_never_hangs_on_a_kept_reference)
{
    jm_context *ctx = new_context();
    PangoFontMap *fm = jm_context_fontmap(ctx);
    g_object_add_weak_pointer(G_OBJECT(fm), (gpointer *)&fm);
    g_object_ref(fm); /* kept past jm_context_free */
    unsigned saved = jm_context_release_wait_ms;
    jm_context_release_wait_ms = 100;
    gint64 t0 = g_get_monotonic_time();
    jm_context_free(ctx);
    gint64 waited_ms = (g_get_monotonic_time() - t0) / 1000;
    jm_context_release_wait_ms = saved;
    ck_assert_int_ge(waited_ms, 100);
    ck_assert_ptr_nonnull(fm); /* still ours */
    g_object_unref(fm);        /* the last holder frees it */
    ck_assert_ptr_null(fm);
}
END_TEST

int main(void)
{
    if (getenv("JM_SOURCE_DIR") && chdir(getenv("JM_SOURCE_DIR")) != 0)
        return 1;
    Suite *s = suite_create("context");
    TCase *host = tcase_create("host");
    tcase_add_test(host, host_fontconfig_untouched);
    suite_add_tcase(s, host);
    TCase *tc = tcase_create("font map");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, free_waits_for_font_queries);
    tcase_add_test(tc, free_never_hangs_on_a_kept_reference);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    return failed ? 1 : 0;
}
