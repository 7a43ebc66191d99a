/* The header's promise on threads, through the public API only: one context, a clone for each
 * of four threads, every map given rendered by all of them at once in every format, to files
 * and to buffers, and every output byte-identical to the same render done on one thread first.
 * The clones' context is freed while the threads run (a clone outlives it).
 *
 *   threads [-r ROUNDS] OUT_DIR MAP...      (ROUNDS: each thread's passes, default 2)
 *
 * Built also with ThreadSanitizer (JM_TSAN, scripts/run-tests.sh). */
#include "journeymap.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define FORMATS 4 /* JM_FORMAT_PNG .. JM_FORMAT_JSON */

static const char *const ext[FORMATS] = {"png", "svg", "pdf", "json"};

typedef struct bytes {
    unsigned char *data;
    size_t len;
} bytes;

static const char *out_dir;
static int rounds = 2;
static size_t n_maps;
static jm_map **maps;
static bytes *expected; /* [map * FORMATS + format], rendered on one thread */

static void print_diags(const char *what, jm_diags *d)
{
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        char *line = jm_diag_format(jm_diags_get(d, i));
        fprintf(stderr, "%s: %s\n", what, line ? line : "out of memory");
        jm_free(line);
    }
}

static bool read_file(const char *path, bytes *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 1 << 16, len = 0;
    unsigned char *data = malloc(cap);
    for (size_t n; data && (n = fread(data + len, 1, cap - len, f)) > 0;) {
        len += n;
        if (len == cap) {
            unsigned char *bigger = realloc(data, cap *= 2);
            if (!bigger)
                free(data);
            data = bigger;
        }
    }
    fclose(f);
    b->data = data;
    b->len = len;
    return data != NULL;
}

typedef struct worker {
    int id;
    jm_context *ctx; /* its own clone */
    int failures;
} worker;

/* Renders map m in format f on w's clone, to a buffer or through a file, and compares. */
static void render_one(worker *w, size_t m, int f, bool to_file, int round)
{
    jm_diags *d = jm_diags_new();
    jm_render_options o;
    jm_render_options_init(&o);
    o.format = (jm_format)f;
    bytes got = {NULL, 0};
    bool ok;
    if (to_file) {
        char path[4096];
        snprintf(path, sizeof path, "%s/t%d-m%zu.%s", out_dir, w->id, m, ext[f]);
        remove(path); /* a new file skips the fsync (jm_render_to_file, src/api.c) */
        ok = jm_render_to_file(w->ctx, maps[m], &o, path, d) == 0 && read_file(path, &got);
    } else {
        ok = jm_render_to_buffer(w->ctx, maps[m], &o, &got.data, &got.len, d) == 0;
    }
    const bytes *want = &expected[m * FORMATS + (size_t)f];
    if (!ok || got.len != want->len || memcmp(got.data, want->data, got.len) != 0) {
        fprintf(stderr, "thread %d, round %d: map %zu as %s (%s): %s\n", w->id, round, m, ext[f],
                to_file ? "file" : "buffer",
                ok ? "differs from the single-threaded render" : "failed");
        print_diags("  ", d);
        w->failures++;
    }
    if (to_file)
        free(got.data);
    else
        jm_free(got.data);
    jm_diags_free(d);
}

static void *work(void *arg)
{
    worker *w = arg;
    /* Each thread starts at another map and format, so that different maps, formats and
     * outputs are under way at once. */
    for (int round = 0; round < rounds; round++)
        for (size_t k = 0; k < n_maps * FORMATS; k++) {
            size_t i = (k + (size_t)w->id * 3) % (n_maps * FORMATS);
            render_one(w, i / FORMATS, (int)(i % FORMATS), (k + (size_t)round + w->id) % 2, round);
        }
    return NULL;
}

int main(int argc, char **argv)
{
    int a = 1;
    if (argc > 2 && strcmp(argv[1], "-r") == 0) {
        rounds = atoi(argv[2]);
        a = 3;
    }
    if (argc - a < 2 || rounds < 1) {
        fprintf(stderr, "usage: %s [-r ROUNDS] OUT_DIR MAP...\n", argv[0]);
        return 2;
    }
    out_dir = argv[a++];
    argv += a;
    n_maps = (size_t)(argc - a);
    maps = calloc(n_maps, sizeof *maps);
    expected = calloc(n_maps * FORMATS, sizeof *expected);
    jm_diags *d = jm_diags_new();
    jm_context *ctx = jm_context_new(NULL, d);
    int rc = ctx && maps && expected ? 0 : 1;
    for (size_t m = 0; rc == 0 && m < n_maps; m++)
        if (!(maps[m] = jm_map_load_file(ctx, argv[m], NULL, d)))
            rc = 1;
    for (size_t m = 0; rc == 0 && m < n_maps; m++)
        for (int f = 0; rc == 0 && f < FORMATS; f++) {
            jm_render_options o;
            jm_render_options_init(&o);
            o.format = (jm_format)f;
            bytes *b = &expected[m * FORMATS + (size_t)f];
            if (jm_render_to_buffer(ctx, maps[m], &o, &b->data, &b->len, d) != 0)
                rc = 1;
        }
    /* The clones come from a context that has measured nothing yet, so that the threads
     * load their fonts at the same time. */
    jm_context_free(ctx);
    ctx = rc == 0 ? jm_context_new(NULL, d) : NULL;
    if (!ctx)
        rc = 1;
    print_diags("single thread", d);
    jm_diags_free(d);

    worker w[THREADS];
    pthread_t t[THREADS];
    int started = 0;
    for (int i = 0; rc == 0 && i < THREADS; i++) {
        w[i] = (worker){.id = i, .ctx = jm_context_clone(ctx)};
        if (!w[i].ctx || pthread_create(&t[i], NULL, work, &w[i]) != 0) {
            fprintf(stderr, "cannot start thread %d\n", i);
            jm_context_free(w[i].ctx);
            rc = 1;
            break;
        }
        started++;
    }
    jm_context_free(ctx); /* the clones stay valid */
    for (int i = 0; i < started; i++) {
        pthread_join(t[i], NULL);
        if (w[i].failures)
            rc = 1;
        jm_context_free(w[i].ctx);
    }
    for (size_t m = 0; m < n_maps; m++) {
        jm_map_free(maps[m]);
        for (int f = 0; f < FORMATS; f++)
            jm_free(expected[m * FORMATS + (size_t)f].data);
    }
    free(maps);
    free(expected);
    if (rc == 0)
        printf("%d threads x %d rounds x %zu maps x %d formats: identical\n", THREADS, rounds,
               n_maps, FORMATS);
    return rc;
}
