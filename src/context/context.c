/* The context: a private fontconfig configuration over the bundled fonts (the system's fonts
 * are never scanned, so output does not depend on the machine), a Pango font map on it, and
 * the data folder where fonts and themes live. */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <pango/pangofc-fontmap.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "fallback.h"
#include "fontcache.h"
#include "shared_faces.h"
#include "util/diag.h"
#include "util/util.h"

/* Private: every other file goes through the functions of context.h. */
struct jm_context {
    char *data_dir;
    FcConfig *fonts;       /* the bundled fonts, shared by clones (fontconfig's count) */
    PangoFontMap *fontmap; /* per context: Pango's font map caches are not thread-safe */
    PangoContext *pango;   /* per context, on fontmap */
    /* The last built-in theme loaded by name, reused by the next map that names it (batch
     * renders mostly share one); theme files are not kept, they may change. */
    char *theme_key;
    jm_theme *theme;
    /* Measured text by (text, width, font, language, options): maps repeat their labels and
     * batches repeat whole strings, and a PangoLayout is immutable once measured. Bounded. */
    GHashTable *layouts;
    /* Glyph outlines as SVG path data, by (cairo scaled font, glyph): every SVG document
     * writes the ones it uses, and a batch uses the same ones over and over (svg_text.c).
     * Created on first use; bounded. */
    GHashTable *svg_glyphs;
    /* What the bundled fonts cover together; a text with anything else goes to the fallback
     * fonts (fallback.h), made for this context the first time one does. */
    FcCharSet *bundled_chars;
    struct jm_fallback *fallback;
    bool fallback_failed; /* it could not be made: not tried again */
    /* Fonts added to the bundled ones: the files of jm_context_add_font_dir's folders, and
     * those of the theme being rendered (jm_context_use_fonts), in that order. fonts holds
     * the bundled fonts and font_paths; clones share it while their lists are the same. */
    char **dir_fonts;
    size_t n_dir_fonts;
    char **font_paths;
    size_t n_font_paths;
};

const char *jm_version(void) { return JM_VERSION; }

static bool has_fonts(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    if ((size_t)snprintf(path, sizeof path, "%.4000s/fonts/Inter-Regular.otf", dir) >= sizeof path)
        return false;
    return stat(path, &st) == 0;
}

/* JOURNEYMAP_DATA_DIR, then the install tree next to the executable (BINDIR to DATADIR, as
 * installed: bin/../share/journeymap),
 * then the source tree this was built from, then the configured install prefix. */
static char *find_data_dir(void)
{
    const char *env = getenv("JOURNEYMAP_DATA_DIR");
    if (env && *env)
        return jm_strdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char cand[PATH_MAX + 32];
            snprintf(cand, sizeof cand, "%s/" JM_BIN_TO_DATA, exe);
            if (has_fonts(cand))
                return jm_strdup(cand);
        }
    }
    /* A program linking the installed library: LIBDIR to DATADIR as installed, so that a
     * multiarch lib/x86_64-linux-gnu reaches share/journeymap too. */
    Dl_info info;
    if (dladdr((void *)jm_version, &info) && info.dli_fname) {
        char lib[PATH_MAX];
        snprintf(lib, sizeof lib, "%s", info.dli_fname);
        char *slash = strrchr(lib, '/');
        if (slash) {
            *slash = '\0';
            char cand[PATH_MAX + 32];
            snprintf(cand, sizeof cand, "%s/" JM_LIB_TO_DATA, lib);
            if (has_fonts(cand))
                return jm_strdup(cand);
        }
    }
    if (has_fonts(JM_SOURCE_DATA_DIR))
        return jm_strdup(JM_SOURCE_DATA_DIR);
    return jm_strdup(JM_INSTALL_DATA_DIR);
}

