/* The one drawing routine for every format (as in graphviz's Cairo plugin): jm_draw_layout()
 * walks the layout's elements in order and draws each by its shape, colours and text; it
 * decides no geometry. */
#include "draw.h"

#include <ctype.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "common.h"
#include "icons.h"
#include "text_layer.h"

#define CHEVRON_MAX_DEPTH 12.0 /* how far the stage header's arrow point reaches */
#define BUBBLE_TAIL_HEIGHT 6.0 /* thought bubble: tail drawn in the box's bottom 6 pt */
#define BUBBLE_TAIL_WIDTH 8.0
#define DASH_ON 4.0 /* DASHED: 4 on, 3 off, in line widths */
#define DASH_OFF 3.0
#define DOT_GAP 2.5 /* DOTTED: round dots every 2.5 line widths */

static void set_rgba(cairo_t *cr, jm_rgba c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

/* Fills and then strokes the current path (kept), the stroke in the style already set; a NULL
 * colour or one with alpha 0 is skipped. */
static void paint_path(const jm_canvas *cv, const jm_rgba *fill, const jm_rgba *stroke)
{
    if (cv->paths) {
        jm_svg_paint(cv->paths, cv->cr, fill, stroke);
        return;
    }
    if (fill && fill->a > 0) {
        set_rgba(cv->cr, *fill);
        cairo_fill_preserve(cv->cr);
    }
    if (stroke && stroke->a > 0) {
        set_rgba(cv->cr, *stroke);
        cairo_stroke_preserve(cv->cr);
    }
}

static void path_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    r = fmin(fmax(r, 0), fmin(w, h) / 2);
    if (r <= 0) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    jm_path_rounded_rect(cr, x, y, w, h, r);
}

/* Stage header: a box whose right side is an arrow point; `radius` rounds the left corners. */
static void path_chevron(cairo_t *cr, const jm_element *e)
{
    double d = fmin(fmin(e->h / 2, CHEVRON_MAX_DEPTH), e->w / 2);
    double r = fmin(fmax(e->radius, 0), fmin(e->w - d, e->h) / 2);
    cairo_move_to(cr, e->x + r, e->y);
    cairo_line_to(cr, e->x + e->w - d, e->y);
    cairo_line_to(cr, e->x + e->w, e->y + e->h / 2);
    cairo_line_to(cr, e->x + e->w - d, e->y + e->h);
    if (r > 0) {
        cairo_arc(cr, e->x + r, e->y + e->h - r, r, M_PI / 2, M_PI);
        cairo_arc(cr, e->x + r, e->y + r, r, M_PI, 3 * M_PI / 2);
    } else {
        cairo_line_to(cr, e->x, e->y + e->h);
        cairo_line_to(cr, e->x, e->y);
    }
    cairo_close_path(cr);
}

/* Thought bubble: a rounded rect in the upper h−6 pt and a tail pointing down-left in the
 * last 6 pt, as one outline so the stroke runs around both. */
static void path_bubble(cairo_t *cr, const jm_element *e)
{
    double x = e->x, y = e->y, w = e->w;
    double bh = e->h - BUBBLE_TAIL_HEIGHT;
    double r = fmin(fmax(e->radius, 0), fmin(w, bh) / 2);
    double base_l = x + fmax(r, 2) + 4, base_r = base_l + BUBBLE_TAIL_WIDTH;
    if (bh < 2 * BUBBLE_TAIL_HEIGHT || base_r > x + w - r) {
        path_rounded_rect(cr, x, y, w, e->h, e->radius); /* too small for a tail */
        return;
    }
    if (e->dash != JM_DASH_SOLID) { /* a dash pattern breaks a tail this small into specks */
        path_rounded_rect(cr, x, y, w, bh, e->radius);
        return;
    }
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + bh - r, r, 0, M_PI / 2);
    cairo_line_to(cr, base_r, y + bh);
    cairo_line_to(cr, base_l - 2, y + e->h);
    cairo_line_to(cr, base_l, y + bh);
    cairo_arc(cr, x + r, y + bh - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

static void path_polygon(cairo_t *cr, const double *xy, size_t n)
{
    cairo_move_to(cr, xy[0], xy[1]);
    for (size_t i = 1; i < n; i++)
        cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
    cairo_close_path(cr);
}

/* Builds the element's outline; false when the shape has no outline of its own. */
static bool path_shape(cairo_t *cr, const jm_element *e)
{
    double x = e->x, y = e->y, w = e->w, h = e->h, cx = x + w / 2, cy = y + h / 2;
    switch (e->shape) {
    case JM_SHAPE_RECT:
    case JM_SHAPE_ICON: /* the badge behind the icon, when it has fill or stroke */
        path_rounded_rect(cr, x, y, w, h, e->radius);
        return true;
    case JM_SHAPE_CHEVRON: path_chevron(cr, e); return true;
    case JM_SHAPE_BUBBLE: path_bubble(cr, e); return true;
    case JM_SHAPE_IMAGE: /* the photo's frame: a circle when rounded, else its box */
        if (e->radius <= 0) {
            cairo_rectangle(cr, x, y, w, h);
            return true;
        }
        /* fall through */
    case JM_SHAPE_CIRCLE:
    case JM_SHAPE_FACE:
        cairo_new_sub_path(cr);
        cairo_arc(cr, cx, cy, fmin(w, h) / 2, 0, 2 * M_PI);
        cairo_close_path(cr);
        return true;
    case JM_SHAPE_LINE:
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + w, y + h);
        return true;
    case JM_SHAPE_POLYLINE:
        if (e->npts < 2)
            return false;
        cairo_move_to(cr, e->pts[0].x, e->pts[0].y);
        for (size_t i = 1; i < e->npts; i++)
            cairo_line_to(cr, e->pts[i].x, e->pts[i].y);
        return true;
    case JM_SHAPE_CURVE:
        if (e->npts < 4)
            return false;
        cairo_move_to(cr, e->pts[0].x, e->pts[0].y);
        for (size_t i = 1; i + 2 < e->npts; i += 3)
            cairo_curve_to(cr, e->pts[i].x, e->pts[i].y, e->pts[i + 1].x, e->pts[i + 1].y,
                           e->pts[i + 2].x, e->pts[i + 2].y);
        return true;
    case JM_SHAPE_DIAMOND: {
        const double xy[] = {cx, y, x + w, cy, cx, y + h, x, cy};
        path_polygon(cr, xy, 4);
        return true;
    }
    case JM_SHAPE_TRIANGLE_UP: {
        const double xy[] = {cx, y, x + w, y + h, x, y + h};
        path_polygon(cr, xy, 3);
        return true;
    }
    case JM_SHAPE_TRIANGLE_DOWN: {
        const double xy[] = {x, y, x + w, y, cx, y + h};
        path_polygon(cr, xy, 3);
        return true;
    }
    case JM_SHAPE_NONE:
    default: return false;
    }
}

static double line_width(const jm_element *e) { return e->stroke_width > 0 ? e->stroke_width : 1; }

static void set_stroke_style(cairo_t *cr, const jm_element *e)
{
    double lw = line_width(e);
    bool open = e->shape == JM_SHAPE_POLYLINE || e->shape == JM_SHAPE_CURVE;
    cairo_set_line_width(cr, lw);
    cairo_set_line_join(cr, open ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_MITER);
    cairo_set_line_cap(cr, open ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
    if (e->dash == JM_DASH_DASHED) {
        const double dash[] = {DASH_ON * lw, DASH_OFF * lw};
        cairo_set_dash(cr, dash, 2, 0);
    } else if (e->dash == JM_DASH_DASHDOT || e->dash == JM_DASH_DASHDOTDOT) {
        /* Dots as near-zero dashes with round caps: cairo folds a dash of exactly 0 that
         * follows a longer one into the gaps around it. */
        const double dot = 0.01 * lw;
        const double dash[] = {DASH_ON * lw, DOT_GAP * lw, dot, DOT_GAP * lw, dot, DOT_GAP * lw};
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, dash, e->dash == JM_DASH_DASHDOT ? 4 : 6, 0);
    } else if (e->dash == JM_DASH_DOTTED) {
        /* Zero-length dashes with round caps stroke as round dots one line width across. */
        const double dash[] = {0, DOT_GAP * lw};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    } else {
        cairo_set_dash(cr, NULL, 0, 0);
    }
}

/* Fill first, then stroke, over the path path_shape() built. */
static void paint_shape(const jm_canvas *cv, const jm_element *e)
{
    cairo_t *cr = cv->cr;
    cairo_new_path(cr);
    if (!path_shape(cr, e))
        return;
    if (e->stroke.a > 0)
        set_stroke_style(cr, e);
    paint_path(cv, &e->fill, &e->stroke);
    cairo_new_path(cr);
}

