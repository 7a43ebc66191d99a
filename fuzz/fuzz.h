/* Shared by the fuzz targets: the libFuzzer entry points and the checks every loader target
 * makes on what it loaded.
 *
 * Each target is one LLVMFuzzerTestOneInput. Built with -fsanitize=fuzzer it is a libFuzzer
 * binary; linked with replay.c instead it replays a corpus folder as an ordinary CTest case,
 * so every seed and every past crash is re-run by the normal (and the sanitizer) test suite. */
#ifndef JM_FUZZ_H
#define JM_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journeymap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The context every target loads and renders with: created once (fonts are loaded once, as in
 * a batch), never freed. */
static inline jm_context *fuzz_context(void)
{
    static jm_context *ctx;
    if (!ctx) {
        jm_diags *d = jm_diags_new();
        ctx = jm_context_new(NULL, d);
        if (!ctx) {
            fprintf(stderr, "fuzz: cannot create a context (set JOURNEYMAP_DATA_DIR)\n");
            abort();
        }
        jm_diags_free(d);
    }
    return ctx;
}

/* A broken invariant is a finding: say which, and abort so that libFuzzer saves the input. */
static inline void fuzz_fail(const char *what, jm_diags *diags)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    for (size_t i = 0; i < jm_diags_count(diags); i++) {
        char *s = jm_diag_format(jm_diags_get(diags, i));
        fprintf(stderr, "  %s\n", s ? s : "(out of memory)");
        jm_free(s);
    }
    abort();
}

/* What every load must satisfy: a map comes back exactly when there is no error, and the map
 * written as a JSON model (`journeymap convert`) loads again, without errors, with as many
 * touchpoints. `name` is the input's name, so photos and theme files resolve the same. */
static inline void fuzz_check_load(jm_map *map, jm_diags *diags, const char *name)
{
    size_t errors = jm_diags_error_count(diags);
    if (map && errors)
        fuzz_fail("a map was returned although errors were reported", diags);
    if (!map && !errors)
        fuzz_fail("no map and no error", diags);
    for (size_t i = 0; i < jm_diags_count(diags); i++) {
        const jm_diag *d = jm_diags_get(diags, i);
        if (!d || !d->message || !d->file || !d->path || d->line < 0 || d->column < 0)
            fuzz_fail("a diagnostic is incomplete", diags);
        char *s = jm_diag_format(d);
        if (!s)
            fuzz_fail("a diagnostic cannot be formatted", diags);
        jm_free(s);
    }
    if (!map)
        return;
    char *json = jm_map_to_json(map);
    if (!json)
        fuzz_fail("jm_map_to_json failed", diags);
    jm_diags *again = jm_diags_new();
    jm_load_options opts = {JM_INPUT_JSON, NULL};
    char roundtrip[4096];
    const char *slash = strrchr(name, '/');
    snprintf(roundtrip, sizeof roundtrip, "%.*sroundtrip.json", slash ? (int)(slash - name + 1) : 0,
             name);
    jm_map *copy = jm_map_load_buffer(fuzz_context(), roundtrip, json, strlen(json), &opts, again);
    if (!copy) {
        fprintf(stderr, "converted model:\n%s\n", json);
        fuzz_fail("the converted model does not load", again);
    }
    if (jm_map_touchpoint_count(copy) != jm_map_touchpoint_count(map))
        fuzz_fail("the converted model has another number of touchpoints", again);
    jm_map_free(copy);
    jm_diags_free(again);
    jm_free(json);
}

#endif
