#include "common.h"
#include "util/diag.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *jm_render_file(const jm_layout *l) { return l->map ? l->map->file : NULL; }

void jm_render_error(const jm_layout *l, jm_diags *diags, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(diags, JM_SEVERITY_ERROR, jm_render_file(l), 0, 0, "", fmt, ap);
    va_end(ap);
}

int jm_render_cannot_write(const jm_render_job *job, const char *why, jm_diags *diags)
{
    jm_render_error(job->layout, diags, "cannot write %s: %s", job->format->name, why);
    return -1;
}

bool jm_render_surface_ok(const jm_render_job *job, cairo_surface_t *surface, jm_diags *diags)
{
    cairo_status_t st = cairo_surface_status(surface);
    if (st == CAIRO_STATUS_SUCCESS)
        return true;
    jm_render_error(job->layout, diags, "cannot create the %s surface: %s", job->format->name,
                    cairo_status_to_string(st));
    cairo_surface_destroy(surface);
    return false;
}

int jm_render_written(const jm_render_job *job, bool drawn, cairo_status_t st, const jm_buf *out,
                      jm_diags *diags)
{
    if (!drawn || out->failed || st == CAIRO_STATUS_NO_MEMORY)
        return jm_render_cannot_write(job, "out of memory", diags);
    if (st != CAIRO_STATUS_SUCCESS)
        return jm_render_cannot_write(job, cairo_status_to_string(st), diags);
    return 0;
}

void jm_render_num(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + strlen(buf);
    while (end > dot && (end[-1] == '0' || end[-1] == '.'))
        *--end = '\0';
}

const char *jm_nonempty(const char *s) { return s && *s ? s : NULL; }

bool jm_lang_tag_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '-')
            return false;
    return n > 0 && n <= 35;
}