static PangoContext *make_pango_context(PangoFontMap *fm)
{
    PangoContext *pc = pango_font_map_create_context(fm);
    /* Unhinted, fractional metrics: text measures the same for PNG, SVG and PDF. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(pc, FALSE);
    pango_cairo_context_set_resolution(pc, 72.0); /* 1 Pango point = 1 layout unit */
    return pc;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds each font file by name (sorted, so font order never depends on the directory). Files,
 * not the folder: fontconfig would try to write a cache for a folder, and we write nothing
 * but the outputs asked for. The bundled fonts come from the build-time cache (fontcache.h),
 * not from reading them. Returns the number of fonts added. */
static int add_fonts(FcConfig *fc, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        const char *dot = strrchr(e->d_name, '.');
        if (dot && (strcmp(dot, ".otf") == 0 || strcmp(dot, ".ttf") == 0))
            if ((names[n] = jm_strdup(e->d_name)))
                n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_name);
    int added =
        jm_fontcache_load(&jm_fontcache_bundled, fc, dir, (const char *const *)names, n, NULL);
    for (size_t i = 0; i < n; i++)
        jm_free(names[i]);
    return added;
}

/* A Pango font map over our configuration alone. fontconfig's current configuration, the
 * host program's, is neither read nor replaced. (Pango 1.50 has the process's first Fc font
 * map load it on a thread of its own, FcInit, and every font lookup waits for that; the
 * command line sets an empty one first to skip the cost, see main.c.) */
static PangoFontMap *new_font_map(FcConfig *fc)
{
    PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), fc);
    return fm;
}

#define LAYOUT_CACHE_MAX 50000

static guint text_key_hash(gconstpointer p)
{
    const jm_text_key *k = p;
    guint h = g_str_hash(k->text) * 31u + g_str_hash(k->font);
    h = h * 31u + (guint)k->width;
    h = h * 31u + (guint)k->max_lines * 7u + (guint)k->align;
    return h ^ g_direct_hash(k->lang);
}

static gboolean text_key_equal(gconstpointer a, gconstpointer b)
{
    const jm_text_key *x = a, *y = b;
    return x->width == y->width && x->max_lines == y->max_lines && x->align == y->align &&
           x->spacing == y->spacing && x->lang == y->lang && strcmp(x->text, y->text) == 0 &&
           strcmp(x->font, y->font) == 0;
}

static void text_key_free(gpointer p)
{
    jm_text_key *k = p;
    g_free(k->text);
    g_free(k->font);
    g_free(k);
}

PangoLayout *jm_context_layout_get(jm_context *ctx, const jm_text_key *key)
{
    PangoLayout *pl = ctx->layouts ? g_hash_table_lookup(ctx->layouts, key) : NULL;
    return pl ? g_object_ref(pl) : NULL;
}

void jm_context_layout_put(jm_context *ctx, const jm_text_key *key, PangoLayout *layout)
{
    if (!ctx->layouts)
        ctx->layouts =
            g_hash_table_new_full(text_key_hash, text_key_equal, text_key_free, g_object_unref);
    /* A batch of unrelated maps would grow it without end: start afresh when full. */
    if (g_hash_table_size(ctx->layouts) >= LAYOUT_CACHE_MAX)
        g_hash_table_remove_all(ctx->layouts);
    jm_text_key *k = g_new(jm_text_key, 1);
    *k = *key;
    k->text = g_strdup(key->text);
    k->font = g_strdup(key->font);
    g_hash_table_replace(ctx->layouts, k, g_object_ref(layout));
}

PangoContext *jm_context_new_pango(PangoFontMap *fm) { return make_pango_context(fm); }

PangoFontMap *jm_context_new_font_map(FcConfig *fc) { return new_font_map(fc); }

/* Adds the font files paths to fc after its bundled fonts, each pattern with a face of the
 * process's (shared_faces.h: cairo would otherwise count them among the ten it keeps open).
 * Returns false when one gives no font. */
static bool add_font_files(FcConfig *fc, char *const *paths, size_t n)
{
    bool all = true;
    for (size_t i = 0; i < n; i++) {
        FcFontSet *set = FcConfigGetFonts(fc, FcSetApplication);
        int before = set ? set->nfont : 0;
        if (!FcConfigAppFontAddFile(fc, (const FcChar8 *)paths[i])) {
            all = false;
            continue;
        }
        set = FcConfigGetFonts(fc, FcSetApplication);
        for (int k = before; set && k < set->nfont; k++)
            jm_pattern_add_shared_face(set->fonts[k]);
    }
    return all;
}

