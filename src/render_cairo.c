/* The Cairo backend: one drawing routine for PNG, SVG and PDF (as in graphviz's Cairo plugin).
 * draw_layout() walks the layout's elements in order and draws each by its shape, colours and
 * text; it decides no geometry. The format only decides which surface is created, how it is
 * finished, and how the finished bytes are tidied:
 *   PNG  image surface at --scale, written with cairo's PNG writer;
 *   SVG  cairo's SVG 1.1 surface, then ids renumbered (cairo numbers some of them from
 *        process-global counters), title/desc/ARIA added and links overlaid;
 *   PDF  cairo's PDF surface with fixed dates (no timestamps), then /Lang added to the
 *        catalogue with the cross-reference table rewritten. */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <ctype.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "icons.h"
#include "layout.h"
#include "util.h"

#define PNG_MAX_SIDE 32767        /* cairo's and most viewers' limit for an image side */
#define PNG_MAX_PIXELS 300e6      /* 1.2 GB of ARGB: beyond this, ask for SVG/PDF instead */
#define PDF_PAGE_MARGIN 24.0      /* points around a map fitted to a named page */
#define PDF_MAX_AUTO_SIDE 14400.0 /* 200 in: the largest page Acrobat opens */
/* No timestamps in output: every PDF carries this creation and modification date. */
#define PDF_FIXED_DATE "2000-01-01T00:00:00Z"

/* Geometry beyond this (about 3.5 km) is a layout bug, and cairo can loop for a very long time
 * on arcs with huge or non-finite radii: such elements are refused before drawing. */
#define MAX_COORD 1e7

#define CHEVRON_MAX_DEPTH 12.0 /* how far the stage header's arrow point reaches */
#define BUBBLE_TAIL_HEIGHT 6.0 /* thought bubble: tail drawn in the box's bottom 6 pt */
#define BUBBLE_TAIL_WIDTH 8.0
#define DASH_ON 4.0 /* DASHED: 4 on, 3 off, in line widths */
#define DASH_OFF 3.0
#define DOT_GAP 2.5 /* DOTTED: round dots every 2.5 line widths */

/* ---- Small helpers ------------------------------------------------------------------------ */

static const char *format_name(jm_format f)
{
    switch (f) {
    case JM_FORMAT_PNG:
        return "PNG";
    case JM_FORMAT_SVG:
        return "SVG";
    case JM_FORMAT_PDF:
        return "PDF";
    default:
        return "JSON";
    }
}

static const char *map_file(const jm_layout *l) { return l->map ? l->map->file : NULL; }

static void render_error(const jm_layout *l, jm_diags *diags, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void render_error(const jm_layout *l, jm_diags *diags, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(diags, JM_SEVERITY_ERROR, map_file(l), 0, 0, "", fmt, ap);
    va_end(ap);
}

/* A number for messages: at most two decimals, no trailing zeros. */
static void fmt_num(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + strlen(buf);
    while (end > dot && (end[-1] == '0' || end[-1] == '.'))
        *--end = '\0';
}

static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int length)
{
    jm_buf *b = closure;
    jm_buf_append(b, (const char *)data, length);
    return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void buf_xml(jm_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            jm_buf_puts(b, "&amp;");
            break;
        case '<':
            jm_buf_puts(b, "&lt;");
            break;
        case '>':
            jm_buf_puts(b, "&gt;");
            break;
        case '"':
            jm_buf_puts(b, "&quot;");
            break;
        case '\'':
            jm_buf_puts(b, "&apos;");
            break;
        case '\t':
        case '\n':
        case '\r':
            jm_buf_append(b, s, 1);
            break;
        default:
            if ((unsigned char)*s >= 0x20) /* XML 1.0 has no other control characters */
                jm_buf_append(b, s, 1);
        }
    }
}

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

/* A BCP 47 tag is letters, digits and hyphens; anything else is not written into the file. */
static bool lang_tag_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '-')
            return false;
    return n > 0 && n <= 35;
}

