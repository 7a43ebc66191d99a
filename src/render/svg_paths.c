#include "svg_paths.h"

#include <math.h>
#include <stdint.h>

#include "png_encode.h"

struct jm_svg_paths {
    jm_buf *body;          /* the document */
    const char *id_prefix; /* borrowed */
    size_t n_clips;        /* clip paths so far: ids <prefix>c1, <prefix>c2 … */
    /* Images written so far, ids <prefix>i1, <prefix>i2 …: a photo drawn again (50 personas
     * sharing one) is a <use> of the first, not another copy of the file. */
    cairo_surface_t **images;
    size_t n_images;
    bool failed;
};

jm_svg_paths *jm_svg_paths_new(jm_buf *out, const char *id_prefix)
{
    jm_svg_paths *sp = jm_calloc(1, sizeof *sp);
    if (sp) {
        sp->body = out;
        sp->id_prefix = id_prefix;
    }
    return sp;
}

void jm_svg_paths_free(jm_svg_paths *sp)
{
    if (sp)
        jm_free(sp->images);
    jm_free(sp);
}

bool jm_svg_paths_failed(const jm_svg_paths *sp) { return sp->failed || sp->body->failed; }

static bool visible(const jm_rgba *c) { return c && c->a > 0; }

void jm_svg_path_data(jm_buf *b, const cairo_path_t *path)
{
    static const char op[] = {'M', 'L', 'C', 'Z'};
    for (int i = 0; i < path->num_data; i += path->data[i].header.length) {
        const cairo_path_data_t *p = &path->data[i];
        int n = p->header.type == CAIRO_PATH_CURVE_TO     ? 3
                : p->header.type == CAIRO_PATH_CLOSE_PATH ? 0
                                                          : 1;
        jm_buf_append(b, &op[p->header.type], 1);
        for (int j = 1; j <= n; j++) {
            jm_buf_number(b, p[j].point.x);
            jm_buf_append(b, " ", 1);
            jm_buf_number(b, p[j].point.y);
            if (j < n)
                jm_buf_append(b, " ", 1);
        }
    }
}

void jm_svg_color_attr(jm_buf *b, const char *attr, jm_rgba c)
{
    static const char hex[] = "0123456789ABCDEF";
    const double ch[3] = {c.r, c.g, c.b};
    char rgb[7];
    for (int i = 0; i < 3; i++) {
        int v = (int)lround(fmin(fmax(ch[i], 0), 1) * 255);
        rgb[2 * i] = hex[v >> 4];
        rgb[2 * i + 1] = hex[v & 15];
    }
    jm_buf_append(b, " ", 1);
    jm_buf_puts(b, attr);
    jm_buf_append(b, "=\"#", 3);
    jm_buf_append(b, rgb, 6);
    jm_buf_append(b, "\"", 1);
    if (c.a < 1) {
        jm_buf_append(b, " ", 1);
        jm_buf_puts(b, attr);
        jm_buf_puts(b, "-opacity=\"");
        jm_buf_number(b, fmax(c.a, 0));
        jm_buf_append(b, "\"", 1);
    }
}

static void put_number_attr(jm_buf *b, const char *attr, double v)
{
    jm_buf_append(b, " ", 1);
    jm_buf_puts(b, attr);
    jm_buf_append(b, "=\"", 2);
    jm_buf_number(b, v);
    jm_buf_puts(b, "\"");
}

/* A transform that only moves and scales alike in x and y (every one the backend sets up for
 * shapes): the path is written in map points and the stroke scaled by *k. */
static bool uniform(const cairo_matrix_t *m, double *k)
{
    *k = sqrt(fabs(m->xx * m->yy - m->xy * m->yx));
    return m->xy == 0 && m->yx == 0 && fabs(m->xx) == fabs(m->yy) && *k > 0;
}

/* cr's current path as SVG path data, in map points (device space) when device is true, else
 * in cr's user space. False when it is empty or memory ran out. */
