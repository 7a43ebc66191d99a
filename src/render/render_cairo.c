/* The Cairo backend: one drawing routine for PNG, SVG and PDF (as in graphviz's Cairo plugin).
 * draw_layout() walks the layout's elements in order and draws each by its shape, colours and
 * text; it decides no geometry. The format only decides which surface is created, how it is
 * finished, and how the finished bytes are tidied:
 *   PNG  image surface at --scale, written by jm_png_encode (libdeflate; 5× Cairo's writer);
 *   SVG  no surface: cairo builds the outlines, and svg_paths.c (shapes, photos) and
 *        svg_text.c (text) write them into the document as they come, with our number
 *        formatting (cairo's SVG surface spent most of an SVG render in snprintf);
 *        title/desc/ARIA before them and a link overlay after;
 *   PDF  cairo's PDF surface with fixed dates (no timestamps), then /Lang added to the
 *        catalogue with the cross-reference table rewritten. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h> /* after stdio.h (it uses FILE) and before jerror.h: not sortable */
#include <libdeflate.h>

#include <jerror.h>

#include "icons.h"
#include "layout/layout.h"
#include "svg_paths.h"
#include "svg_text.h"
#include "util/util.h"

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
    case JM_FORMAT_PNG: return "PNG";
    case JM_FORMAT_SVG: return "SVG";
    case JM_FORMAT_PDF: return "PDF";
    default: return "JSON";
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
        case '&': jm_buf_puts(b, "&amp;"); break;
        case '<': jm_buf_puts(b, "&lt;"); break;
        case '>': jm_buf_puts(b, "&gt;"); break;
        case '"': jm_buf_puts(b, "&quot;"); break;
        case '\'': jm_buf_puts(b, "&apos;"); break;
        case '\t':
        case '\n':
        case '\r': jm_buf_append(b, s, 1); break;
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

/* ---- Photos: decoding JM_SHAPE_IMAGE files ------------------------------------------------ */

/* A persona photo is a few hundred pixels on the map; these bounds only keep a hostile or
 * mistaken file (a 30000×30000 scan, a decompression bomb) from exhausting memory: 40 MP is
 * 160 MB decoded, and is checked from the file's header before anything is decoded. */
#define PHOTO_MAX_SIDE 16384
#define PHOTO_MAX_PIXELS 40e6
/* Resolution a photo is decoded to: output pixels per point (PNG: --scale; PDF/SVG: 288 dpi,
 * enough for print), times this oversampling so the downscaling filter has detail to work
 * with. Larger images are reduced (by libjpeg's DCT scaling, then by cairo) so a 12 MP phone
 * picture neither slows rendering nor bloats an SVG. */
#define PHOTO_VECTOR_PX_PER_PT 4.0
#define PHOTO_OVERSAMPLE 2.0
/* A JPEG is embedded in PDF/SVG as is when it has at most this many times the pixels (a
 * side) of that target resolution. */
#define PHOTO_EMBED_MAX 2.0

typedef struct photo {
    cairo_surface_t *surface; /* NULL: nothing to draw (not an image element) */
    int orientation;          /* EXIF orientation 1…8: how the stored pixels are turned */
} photo;

typedef struct mem_reader {
    const unsigned char *data;
    size_t len, at;
} mem_reader;

static cairo_status_t mem_read(void *closure, unsigned char *out, unsigned int n)
{
    mem_reader *r = closure;
    if (n > r->len - r->at)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->at, n);
    r->at += n;
    return CAIRO_STATUS_SUCCESS;
}

static unsigned rd16(const unsigned char *p, bool le)
{
    return le ? p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p, bool le)
{
    return le ? rd16(p, true) | (uint32_t)rd16(p + 2, true) << 16
              : (uint32_t)rd16(p, false) << 16 | rd16(p + 2, false);
}

/* Room for why a photo cannot be drawn: our words around a libjpeg message. */
#define PHOTO_WHY_MAX (JMSG_LENGTH_MAX + 100)

/* True when a w×h image is within the bounds; else false with the reason in why. */
static bool photo_size_ok(uint32_t w, uint32_t h, char *why)
{
    if (w == 0 || h == 0)
        snprintf(why, PHOTO_WHY_MAX, "has no pixels");
    else if (w > PHOTO_MAX_SIDE || h > PHOTO_MAX_SIDE)
        snprintf(why, PHOTO_WHY_MAX,
                 "is %" PRIu32 "×%" PRIu32 " pixels, over the limit of %d a side; scale it down", w,
                 h, PHOTO_MAX_SIDE);
    else if ((double)w * h > PHOTO_MAX_PIXELS)
        snprintf(why, PHOTO_WHY_MAX,
                 "is %" PRIu32 "×%" PRIu32 " pixels (%.0f megapixels), over the limit of %.0f "
                 "megapixels; scale it down",
                 w, h, (double)w * h / 1e6, PHOTO_MAX_PIXELS / 1e6);
    else
        return true;
    return false;
}

/* The Orientation tag (0x0112) of IFD0 in a JPEG's Exif segment, or 1. Phones store photos
 * as the sensor saw them and record the turn here; viewers apply it, so must we. */