/* ---- Drawing: one routine for every format ----------------------------------------------- */

static void set_rgba(cairo_t *cr, jm_rgba c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

static void path_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    r = fmin(fmax(r, 0), fmin(w, h) / 2);
    if (r <= 0) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
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
    case JM_SHAPE_CHEVRON:
        path_chevron(cr, e);
        return true;
    case JM_SHAPE_BUBBLE:
        path_bubble(cr, e);
        return true;
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
    default:
        return false;
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
static void paint_shape(cairo_t *cr, const jm_element *e)
{
    cairo_new_path(cr);
    if (!path_shape(cr, e))
        return;
    if (e->fill.a > 0) {
        set_rgba(cr, e->fill);
        cairo_fill_preserve(cr);
    }
    if (e->stroke.a > 0) {
        set_rgba(cr, e->stroke);
        set_stroke_style(cr, e);
        cairo_stroke_preserve(cr);
    }
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
static void draw_face_features(cairo_t *cr, const jm_element *e)
{
    double r = fmin(e->w, e->h) / 2, cx = e->x + e->w / 2, cy = e->y + e->h / 2;
    double v = e->has_value && isfinite(e->value) ? fmax(-2, fmin(2, e->value)) : 0;
    double bend = v / 2 * 0.42 * r;              /* mouth control points below (smile) or above */
    double mouth_y = cy + 0.3 * r - bend * 0.35; /* keeps the mouth centred as it bends */
    double half = 0.42 * r;
    set_rgba(cr, ink_color(e));
    cairo_new_path(cr);
    for (int side = -1; side <= 1; side += 2) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, cx + side * 0.33 * r, cy - 0.22 * r, 0.12 * r, 0, 2 * M_PI);
        cairo_close_path(cr);
    }
    cairo_fill(cr);
    cairo_move_to(cr, cx - half, mouth_y);
    cairo_curve_to(cr, cx - half / 2, mouth_y + bend, cx + half / 2, mouth_y + bend, cx + half,
                   mouth_y);
    cairo_set_line_width(cr, fmax(0.14 * r, 0.5));
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_stroke(cr);
}

static void draw_icon(cairo_t *cr, const jm_element *e)
{
    double size = fmin(e->w, e->h);
    jm_icon_draw(cr, e->icon, e->x + (e->w - size) / 2, e->y + (e->h - size) / 2, size,
                 ink_color(e));
}

/* The PangoLayout was measured by the layout pass at this width and font; drawing it as is
 * (no pango_cairo_update_layout) keeps what is drawn identical to what was measured. */
static void draw_text(cairo_t *cr, const jm_element *e)
{
    if (!e->layout)
        return;
    /* Text with no colour would be invisible; ink is the safer reading. */
    set_rgba(cr, e->color.a > 0 ? e->color : (jm_rgba){0, 0, 0, 1});
    cairo_move_to(cr, e->x, e->y);
    pango_cairo_show_layout(cr, e->layout);
    cairo_new_path(cr);
}