int jm_context_add_bundled_fonts(const jm_context *ctx, FcConfig *fc)
{
    char fonts[PATH_MAX];
    snprintf(fonts, sizeof fonts, "%s/fonts", ctx->data_dir);
    int n = add_fonts(fc, fonts);
    if (n > 0)
        add_font_files(fc, ctx->font_paths, ctx->n_font_paths);
    return n;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        jm_free(v[i]);
    jm_free(v);
}

/* A copy of v[0..n) followed by w[0..m); NULL when out of memory (or both are empty). */
static char **join_lists(char *const *v, size_t n, const char *const *w, size_t m)
{
    char **out = n + m ? jm_calloc(n + m, sizeof *out) : NULL;
    for (size_t i = 0; out && i < n + m; i++)
        if (!(out[i] = jm_strdup(i < n ? v[i] : w[i - n]))) {
            free_list(out, i);
            return NULL;
        }
    return out;
}

static bool same_list(char *const *v, size_t n, const char *const *w, size_t m)
{
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], w[i]) != 0)
            return false;
    return true;
}

/* Makes the context's fonts the bundled ones and paths (taken): a new configuration, font
 * map and Pango context; measured texts, glyph outlines and fallback fonts are let go. -1
 * with an error in diags when out of memory (the context keeps its fonts then). */
static int set_font_paths(jm_context *ctx, char **paths, size_t n, jm_diags *diags)
{
    char fonts[PATH_MAX];
    snprintf(fonts, sizeof fonts, "%s/fonts", ctx->data_dir);
    FcConfig *fc = FcConfigCreate();
    if (!fc || add_fonts(fc, fonts) == 0) {
        if (fc)
            FcConfigDestroy(fc);
        free_list(paths, n);
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "cannot load the fonts in %s",
                    fonts);
        return -1;
    }
    add_font_files(fc, paths, n); /* each was checked to be a font when it was added */
    jm_context_forget_texts(ctx);
    jm_fallback_free(ctx->fallback);
    ctx->fallback = NULL;
    ctx->fallback_failed = false;
    if (ctx->pango)
        g_object_unref(ctx->pango);
    if (ctx->fontmap)
        jm_context_release_font_map(ctx->fontmap);
    if (ctx->fonts)
        FcConfigDestroy(ctx->fonts);
    if (ctx->bundled_chars)
        FcCharSetDestroy(ctx->bundled_chars);
    free_list(ctx->font_paths, ctx->n_font_paths);
    ctx->font_paths = paths;
    ctx->n_font_paths = n;
    ctx->fonts = fc;
    ctx->bundled_chars = jm_fonts_coverage(fc);
    ctx->fontmap = new_font_map(fc);
    ctx->pango = make_pango_context(ctx->fontmap);
    return 0;
}

int jm_context_use_fonts(jm_context *ctx, const char *const *paths, size_t n, jm_diags *diags)
{
    char **all = join_lists(ctx->dir_fonts, ctx->n_dir_fonts, paths, n);
    size_t n_all = ctx->n_dir_fonts + n;
    if (!all && n_all) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "out of memory");
        return -1;
    }
    if (same_list(ctx->font_paths, ctx->n_font_paths, (const char *const *)all, n_all)) {
        free_list(all, n_all);
        return 0;
    }
    return set_font_paths(ctx, all, n_all, diags);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether path holds at least one font fontconfig can read. */
static bool is_font_file(const char *path)
{
    FcFontSet *set = FcFontSetCreate();
    bool ok = set && FcFreeTypeQueryAll((const FcChar8 *)path, -1, NULL, NULL, set) > 0;
    if (set)
        FcFontSetDestroy(set);
    return ok;
}