static bool put_path_data(jm_svg_paths *sp, cairo_t *cr, bool device)
{
    cairo_matrix_t m;
    if (device) {
        cairo_get_matrix(cr, &m);
        cairo_identity_matrix(cr);
    }
    cairo_path_t *path = cairo_copy_path(cr);
    if (device)
        cairo_set_matrix(cr, &m);
    if (!path || path->status != CAIRO_STATUS_SUCCESS) {
        if (!path || path->status == CAIRO_STATUS_NO_MEMORY)
            sp->failed = true;
        cairo_path_destroy(path);
        return false;
    }
    /* A lone move draws nothing: no element for it. */
    bool draws = false;
    for (int i = 0; i < path->num_data && !draws; i += path->data[i].header.length)
        draws = path->data[i].header.type != CAIRO_PATH_MOVE_TO;
    if (!draws) {
        cairo_path_destroy(path);
        return false;
    }
    jm_buf *b = sp->body;
    jm_buf_puts(b, "<path d=\"");
    jm_svg_path_data(b, path);
    jm_buf_puts(b, "\"");
    cairo_path_destroy(path);
    return true;
}

static void put_stroke_style(jm_buf *b, cairo_t *cr, double k)
{
    put_number_attr(b, "stroke-width", cairo_get_line_width(cr) * k);
    switch (cairo_get_line_cap(cr)) {
    case CAIRO_LINE_CAP_ROUND: jm_buf_puts(b, " stroke-linecap=\"round\""); break;
    case CAIRO_LINE_CAP_SQUARE: jm_buf_puts(b, " stroke-linecap=\"square\""); break;
    default: break; /* butt, SVG's default */
    }
    switch (cairo_get_line_join(cr)) {
    case CAIRO_LINE_JOIN_ROUND: jm_buf_puts(b, " stroke-linejoin=\"round\""); break;
    case CAIRO_LINE_JOIN_BEVEL: jm_buf_puts(b, " stroke-linejoin=\"bevel\""); break;
    default: /* miter; cairo's limit is 10, SVG's default 4 */
        put_number_attr(b, "stroke-miterlimit", cairo_get_miter_limit(cr));
        break;
    }
    int n = cairo_get_dash_count(cr);
    if (n > 0 && n <= 16) {
        double dash[16], offset;
        cairo_get_dash(cr, dash, &offset);
        jm_buf_puts(b, " stroke-dasharray=\"");
        for (int i = 0; i < n; i++) {
            if (i)
                jm_buf_append(b, ",", 1);
            jm_buf_number(b, dash[i] * k);
        }
        jm_buf_puts(b, "\"");
        if (offset != 0)
            put_number_attr(b, "stroke-dashoffset", offset * k);
    }
}

static void put_matrix(jm_buf *b, const cairo_matrix_t *m)
{
    const double v[6] = {m->xx, m->yx, m->xy, m->yy, m->x0, m->y0};
    jm_buf_puts(b, " transform=\"matrix(");
    for (int i = 0; i < 6; i++) {
        if (i)
            jm_buf_append(b, ",", 1);
        /* jm_buf_number keeps 1/1000: too coarse for a scale factor */
        jm_buf_printf(b, "%.9g", fabs(v[i]) < 1e-12 ? 0 : v[i]);
    }
    jm_buf_puts(b, ")\"");
}

void jm_svg_paint(jm_svg_paths *sp, cairo_t *cr, const jm_rgba *fill, const jm_rgba *stroke)
{
    bool f = visible(fill), s = visible(stroke);
    if (!f && !s)
        return;
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    double k;
    bool device = uniform(&m, &k);
    if (!put_path_data(sp, cr, device))
        return;
    jm_buf *b = sp->body;
    if (f)
        jm_svg_color_attr(b, "fill", *fill);
    else
        jm_buf_puts(b, " fill=\"none\"");
    if (s) {
        jm_svg_color_attr(b, "stroke", *stroke);
        put_stroke_style(b, cr, device ? k : 1);
    }
    if (!device)
        put_matrix(b, &m);
    jm_buf_puts(b, "/>\n");
}

