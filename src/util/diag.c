/* The diagnostics list: errors and warnings as values, never printed by the library. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "util.h"

#define JM_MAX_DIAGS 10000 /* diagnostics kept per list */

struct jm_diags {
    jm_diag *v;
    size_t n, cap;
    size_t errors;
};

jm_diags *jm_diags_new(void) { return jm_calloc(1, sizeof(jm_diags)); }

void jm_diags_clear(jm_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        jm_free((char *)d->v[i].file);
        jm_free((char *)d->v[i].path);
        jm_free((char *)d->v[i].message);
    }
    d->n = 0;
    d->errors = 0;
}

void jm_diags_free(jm_diags *d)
{
    if (!d)
        return;
    jm_diags_clear(d);
    jm_free(d->v);
    jm_free(d);
}

size_t jm_diags_count(const jm_diags *d) { return d ? d->n : 0; }
size_t jm_diags_error_count(const jm_diags *d) { return d ? d->errors : 0; }

const jm_diag *jm_diags_get(const jm_diags *d, size_t i) { return d && i < d->n ? &d->v[i] : NULL; }

/* A diagnostic that cannot be stored (out of memory) still counts as an error, so a failure is
 * never mistaken for success. */
void jm_diag_addv(jm_diags *d, jm_severity sev, const char *file, int line, int col,
                  const char *path, const char *fmt, va_list ap)
{
    if (!d)
        return;
    if (sev == JM_SEVERITY_ERROR)
        d->errors++;
    /* Enough to fix a file, and memory stays bounded on pathological input: past the limit
     * one last entry says that more were left out, then nothing more is kept. */
    if (d->n > JM_MAX_DIAGS)
        return;
    char msg[1024];
    if (d->n == JM_MAX_DIAGS) {
        snprintf(msg, sizeof msg, "too many problems: only the first %d are listed", JM_MAX_DIAGS);
        line = col = 0;
        path = NULL;
    } else {
        vsnprintf(msg, sizeof msg, fmt, ap);
    }
    if (!jm_grow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v))
        return;
    jm_diag *g = &d->v[d->n];
    g->severity = sev;
    g->file = jm_strdup(file ? file : "");
    g->path = jm_strdup(path ? path : "");
    g->message = jm_strdup(msg);
    g->line = line;
    g->column = col;
    if (!g->file || !g->path || !g->message) {
        jm_free((char *)g->file);
        jm_free((char *)g->path);
        jm_free((char *)g->message);
        return;
    }
    d->n++;
}

void jm_diag_add(jm_diags *d, jm_severity sev, const char *file, int line, int col,
                 const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(d, sev, file, line, col, path, fmt, ap);
    va_end(ap);
}

/* Appends s with control characters written as \u00XX: a diagnostic is one line, and what it
 * quotes from the input must not drive the terminal it is shown on. */
static void put_visible(jm_buf *b, const char *s)
{
    for (const char *run = s;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != 0x7F)
            continue;
        jm_buf_append(b, run, (size_t)(s - run));
        if (!c)
            return;
        jm_buf_printf(b, "\\u%04X", c);
        run = s + 1;
    }
}

char *jm_diag_format(const jm_diag *g)
{
    jm_buf b = {0};
    jm_buf_puts(&b, g->file && *g->file ? g->file : "<input>");
    if (g->line > 0) {
        jm_buf_printf(&b, ":%d", g->line);
        if (g->column > 0)
            jm_buf_printf(&b, ":%d", g->column);
    }
    jm_buf_puts(&b, g->severity == JM_SEVERITY_ERROR     ? ": error: "
                    : g->severity == JM_SEVERITY_WARNING ? ": warning: "
                                                         : ": note: ");
    if (g->path && *g->path) {
        put_visible(&b, g->path);
        jm_buf_puts(&b, ": ");
    }
    put_visible(&b, g->message);
    return jm_buf_take(&b);
}