static int exif_orientation(jpeg_saved_marker_ptr m)
{
    for (; m; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 6 + 8 ||
            memcmp(m->data, "Exif\0\0", 6) != 0)
            continue;
        const unsigned char *t = m->data + 6; /* the TIFF header; offsets count from here */
        size_t n = m->data_length - 6;
        bool le = memcmp(t, "II*\0", 4) == 0;
        if (!le && memcmp(t, "MM\0*", 4) != 0)
            continue;
        uint32_t ifd = rd32(t + 4, le);
        if (ifd < 8 || ifd > n - 2)
            continue;
        unsigned count = rd16(t + ifd, le);
        for (unsigned i = 0; i < count; i++) {
            size_t at = ifd + 2 + 12 * (size_t)i;
            if (at + 12 > n)
                break;
            if (rd16(t + at, le) == 0x0112 && rd16(t + at + 2, le) == 3 /* SHORT */) {
                unsigned v = rd16(t + at + 8, le);
                return v >= 1 && v <= 8 ? (int)v : 1;
            }
        }
    }
    return 1;
}

/* libjpeg reports errors by calling error_exit, which must not return (its default exits the
 * process): we jump back to the decoder with the message. Corrupt-data warnings (a truncated
 * file, a damaged segment) are errors too: libjpeg would draw grey or garbage in their place. */
typedef struct jpeg_fail {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    bool out_of_memory; /* set by us, not libjpeg */
} jpeg_fail;

static void jpeg_error_exit(j_common_ptr c)
{
    jpeg_fail *f = (jpeg_fail *)c->err;
    c->err->format_message(c, f->message);
    longjmp(f->jump, 1);
}

static void jpeg_emit_message(j_common_ptr c, int level)
{
    if (level < 0) /* a warning; higher levels are trace output */
        jpeg_error_exit(c);
}

/* The largest DCT scaling denominator d (8, 4, 2 or 1) whose 1/d still keeps the fraction
 * `keep` of the stored resolution: libjpeg then decodes at 1/d the size, for a fraction of the
 * work. */
static unsigned jpeg_denominator(double keep)
{
    unsigned d = 8;
    while (d > 1 && 1.0 / d < keep)
        d /= 2;
    return d;
}

/* Decodes a JPEG into an RGB24 surface. `keep` (0…1] is the fraction of the stored
 * resolution needed; `want_original` asks for full resolution so the file's own bytes can be
 * embedded (PDF/SVG), and is cleared when that cannot be done (CMYK, which cairo would embed
 * with its inks inverted). NULL with the reason in why (PHOTO_WHY_MAX bytes). */
static cairo_surface_t *jpeg_decode(const unsigned char *data, size_t len, double keep,
                                    bool *want_original, int *orientation, char *why)
{
    struct jpeg_decompress_struct ci;
    jpeg_fail fail;
    cairo_surface_t *volatile surface = NULL;
    unsigned char *volatile row = NULL;
    ci.err = jpeg_std_error(&fail.mgr);
    fail.mgr.error_exit = jpeg_error_exit;
    fail.mgr.emit_message = jpeg_emit_message;
    fail.message[0] = '\0';
    fail.out_of_memory = false;
    if (setjmp(fail.jump)) {
        jpeg_destroy_decompress(&ci);
        if (surface)
            cairo_surface_destroy(surface);
        jm_free(row);
        if (fail.out_of_memory)
            snprintf(why, PHOTO_WHY_MAX, "cannot be decoded: out of memory");
        else
            snprintf(why, PHOTO_WHY_MAX, "is not a readable JPEG image (%s)", fail.message);
        return NULL;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_save_markers(&ci, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&ci, TRUE);
    if (!photo_size_ok(ci.image_width, ci.image_height, why)) {
        jpeg_destroy_decompress(&ci);
        return NULL;
    }
    *orientation = exif_orientation(ci.marker_list);
    bool cmyk = ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK;
    if (cmyk)
        *want_original = false;
    /* Decoded to packed RGB (or CMYK) rows and converted here: portable to any libjpeg and
     * either byte order. ISLOW is libjpeg's exact default, the same on every CPU. */
    ci.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    ci.dct_method = JDCT_ISLOW;
    ci.scale_num = 1;
    ci.scale_denom = *want_original ? 1 : jpeg_denominator(keep);
    jpeg_start_decompress(&ci);
    unsigned w = ci.output_width, h = ci.output_height, comps = (unsigned)ci.output_components;
    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
    row = jm_malloc((size_t)w * comps);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS || !row) {
        fail.out_of_memory = true;
        longjmp(fail.jump, 1);
    }
    unsigned char *pixels = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    /* Adobe's CMYK JPEGs store the inks inverted (255 = no ink). */
    bool inverted = ci.saw_Adobe_marker;
    while (ci.output_scanline < h) {
        unsigned char *rows[1] = {row};
        unsigned y = ci.output_scanline;
        if (jpeg_read_scanlines(&ci, rows, 1) != 1)
            break;
        uint32_t *out = (uint32_t *)(pixels + (size_t)y * (size_t)stride);
        for (unsigned x = 0; x < w; x++) {
            const unsigned char *p = row + (size_t)x * comps;
            unsigned r, g, b;
            if (cmyk) {
                unsigned c = p[0], m = p[1], ye = p[2], k = p[3];
                if (!inverted) {
                    c = 255 - c;
                    m = 255 - m;
                    ye = 255 - ye;
                    k = 255 - k;
                }
                r = (c * k + 127) / 255;
                g = (m * k + 127) / 255;
                b = (ye * k + 127) / 255;
            } else if (comps == 1) {
                r = g = b = p[0];
            } else {
                r = p[0];
                g = p[1];
                b = p[2];
            }
            out[x] = (uint32_t)r << 16 | (uint32_t)g << 8 | b;
        }
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    jm_free(row);
    cairo_surface_mark_dirty(surface);
    return surface;
}

/* Decodes a PNG with cairo after checking its size from the IHDR chunk. NULL with the reason
 * in why. */
static cairo_surface_t *png_decode(const unsigned char *data, size_t len, char *why)
{
    if (len < 24 || memcmp(data + 12, "IHDR", 4) != 0) {
        snprintf(why, PHOTO_WHY_MAX, "is not a readable PNG image (no image header)");
        return NULL;
    }
    if (!photo_size_ok(rd32(data + 16, false), rd32(data + 20, false), why))
        return NULL;
    mem_reader r = {data, len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(mem_read, &r);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        /* cairo 1.16 reports every libpng error as NO_MEMORY; with the size bounded above, a
         * damaged file is by far the likelier cause. */
        snprintf(why, PHOTO_WHY_MAX, "is not a readable PNG image (corrupt or truncated)");
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

/* The image's pixels per point once it covers the element's box. */
static double photo_px_per_pt(const jm_element *e, int iw, int ih, int orientation)
{
    bool turned = orientation >= 5; /* 5…8 swap width and height */
    double ow = turned ? ih : iw, oh = turned ? iw : ih;
    return 1 / fmax(e->w / ow, e->h / oh);
}

/* Reduces s to `factor` of its size (0 < factor < 1) with cairo's GOOD filter, which
 * averages over the source pixels when shrinking. Consumes s; NULL when out of memory. */
static cairo_surface_t *photo_shrink(cairo_surface_t *s, double factor)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int nw = (int)fmax(1, ceil(w * factor)), nh = (int)fmax(1, ceil(h * factor));
    cairo_surface_t *out = cairo_image_surface_create(cairo_image_surface_get_format(s), nw, nh);
    cairo_t *cr = cairo_create(out);
    cairo_scale(cr, (double)nw / w, (double)nh / h);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS || cairo_surface_status(out) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(out);
        return NULL;
    }
    return out;
}

/* The stored size and Exif turn of a JPEG, from its header alone. False when the header does
 * not read (the decoder then reports why). */
static bool jpeg_probe(const unsigned char *data, size_t len, uint32_t *w, uint32_t *h,
                       int *orientation)
{
    struct jpeg_decompress_struct ci;
    jpeg_fail fail;
    ci.err = jpeg_std_error(&fail.mgr);
    fail.mgr.error_exit = jpeg_error_exit;
    fail.mgr.emit_message = jpeg_emit_message;
    if (setjmp(fail.jump)) {
        jpeg_destroy_decompress(&ci);
        return false;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_save_markers(&ci, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&ci, TRUE);
    *w = ci.image_width;
    *h = ci.image_height;
    *orientation = exif_orientation(ci.marker_list);
    jpeg_destroy_decompress(&ci);
    return true;
}

/* Loads element e's photo for `format`, at `px_per_pt` output pixels per point. PDF embeds a
 * JPEG's own bytes (no re-encoding, no loss) and SVG a JPEG's or PNG's, through cairo's MIME
 * data; cairo then takes the image's size from those bytes, so the surface keeps its full
 * resolution. Returns false with the error in diags. */
static bool photo_load(const jm_layout *l, const jm_element *e, jm_format format, double px_per_pt,
                       photo *out, jm_diags *diags)
{
    const char *mime = NULL;
    char why[PHOTO_WHY_MAX] = "cannot be decoded";
    /* The bytes the loader read (the renderer opens no file a model names); the map outlives
     * the surface, which keeps them as MIME data without a copy. */
    const unsigned char *d = e->image->data;
    size_t len = e->image->len;
    out->surface = NULL;
    out->orientation = 1;
    double target = px_per_pt * PHOTO_OVERSAMPLE;
    cairo_surface_t *s = NULL;
    if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
        bool original = format == JM_FORMAT_PDF || format == JM_FORMAT_SVG;
        double keep = 1;
        uint32_t w, h;
        int turn;
        if (jpeg_probe(d, len, &w, &h, &turn) && photo_size_ok(w, h, why)) {
            keep = fmin(1, target / photo_px_per_pt(e, (int)w, (int)h, turn));
            /* A file with far more pixels than the photo needs (a 12 MP phone picture in a
             * 44 pt circle) would swell the document tenfold: it goes in reduced instead. */
            if (keep < 1 / PHOTO_EMBED_MAX)
                original = false;
            /* SVG viewers disagree on whether an embedded JPEG's Exif turn applies: a turned
             * photo goes in as decoded pixels, which every viewer draws alike. */
            if (format == JM_FORMAT_SVG && turn != 1)
                original = false;
        }
        s = jpeg_decode(d, len, keep, &original, &out->orientation, why);
        mime = s && original ? CAIRO_MIME_TYPE_JPEG : NULL;
    } else if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
        s = png_decode(d, len, why);
        mime = s && format == JM_FORMAT_SVG ? CAIRO_MIME_TYPE_PNG : NULL;
    } else {
        snprintf(why, sizeof why, "is not a PNG or JPEG image");
    }
    if (s) {
        double have = photo_px_per_pt(e, cairo_image_surface_get_width(s),
                                      cairo_image_surface_get_height(s), out->orientation);
        /* Shrunk when well over the target (within 1.5× one filtering beats two). An embedded
         * JPEG must keep its size; an oversized PNG is smaller re-encoded than embedded. */
        bool embedded_jpeg = mime && strcmp(mime, CAIRO_MIME_TYPE_JPEG) == 0;
        if (have > 1.5 * target && !embedded_jpeg) {
            mime = NULL;
            if (!(s = photo_shrink(s, target / have)))
                snprintf(why, sizeof why, "cannot be scaled: out of memory");
        }
    }
    if (!s) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, map_file(l), 0, 0, e->ref ? e->ref : "",
                    "photo \"%s\" %s", e->image->spec, why);
        return false;
    }
    if (mime) /* without it (out of memory) the decoded pixels are drawn */
        cairo_surface_set_mime_data(s, mime, d, len, NULL, NULL);
    out->surface = s;
    return true;
}