static void draw_element(cairo_t *cr, const jm_element *e)
{
    cairo_save(cr);
    paint_shape(cr, e);
    if (e->shape == JM_SHAPE_FACE)
        draw_face_features(cr, e);
    else if (e->shape == JM_SHAPE_ICON)
        draw_icon(cr, e);
    draw_text(cr, e);
    cairo_restore(cr);
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

/* The one drawing routine. Links become PDF annotations (other surfaces ignore tags; SVG gets
 * its links in svg_finish). False when out of memory. */
static bool draw_layout(cairo_t *cr, const jm_layout *layout)
{
    for (size_t i = 0; i < layout->n; i++) {
        const jm_element *e = &layout->el[i];
        bool link = e->url && *e->url;
        if (link && !link_begin(cr, e))
            return false;
        draw_element(cr, e);
        if (link)
            cairo_tag_end(cr, CAIRO_TAG_LINK);
    }
    return true;
}

/* ---- SVG finishing ------------------------------------------------------------------------ */

/* cairo names SVG definitions "glyph0-1", "surface5", "clip1", "pattern3" … and takes some of
 * the numbers from process-global counters, so the second map a process renders would get
 * different ids. Every id is renamed to its letter prefix plus its rank of first appearance
 * among ids of that prefix, which depends on the document alone. */
typedef struct svg_id {
    const char *s; /* the old id, in the cairo text */
    size_t n;
    size_t prefix; /* length of its letter prefix */
    size_t num;    /* new number */
} svg_id;

typedef struct svg_ids {
    svg_id *v; /* open addressing; s == NULL is empty */
    size_t cap, count;
    struct {
        const char *s;
        size_t n, count;
    } prefixes[16];
    size_t n_prefixes;
    bool failed;
} svg_ids;

static size_t id_hash(const char *s, size_t n)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static bool ids_grow(svg_ids *m)
{
    size_t cap = m->cap ? m->cap * 2 : 256;
    svg_id *v = jm_calloc(cap, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->v[i].s)
            continue;
        size_t j = id_hash(m->v[i].s, m->v[i].n) & (cap - 1);
        while (v[j].s)
            j = (j + 1) & (cap - 1);
        v[j] = m->v[i];
    }
    jm_free(m->v);
    m->v = v;
    m->cap = cap;
    return true;
}

/* The entry of id s[0..n), added with the next number of its prefix when new. */
static const svg_id *ids_get(svg_ids *m, const char *s, size_t n)
{
    if (2 * (m->count + 1) > m->cap && !ids_grow(m)) {
        m->failed = true;
        return NULL;
    }
    size_t j = id_hash(s, n) & (m->cap - 1);
    for (; m->v[j].s; j = (j + 1) & (m->cap - 1))
        if (m->v[j].n == n && memcmp(m->v[j].s, s, n) == 0)
            return &m->v[j];
    size_t prefix = 0;
    while (prefix < n && isalpha((unsigned char)s[prefix]))
        prefix++;
    size_t k = 0;
    while (k < m->n_prefixes &&
           !(m->prefixes[k].n == prefix && memcmp(m->prefixes[k].s, s, prefix) == 0))
        k++;
    if (k == m->n_prefixes) {
        if (k == sizeof m->prefixes / sizeof m->prefixes[0])
            return NULL; /* an unknown kind of id: left as cairo wrote it */
        m->prefixes[k].s = s;
        m->prefixes[k].n = prefix;
        m->prefixes[k].count = 0;
        m->n_prefixes++;
    }
    m->v[j] = (svg_id){s, n, prefix, ++m->prefixes[k].count};
    m->count++;
    return &m->v[j];
}

/* Copies s[0..n) to out, renaming every id at its definition (` id="…"`) and its uses
 * (`href="#…"`, `url(#…)`). */
static void svg_copy_renumbered(jm_buf *out, const char *s, size_t n, svg_ids *ids)
{
    static const struct {
        const char *lead;
        char end;
    } forms[] = {{" id=\"", '"'}, {"href=\"#", '"'}, {"url(#", ')'}};
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            size_t ll = strlen(forms[f].lead);
            if (n - i < ll || memcmp(s + i, forms[f].lead, ll) != 0)
                continue;
            size_t start = i + ll, end = start;
            while (end < n && s[end] != forms[f].end && s[end] != '\n')
                end++;
            if (end == n || s[end] != forms[f].end || end == start)
                break;
            const svg_id *id = ids_get(ids, s + start, end - start);
            if (!id)
                break;
            jm_buf_append(out, s + done, start - done);
            jm_buf_append(out, s + start, id->prefix);
            jm_buf_printf(out, "%zu", id->num);
            done = i = end;
            break;
        }
    }
    jm_buf_append(out, s + done, n - done);
}

static void svg_title_desc(jm_buf *b, const jm_layout *layout)
{
    const jm_map *map = layout->map;
    const char *title = map ? nonempty(map->title) : NULL;
    const char *desc = map ? nonempty(map->description) : NULL;
    if (!desc && map)
        desc = nonempty(map->subtitle);
    jm_buf_puts(b, "<title id=\"jm-title\">");
    buf_xml(b, title ? title : "Customer journey map");
    jm_buf_puts(b, "</title>\n<desc id=\"jm-desc\">");
    if (desc) {
        buf_xml(b, desc);
    } else {
        size_t stages = map ? map->n_stages : 0, tps = map ? map->n_touchpoints : 0;
        jm_buf_printf(b, "Customer journey map: %zu stage%s, %zu touchpoint%s", stages,
                      stages == 1 ? "" : "s", tps, tps == 1 ? "" : "s");
    }
    jm_buf_puts(b, "</desc>\n");
}

/* cairo's SVG surface has no links: an invisible rectangle per linked or ellipsized element,
 * on top of the drawing, carries the link and the full text as a tooltip. */
static void svg_overlay(jm_buf *b, const jm_layout *layout)
{
    bool any = false;
    for (size_t i = 0; i < layout->n; i++) {
        const jm_element *e = &layout->el[i];
        const char *url = nonempty(e->url), *tip = nonempty(e->tooltip);
        if (!url && !tip)
            continue;
        if (!any)
            jm_buf_puts(b, "<g id=\"jm-links\" fill=\"#000\" fill-opacity=\"0\">\n");
        any = true;
        if (url) {
            jm_buf_puts(b, "<a xlink:href=\"");
            buf_xml(b, url);
            jm_buf_puts(b, "\">");
        } else {
            jm_buf_puts(b, "<g>");
        }
        if (tip) {
            jm_buf_puts(b, "<title>");
            buf_xml(b, tip);
            jm_buf_puts(b, "</title>");
        }
        /* a LINE's box may run right-to-left or bottom-up */
        jm_buf_puts(b, "<rect x=\"");
        jm_buf_number(b, fmin(e->x, e->x + e->w));
        jm_buf_puts(b, "\" y=\"");
        jm_buf_number(b, fmin(e->y, e->y + e->h));
        jm_buf_puts(b, "\" width=\"");
        jm_buf_number(b, fabs(e->w));
        jm_buf_puts(b, "\" height=\"");
        jm_buf_number(b, fabs(e->h));
        jm_buf_puts(b, url ? "\"/></a>\n" : "\"/></g>\n");
    }
    if (any)
        jm_buf_puts(b, "</g>\n");
}

/* Rewrites cairo's SVG in *svg into a deterministic, accessible document. NULL, or what went
 * wrong (*svg is then unchanged). */
static const char *svg_finish(jm_buf *svg, const jm_layout *layout)
{
    const char *s = svg->data;
    const char *root = s ? strstr(s, "<svg") : NULL;
    const char *root_end = root ? strchr(root, '>') : NULL;
    const char *close = NULL;
    for (const char *p = root_end; p && (p = strstr(p, "</svg>")); p++)
        close = p;
    if (!root_end || !close)
        return "unexpected SVG from cairo (no root element)";

    jm_buf out = {0};
    svg_ids ids = {0};
    svg_copy_renumbered(&out, s, (size_t)(root_end - s), &ids);
    jm_buf_puts(&out, " role=\"img\" aria-labelledby=\"jm-title jm-desc\"");
    const char *lang = layout->map ? nonempty(layout->map->lang) : NULL;
    if (lang && lang_tag_ok(lang))
        jm_buf_printf(&out, " xml:lang=\"%s\"", lang);
    jm_buf_puts(&out, ">\n");
    svg_title_desc(&out, layout);
    const char *body = root_end + 1;
    if (*body == '\n')
        body++;
    svg_copy_renumbered(&out, body, (size_t)(close - body), &ids);
    svg_overlay(&out, layout);
    jm_buf_puts(&out, close);
    jm_free(ids.v);
    if (ids.failed || out.failed) {
        jm_buf_free(&out);
        return "out of memory";
    }
    jm_buf_free(svg);
    *svg = out;
    return NULL;
}

/* ---- PDF finishing ------------------------------------------------------------------------ */

/* The parts of cairo's classic cross-reference table we rewrite. */
typedef struct pdf_entry {
    size_t at;  /* offset of the entry's 10-digit offset field */
    size_t off; /* the object offset it holds */
    long num;   /* object number */
} pdf_entry;

typedef struct pdf_xref {
    size_t xref_at;                /* offset of the "xref" keyword */
    size_t startxref_num, num_end; /* the number after "startxref" */
    pdf_entry *v;                  /* in-use entries */
    size_t n, cap;
    long root, info; /* object numbers from the trailer; -1 none */
} pdf_xref;

static const char *find_in(const char *s, const char *end, const char *what)
{
    size_t wl = strlen(what);
    for (; s + wl <= end; s++)
        if (memcmp(s, what, wl) == 0)
            return s;
    return NULL;
}

static const char *find_last(const char *s, const char *end, const char *what)
{
    size_t wl = strlen(what);
    for (size_t i = (size_t)(end - s) + 1; i-- > wl;)
        if (memcmp(s + i - wl, what, wl) == 0)
            return s + i - wl;
    return NULL;
}

static long trailer_ref(const char *trailer, const char *end, const char *key)
{
    const char *p = find_in(trailer, end, key);
    if (!p)
        return -1;
    char *stop;
    long v = strtol(p + strlen(key), &stop, 10);
    return stop > p + strlen(key) ? v : -1;
}

/* Parses a classic xref table (the kind cairo 1.16 writes). False for anything else, e.g. an
 * xref stream, or when out of memory (*oom). */
static bool pdf_xref_parse(const char *s, size_t n, pdf_xref *x, bool *oom)
{
    const char *sx = find_last(s, s + n, "startxref");
    if (!sx)
        return false;
    const char *p = sx + strlen("startxref");
    while (p < s + n && isspace((unsigned char)*p))
        p++;
    char *stop;
    unsigned long long at = strtoull(p, &stop, 10);
    if (stop == p || at + 4 > (size_t)(sx - s) || memcmp(s + at, "xref", 4) != 0)
        return false;
    x->xref_at = (size_t)at;
    x->startxref_num = (size_t)(p - s);
    x->num_end = (size_t)(stop - s);

    /* Subsections "first count" of 20-byte entries "oooooooooo ggggg n \n". */
    p = s + at + 4;
    for (;;) {
        while (p < sx && isspace((unsigned char)*p))
            p++;
        if (p >= sx || !isdigit((unsigned char)*p))
            break;
        long first = strtol(p, &stop, 10);
        p = stop;
        long count = strtol(p, &stop, 10);
        if (stop == p || count < 0)
            return false;
        p = stop;
        while (p < sx && isspace((unsigned char)*p))
            p++;
        for (long i = 0; i < count; i++, p += 20) {
            if (p + 20 > sx || !isdigit((unsigned char)p[0]) || (p[17] != 'n' && p[17] != 'f'))
                return false;
            if (p[17] != 'n')
                continue;
            pdf_entry e = {(size_t)(p - s), (size_t)strtoull(p, NULL, 10), first + i};
            if (!JM_PUSH(x->v, x->n, x->cap, e)) {
                *oom = true;
                return false;
            }
        }
    }
    const char *trailer = find_in(p, sx, "trailer");
    if (!trailer)
        return false;
    x->root = trailer_ref(trailer, sx, "/Root ");
    x->info = trailer_ref(trailer, sx, "/Info ");
    return x->root >= 0;
}

/* The text of object `num`: from its offset to its "endobj". */
static bool pdf_object(const char *s, const pdf_xref *x, long num, const char **begin,
                       const char **end)
{
    for (size_t i = 0; i < x->n; i++) {
        if (x->v[i].num != num || x->v[i].off >= x->xref_at)
            continue;
        *begin = s + x->v[i].off;
        *end = find_in(*begin, s + x->xref_at, "endobj");
        return *end != NULL;
    }
    return false;
}