int jm_font_files(const char *path, const jm_diag_at *at, char ***out, size_t *n_out,
                  jm_diags *diags)
{
    *out = NULL;
    *n_out = 0;
    const char *file = at ? at->file : path;
    int line = at ? at->line : 0, col = at ? at->col : 0;
    const char *where = at ? at->path : NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, file, line, col, where, "font \"%s\": %s", path,
                    strerror(errno));
        return -1;
    }
    char **found = NULL;
    size_t n = 0;
    bool oom = false;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            jm_diag_add(diags, JM_SEVERITY_ERROR, file, line, col, where, "font folder \"%s\": %s",
                        path, strerror(errno));
            return -1;
        }
        struct dirent *e;
        while (!oom && (e = readdir(d))) {
            const char *dot = strrchr(e->d_name, '.');
            if (e->d_name[0] == '.' || !dot ||
                (strcasecmp(dot, ".ttf") && strcasecmp(dot, ".otf") && strcasecmp(dot, ".ttc")))
                continue;
            char **grown = jm_realloc(found, (n + 1) * sizeof *found);
            if (grown)
                found = grown;
            if (!grown || !(found[n] = jm_asprintf("%s/%s", path, e->d_name)))
                oom = true;
            else
                n++;
        }
        closedir(d);
        if (n)
            qsort(found, n, sizeof *found, cmp_path); /* never the folder's order */
        if (!oom && !n)
            jm_diag_add(diags, JM_SEVERITY_WARNING, file, line, col, where,
                        "font folder \"%s\" holds no .ttf, .otf or .ttc file", path);
    } else if (!(found = jm_calloc(1, sizeof *found)) || !(found[0] = jm_strdup(path))) {
        oom = true;
    } else {
        n = 1;
    }
    if (oom) {
        free_list(found, n);
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "out of memory");
        return -1;
    }
    size_t fonts = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_font_file(found[i])) {
            found[fonts++] = found[i];
        } else {
            jm_diag_add(diags, JM_SEVERITY_WARNING, file, line, col, where,
                        "\"%s\" is not a TrueType or OpenType font: left out", found[i]);
            jm_free(found[i]);
        }
    }
    *out = found;
    *n_out = fonts;
    return 0;
}

int jm_context_add_font_dir(jm_context *ctx, const char *dir, jm_diags *diags)
{
    char **found;
    size_t n;
    if (!dir || jm_font_files(dir, NULL, &found, &n, diags) != 0)
        return -1;
    if (!n) {
        jm_free(found);
        return 0;
    }
    size_t n_all = ctx->n_dir_fonts + n;
    char **all = join_lists(ctx->dir_fonts, ctx->n_dir_fonts, (const char *const *)found, n);
    char **paths = all ? join_lists(all, n_all, NULL, 0) : NULL;
    free_list(found, n);
    if (!paths) {
        free_list(all, all ? n_all : 0);
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "out of memory");
        return -1;
    }
    if (set_font_paths(ctx, paths, n_all, diags) != 0) {
        free_list(all, n_all);
        return -1;
    }
    free_list(ctx->dir_fonts, ctx->n_dir_fonts);
    ctx->dir_fonts = all;
    ctx->n_dir_fonts = n_all;
    return (int)n;
}

bool jm_context_has_family(const jm_context *ctx, const char *family)
{
    for (int s = FcSetSystem; s <= FcSetApplication; s++) {
        FcFontSet *set = FcConfigGetFonts(ctx->fonts, (FcSetName)s);
        for (int i = 0; set && i < set->nfont; i++) {
            FcChar8 *f;
            for (int k = 0; FcPatternGetString(set->fonts[i], FC_FAMILY, k, &f) == FcResultMatch;
                 k++)
                if (FcStrCmpIgnoreCase(f, (const FcChar8 *)family) == 0)
                    return true;
        }
    }
    return false;
}

jm_context *jm_context_new(const char *data_dir, jm_diags *diags)
{
    jm_context *ctx = jm_calloc(1, sizeof *ctx);
    if (!ctx) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    ctx->data_dir = data_dir ? jm_strdup(data_dir) : find_data_dir();
    if (!ctx->data_dir) {
        jm_free(ctx);
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    char fonts[PATH_MAX];
    snprintf(fonts, sizeof fonts, "%s/fonts", ctx->data_dir);
    if (!has_fonts(ctx->data_dir)) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL,
                    "bundled fonts not found in %s (set JOURNEYMAP_DATA_DIR to the folder "
                    "holding fonts/ and themes/)",
                    fonts);
        jm_context_free(ctx);
        return NULL;
    }
    FcConfig *fc = FcConfigCreate();
    if (!fc || add_fonts(fc, fonts) == 0) {
        if (fc)
            FcConfigDestroy(fc);
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "cannot load the fonts in %s",
                    fonts);
        jm_context_free(ctx);
        return NULL;
    }
    ctx->fonts = fc;
    ctx->bundled_chars = jm_fonts_coverage(fc); /* NULL: every text is taken as covered */
    ctx->fontmap = new_font_map(fc);
    ctx->pango = make_pango_context(ctx->fontmap);
    return ctx;
}

