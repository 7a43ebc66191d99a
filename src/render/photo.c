/* Persona photos (JM_SHAPE_IMAGE elements): read, checked, decoded (JPEG with its Exif turn,
 * PNG) and reduced to the resolution the output needs, before anything is drawn. */
#include "photo.h"

#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h> /* after stdio.h (it uses FILE) and before jerror.h: not sortable */

#include <jerror.h>

#include "common.h"
#include "png_encode.h"
#include "util/diag.h"

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
    cairo_surface_t *s = jm_png_decode(data, len);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        /* cairo 1.16 reports every libpng error as NO_MEMORY; with the size bounded above, a
         * damaged file is by far the likelier cause. */
        snprintf(why, PHOTO_WHY_MAX, "is not a readable PNG image (corrupt or truncated)");
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

double jm_photo_px_per_pt(const jm_element *e, int iw, int ih, int orientation)
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

/* Loads element e's photo as `policy` says, at `px_per_pt` output pixels per point. PDF embeds a
 * JPEG's own bytes (no re-encoding, no loss) and SVG a JPEG's or PNG's, through cairo's MIME
 * data; cairo then takes the image's size from those bytes, so the surface keeps its full
 * resolution. Returns false with the error in diags. */
static bool photo_load(const jm_layout *l, const jm_element *e, const jm_photo_policy *policy,
                       double px_per_pt, jm_photo *out, jm_diags *diags)
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
        bool original = policy->embed_jpeg;
        double keep = 1;
        uint32_t w, h;
        int turn;
        if (jpeg_probe(d, len, &w, &h, &turn) && photo_size_ok(w, h, why)) {
            keep = fmin(1, target / jm_photo_px_per_pt(e, (int)w, (int)h, turn));
            /* A file with far more pixels than the photo needs (a 12 MP phone picture in a
             * 44 pt circle) would swell the document tenfold: it goes in reduced instead. */
            if (keep < 1 / PHOTO_EMBED_MAX)
                original = false;
            /* SVG viewers disagree on whether an embedded JPEG's Exif turn applies: a turned
             * photo goes in as decoded pixels, which every viewer draws alike. */
            if (!policy->embed_turned_jpeg && turn != 1)
                original = false;
        }
        s = jpeg_decode(d, len, keep, &original, &out->orientation, why);
        mime = s && original ? CAIRO_MIME_TYPE_JPEG : NULL;
    } else if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
        s = png_decode(d, len, why);
        mime = s && policy->embed_png ? CAIRO_MIME_TYPE_PNG : NULL;
    } else {
        snprintf(why, sizeof why, "is not a PNG or JPEG image");
    }
    if (s) {
        double have = jm_photo_px_per_pt(e, cairo_image_surface_get_width(s),
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
        jm_diag_add(diags, JM_SEVERITY_ERROR, jm_render_file(l), 0, 0, e->ref ? e->ref : "",
                    "%s \"%s\" %s",
                    strcmp(e->kind, "photo") == 0  ? "photo"
                    : strcmp(e->kind, "logo") == 0 ? "logo"
                                                   : "image",
                    e->image->spec, why);
        return false;
    }
    if (mime) /* without it (out of memory) the decoded pixels are drawn */
        cairo_surface_set_mime_data(s, mime, d, len, NULL, NULL);
    out->surface = s;
    return true;
}

void jm_photos_free(jm_photo *photos, size_t n)
{
    if (!photos)
        return;
    for (size_t i = 0; i < n; i++)
        if (photos[i].surface)
            cairo_surface_destroy(photos[i].surface);
    jm_free(photos);
}

bool jm_photos_load(const jm_layout *l, const jm_photo_policy *policy, double scale, jm_photo **out,
                    jm_diags *diags)
{
    *out = NULL;
    size_t n_images = 0;
    for (size_t i = 0; i < l->n; i++)
        n_images += l->el[i].shape == JM_SHAPE_IMAGE && l->el[i].image;
    if (!n_images)
        return true;
    jm_photo *photos = jm_calloc(l->n, sizeof *photos);
    if (!photos) {
        jm_render_error(l, diags, "out of memory loading photos");
        return false;
    }
    double px_per_pt = policy->at_scale ? scale : PHOTO_VECTOR_PX_PER_PT;
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
        } else if (!photo_load(l, e, policy, px_per_pt, &photos[i], diags)) {
            ok = false;
        }
    }
    if (!ok) {
        jm_photos_free(photos, l->n);
        return false;
    }
    *out = photos;
    return true;
}