/* ---- Photos --------------------------------------------------------------------------------- */

void jm_svg_base64(jm_buf *b, const unsigned char *data, size_t len)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char quad[4];
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        quad[0] = digits[v >> 18 & 63];
        quad[1] = digits[v >> 12 & 63];
        quad[2] = i + 1 < len ? digits[v >> 6 & 63] : '=';
        quad[3] = i + 2 < len ? digits[v & 63] : '=';
        jm_buf_append(b, quad, 4);
    }
}

/* Defines image as <prefix>iN (N = n_images + 1), at the origin in its pixel size: as the
 * file it came from when cairo holds one (JPEG or PNG MIME data), else encoded as PNG. */
static bool put_image(jm_svg_paths *sp, cairo_surface_t *image)
{
    cairo_surface_t **grown = jm_realloc(sp->images, (sp->n_images + 1) * sizeof *grown);
    if (!grown) {
        sp->failed = true;
        return false;
    }
    sp->images = grown;
    const unsigned char *data = NULL;
    unsigned long len = 0;
    const char *type = "image/jpeg";
    cairo_surface_get_mime_data(image, CAIRO_MIME_TYPE_JPEG, &data, &len);
    if (!data) {
        type = "image/png";
        cairo_surface_get_mime_data(image, CAIRO_MIME_TYPE_PNG, &data, &len);
    }
    jm_buf png = {0};
    if (!data) {
        if (jm_png_encode(image, &png) != CAIRO_STATUS_SUCCESS || png.failed) {
            sp->failed = true;
            jm_buf_free(&png);
            return false;
        }
        data = (const unsigned char *)png.data;
        len = png.len;
    }
    jm_buf *b = sp->body;
    sp->images[sp->n_images++] = image;
    jm_buf_puts(b, "<defs><image id=\"");
    jm_buf_puts(b, sp->id_prefix);
    jm_buf_printf(b, "i%zu\" width=\"%d\" height=\"%d\"", sp->n_images,
                  cairo_image_surface_get_width(image), cairo_image_surface_get_height(image));
    jm_buf_printf(b, " xlink:href=\"data:%s;base64,", type);
    jm_svg_base64(b, data, len);
    jm_buf_puts(b, "\"/></defs>");
    jm_buf_free(&png);
    return true;
}

void jm_svg_image(jm_svg_paths *sp, cairo_t *cr, cairo_surface_t *image, double x, double y)
{
    jm_buf *b = sp->body;
    size_t mark = b->len;
    size_t clip = ++sp->n_clips;
    jm_buf_puts(b, "<clipPath id=\"");
    jm_buf_puts(b, sp->id_prefix);
    jm_buf_printf(b, "c%zu\">\n", clip);
    if (!put_path_data(sp, cr, true)) { /* nothing would show through */
        if (!b->failed && b->data) {
            b->len = mark;
            b->data[mark] = '\0';
        }
        return;
    }
    jm_buf_puts(b, "/>\n</clipPath>\n");
    jm_buf_puts(b, "<g clip-path=\"url(#");
    jm_buf_puts(b, sp->id_prefix);
    jm_buf_printf(b, "c%zu)\">", clip);
    size_t k = 0;
    while (k < sp->n_images && sp->images[k] != image)
        k++;
    if (k == sp->n_images && !put_image(sp, image))
        return;
    jm_buf_puts(b, "<use xlink:href=\"#");
    jm_buf_puts(b, sp->id_prefix);
    jm_buf_printf(b, "i%zu\"", k + 1);
    put_number_attr(b, "x", x);
    put_number_attr(b, "y", y);
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    put_matrix(b, &m);
    jm_buf_puts(b, "/></g>\n");
}