typedef struct pdf_insert {
    size_t at; /* inserted before this offset of the original */
    char text[64];
} pdf_insert;

/* Adds /Lang to the catalogue (cairo 1.16 has no API for it) and the "D:" prefix cairo 1.16
 * leaves off the dates it was given, then shifts every object offset in the xref table and
 * startxref. *skipped: the file was not of the expected structure and is left as written.
 * Returns false only when out of memory. */
static bool pdf_finish(jm_buf *pdf, const jm_layout *layout, bool *skipped)
{
    const char *s = pdf->data;
    pdf_xref x = {.root = -1, .info = -1};
    bool oom = false;
    *skipped = false;
    if (!pdf_xref_parse(s, pdf->len, &x, &oom)) {
        jm_free(x.v);
        *skipped = !oom;
        return !oom;
    }

    pdf_insert ins[3];
    size_t n_ins = 0;
    const char *b, *e;
    if (x.info >= 0 && pdf_object(s, &x, x.info, &b, &e)) {
        static const char *const keys[] = {"/CreationDate (", "/ModDate ("};
        for (size_t k = 0; k < 2; k++) {
            const char *p = find_in(b, e, keys[k]);
            if (p && p[strlen(keys[k])] != 'D') {
                ins[n_ins].at = (size_t)(p - s) + strlen(keys[k]);
                snprintf(ins[n_ins++].text, sizeof ins[0].text, "D:");
            }
        }
    }
    const char *lang = layout->map ? nonempty(layout->map->lang) : NULL;
    if (lang && lang_tag_ok(lang)) {
        const char *p = NULL;
        if (pdf_object(s, &x, x.root, &b, &e) && !find_in(b, e, "/Lang"))
            p = find_in(b, e, "/Type /Catalog");
        if (p) {
            ins[n_ins].at = (size_t)(p - s) + strlen("/Type /Catalog");
            snprintf(ins[n_ins++].text, sizeof ins[0].text, "\n   /Lang (%s)", lang);
        } else {
            *skipped = true;
        }
    }
    if (n_ins == 0) {
        jm_free(x.v);
        return true;
    }
    for (size_t i = 1; i < n_ins; i++) /* into file order */
        for (size_t j = i; j > 0 && ins[j].at < ins[j - 1].at; j--) {
            pdf_insert t = ins[j];
            ins[j] = ins[j - 1];
            ins[j - 1] = t;
        }

    jm_buf out = {0};
    size_t from = 0, total = 0;
    for (size_t i = 0; i < n_ins; i++) {
        jm_buf_append(&out, s + from, ins[i].at - from);
        jm_buf_puts(&out, ins[i].text);
        total += strlen(ins[i].text);
        from = ins[i].at;
    }
    jm_buf_append(&out, s + from, x.startxref_num - from);
    jm_buf_printf(&out, "%zu", x.xref_at + total);
    jm_buf_append(&out, s + x.num_end, pdf->len - x.num_end);
    if (out.failed) {
        jm_free(x.v);
        jm_buf_free(&out);
        return false;
    }
    /* The xref table lies after every insertion: it moved by `total`, each object by the
     * insertions before it. The fields are fixed-width, so they are patched in place. */
    for (size_t i = 0; i < x.n; i++) {
        size_t moved = 0;
        for (size_t k = 0; k < n_ins; k++)
            if (ins[k].at <= x.v[i].off)
                moved += strlen(ins[k].text);
        char field[24];
        snprintf(field, sizeof field, "%010zu", x.v[i].off + moved);
        memcpy(out.data + x.v[i].at + total, field, 10);
    }
    jm_free(x.v);
    jm_buf_free(pdf);
    *pdf = out;
    return true;
}

/* ---- Surfaces: the only thing the format decides ----------------------------------------- */