static void photos_free(photo *photos, size_t n)
{
    if (!photos)
        return;
    for (size_t i = 0; i < n; i++)
        if (photos[i].surface)
            cairo_surface_destroy(photos[i].surface);
    jm_free(photos);
}

/* Decodes every photo of the layout before anything is drawn, so a bad file fails the render
 * with its name and no half-drawn document. *out is NULL when the map has no photos. Every
 * bad photo is reported; false when any is. */
static bool photos_load(const jm_layout *l, jm_format format, double scale, photo **out,
                        jm_diags *diags)
{
    *out = NULL;
    size_t n_images = 0;
    for (size_t i = 0; i < l->n; i++)
        n_images += l->el[i].shape == JM_SHAPE_IMAGE && l->el[i].image;
    if (!n_images)
        return true;
    photo *photos = jm_calloc(l->n, sizeof *photos);
    if (!photos) {
        render_error(l, diags, "out of memory loading photos");
        return false;
    }
    double px_per_pt = format == JM_FORMAT_PNG ? scale : PHOTO_VECTOR_PX_PER_PT;
    bool ok = true;
    for (size_t i = 0; i < l->n; i++) {
        const jm_element *e = &l->el[i];
        if (e->shape != JM_SHAPE_IMAGE || !e->image || e->w <= 0 || e->h <= 0)
            continue;
        /* One decoding per file and size: 50 personas sharing a photo decode it once (and a
         * bad one is reported once). */
        size_t j = 0;
        while (j < i && !(l->el[j].shape == JM_SHAPE_IMAGE && l->el[j].image == e->image &&
                          l->el[j].w == e->w && l->el[j].h == e->h))
            j++;
        if (j < i) {
            if (photos[j].surface)
                photos[i].surface = cairo_surface_reference(photos[j].surface);
            photos[i].orientation = photos[j].orientation;
        } else if (!photo_load(l, e, format, px_per_pt, &photos[i], diags)) {
            ok = false;
        }
    }
    if (!ok) {
        photos_free(photos, l->n);
        return false;
    }
    *out = photos;
    return true;
}

/* ---- Drawing: one routine for every format ----------------------------------------------- */

static void set_rgba(cairo_t *cr, jm_rgba c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

/* Where the drawing goes: into cr's surface (PNG, PDF); or, for SVG, cr only builds the
 * outlines and paths and text write them (svg_paths.h, svg_text.h). */
typedef struct canvas {
    cairo_t *cr;
    jm_svg_paths *paths;
    jm_svg_text *text;
    struct svg_groups *groups; /* SVG: the model objects' groups open around the drawing */
} canvas;

/* Fills and then strokes the current path (kept), the stroke in the style already set; a NULL
 * colour or one with alpha 0 is skipped. */
static void paint_path(const canvas *cv, const jm_rgba *fill, const jm_rgba *stroke)
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
static void paint_shape(const canvas *cv, const jm_element *e)
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
static void draw_face_features(const canvas *cv, const jm_element *e)
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

static void draw_icon(const canvas *cv, const jm_element *e)
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
static void draw_text(const canvas *cv, const jm_element *e)
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
        pango_cairo_show_layout(cr, e->layout);
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
static void draw_photo(const canvas *cv, const jm_element *e, const photo *ph)
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
        double k = 1 / photo_px_per_pt(e, iw, ih, ph->orientation);
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

static void draw_element(const canvas *cv, const jm_element *e, const photo *ph)
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

/* Element i's link target, or NULL when it has none or lies inside an element linking to the
 * same place (a card's host label inside the linked card): one link per place, not two
 * overlapping ones for a screen reader to announce twice. */
static const char *link_of(const jm_layout *layout, size_t i)
{
    const char *url = nonempty(layout->el[i].url);
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

/* ---- SVG structure: a group per drawn model object ------------------------------------- */

/* The layout's kinds of element that stand for a model object a reader may want to style, link
 * to or hear as one: each becomes <g class="…" data-ref="JSON pointer"> around its drawing and
 * that of the elements inside it (its descendants that follow it). Other kinds are drawn as
 * they are. */
static const struct {
    const char *kind, *class_name;
} svg_group_kinds[] = {
    {"title", "jm-title"},
    {"subtitle", "jm-subtitle"},
    {"persona", "jm-persona"},
    {"legend", "jm-legend"},
    {"lane", "jm-lane"},
    {"channel_lane", "jm-lane jm-channel"},
    {"stage_header", "jm-stage"},
    {"card", "jm-card"},
    {"action", "jm-action"},
    {"thought", "jm-thought"},
    {"pain", "jm-pain"},
    {"opportunity", "jm-opportunity"},
    {"badge", "jm-moment-of-truth"},
    {"metrics", "jm-metrics"},
    {"item", "jm-item"},
    {"state_before", "jm-state-before"},
    {"state_after", "jm-state-after"},
    {"before", "jm-before"},
    {"emotion_curve", "jm-emotion-curve"},
    {"emotion_point", "jm-emotion-point"},
};

typedef struct svg_groups {
    jm_buf *out;
    size_t *open; /* elements whose group is open, innermost last */
    bool *linked; /* whether that group holds an <a> */
    size_t n_open;
} svg_groups;

static const char *svg_group_class(const jm_element *e)
{
    for (size_t k = 0; k < sizeof svg_group_kinds / sizeof svg_group_kinds[0]; k++)
        if (e->kind && strcmp(e->kind, svg_group_kinds[k].kind) == 0)
            return svg_group_kinds[k].class_name;
    return NULL;
}

static bool is_ancestor(const jm_layout *layout, size_t a, size_t i)
{
    /* parents come before their children, which also bounds the walk */
    for (long p = layout->el[i].parent; p >= 0 && (size_t)p < i; p = layout->el[p].parent) {
        if ((size_t)p == a)
            return true;
        i = (size_t)p;
    }
    return false;
}

static void svg_group_close(svg_groups *g)
{
    g->n_open--;
    jm_buf_puts(g->out, g->linked[g->n_open] ? "</a></g>\n" : "</g>\n");
}

/* Before element i is drawn: closes the groups it lies outside of and opens its own, when it
 * is a model object, links somewhere or has a tooltip (the full text of an ellipsized one). */
static void svg_group_enter(svg_groups *g, const jm_layout *layout, size_t i)
{
    while (g->n_open && !is_ancestor(layout, g->open[g->n_open - 1], i))
        svg_group_close(g);
    const jm_element *e = &layout->el[i];
    const char *cls = svg_group_class(e), *url = link_of(layout, i), *tip = nonempty(e->tooltip);
    if (!cls && !url && !tip)
        return;
    jm_buf *b = g->out;
    jm_buf_puts(b, "<g");
    if (cls) {
        jm_buf_puts(b, " class=\"");
        jm_buf_puts(b, cls);
        jm_buf_puts(b, "\"");
    }
    if (cls && e->ref) {
        jm_buf_puts(b, " data-ref=\"");
        buf_xml(b, e->ref);
        jm_buf_puts(b, "\"");
    }
    jm_buf_puts(b, ">");
    if (tip) {
        jm_buf_puts(b, "<title>");
        buf_xml(b, tip);
        jm_buf_puts(b, "</title>");
    }
    if (url) {
        jm_buf_puts(b, "<a xlink:href=\"");
        buf_xml(b, url);
        jm_buf_puts(b, "\">");
    }
    jm_buf_puts(b, "\n");
    g->open[g->n_open] = i;
    g->linked[g->n_open++] = url != NULL;
}

/* The one drawing routine. Links become PDF annotations (the image surface ignores tags) or,
 * in SVG, <a>s around the linked object's group. photos: decoded photos by element index, or
 * NULL when none. False when out of memory. */
static bool draw_layout(const canvas *cv, const jm_layout *layout, const photo *photos)
{
    for (size_t i = 0; i < layout->n; i++) {
        const jm_element *e = &layout->el[i];
        bool link = !cv->paths && link_of(layout, i) != NULL;
        if (link && !link_begin(cv->cr, e))
            return false;
        if (cv->groups)
            svg_group_enter(cv->groups, layout, i);
        draw_element(cv, e, photos ? &photos[i] : NULL);
        if (link)
            cairo_tag_end(cv->cr, CAIRO_TAG_LINK);
    }
    while (cv->groups && cv->groups->n_open)
        svg_group_close(cv->groups);
    return true;
}

/* ---- The SVG document -------------------------------------------------------------------- */

static void svg_title_desc(jm_buf *b, const jm_layout *layout, const char *id_prefix)
{
    const jm_map *map = layout->map;
    const char *title = map ? nonempty(map->title) : NULL;
    const char *desc = map ? nonempty(map->description) : NULL;
    if (!desc && map)
        desc = nonempty(map->subtitle);
    jm_buf_puts(b, "<title id=\"");
    jm_buf_puts(b, id_prefix);
    jm_buf_puts(b, "title\">");
    buf_xml(b, title ? title : "Customer journey map");
    jm_buf_puts(b, "</title>\n<desc id=\"");
    jm_buf_puts(b, id_prefix);
    jm_buf_puts(b, "desc\">");
    if (desc) {
        buf_xml(b, desc);
    } else {
        size_t stages = map ? map->n_stages : 0, tps = map ? map->n_touchpoints : 0;
        jm_buf_printf(b, "Customer journey map: %zu stage%s, %zu touchpoint%s", stages,
                      stages == 1 ? "" : "s", tps, tps == 1 ? "" : "s");
    }
    jm_buf_puts(b, "</desc>\n");
}

/* The document's start: the root element with its size and accessible name. */
static void svg_open(jm_buf *b, const jm_layout *layout, const char *id_prefix)
{
    jm_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                   "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"");
    jm_buf_number(b, layout->width);
    jm_buf_puts(b, "pt\" height=\"");
    jm_buf_number(b, layout->height);
    jm_buf_puts(b, "pt\" viewBox=\"0 0 ");
    jm_buf_number(b, layout->width);
    jm_buf_puts(b, " ");
    jm_buf_number(b, layout->height);
    /* not role="img", whose content is presentational: a screen reader reads the text layer */
    jm_buf_puts(b, "\" version=\"1.1\" role=\"graphics-document\" aria-labelledby=\"");
    jm_buf_puts(b, id_prefix);
    jm_buf_puts(b, "title ");
    jm_buf_puts(b, id_prefix);
    jm_buf_puts(b, "desc\"");
    const char *lang = layout->map ? nonempty(layout->map->lang) : NULL;
    if (lang && lang_tag_ok(lang))
        jm_buf_printf(b, " xml:lang=\"%s\"", lang);
    /* for the text layer (svg_text.h): spaces kept where they are, each character having its
     * own x; the family only shapes a selection's highlight */
    jm_buf_puts(b, " xml:space=\"preserve\" font-family=\"");
    buf_xml(b, layout->theme && layout->theme->font_family ? layout->theme->font_family
                                                           : "sans-serif");
    jm_buf_puts(b, "\">\n");
    svg_title_desc(b, layout, id_prefix);
}

/* The ids of a document whose options set no prefix start with a stand-in of the final
 * prefix's length ("jm", 8 hex digits, "-"), replaced once the document is complete and can be
 * hashed. Its first byte is a control character, which XML text cannot hold (buf_xml drops
 * them) and nothing else writes, so every one found is a stand-in. */
#define SVG_ID_STANDIN "\001m________-"
#define SVG_ID_LEN (sizeof SVG_ID_STANDIN - 1)
#define SVG_ID_PREFIX_MAX 64

/* 64-bit hash of the document, 8 bytes a step, read little-endian so that every machine
 * gets the same ids; not cryptographic: it only has to tell different maps apart. */
static uint64_t doc_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0x6a09e667f3bcc908ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = 0;
        for (int k = 7; k >= 0; k--)
            w = w << 8 | p[i + (size_t)k];
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    for (; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    return h ^ h >> 32;
}

/* Puts the document's own prefix where the stand-ins are. */
static void svg_settle_ids(jm_buf *b)
{
    if (b->failed || !b->data)
        return;
    char id[SVG_ID_LEN + 1];
    snprintf(id, sizeof id, "jm%08" PRIx32 "-",
             (uint32_t)doc_hash((const unsigned char *)b->data, b->len));
    for (char *p = b->data, *end = b->data + b->len;
         (p = memchr(p, SVG_ID_STANDIN[0], (size_t)(end - p))) != NULL; p += SVG_ID_LEN)
        if ((size_t)(end - p) >= SVG_ID_LEN)
            memcpy(p, id, SVG_ID_LEN);
}

/* An id prefix the user may set: an ASCII XML name, usable in CSS as is when it has no '.'. */
static bool svg_id_prefix_ok(const char *s)
{
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && !strchr("_-.", s[n]))
            return false;
    return n <= SVG_ID_PREFIX_MAX;
}

/* Draws the layout as an SVG document into *out, in one pass: each shape and text as it comes,
 * each model object in a group (svg_group_enter). NULL, or what went wrong. */
static const char *render_svg(struct jm_context *ctx, const jm_layout *layout, const photo *photos,
                              const jm_render_options *opts, jm_buf *out)
{
    const char *prefix = opts->svg_id_prefix ? opts->svg_id_prefix : SVG_ID_STANDIN;
    svg_open(out, layout, prefix);
    /* cr only builds outlines: nothing is ever painted on its surface. */
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    svg_groups groups = {out, jm_calloc(layout->n + 1, sizeof(size_t)),
                         jm_calloc(layout->n + 1, sizeof(bool)), 0};
    canvas cv = {cairo_create(surface), jm_svg_paths_new(out, prefix),
                 jm_svg_text_new(ctx, out, prefix), &groups};
    bool drawn = cv.paths && cv.text && groups.open && groups.linked &&
                 cairo_status(cv.cr) == CAIRO_STATUS_SUCCESS && draw_layout(&cv, layout, photos) &&
                 !jm_svg_paths_failed(cv.paths) && !jm_svg_text_failed(cv.text);
    cairo_status_t st = cairo_status(cv.cr);
    jm_svg_text_free(cv.text);
    jm_svg_paths_free(cv.paths);
    jm_free(groups.open);
    jm_free(groups.linked);
    cairo_destroy(cv.cr);
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS && st != CAIRO_STATUS_NO_MEMORY)
        return cairo_status_to_string(st);
    jm_buf_puts(out, "</svg>\n");
    if (!opts->svg_id_prefix)
        svg_settle_ids(out);
    return drawn && st == CAIRO_STATUS_SUCCESS && !out->failed ? NULL : "out of memory";
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

/* ---- PNG encoding ------------------------------------------------------------------------- */

/* Cairo's own writer (cairo_surface_write_to_png_stream) has libpng try all five filters on
 * every row and deflates with zlib at its default level: three quarters of a PNG render. A
 * cheaper filter alone does not fix it, and zlib's fast levels (also all that libpng offers)
 * stop hashing inside long matches, which loses the matches with the row above that make a
 * map compress: files come out ~40% bigger. So the PNG is written here (signature, IHDR,
 * IDAT, IEND) with libdeflate's fastest level, which keeps those matches: Cairo's file size
 * at a fifth of its time. Filters: a row equal to the one above is Up (all zeros, found by
 * comparing the source rows, so it is not even converted); any other row stays unfiltered
 * and the compressor matches it against the row above one row back, unless rows are longer
 * than deflate's 32 KiB window, where Up does that job. Fixed settings and no time chunk:
 * the same pixels give the same bytes. */

#define PNG_DEFLATE_LEVEL 1      /* libdeflate's fastest; level 2 is 5% smaller at twice the cost */
#define PNG_DEFLATE_WINDOW 32768 /* how far back deflate can match, less its 258-byte lookahead */
#define PNG_IDAT_MAX (1u << 20)  /* bytes of image data per IDAT chunk */
enum { PNG_FILTER_NONE = 0, PNG_FILTER_UP = 2 };

static void png_put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void png_chunk(jm_buf *out, const char *type, const unsigned char *data, size_t n)
{
    unsigned char head[8], tail[4];
    png_put_u32(head, (uint32_t)n);
    memcpy(head + 4, type, 4);
    uint32_t crc = libdeflate_crc32(0, head + 4, 4);
    if (n)
        crc = libdeflate_crc32(crc, data, n);
    png_put_u32(tail, crc);
    jm_buf_append(out, (const char *)head, sizeof head);
    if (n)
        jm_buf_append(out, (const char *)data, n);
    jm_buf_append(out, (const char *)tail, sizeof tail);
}

/* Scanned from the bottom: a map whose height in pixels is fractional has its translucent
 * pixels in the last row, found at once. */
static bool png_opaque(const unsigned char *px, int w, int h, int stride)
{
    for (int y = h - 1; y >= 0; y--) {
        const uint32_t *row = (const uint32_t *)(px + (size_t)y * stride);
        for (int x = 0; x < w; x++)
            if (row[x] < 0xff000000u)
                return false;
    }
    return true;
}

/* One row of premultiplied native-endian ARGB32 as straight RGB or RGBA bytes, un-premultiplied
 * with the same rounding as Cairo's writer (so both files decode to the same pixels). Nearly
 * every pixel is opaque: a first pass only reorders bytes (four at a time; dst has a byte of
 * slack after an RGB row), and only a row with translucent pixels gets a second pass, with the
 * divisions. */
static void png_convert_row(const uint32_t *src, int w, bool alpha, unsigned char *dst)
{
    uint32_t all = 0xffffffffu;
    size_t step = alpha ? 4 : 3;
    for (int x = 0; x < w; x++) {
        uint32_t v = src[x];
        all &= v;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        uint32_t rgba = (v & 0xff00ff00u) | ((v >> 16) & 0xffu) | ((v & 0xffu) << 16);
        memcpy(dst + step * (size_t)x, &rgba, 4);
#else
        unsigned char *d = dst + step * (size_t)x;
        d[0] = (unsigned char)(v >> 16);
        d[1] = (unsigned char)(v >> 8);
        d[2] = (unsigned char)v;
        d[3] = (unsigned char)(v >> 24);
#endif
    }
    if (!alpha || all >= 0xff000000u)
        return;
    for (int x = 0; x < w; x++) {
        uint32_t a = src[x] >> 24;
        if (a == 0xff)
            continue;
        for (int c = 0; c < 3; c++)
            dst[4 * x + c] = a ? (unsigned char)((dst[4 * x + c] * 255u + a / 2) / a) : 0;
    }
}

/* dst = cur − above bytewise (the Up filter), eight bytes at a time: the compiler does not
 * vectorise the plain loop at -O2, and wide maps filter every row this way. */
static void png_filter_up(unsigned char *dst, const unsigned char *cur, const unsigned char *above,
                          size_t n)
{
    const uint64_t high = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t a, b;
        memcpy(&a, cur + i, 8);
        memcpy(&b, above + i, 8);
        uint64_t d = ((a | high) - (b & ~high)) ^ ((a ^ ~b) & high); /* no borrow between bytes */
        memcpy(dst + i, &d, 8);
    }
    for (; i < n; i++)
        dst[i] = (unsigned char)(cur[i] - above[i]);
}

/* The filtered image data: for each row its filter type, then its bytes. */
static unsigned char *png_filter_image(const unsigned char *px, int w, int h, int stride,
                                       bool alpha, size_t row_bytes, size_t *len)
{
    size_t line = row_bytes + 1;
    *len = line * (size_t)h;
    unsigned char *raw = jm_malloc(*len + 1); /* + png_convert_row's slack */
    /* Long rows are filtered Up against the converted row above (`above`; `cur` is scratch). */
    bool wide = line > PNG_DEFLATE_WINDOW - 258;
    unsigned char *above = wide ? jm_calloc(1, row_bytes + 1) : NULL;
    unsigned char *cur = wide ? jm_malloc(row_bytes + 1) : NULL;
    if (!raw || (wide && (!above || !cur))) {
        jm_free(raw);
        raw = NULL;
    }
    for (int y = 0; raw && y < h; y++) {
        const unsigned char *src = px + (size_t)y * stride;
        unsigned char *row = raw + (size_t)y * line;
        if (y > 0 && memcmp(src, src - stride, (size_t)w * 4) == 0) {
            row[0] = PNG_FILTER_UP;
            memset(row + 1, 0, row_bytes);
        } else if (!wide) {
            row[0] = PNG_FILTER_NONE;
            png_convert_row((const uint32_t *)src, w, alpha, row + 1);
        } else {
            row[0] = PNG_FILTER_UP;
            png_convert_row((const uint32_t *)src, w, alpha, cur);
            png_filter_up(row + 1, cur, above, row_bytes);
            unsigned char *t = above;
            above = cur;
            cur = t;
        }
    }
    jm_free(above);
    jm_free(cur);
    return raw;
}

