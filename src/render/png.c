/* The PNG output: cairo's image surface at --scale, written by jm_png_encode (png_encode.c). */
#include <math.h>
#include <stdio.h>

#include "common.h"
#include "draw.h"
#include "png_encode.h"

#define PNG_MAX_SIDE 32767   /* cairo's and most viewers' limit for an image side */
#define PNG_MAX_PIXELS 300e6 /* 1.2 GB of ARGB: beyond this, ask for SVG/PDF instead */

/* False (with the error) when the PNG would be too large; otherwise its size in pixels. */
static bool png_size(const jm_layout *l, double scale, int *pw, int *ph, jm_diags *diags)
{
    double w = ceil(l->width * scale), h = ceil(l->height * scale);
    if (w <= PNG_MAX_SIDE && h <= PNG_MAX_SIDE && w * h <= PNG_MAX_PIXELS) {
        *pw = (int)fmax(w, 1);
        *ph = (int)fmax(h, 1);
        return true;
    }
    /* The largest scale, to a hundredth, that fits both limits. */
    double most = fmin(PNG_MAX_SIDE / l->width, PNG_MAX_SIDE / l->height);
    most = floor(fmin(most, sqrt(PNG_MAX_PIXELS / (l->width * l->height))) * 100) / 100;
    while (most > 0 && ceil(l->width * most) * ceil(l->height * most) > PNG_MAX_PIXELS)
        most -= 0.01;
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
    .check = png_check,
    .write = png_write,
};