jm_context *jm_context_clone(const jm_context *src)
{
    jm_context *ctx = jm_calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->data_dir = jm_strdup(src->data_dir);
    if (!ctx->data_dir) {
        jm_free(ctx);
        return NULL;
    }
    /* Its own font map: Pango's font map caches (fonts, font sets, patterns, coverage) are
     * not thread-safe. The configuration, with the fonts' patterns and character sets, is
     * fontconfig's and is only read. */
    ctx->fonts = FcConfigReference(src->fonts);
    ctx->bundled_chars = src->bundled_chars ? FcCharSetCopy(src->bundled_chars) : NULL;
    /* The fonts added to src, which the shared configuration holds. */
    ctx->dir_fonts = join_lists(src->dir_fonts, src->n_dir_fonts, NULL, 0);
    ctx->font_paths = join_lists(src->font_paths, src->n_font_paths, NULL, 0);
    ctx->n_dir_fonts = ctx->dir_fonts ? src->n_dir_fonts : 0;
    ctx->n_font_paths = ctx->font_paths ? src->n_font_paths : 0;
    if (ctx->n_dir_fonts != src->n_dir_fonts || ctx->n_font_paths != src->n_font_paths) {
        ctx->fontmap = NULL;
        jm_context_free(ctx);
        return NULL;
    }
    ctx->fontmap = new_font_map(ctx->fonts);
    ctx->pango = make_pango_context(ctx->fontmap);
    return ctx;
}

/* pthread's locks here, not GLib's: ThreadSanitizer sees these (GLib's are futexes in
 * uninstrumented code, tests/CMakeLists.txt). */
typedef struct font_map_wait {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool alone; /* ours is the font map's last reference */
} font_map_wait;

static void on_font_map_toggle(gpointer data, GObject *fm, gboolean is_last_ref)
{
    (void)fm;
    font_map_wait *w = data;
    pthread_mutex_lock(&w->lock);
    w->alone = is_last_ref;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

/* Drops a context's reference to its font map once Pango's font query threads are
 * done with it, and so frees it here and now.
 *
 * Pango 1.50 starts two detached threads for every new font description (FcFontSetMatch and
 * FcFontSetSort); each holds a reference to the font map, to its FcConfig, and copies of the
 * patterns, and drops them as its very last step. The caller only waits for the answer it
 * needs, so a thread may still be running when the context is freed, and if the host's
 * main() returns then, what the thread holds is never freed (valgrind: "definitely lost",
 * under FcFontSetSort). A toggle reference tells when every other reference has gone: the
 * threads' last act is that unref. */
static void release_font_map(PangoFontMap *fm)
{
    font_map_wait w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
    g_object_add_toggle_ref(G_OBJECT(fm), on_font_map_toggle, &w);
    g_object_unref(fm); /* the toggle reference is now ours */
    /* The reference count is the truth; the toggle only wakes us early. GLib sends a toggle
     * notification after its atomic change, so when threads ref and unref at once two of them
     * may arrive out of order and leave "not alone" last though the count is 1: our likeliest
     * reading of two hangs seen here under heavy load (a test once waited 12 minutes). And a
     * reference that is never dropped (a PangoLayout of this context outliving it) must not
     * hang the host: after jm_context_release_wait_ms the font map is left to its last holder,
     * which frees it when it lets go. */
    pthread_mutex_lock(&w.lock);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (g_atomic_int_get((gint *)&G_OBJECT(fm)->ref_count) > 1) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        double ms =
            (double)(now.tv_sec - start.tv_sec) * 1e3 + (double)(now.tv_nsec - start.tv_nsec) / 1e6;
        if (ms >= jm_context_release_wait_ms)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 10 * 1000000; /* look again in 10 ms */
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&w.cond, &w.lock, &until);
    }
    pthread_mutex_unlock(&w.lock);
    g_object_remove_toggle_ref(G_OBJECT(fm), on_font_map_toggle, &w); /* finalizes it if alone */
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
}