/* Writes an ARGB32 (or RGB24) image surface as a PNG to out: RGB when every pixel is opaque,
 * else RGBA. Not static: bench/bench.c times it against cairo_surface_write_to_png_stream. */
cairo_status_t jm_png_encode(cairo_surface_t *image, jm_buf *out)
{
    cairo_surface_flush(image);
    const unsigned char *px = cairo_image_surface_get_data(image);
    int w = cairo_image_surface_get_width(image), h = cairo_image_surface_get_height(image);
    int stride = cairo_image_surface_get_stride(image);
    cairo_format_t format = cairo_image_surface_get_format(image);
    if (!px || w <= 0 || h <= 0 || (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24))
        return CAIRO_STATUS_INVALID_FORMAT;
    bool alpha = format == CAIRO_FORMAT_ARGB32 && !png_opaque(px, w, h, stride);
    size_t row_bytes = (size_t)w * (alpha ? 4 : 3), raw_len;
    if ((size_t)h > (SIZE_MAX - 1) / (row_bytes + 1))
        return CAIRO_STATUS_NO_MEMORY;

    unsigned char *raw = png_filter_image(px, w, h, stride, alpha, row_bytes, &raw_len);
    struct libdeflate_compressor *c = raw ? libdeflate_alloc_compressor(PNG_DEFLATE_LEVEL) : NULL;
    size_t bound = c ? libdeflate_zlib_compress_bound(c, raw_len) : 0;
    unsigned char *z = bound ? jm_malloc(bound) : NULL;
    size_t z_len = z ? libdeflate_zlib_compress(c, raw, raw_len, z, bound) : 0;
    libdeflate_free_compressor(c);
    jm_free(raw);
    if (z_len == 0) {
        jm_free(z);
        return CAIRO_STATUS_NO_MEMORY;
    }

    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13];
    png_put_u32(ihdr, (uint32_t)w);
    png_put_u32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;                        /* bits per channel */
    ihdr[9] = alpha ? 6 : 2;            /* colour type: RGBA or RGB */
    ihdr[10] = ihdr[11] = ihdr[12] = 0; /* deflate, adaptive filtering, not interlaced */
    jm_buf_append(out, (const char *)signature, sizeof signature);
    png_chunk(out, "IHDR", ihdr, sizeof ihdr);
    for (size_t at = 0; at < z_len; at += PNG_IDAT_MAX)
        png_chunk(out, "IDAT", z + at, z_len - at < PNG_IDAT_MAX ? z_len - at : PNG_IDAT_MAX);
    png_chunk(out, "IEND", NULL, 0);
    jm_free(z);
    return out->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
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
        return jm_png_encode(t->surface, &t->out);
    }
    cairo_surface_finish(t->surface);
    return cairo_surface_status(t->surface);
}

