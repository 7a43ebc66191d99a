/* What the unit suites share: input files from the source tree, a context, running a suite,
 * and the failing allocator with the loop that makes each allocation of a piece of work fail
 * in turn. Header-only (static): each suite is its own program.
 *
 * test_chaos.c is the test that fails every allocation of a whole load, render and convert
 * through the public API; the suites use the loop here for their own stage's entry points. */
#ifndef JM_TESTUTIL_H
#define JM_TESTUTIL_H

#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journeymap.h"

/* ---- Source tree -------------------------------------------------------------------------- */

/* The source tree (CTest sets JM_SOURCE_DIR; else the one the library was built from). */
static inline const char *tu_source_dir(void)
{
    const char *root = getenv("JM_SOURCE_DIR");
    return root ? root : JM_SOURCE_DATA_DIR;
}

/* buf (of n bytes) = the source tree's path `rel` ("data/examples/minimal.json"); returns buf. */
static inline char *tu_source_path(char *buf, size_t n, const char *rel)
{
    snprintf(buf, n, "%s/%s", tu_source_dir(), rel);
    return buf;
}

/* Every input of a kind in the source tree, for the suites that check all of them. */
typedef struct tu_inputs {
    char *v[512];
    size_t n;
} tu_inputs;

static inline void tu_inputs_add(tu_inputs *in, const char *path)
{
    if (in->n < sizeof in->v / sizeof in->v[0])
        in->v[in->n++] = strdup(path);
}

/* Adds the files of the source tree's folder rel whose extension is one of exts (NULL-ended:
 * ".json", ".mmd"…); or, exts NULL, the input.* file of each case folder in it (golden). */
static inline void tu_inputs_collect(tu_inputs *in, const char *rel, const char *const *exts)
{
    char path[4096];
    tu_source_path(path, sizeof path, rel);
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        if (!exts) {
            DIR *c = opendir(p);
            struct dirent *f;
            while (c && (f = readdir(c)))
                if (strncmp(f->d_name, "input.", 6) == 0) {
                    char q[16384];
                    snprintf(q, sizeof q, "%s/%s", p, f->d_name);
                    tu_inputs_add(in, q);
                }
            if (c)
                closedir(c);
            continue;
        }
        const char *dot = strrchr(e->d_name, '.');
        for (size_t k = 0; dot && exts[k]; k++)
            if (strcmp(dot, exts[k]) == 0)
                tu_inputs_add(in, p);
    }
    if (d)
        closedir(d);
}

static inline int tu_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void tu_inputs_sort(tu_inputs *in)
{
    qsort(in->v, in->n, sizeof in->v[0], tu_cmp_str);
}

static inline void tu_inputs_free(tu_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->v[i]);
    in->n = 0;
}

/* Every diagnostic in d as `journeymap validate` prints it, one a line, in a static buffer. */
static inline char *tu_messages(const jm_diags *d)
{
    static char out[16384];
    out[0] = '\0';
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        char *s = jm_diag_format(jm_diags_get(d, i));
        strncat(out, s, sizeof out - strlen(out) - 2);
        strcat(out, "\n");
        jm_free(s);
    }
    return out;
}

/* ---- Context and suites ------------------------------------------------------------------- */

/* A context over the bundled fonts; the suite exits when there is none. */
static inline jm_context *tu_context_new(void)
{
    jm_diags *d = jm_diags_new();
    jm_context *ctx = jm_context_new(NULL, d);
    jm_diags_free(d);
    if (!ctx) {
        fprintf(stderr, "cannot create context\n");
        exit(EXIT_FAILURE);
    }
    return ctx;
}

/* Runs the suite (Check's normal output); returns how many of its tests failed. */
static inline int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed;
}

/* ---- Allocation failure ------------------------------------------------------------------- */

static long tu_alloc_count;    /* allocations attempted since tu_fail_at */
static long tu_alloc_fail_at;  /* the attempt that fails (1-based); 0: none */
static bool tu_alloc_sticky;   /* every attempt after it fails too */
static long tu_alloc_failures; /* allocations refused since tu_fail_at */
static long tu_alloc_live;     /* blocks allocated and not yet freed */

static inline bool tu_alloc_refuse(void)
{
    long n = ++tu_alloc_count;
    bool refuse = tu_alloc_fail_at > 0 &&
                  (n == tu_alloc_fail_at || (tu_alloc_sticky && n > tu_alloc_fail_at));
    tu_alloc_failures += refuse;
    return refuse;
}

static inline void *tu_failing_malloc(size_t n)
{
    if (tu_alloc_refuse())
        return NULL;
    void *p = malloc(n);
    tu_alloc_live += p != NULL;
    return p;
}

static inline void *tu_failing_realloc(void *p, size_t n)
{
    if (tu_alloc_refuse())
        return NULL; /* p stays valid, as with realloc */
    void *q = realloc(p, n);
    tu_alloc_live += q && !p;
    return q;
}

static inline void tu_counting_free(void *p)
{
    tu_alloc_live -= p != NULL;
    free(p);
}

/* Installs the failing allocator: attempt n fails (and, sticky, every one after it). */
static inline void tu_fail_at(long n, bool sticky)
{
    tu_alloc_count = 0;
    tu_alloc_failures = 0;
    tu_alloc_live = 0;
    tu_alloc_fail_at = n;
    tu_alloc_sticky = sticky;
    jm_set_allocator(tu_failing_malloc, tu_failing_realloc, tu_counting_free);
}

static inline void tu_allocator_reset(void) { jm_set_allocator(NULL, NULL, NULL); }

/* Runs work(arg) with its first allocation failing, then its second, and so on (sticky: and
 * every one after it), until a run reaches no failing allocation; work checks each run (a
 * failure reported, nothing half done) and frees what it made before returning. Every run
 * must free every block it allocated. Returns how many runs failed an allocation. */
static inline long tu_each_allocation_fails(void (*work)(void *arg), void *arg, bool sticky)
{
    for (long n = 1;; n++) {
        ck_assert_msg(n < 1000000, "allocations do not converge");
        tu_fail_at(n, sticky);
        work(arg);
        tu_allocator_reset();
        ck_assert_msg(tu_alloc_live == 0, "allocation %ld failing: %ld block(s) leak", n,
                      tu_alloc_live);
        if (tu_alloc_failures == 0)
            return n - 1;
    }
}

/* A loader's entry (load/load.h: jm_load_csv, jm_load_mermaid) on a text of `touchpoints`
 * touchpoints, as work for tu_each_allocation_fails: each run loads all of it or fails with
 * an error. */
typedef jm_map *(*tu_loader)(const char *name, const char *data, size_t len,
                             const jm_load_options *opts, jm_diags *diags);
typedef struct tu_load_job {
    tu_loader load;
    const char *name, *text;
    size_t touchpoints;
} tu_load_job;

static inline void tu_load_whole_or_error(void *arg)
{
    const tu_load_job *job = arg;
    jm_diags *d = jm_diags_new();
    if (!d)
        return;
    jm_map *m = job->load(job->name, job->text, strlen(job->text), NULL, d);
    if (!m)
        ck_assert_uint_ge(jm_diags_error_count(d), 1);
    else
        ck_assert_uint_eq(jm_map_touchpoint_count(m), job->touchpoints);
    jm_map_free(m);
    jm_diags_free(d);
}

#endif