static bool page_size(jm_page page, double *w, double *h)
{
    static const double sizes[][2] = {
        [JM_PAGE_A4] = {842, 595},     [JM_PAGE_A3] = {1191, 842},      [JM_PAGE_A2] = {1684, 1191},
        [JM_PAGE_LETTER] = {792, 612}, [JM_PAGE_TABLOID] = {1224, 792},
    };
    if (page <= JM_PAGE_AUTO || page > JM_PAGE_TABLOID)
        return false;
    *w = sizes[page][0];
    *h = sizes[page][1];
    return true;
}

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
    fmt_num(sw, sizeof sw, l->width);
    fmt_num(sh, sizeof sh, l->height);
    fmt_num(ss, sizeof ss, scale);
    fmt_num(sm, sizeof sm, most);
    if (most >= 0.01)
        snprintf(hint, sizeof hint, "use a smaller --scale (at most %s) or SVG/PDF", sm);
    else
        snprintf(hint, sizeof hint, "use SVG or PDF");
    if (w > PNG_MAX_SIDE || h > PNG_MAX_SIDE)
        render_error(l, diags,
                     "map is %s×%s pt; at --scale %s the PNG would be %.0f×%.0f px, over the "
                     "%d px limit of a side; %s",
                     sw, sh, ss, w, h, PNG_MAX_SIDE, hint);
    else
        render_error(l, diags,
                     "map is %s×%s pt; at --scale %s the PNG would be %.0f×%.0f px (%.0f "
                     "megapixels), over the %.0f-megapixel limit; %s",
                     sw, sh, ss, w, h, w * h / 1e6, PNG_MAX_PIXELS / 1e6, hint);
    return false;
}

typedef struct target {
    jm_format format;
    cairo_surface_t *surface;
    jm_buf out;
    double scale, dx, dy; /* user space: map points scaled, then offset (PDF page fit) */
} target;

static void pdf_metadata(cairo_surface_t *surface, const jm_layout *layout)
{
    const jm_map *map = layout->map;
    const char *title = map ? nonempty(map->title) : NULL;
    const char *subject = map ? nonempty(map->description) : NULL;
    if (!subject && map)
        subject = nonempty(map->subtitle);
    if (title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    if (subject)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, subject);
    char creator[64];
    snprintf(creator, sizeof creator, "journeymap %s", jm_version());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, creator);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, PDF_FIXED_DATE);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, PDF_FIXED_DATE);
}

static bool target_open(target *t, const jm_layout *l, jm_format format, double scale, jm_page page,
                        jm_diags *diags)
{
    t->format = format;
    t->scale = 1;
    switch (format) {
    case JM_FORMAT_PNG: {
        int pw, ph;
        if (!png_size(l, scale, &pw, &ph, diags))
            return false;
        t->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
        t->scale = scale;
        break;
    }
    case JM_FORMAT_SVG:
        t->surface = cairo_svg_surface_create_for_stream(buf_write, &t->out, l->width, l->height);
        cairo_svg_surface_restrict_to_version(t->surface, CAIRO_SVG_VERSION_1_1);
        cairo_svg_surface_set_document_unit(t->surface, CAIRO_SVG_UNIT_PT);
        break;
    case JM_FORMAT_PDF: {
        double pw = l->width, ph = l->height;
        if (page_size(page, &pw, &ph)) {
            t->scale =
                fmin((pw - 2 * PDF_PAGE_MARGIN) / l->width, (ph - 2 * PDF_PAGE_MARGIN) / l->height);
            t->dx = (pw - l->width * t->scale) / 2;
            t->dy = (ph - l->height * t->scale) / 2;
        } else if (pw > PDF_MAX_AUTO_SIDE || ph > PDF_MAX_AUTO_SIDE) {
            char sw[32], sh[32];
            fmt_num(sw, sizeof sw, pw);
            fmt_num(sh, sizeof sh, ph);
            jm_diag_add(diags, JM_SEVERITY_WARNING, map_file(l), 0, 0, "",
                        "the PDF page is %s×%s pt, larger than the %.0f pt (200 in) some "
                        "viewers open; --page A2 (or another size) fits the map on a page",
                        sw, sh, PDF_MAX_AUTO_SIDE);
        }
        t->surface = cairo_pdf_surface_create_for_stream(buf_write, &t->out, pw, ph);
        pdf_metadata(t->surface, l);
        break;
    }
    default:
        render_error(l, diags, "the Cairo backend cannot write %s", format_name(format));
        return false;
    }
    cairo_status_t st = cairo_surface_status(t->surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        render_error(l, diags, "cannot create the %s surface: %s", format_name(format),
                     cairo_status_to_string(st));
        cairo_surface_destroy(t->surface);
        t->surface = NULL;
        jm_buf_free(&t->out);
        return false;
    }
    return true;
}

/* Completes the document into t->out. */
static cairo_status_t target_finish(target *t)
{
    if (t->format == JM_FORMAT_PNG) {
        cairo_surface_flush(t->surface);
        return cairo_surface_write_to_png_stream(t->surface, buf_write, &t->out);
    }
    cairo_surface_finish(t->surface);
    return cairo_surface_status(t->surface);
}

int jm_render_cairo(const jm_layout *layout, jm_format format, double scale, jm_page page,
                    unsigned char **data, size_t *len, jm_diags *diags)
{
    *data = NULL;
    *len = 0;
    if (!layout || layout->failed) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, "", "out of memory while laying out");
        return -1;
    }
    if (!(coord_ok(layout->width) && coord_ok(layout->height) && layout->width > 0 &&
          layout->height > 0)) {
        render_error(layout, diags, "the map has no size to draw (%g×%g pt)", layout->width,
                     layout->height);
        return -1;
    }
    long bad = find_bad_element(layout);
    if (bad >= 0) {
        const jm_element *e = &layout->el[bad];
        jm_diag_add(diags, JM_SEVERITY_ERROR, map_file(layout), 0, 0, e->ref ? e->ref : "",
                    "internal error: layout element %ld (%s) has unusable geometry "
                    "(x %g, y %g, w %g, h %g)",
                    bad, e->kind ? e->kind : "?", e->x, e->y, e->w, e->h);
        return -1;
    }
    if (format == JM_FORMAT_PNG && !(isfinite(scale) && scale > 0)) {
        render_error(layout, diags, "--scale must be a positive number, not %g", scale);
        return -1;
    }

    target t = {0};
    if (!target_open(&t, layout, format, scale, page, diags))
        return -1;
    cairo_t *cr = cairo_create(t.surface);
    cairo_translate(cr, t.dx, t.dy);
    cairo_scale(cr, t.scale, t.scale);
    bool drawn = draw_layout(cr, layout);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (drawn && st == CAIRO_STATUS_SUCCESS)
        st = target_finish(&t);
    cairo_surface_destroy(t.surface);

    const char *error = NULL;
    if (!drawn || t.out.failed || st == CAIRO_STATUS_NO_MEMORY)
        error = "out of memory";
    else if (st != CAIRO_STATUS_SUCCESS)
        error = cairo_status_to_string(st);
    else if (format == JM_FORMAT_SVG)
        error = svg_finish(&t.out, layout);
    else if (format == JM_FORMAT_PDF) {
        bool skipped;
        if (!pdf_finish(&t.out, layout, &skipped))
            error = "out of memory";
        else if (skipped)
            jm_diag_add(diags, JM_SEVERITY_WARNING, map_file(layout), 0, 0, "",
                        "the PDF from cairo has an unexpected structure: its language is not "
                        "set");
    }
    if (error) {
        render_error(layout, diags, "cannot write %s: %s", format_name(format), error);
        jm_buf_free(&t.out);
        return -1;
    }
    *len = t.out.len;
    *data = (unsigned char *)jm_buf_take(&t.out);
    if (!*data) {
        *len = 0;
        render_error(layout, diags, "cannot write %s: out of memory", format_name(format));
        return -1;
    }
    return 0;
}