/* Colour of a face's features or an icon: the text colour, else the stroke, else ink. */
static jm_rgba ink_color(const jm_element *e)
{
    if (e->color.a > 0)
        return e->color;
    if (e->stroke.a > 0)
        return e->stroke;
    return (jm_rgba){0.13, 0.13, 0.13, 1};
}

/* Eyes and a mouth whose curvature follows the value: smile above 0, frown below. */
static void draw_face_features(const jm_canvas *cv, const jm_element *e)
{
    cairo_t *cr = cv->cr;
    double r = fmin(e->w, e->h) / 2, cx = e->x + e->w / 2, cy = e->y + e->h / 2;
    double v = e->has_value && isfinite(e->value) ? fmax(-2, fmin(2, e->value)) : 0;
    double bend = v / 2 * 0.42 * r;              /* mouth control points below (smile) or above */
    double mouth_y = cy + 0.3 * r - bend * 0.35; /* keeps the mouth centred as it bends */
    double half = 0.42 * r;
    jm_rgba ink = ink_color(e);
    cairo_new_path(cr);
    for (int side = -1; side <= 1; side += 2) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, cx + side * 0.33 * r, cy - 0.22 * r, 0.12 * r, 0, 2 * M_PI);
        cairo_close_path(cr);
    }
    paint_path(cv, &ink, NULL);
    cairo_new_path(cr);
    cairo_move_to(cr, cx - half, mouth_y);
    cairo_curve_to(cr, cx - half / 2, mouth_y + bend, cx + half / 2, mouth_y + bend, cx + half,
                   mouth_y);
    cairo_set_line_width(cr, fmax(0.14 * r, 0.5));
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_dash(cr, NULL, 0, 0);
    paint_path(cv, NULL, &ink);
    cairo_new_path(cr);
}

static void draw_icon(const jm_canvas *cv, const jm_element *e)
{
    double size = fmin(e->w, e->h);
    if (!(size > 0))
        return;
    jm_rgba ink = ink_color(e);
    cairo_save(cv->cr);
    jm_icon_path(cv->cr, e->icon, e->x + (e->w - size) / 2, e->y + (e->h - size) / 2, size);
    paint_path(cv, NULL, &ink);
    cairo_restore(cv->cr);
    cairo_new_path(cv->cr);
}

/* The PangoLayout was measured by the layout pass at this width and font; drawing it as is
 * (no pango_cairo_update_layout) keeps what is drawn identical to what was measured. */
static void draw_text(const jm_canvas *cv, const jm_element *e)
{
    if (!e->layout)
        return;
    /* Text with no colour would be invisible; ink is the safer reading. */
    jm_rgba color = e->color.a > 0 ? e->color : (jm_rgba){0, 0, 0, 1};
    if (cv->text && jm_svg_text_add(cv->text, e->layout, e->x, e->y, color)) {
        jm_svg_text_layer(cv->text, e->layout, e->x, e->y);
        return;
    }
    cairo_t *cr = cv->cr;
    cairo_new_path(cr);
    cairo_move_to(cr, e->x, e->y);
    if (cv->paths) {
        /* A glyph no font has: the whole text as one outline, with a box for that glyph
         * (Pango 1.50 draws the hex digits inside it only when no other glyph shares its
         * run; a PNG or PDF shows them always). */
        pango_cairo_layout_path(cr, e->layout);
        paint_path(cv, &color, NULL);
        jm_svg_text_layer(cv->text, e->layout, e->x, e->y);
    } else {
        set_rgba(cr, color);
        jm_show_layout_text(cr, e->layout);
    }
    cairo_new_path(cr);
}

/* Turns user space so the stored pixels of a photo, centred on the origin, appear upright:
 * the inverse of the turn its Exif orientation records. */
static void orient_photo(cairo_t *cr, int orientation)
{
    cairo_matrix_t m;
    switch (orientation) {
    case 2: cairo_matrix_init(&m, -1, 0, 0, 1, 0, 0); break;  /* mirrored */
    case 3: cairo_matrix_init(&m, -1, 0, 0, -1, 0, 0); break; /* upside down */
    case 4: cairo_matrix_init(&m, 1, 0, 0, -1, 0, 0); break;  /* mirrored upside down */
    case 5: cairo_matrix_init(&m, 0, 1, 1, 0, 0, 0); break;   /* transposed */
    case 6: cairo_matrix_init(&m, 0, 1, -1, 0, 0, 0); break;  /* turned a quarter clockwise */
    case 7: cairo_matrix_init(&m, 0, -1, -1, 0, 0, 0); break; /* transversed */
    case 8: cairo_matrix_init(&m, 0, -1, 1, 0, 0, 0); break;  /* turned a quarter back */
    default: return;
    }
    cairo_transform(cr, &m);
}

/* A photo: its fill (behind transparent pixels), the image scaled to cover the frame and
 * centred (the overflow cropped), then the frame's stroke over the cut edge. */
static void draw_photo(const jm_canvas *cv, const jm_element *e, const jm_photo *ph)
{
    cairo_t *cr = cv->cr;
    cairo_new_path(cr);
    path_shape(cr, e);
    paint_path(cv, &e->fill, NULL);
    if (ph && ph->surface) {
        cairo_save(cr);
        if (!cv->paths) /* SVG clips to the path with the image */
            cairo_clip(cr);
        int iw = cairo_image_surface_get_width(ph->surface);
        int ih = cairo_image_surface_get_height(ph->surface);
        cairo_translate(cr, e->x + e->w / 2, e->y + e->h / 2);
        double k = 1 / jm_photo_px_per_pt(e, iw, ih, ph->orientation);
        cairo_scale(cr, k, k);
        orient_photo(cr, ph->orientation);
        if (cv->paths) {
            jm_svg_image(cv->paths, cr, ph->surface, -iw / 2.0, -ih / 2.0);
        } else {
            cairo_set_source_surface(cr, ph->surface, -iw / 2.0, -ih / 2.0);
            /* Edge pixels repeat past the image so filtering never blends in transparency
             * at the crop; only on raster output, where PDF would need a fallback image. */
            if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE)
                cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
            cairo_paint(cr);
        }
        cairo_restore(cr);
        cairo_new_path(cr);
        path_shape(cr, e);
    }
    if (e->stroke.a > 0) {
        set_stroke_style(cr, e);
        paint_path(cv, NULL, &e->stroke);
    }
    cairo_new_path(cr);
}

static void draw_element(const jm_canvas *cv, const jm_element *e, const jm_photo *ph)
{
    cairo_save(cv->cr);
    if (e->shape == JM_SHAPE_IMAGE)
        draw_photo(cv, e, ph);
    else
        paint_shape(cv, e);
    if (e->shape == JM_SHAPE_FACE)
        draw_face_features(cv, e);
    else if (e->shape == JM_SHAPE_ICON)
        draw_icon(cv, e);
    draw_text(cv, e);
    cairo_restore(cv->cr);
}

/* URIs go into cairo's attribute string and then into a PDF literal string, and cairo 1.16
 * escapes neither: percent-encode what either would misread (and what a URI may not hold
 * raw), then backslash-escape the quote the attribute string is delimited by. */
static void buf_link_uri(jm_buf *b, const char *uri)
{
    for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f || *p == '\\' || *p == '(' || *p == ')' || *p == '%' ||
            *p == '"') {
            if (*p == '%' && isxdigit(p[1]) && isxdigit(p[2]))
                jm_buf_puts(b, "%"); /* already an escape */
            else
                jm_buf_printf(b, "%%%02X", *p);
        } else if (*p == '\'') {
            jm_buf_puts(b, "\\'");
        } else {
            jm_buf_append(b, (const char *)p, 1);
        }
    }
}

/* A number with three decimals whatever the C locale's decimal separator (cairo parses the
 * attribute string with a '.'). */
static void buf_fixed(jm_buf *b, double v)
{
    long long k = llround(v * 1000);
    unsigned long long a = k < 0 ? 0ull - (unsigned long long)k : (unsigned long long)k;
    jm_buf_printf(b, "%s%llu.%03llu", k < 0 ? "-" : "", a / 1000, a % 1000);
}

/* Starts a PDF link over the element's box. cairo 1.16 takes `rect` in device space while
 * later versions take user space; with the identity matrix both readings agree. */