int jm_render_cairo(struct jm_context *ctx, const jm_layout *layout, jm_format format, double scale,
                    jm_page page, unsigned char **data, size_t *len, jm_diags *diags)
{
    jm_render_options o;
    jm_render_options_init(&o);
    o.format = format;
    o.scale = scale;
    o.page = page;
    return jm_render_cairo_opts(ctx, layout, &o, data, len, diags);
}

int jm_render_cairo_opts(struct jm_context *ctx, const jm_layout *layout,
                         const jm_render_options *opts, unsigned char **data, size_t *len,
                         jm_diags *diags)
{
    jm_format format = opts->format;
    double scale = opts->scale;
    jm_page page = opts->page;
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

    if (format == JM_FORMAT_SVG && opts->svg_id_prefix && !svg_id_prefix_ok(opts->svg_id_prefix)) {
        render_error(layout, diags,
                     "the SVG id prefix '%.80s' is not an XML name of at most %d characters (a "
                     "letter or '_', then letters, digits, '_', '-' or '.')",
                     opts->svg_id_prefix, SVG_ID_PREFIX_MAX);
        return -1;
    }

    photo *photos;
    if (!photos_load(layout, format, scale, &photos, diags))
        return -1;
    target t = {0};
    const char *error = NULL;
    if (format == JM_FORMAT_SVG) {
        error = render_svg(ctx, layout, photos, opts, &t.out);
        photos_free(photos, layout->n);
    } else {
        if (!target_open(&t, layout, format, scale, page, diags)) {
            photos_free(photos, layout->n);
            return -1;
        }
        canvas cv = {cairo_create(t.surface), NULL, NULL, NULL};
        cairo_translate(cv.cr, t.dx, t.dy);
        cairo_scale(cv.cr, t.scale, t.scale);
        bool drawn = draw_layout(&cv, layout, photos);
        cairo_status_t st = cairo_status(cv.cr);
        cairo_destroy(cv.cr);
        if (drawn && st == CAIRO_STATUS_SUCCESS)
            st = target_finish(&t);
        cairo_surface_destroy(t.surface);
        photos_free(photos, layout->n);

        if (!drawn || t.out.failed || st == CAIRO_STATUS_NO_MEMORY)
            error = "out of memory";
        else if (st != CAIRO_STATUS_SUCCESS)
            error = cairo_status_to_string(st);
        else if (format == JM_FORMAT_PDF) {
            bool skipped;
            if (!pdf_finish(&t.out, layout, &skipped))
                error = "out of memory";
            else if (skipped)
                jm_diag_add(diags, JM_SEVERITY_WARNING, map_file(layout), 0, 0, "",
                            "the PDF from cairo has an unexpected structure: its language is "
                            "not set");
        }
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
