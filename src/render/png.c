/* The PNG output: cairo's image surface at --scale, written by jm_png_encode (png_encode.c). */
#include <math.h>
#include <stdio.h>

#include "common.h"
#include "draw.h"
#include "png_encode.h"
#include "util/diag.h"

#define PNG_MAX_SIDE 32767   /* cairo's and most viewers' limit for an image side */
#define PNG_MAX_PIXELS 300e6 /* 1.2 GB of ARGB: beyond this, ask for SVG/PDF instead */
#define PNG_DEFAULT_SCALE 2  /* pixels a point when no scale is given */

static bool png_fits(const jm_layout *l, double scale)
{
    double w = ceil(l->width * scale), h = ceil(l->height * scale);
    return w <= PNG_MAX_SIDE && h <= PNG_MAX_SIDE && w * h <= PNG_MAX_PIXELS;
}

/* The largest scale, to a hundredth, that fits both limits (below 0.01: none). */
static double png_largest_scale(const jm_layout *l)
{
    double most = fmin(PNG_MAX_SIDE / l->width, PNG_MAX_SIDE / l->height);
    most = floor(fmin(most, sqrt(PNG_MAX_PIXELS / (l->width * l->height))) * 100) / 100;
    while (most > 0 && !png_fits(l, most))
        most -= 0.01;
    return most;
}

/* Scale 0 (none given): the default, or the largest below it that fits the limits, with a
 * warning, so that a map that validates renders. A scale given is left to png_check. */
static void png_settle(const jm_layout *l, jm_render_options *opts, jm_diags *diags)
{
    if (opts->scale != 0)
        return;
    opts->scale = PNG_DEFAULT_SCALE;
    if (!(l->width > 0 && l->height > 0) || png_fits(l, PNG_DEFAULT_SCALE))
        return;
    double most = png_largest_scale(l);
    if (most < 0.01)
        return; /* nothing fits: png_size says so */
    char sw[32], sh[32], sm[32];
    jm_render_num(sw, sizeof sw, l->width);
    jm_render_num(sh, sizeof sh, l->height);
    jm_render_num(sm, sizeof sm, most);
    jm_diag_add(diags, JM_SEVERITY_WARNING, jm_render_file(l), 0, 0, "",
                "map is %s×%s pt, too large for a PNG at the default --scale %d (%d px a side, "
                "%.0f megapixels at most); drawn at --scale %s (%.0f×%.0f px); SVG or PDF keep "
                "every detail",
                sw, sh, PNG_DEFAULT_SCALE, PNG_MAX_SIDE, PNG_MAX_PIXELS / 1e6, sm,
                ceil(l->width * most), ceil(l->height * most));
    opts->scale = most;
}

/* False (with the error) when the PNG would be too large; otherwise its size in pixels. */
static bool png_size(const jm_layout *l, double scale, int *pw, int *ph, jm_diags *diags)
{
    double w = ceil(l->width * scale), h = ceil(l->height * scale);
    if (png_fits(l, scale)) {
        *pw = (int)fmax(w, 1);
        *ph = (int)fmax(h, 1);
        return true;
    }
    double most = png_largest_scale(l);
    char sw[32], sh[32], ss[32], sm[32], hint[96];
    jm_render_num(sw, sizeof sw, l->width);
    jm_render_num(sh, sizeof sh, l->height);
    jm_render_num(ss, sizeof ss, scale);
    jm_render_num(sm, sizeof sm, most);
    if (most >= 0.01)
        snprintf(hint, sizeof hint, "use a smaller --scale (at most %s) or SVG/PDF", sm);
    else
        snprintf(hint, sizeof hint, "use SVG or PDF");
    if (w > PNG_MAX_SIDE || h > PNG_MAX_SIDE)
        jm_render_error(l, diags,
                        "map is %s×%s pt; at --scale %s the PNG would be %.0f×%.0f px, over the "
                        "%d px limit of a side; %s",
                        sw, sh, ss, w, h, PNG_MAX_SIDE, hint);
    else
        jm_render_error(l, diags,
                        "map is %s×%s pt; at --scale %s the PNG would be %.0f×%.0f px (%.0f "
                        "megapixels), over the %.0f-megapixel limit; %s",
                        sw, sh, ss, w, h, w * h / 1e6, PNG_MAX_PIXELS / 1e6, hint);
    return false;
}

static bool png_check(const jm_render_job *job, jm_diags *diags)
{
    if (isfinite(job->opts->scale) && job->opts->scale > 0)
        return true;
    jm_render_error(job->layout, diags, "--scale must be a positive number, not %g",
                    job->opts->scale);
    return false;
}

static int png_write(const jm_render_job *job, jm_buf *out, jm_diags *diags)
{
    int pw, ph;
    if (!png_size(job->layout, job->opts->scale, &pw, &ph, diags))
        return -1;
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
    if (!jm_render_surface_ok(job, surface, diags))
        return -1;
    cairo_status_t st;
    bool drawn = jm_draw_surface(surface, 0, 0, job->opts->scale, job->layout, job->photos, &st);
    if (drawn && st == CAIRO_STATUS_SUCCESS)
        st = jm_png_encode(surface, out);
    cairo_surface_destroy(surface);
    return jm_render_written(job, drawn, st, out, diags);
}

/* Photos are decoded for the pixels drawn. */
const jm_output_format jm_output_png = {
    .format = JM_FORMAT_PNG,
    .name = "PNG",
    .extension = ".png",
    .draws = true,
    .photos = {.at_scale = true},
    .settle = png_settle,
    .check = png_check,
    .write = png_write,
};