unsigned jm_context_release_wait_ms = 10000;

/* What a freed context's font map keeps (below); made once, kept for the process. */
static FcConfig *empty_config;

static void make_empty_config(void) { empty_config = FcConfigCreate(); }

void jm_context_release_font_map(PangoFontMap *fm)
{
    /* Pango 1.50 never drops the font map's reference to its FcConfig (our fonts' patterns
     * and character sets, ~18 KB), so the font map gets one shared empty configuration
     * instead, which Pango then keeps. Not NULL: that would make Pango load the system's
     * whole configuration just to clear its cache. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_empty_config);
    if (empty_config)
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), empty_config);
    release_font_map(fm);
}

void jm_context_free(jm_context *ctx)
{
    if (!ctx)
        return;
    if (ctx->layouts) /* its layouts hold the Pango context, which holds the font map */
        g_hash_table_destroy(ctx->layouts);
    if (ctx->svg_glyphs) /* it holds scaled fonts */
        g_hash_table_destroy(ctx->svg_glyphs);
    if (ctx->pango)
        g_object_unref(ctx->pango);
    jm_fallback_free(ctx->fallback); /* after the layouts, which hold its Pango context */
    if (ctx->bundled_chars)
        FcCharSetDestroy(ctx->bundled_chars);
    if (ctx->fontmap)
        jm_context_release_font_map(ctx->fontmap);
    if (ctx->fonts) /* the last context frees it (clones share it) */
        FcConfigDestroy(ctx->fonts);
    jm_free(ctx->theme_key);
    jm_theme_free(ctx->theme);
    jm_free(ctx->data_dir);
    free_list(ctx->dir_fonts, ctx->n_dir_fonts);
    free_list(ctx->font_paths, ctx->n_font_paths);
    jm_free(ctx);
}

const char *jm_context_data_dir(const jm_context *ctx) { return ctx->data_dir; }

const FcCharSet *jm_context_bundled_chars(const jm_context *ctx) { return ctx->bundled_chars; }

struct jm_fallback *jm_context_fallback(jm_context *ctx)
{
    if (!ctx->fallback && !ctx->fallback_failed) {
        ctx->fallback = jm_fallback_new(ctx);
        ctx->fallback_failed = !ctx->fallback;
    }
    return ctx->fallback;
}

const jm_theme *jm_context_theme(const jm_context *ctx, const char *key)
{
    return ctx->theme && strcmp(ctx->theme_key, key) == 0 ? ctx->theme : NULL;
}

void jm_context_theme_put(jm_context *ctx, const char *key, const jm_theme *theme)
{
    jm_theme *keep = jm_theme_copy(theme);
    char *keep_key = keep ? jm_strdup(key) : NULL;
    if (keep && keep_key) {
        jm_theme_free(ctx->theme);
        jm_free(ctx->theme_key);
        ctx->theme = keep;
        ctx->theme_key = keep_key;
    } else {
        jm_theme_free(keep);
        jm_free(keep_key);
    }
}

GHashTable *jm_context_svg_glyphs(jm_context *ctx) { return ctx->svg_glyphs; }

void jm_context_set_svg_glyphs(jm_context *ctx, GHashTable *cache)
{
    if (ctx->svg_glyphs && ctx->svg_glyphs != cache)
        g_hash_table_destroy(ctx->svg_glyphs);
    ctx->svg_glyphs = cache;
}

PangoContext *jm_context_pango(jm_context *ctx) { return ctx->pango; }
PangoFontMap *jm_context_fontmap(jm_context *ctx) { return ctx->fontmap; }

void jm_context_forget_texts(jm_context *ctx)
{
    if (ctx->layouts)
        g_hash_table_remove_all(ctx->layouts);
    if (ctx->svg_glyphs)
        g_hash_table_remove_all(ctx->svg_glyphs);
}