static bool link_begin(cairo_t *cr, const jm_element *e)
{
    double xs[4] = {e->x, e->x + e->w, e->x, e->x + e->w};
    double ys[4] = {e->y, e->y, e->y + e->h, e->y + e->h};
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i < 4; i++) {
        cairo_user_to_device(cr, &xs[i], &ys[i]);
        x0 = fmin(x0, xs[i]);
        y0 = fmin(y0, ys[i]);
        x1 = fmax(x1, xs[i]);
        y1 = fmax(y1, ys[i]);
    }
    jm_buf attrs = {0};
    jm_buf_puts(&attrs, "uri='");
    buf_link_uri(&attrs, e->url);
    jm_buf_puts(&attrs, "' rect=[");
    const double rect[4] = {x0, y0, x1 - x0, y1 - y0};
    for (int i = 0; i < 4; i++) {
        if (i)
            jm_buf_puts(&attrs, " ");
        buf_fixed(&attrs, rect[i]);
    }
    jm_buf_puts(&attrs, "]");
    char *s = jm_buf_take(&attrs);
    if (!s)
        return false;
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_tag_begin(cr, CAIRO_TAG_LINK, s);
    cairo_restore(cr);
    jm_free(s);
    return true;
}

const char *jm_draw_link_of(const jm_layout *layout, size_t i)
{
    const char *url = jm_nonempty(layout->el[i].url);
    if (!url)
        return NULL;
    /* Parents come before their children, which also bounds the walk. */
    for (long p = layout->el[i].parent; p >= 0 && (size_t)p < i; p = layout->el[p].parent) {
        const char *up = layout->el[p].url;
        if (up && strcmp(up, url) == 0)
            return NULL;
        i = (size_t)p;
    }
    return url;
}

/* Whether element e can show inside the canvas's cull rectangle: its box (a line's or curve's
 * too: the layout sets it around the points), widened by its stroke. */
static bool element_shows(const jm_canvas *cv, const jm_element *e)
{
    if (!cv->cull)
        return true;
    double x0 = fmin(e->x, e->x + e->w), x1 = fmax(e->x, e->x + e->w);
    double y0 = fmin(e->y, e->y + e->h), y1 = fmax(e->y, e->y + e->h);
    for (size_t k = 0; k < e->npts; k++) {
        x0 = fmin(x0, e->pts[k].x);
        x1 = fmax(x1, e->pts[k].x);
        y0 = fmin(y0, e->pts[k].y);
        y1 = fmax(y1, e->pts[k].y);
    }
    double pad = e->stroke_width + 1;
    return x1 + pad > cv->cull_x0 && x0 - pad < cv->cull_x1 && y1 + pad > cv->cull_y0 &&
           y0 - pad < cv->cull_y1;
}

bool jm_draw_layout(const jm_canvas *cv, const jm_layout *layout, const jm_photo *photos)
{
    for (size_t k = 0; k < layout->n; k++) {
        size_t i = layout->order ? layout->order[k] : k;
        const jm_element *e = &layout->el[i];
        if (!element_shows(cv, e))
            continue;
        bool link = !cv->paths && jm_draw_link_of(layout, i) != NULL;
        if (link && !link_begin(cv->cr, e))
            return false;
        if (cv->enter)
            cv->enter(cv->closure, layout, i);
        draw_element(cv, e, photos ? &photos[i] : NULL);
        if (link)
            cairo_tag_end(cv->cr, CAIRO_TAG_LINK);
    }
    if (cv->enter)
        cv->enter(cv->closure, layout, layout->n);
    return true;
}

bool jm_draw_piece(cairo_t *cr, const jm_layout *layout, const jm_photo *photos,
                   const jm_page_piece *p)
{
    jm_canvas cv = {.cr = cr,
                    .cull = p->clip,
                    .cull_x0 = p->sx,
                    .cull_y0 = p->sy,
                    .cull_x1 = p->sx + p->sw,
                    .cull_y1 = p->sy + p->sh};
    cairo_save(cr);
    if (p->clip) {
        cairo_rectangle(cr, p->px, p->py, p->sw * p->scale, p->sh * p->scale);
        cairo_clip(cr);
    }
    cairo_translate(cr, p->px, p->py);
    cairo_scale(cr, p->scale, p->scale);
    cairo_translate(cr, -p->sx, -p->sy);
    bool drawn = jm_draw_layout(&cv, layout, photos);
    cairo_restore(cr);
    return drawn;
}

bool jm_draw_surface(cairo_surface_t *surface, double dx, double dy, double scale,
                     const jm_layout *layout, const jm_photo *photos, cairo_status_t *status)
{
    jm_canvas cv = {.cr = cairo_create(surface)};
    cairo_translate(cv.cr, dx, dy);
    cairo_scale(cv.cr, scale, scale);
    bool drawn = jm_draw_layout(&cv, layout, photos);
    *status = cairo_status(cv.cr);
    cairo_destroy(cv.cr);
    return drawn;
}
