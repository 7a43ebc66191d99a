/* What the unit suites share: input files from the source tree, and the failing allocator with
 * the loop that makes each allocation of a piece of work fail in turn. Header-only (static):
 * each suite is its own program.
 *
 * test_chaos.c is the test that fails every allocation of a whole load, render and convert
 * through the public API; the suites use the loop here for their own stage's entry points. */
#ifndef JM_TESTUTIL_H
#define JM_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif
