/* The backend's entry: the table of output formats, the checks every drawn format needs, and
 * the photos decoded before anything is drawn. */
#include "render.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "util/diag.h"

/* One row per output format, in jm_format order. */
static const jm_output_format *const formats[] = {
    [JM_FORMAT_PNG] = &jm_output_png,   [JM_FORMAT_SVG] = &jm_output_svg,
    [JM_FORMAT_PDF] = &jm_output_pdf,   [JM_FORMAT_JSON] = &jm_output_json,
    [JM_FORMAT_HTML] = &jm_output_html,
};
#define N_FORMATS (sizeof formats / sizeof formats[0])

int jm_render_format_from_path(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < N_FORMATS; i++) {
        const char *ext[] = {formats[i]->extension, formats[i]->also};
        for (size_t k = 0; k < 2 && ext[k]; k++) {
            size_t m = strlen(ext[k]);
            if (n >= m && strcasecmp(path + n - m, ext[k]) == 0)
                return (int)formats[i]->format;
        }
    }
    return -1;
}

const char *jm_render_format_name(int format)
{
    return (unsigned)format < N_FORMATS ? formats[format]->extension + 1 : NULL;
}

int jm_render_format_from_name(const char *name)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        if (strcasecmp(name, formats[i]->extension + 1) == 0)
            return (int)formats[i]->format;
    return -1;
}

/* Geometry beyond this (about 3.5 km) is a layout bug, and cairo can loop for a very long time
 * on arcs with huge or non-finite radii: such elements are refused before drawing. */
#define MAX_COORD 1e7

static bool coord_ok(double v) { return isfinite(v) && fabs(v) <= MAX_COORD; }

static bool element_ok(const jm_element *e)
{
    if (!coord_ok(e->x) || !coord_ok(e->y) || !coord_ok(e->w) || !coord_ok(e->h) ||
        !coord_ok(e->radius) || !coord_ok(e->stroke_width))
        return false;
    for (size_t i = 0; i < e->npts; i++)
        if (!coord_ok(e->pts[i].x) || !coord_ok(e->pts[i].y))
            return false;
    return true;
}

/* Index of the first element with unusable geometry, or -1. */
static long find_bad_element(const jm_layout *layout)
{
    for (size_t i = 0; i < layout->n; i++)
        if (!element_ok(&layout->el[i]))
            return (long)i;
    return -1;
}

/* True when the layout can be drawn; else false with the error. */
static bool drawable(const jm_layout *layout, jm_diags *diags)
{
    if (!layout || layout->failed) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, "", "out of memory while laying out");
        return false;
    }
    if (!(coord_ok(layout->width) && coord_ok(layout->height) && layout->width > 0 &&
          layout->height > 0)) {
        jm_render_error(layout, diags, "the map has no size to draw (%g×%g pt)", layout->width,
                        layout->height);
        return false;
    }
    long bad = find_bad_element(layout);
    if (bad >= 0) {
        const jm_element *e = &layout->el[bad];
        jm_diag_add(diags, JM_SEVERITY_ERROR, jm_render_file(layout), 0, 0, e->ref ? e->ref : "",
                    "internal error: layout element %ld (%s) has unusable geometry "
                    "(x %g, y %g, w %g, h %g)",
                    bad, e->kind ? e->kind : "?", e->x, e->y, e->w, e->h);
        return false;
    }
    return true;
}

int jm_render_layout(struct jm_context *ctx, const jm_layout *layout, jm_format format,
                     double scale, jm_page page, unsigned char **data, size_t *len, jm_diags *diags)
{
    jm_render_options o;
    jm_render_options_init(&o);
    o.format = format;
    o.scale = scale;
    o.page = page;
    return jm_render_layout_opts(ctx, layout, &o, data, len, diags);
}

int jm_render_layout_opts(struct jm_context *ctx, const jm_layout *layout,
                          const jm_render_options *opts, unsigned char **data, size_t *len,
                          jm_diags *diags)
{
    jm_format format = opts->format;
    *data = NULL;
    *len = 0;
    const jm_output_format *f = (unsigned)format < N_FORMATS ? formats[format] : NULL;
    if (!f) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, layout ? jm_render_file(layout) : NULL, 0, 0, "",
                    "unknown output format %d", (int)format);
        return -1;
    }
    if (f->draws && !drawable(layout, diags))
        return -1;
    jm_render_options settled = *opts;
    if (f->settle)
        f->settle(layout, &settled, diags);
    opts = &settled;
    jm_render_job job = {ctx, layout, f, opts, NULL};
    if (f->check && !f->check(&job, diags))
        return -1;
    jm_photo *photos = NULL;
    if (f->draws && !jm_photos_load(layout, &f->photos, opts->scale, &photos, diags))
        return -1;
    job.photos = photos;
    jm_buf out = {0};
    int rc = f->write(&job, &out, diags);
    if (photos)
        jm_photos_free(photos, layout->n);
    if (rc != 0) {
        jm_buf_free(&out);
        return -1;
    }
    *len = out.len;
    *data = (unsigned char *)jm_buf_take(&out);
    if (!*data) {
        *len = 0;
        return jm_render_cannot_write(&job, "out of memory", diags);
    }
    return 0;
}
