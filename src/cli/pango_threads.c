/* The command line's stand-in for g_thread_new: Pango's font queries run on the calling thread.
 *
 * Pango 1.50 starts two threads for every new font description (family, weight, style, size):
 * one runs FcFontSetMatch, the other FcFontSetSort, and the first text that needs the font
 * waits for both. A small map uses a dozen descriptions, so a `journeymap render` process made
 * 25 threads, and creating, scheduling and tearing them down (each with its own malloc arena)
 * cost more than the queries themselves. The queries are quick over our seven fonts, and the
 * one thread that asks has nothing else to do while it waits.
 *
 * The executable exports this definition (see CMakeLists.txt), so it interposes on GLib's for
 * every library in the process. It runs inline only the two thread functions named below, on
 * the Pango versions whose code was read for this: their functions take only the lock of the
 * new PangoFcPatterns, which no caller holds yet, and Pango drops the GThread at once. Every
 * other thread, Pango's FcInit thread included (its caller holds the lock it takes), is a real
 * one from GLib. Hosts of the library are unaffected: only this program defines the symbol. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <glib.h>
#include <pango/pango.h>
#include <stdbool.h>
#include <string.h>

typedef GThread *(*thread_new_fn)(const gchar *, GThreadFunc, gpointer);

static bool runs_inline(const gchar *name)
{
    /* The code read is Pango 1.50.12's (pango/pangofc-fontmap.c, pango_fc_patterns_new);
     * other series may differ, so they keep real threads. */
    int v = pango_version();
    return v >= PANGO_VERSION_ENCODE(1, 50, 0) && v < PANGO_VERSION_ENCODE(1, 51, 0) && name &&
           (strcmp(name, "[pango] FcFontSetMatch") == 0 ||
            strcmp(name, "[pango] FcFontSetSort") == 0);
}

/* Default visibility: the build hides symbols unless asked. */
__attribute__((visibility("default"))) GThread *g_thread_new(const gchar *name, GThreadFunc func,
                                                             gpointer data);

GThread *g_thread_new(const gchar *name, GThreadFunc func, gpointer data)
{
    if (runs_inline(name)) {
        func(data);
        /* Pango unrefs what it gets: a reference to this thread's own GThread. */
        return g_thread_ref(g_thread_self());
    }
    static thread_new_fn real;
    thread_new_fn f = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
    if (!f) {
        f = (thread_new_fn)dlsym(RTLD_NEXT, "g_thread_new");
        __atomic_store_n(&real, f, __ATOMIC_RELEASE);
    }
    return f(name, func, data);
}
