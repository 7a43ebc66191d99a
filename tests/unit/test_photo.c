/* Persona photos in the Cairo backend (JM_SHAPE_IMAGE): PNG and JPEG (RGB, grayscale, CMYK,
 * every Exif orientation that turns), scaled to cover the box and centre-cropped, clipped to a
 * circle, stroked; embedded as the original JPEG in PDF and SVG; and every way a file can be
 * bad (missing, not an image, truncated, corrupt, too large) an error naming it, never a
 * crash. The photos are written by the test itself into a scratch folder. */
#include <cairo.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>

#include "layout/layout.h"
#include "model/model.h"
#include "render/png_encode.h"
#include "render/render.h"
#include "testutil.h"
#include "util/util.h"

static char dir[64];
static jm_map test_map;

typedef struct rgb {
    int r, g, b;
} rgb;

static const rgb RED = {220, 30, 30}, GREEN = {30, 180, 60}, BLUE = {30, 60, 220},
                 WHITE = {255, 255, 255};

/* ---- Writing test photos ------------------------------------------------------------------ */

static char *scratch(const char *name)
{
    static char path[8][128];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    return p;
}

typedef rgb (*painter)(int x, int y, int w, int h);

/* Three vertical bands: red, green (the middle half), blue. */
static rgb bands_across(int x, int y, int w, int h)
{
    (void)y;
    (void)h;
    return x < w / 4 ? RED : x < w * 3 / 4 ? GREEN : BLUE;
}

/* Three horizontal bands: red, green (the middle half), blue. */
static rgb bands_down(int x, int y, int w, int h)
{
    (void)x;
    (void)w;
    return y < h / 4 ? RED : y < h * 3 / 4 ? GREEN : BLUE;
}

/* Quadrants: red top left, blue top right, green bottom left, white bottom right. Any turn
 * or mirroring moves red and blue to a pair of corners of its own. */
static rgb quadrants(int x, int y, int w, int h)
{
    bool left = x < w / 2, top = y < h / 2;
    return top ? (left ? RED : BLUE) : (left ? GREEN : WHITE);
}

/* Red on the left half, blue on the right. */
static rgb halves(int x, int y, int w, int h)
{
    (void)y;
    (void)h;
    return x < w / 2 ? RED : BLUE;
}

static void write_png(const char *path, int w, int h, painter paint)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            rgb c = paint(x, y, w, h);
            ((uint32_t *)(px + y * stride))[x] = (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
        }
    cairo_surface_mark_dirty(s);
    ck_assert_int_eq(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

/* An Exif APP1 segment holding only IFD0's Orientation tag, in the given byte order. */
static size_t exif_segment(unsigned char *out, int orientation, bool big_endian)
{
    static const unsigned char le[] = {'E', 'x', 'i', 'f', 0, 0,    'I',  'I', 42, 0, 8,
                                       0,   0,   0,   1,   0, 0x12, 0x01, 3,   0,  1, 0,
                                       0,   0,   0,   0,   0, 0,    0,    0,   0,  0};
    static const unsigned char be[] = {'E', 'x', 'i', 'f', 0, 0,    'M',  'M', 0, 42, 0,
                                       0,   0,   8,   0,   1, 0x01, 0x12, 0,   3, 0,  0,
                                       0,   1,   0,   0,   0, 0,    0,    0,   0, 0};
    memcpy(out, big_endian ? be : le, sizeof le);
    /* the SHORT value sits in the first two bytes of the entry's value field */
    out[24 + (big_endian ? 1 : 0)] = (unsigned char)orientation;
    return sizeof le;
}

/* components: 3 RGB, 1 grayscale, 4 CMYK stored inverted with an Adobe marker (as Photoshop
 * writes them). orientation 0: no Exif segment. */
static void write_jpeg(const char *path, int w, int h, painter paint, int components,
                       int orientation)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr err;
    ci.err = jpeg_std_error(&err);
    jpeg_create_compress(&ci);
    jpeg_stdio_dest(&ci, f);
    ci.image_width = (JDIMENSION)w;
    ci.image_height = (JDIMENSION)h;
    ci.input_components = components;
    ci.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 4 ? JCS_CMYK : JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, 95, TRUE);
    jpeg_start_compress(&ci, TRUE);
    if (orientation) {
        unsigned char seg[64];
        size_t n = exif_segment(seg, orientation, orientation % 2 == 0);
        jpeg_write_marker(&ci, JPEG_APP0 + 1, seg, (unsigned)n);
    }
    unsigned char *row = malloc((size_t)w * (size_t)components);
    while (ci.next_scanline < ci.image_height) {
        int y = (int)ci.next_scanline;
        for (int x = 0; x < w; x++) {
            rgb c = paint(x, y, w, h);
            unsigned char *p = row + x * components;
            if (components == 1) {
                p[0] = (unsigned char)c.g;
            } else if (components == 3) {
                p[0] = (unsigned char)c.r;
                p[1] = (unsigned char)c.g;
                p[2] = (unsigned char)c.b;
            } else { /* naive CMYK with no black, stored inverted */
                p[0] = (unsigned char)c.r;
                p[1] = (unsigned char)c.g;
                p[2] = (unsigned char)c.b;
                p[3] = 255;
            }
        }
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&ci, rows, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    fclose(f);
    free(row);
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(d, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return d;
}

static void write_all(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* ---- A layout: a white page with one photo ------------------------------------------------ */

#define PAGE 120.0

/* The file at path as the loader would hand it over (jm_named_file_read): its bytes, named by
 * the path. Freed by free_layout. */
static const jm_named_file *named(const char *path)
{
    jm_named_file *f = calloc(1, sizeof *f);
    f->spec = strdup(path);
    f->name = strdup(path);
    f->data = read_all(path, &f->len);
    return f;
}

static jm_layout *photo_layout(const char *path, double x, double y, double w, double h,
                               double radius)
{
    jm_layout *l = calloc(1, sizeof *l);
    l->width = PAGE;
    l->height = PAGE;
    l->cap = 2;
    l->el = calloc(l->cap, sizeof *l->el);
    l->map = &test_map;
    l->state = JM_STATE_AFTER;
    l->n = 2;
    l->el[0] = (jm_element){.kind = "map",
                            .w = PAGE,
                            .h = PAGE,
                            .parent = -1,
                            .column = -1,
                            .shape = JM_SHAPE_RECT,
                            .fill = {1, 1, 1, 1}};
    l->el[1] = (jm_element){.kind = "photo",
                            .x = x,
                            .y = y,
                            .w = w,
                            .h = h,
                            .parent = 0,
                            .column = -1,
                            .shape = JM_SHAPE_IMAGE,
                            .radius = radius,
                            .ref = "/persona/photo",
                            .image = named(path)};
    return l;
}

static void free_layout(jm_layout *l)
{
    for (size_t i = 0; i < l->n; i++) {
        jm_named_file *f = (jm_named_file *)l->el[i].image;
        if (!f)
            continue;
        for (size_t j = i; j < l->n; j++) /* each file once, however many elements show it */
            if (l->el[j].image == f)
                l->el[j].image = NULL;
        free(f->spec);
        free(f->name);
        free(f->data);
        free(f);
    }
    free(l->el);
    free(l);
}

typedef struct out {
    unsigned char *data;
    size_t len;
} out;

static out render_ok(const jm_layout *l, jm_format f, double scale)
{
    out o = {0};
    jm_diags *d = jm_diags_new();
    int rc = jm_render_layout(NULL, l, f, scale, JM_PAGE_AUTO, &o.data, &o.len, d);
    const jm_diag *g = jm_diags_get(d, 0);
    ck_assert_msg(rc == 0, "render failed: %s", g ? g->message : "?");
    ck_assert_uint_eq(jm_diags_count(d), 0);
    jm_diags_free(d);
    return o;
}

/* The error message of a render that must fail. Caller frees. */
static char *render_error(const jm_layout *l, jm_format f)
{
    unsigned char *data = (unsigned char *)"junk";
    size_t len = 1;
    jm_diags *d = jm_diags_new();
    int rc = jm_render_layout(NULL, l, f, 1, JM_PAGE_AUTO, &data, &len, d);
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_null(data);
    ck_assert_uint_eq(len, 0);
    ck_assert_uint_eq(jm_diags_error_count(d), 1);
    const jm_diag *g = jm_diags_get(d, 0);
    ck_assert_str_eq(g->file, "photo.json");
    ck_assert_str_eq(g->path, "/persona/photo");
    char *m = strdup(g->message);
    jm_diags_free(d);
    return m;
}

/* PNG output decoded back into pixels. */
typedef struct picture {
    cairo_surface_t *s;
    double scale;
} picture;

static picture draw(const jm_layout *l, double scale)
{
    out o = render_ok(l, JM_FORMAT_PNG, scale);
    picture p = {jm_png_decode(o.data, o.len), scale};
    ck_assert_int_eq(cairo_surface_status(p.s), CAIRO_STATUS_SUCCESS);
    jm_free(o.data);
    return p;
}

/* The colour at map point (x, y). */
static rgb at(const picture *p, double x, double y)
{
    int px = (int)(x * p->scale), py = (int)(y * p->scale);
    const unsigned char *d = cairo_image_surface_get_data(p->s);
    uint32_t v = ((const uint32_t *)(d + py * cairo_image_surface_get_stride(p->s)))[px];
    return (rgb){(int)(v >> 16 & 255), (int)(v >> 8 & 255), (int)(v & 255)};
}

static bool near(rgb a, rgb b, int tol)
{
    return abs(a.r - b.r) <= tol && abs(a.g - b.g) <= tol && abs(a.b - b.b) <= tol;
}

#define ASSERT_COLOUR(p, x, y, want, tol)                                                          \
    do {                                                                                           \
        rgb got_ = at(p, x, y);                                                                    \
        ck_assert_msg(near(got_, want, tol), "at (%g, %g): got %d,%d,%d, want %d,%d,%d",           \
                      (double)(x), (double)(y), got_.r, got_.g, got_.b, (want).r, (want).g,        \
                      (want).b);                                                                   \
    } while (0)

/* ---- Tests -------------------------------------------------------------------------------- */

/* A wide photo in a square box: scaled to the box's height, its middle kept, its sides cut;
 * a tall one likewise top and bottom. With a radius the corners are clipped away. */
START_TEST(png_covers_the_box_centre_cropped)
{
    char *wide = scratch("wide.png"), *tall = scratch("tall.png");
    write_png(wide, 200, 100, bands_across);
    write_png(tall, 100, 200, bands_down);
    for (int round = 0; round < 2; round++) {
        jm_layout *l = photo_layout(wide, 20, 20, 80, 80, round ? 40 : 0);
        picture p = draw(l, 2);
        ASSERT_COLOUR(&p, 60, 60, GREEN, 0);
        ASSERT_COLOUR(&p, 21, 60, GREEN, 0);                 /* the red band was cropped off */
        ASSERT_COLOUR(&p, 99, 60, GREEN, 0);                 /* and the blue one */
        ASSERT_COLOUR(&p, 10, 60, WHITE, 0);                 /* nothing outside the box */
        ASSERT_COLOUR(&p, 21, 21, round ? WHITE : GREEN, 0); /* a corner, clipped when round */
        cairo_surface_destroy(p.s);
        free_layout(l);

        l = photo_layout(tall, 20, 20, 80, 80, round ? 40 : 0);
        p = draw(l, 2);
        ASSERT_COLOUR(&p, 60, 21, GREEN, 0);
        ASSERT_COLOUR(&p, 60, 99, GREEN, 0);
        ASSERT_COLOUR(&p, 60, 101, WHITE, 0);
        cairo_surface_destroy(p.s);
        free_layout(l);
    }
    /* A box wider than the photo's shape: now the top and bottom are cut. */
    jm_layout *l = photo_layout(wide, 10, 40, 100, 20, 0);
    picture p = draw(l, 2);
    ASSERT_COLOUR(&p, 11, 50, RED, 0);
    ASSERT_COLOUR(&p, 60, 50, GREEN, 0);
    ASSERT_COLOUR(&p, 109, 50, BLUE, 0);
    cairo_surface_destroy(p.s);
    free_layout(l);
}
END_TEST

/* The frame's stroke is drawn over the photo's edge; the fill shows only where the photo is
 * transparent. */
START_TEST(stroke_over_the_edge)
{
    char *path = scratch("stroke.png");
    write_png(path, 50, 50, bands_across);
    jm_layout *l = photo_layout(path, 20, 20, 80, 80, 40);
    l->el[1].stroke = (jm_rgba){0, 0, 0, 1};
    l->el[1].stroke_width = 4;
    l->el[1].fill = (jm_rgba){1, 1, 0, 1};
    picture p = draw(l, 2);
    ASSERT_COLOUR(&p, 60, 20.5, ((rgb){0, 0, 0}), 0); /* top of the circle */
    ASSERT_COLOUR(&p, 99.5, 60, ((rgb){0, 0, 0}), 0); /* right of it */
    ASSERT_COLOUR(&p, 60, 60, GREEN, 0);
    cairo_surface_destroy(p.s);
    free_layout(l);
}
END_TEST

START_TEST(jpeg_rgb_gray_and_cmyk)
{
    static const struct {
        const char *name;
        int components;
        rgb want_left;
    } cases[] = {{"rgb.jpg", 3, RED}, {"gray.jpg", 1, {30, 30, 30}}, {"cmyk.jpg", 4, RED}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = scratch(cases[i].name);
        write_jpeg(path, 160, 80, halves, cases[i].components, 0);
        jm_layout *l = photo_layout(path, 0, 20, 120, 60, 0);
        picture p = draw(l, 1);
        ASSERT_COLOUR(&p, 20, 50, cases[i].want_left, 8);
        rgb right = cases[i].components == 1 ? (rgb){60, 60, 60} : BLUE;
        ASSERT_COLOUR(&p, 100, 50, right, 8);
        cairo_surface_destroy(p.s);
        free_layout(l);
    }
}
END_TEST

/* Phones store the sensor's pixels and an Exif turn: the photo must appear upright. The
 * stored image has red top left and blue top right; each orientation moves them (Exif 2.3,
 * tag 0x0112: where the stored 0th row and 0th column are seen). */
START_TEST(jpeg_exif_orientation)
{
    enum { TL, TR, BL, BR };
    static const double corner[4][2] = {{40, 40}, {80, 40}, {40, 80}, {80, 80}};
    static const struct {
        int orientation, red, blue;
    } cases[] = {
        {1, TL, TR}, /* as stored */
        {2, TR, TL}, /* mirrored */
        {3, BR, BL}, /* upside down */
        {4, BL, BR}, /* mirrored upside down */
        {5, TL, BL}, /* transposed */
        {6, TR, BR}, /* stored a quarter turn back: shown turned clockwise */
        {7, BR, TR}, /* transversed */
        {8, BL, TL}, /* stored a quarter turn clockwise: shown turned back */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "turn%d.jpg", cases[i].orientation);
        char *path = scratch(name);
        write_jpeg(path, 80, 80, quadrants, 3, cases[i].orientation);
        jm_layout *l = photo_layout(path, 20, 20, 80, 80, 0);
        picture p = draw(l, 1);
        ASSERT_COLOUR(&p, corner[cases[i].red][0], corner[cases[i].red][1], RED, 10);
        ASSERT_COLOUR(&p, corner[cases[i].blue][0], corner[cases[i].blue][1], BLUE, 10);
        cairo_surface_destroy(p.s);
        free_layout(l);
    }
}
END_TEST

static bool contains(const unsigned char *hay, size_t n, const void *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return true;
    return false;
}

static void base64(const unsigned char *in, size_t n, char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        for (int k = 0; k < 4; k++)
            *out++ = abc[v >> (18 - 6 * k) & 63];
    }
    *out = '\0';
}

/* PDF and SVG carry a JPEG's own bytes (no re-encoding); SVG a PNG's too. */
START_TEST(vector_formats_embed_the_original)
{
    char *jpg = scratch("embed.jpg"), *png = scratch("embed.png");
    write_jpeg(jpg, 120, 90, halves, 3, 0);
    write_png(png, 120, 90, halves);
    size_t jlen, plen;
    unsigned char *jbytes = read_all(jpg, &jlen), *pbytes = read_all(png, &plen);

    jm_layout *l = photo_layout(jpg, 20, 20, 60, 60, 30);
    out o = render_ok(l, JM_FORMAT_PDF, 1);
    ck_assert(contains(o.data, o.len, "/DCTDecode", 10));
    ck_assert(contains(o.data, o.len, jbytes, jlen));
    jm_free(o.data);
    char b64[200];
    base64(jbytes, 60, b64);
    o = render_ok(l, JM_FORMAT_SVG, 1);
    ck_assert(contains(o.data, o.len, "data:image/jpeg;base64,", 23));
    ck_assert(contains(o.data, o.len, b64, strlen(b64)));
    jm_free(o.data);
    free_layout(l);

    l = photo_layout(png, 20, 20, 60, 60, 30);
    o = render_ok(l, JM_FORMAT_SVG, 1);
    base64(pbytes, 60, b64);
    ck_assert(contains(o.data, o.len, "data:image/png;base64,", 22));
    ck_assert(contains(o.data, o.len, b64, strlen(b64)));
    jm_free(o.data);
    free_layout(l);
    free(jbytes);
    free(pbytes);
}
END_TEST

/* A photo with far more pixels than its box needs is reduced, not embedded whole: a 1600 px
 * JPEG in a 20 pt circle needs about 160. */
START_TEST(oversized_photo_is_reduced)
{
    char *jpg = scratch("large.jpg");
    write_jpeg(jpg, 1600, 1200, halves, 3, 0);
    size_t jlen;
    unsigned char *jbytes = read_all(jpg, &jlen);
    jm_layout *l = photo_layout(jpg, 20, 20, 20, 20, 10);
    out o = render_ok(l, JM_FORMAT_PDF, 1);
    ck_assert(!contains(o.data, o.len, "/DCTDecode", 10));
    ck_assert_uint_lt(o.len, jlen);
    jm_free(o.data);
    o = render_ok(l, JM_FORMAT_SVG, 1);
    ck_assert(!contains(o.data, o.len, "data:image/jpeg", 15));
    ck_assert_uint_lt(o.len, jlen);
    jm_free(o.data);
    /* and it still looks right */
    picture p = draw(l, 2);
    ASSERT_COLOUR(&p, 25, 30, RED, 10);
    ASSERT_COLOUR(&p, 35, 30, BLUE, 10);
    cairo_surface_destroy(p.s);
    free_layout(l);
    free(jbytes);

    /* A large PNG goes into SVG re-encoded small rather than as is. */
    char *png = scratch("large.png");
    write_png(png, 1600, 1200, halves);
    size_t plen;
    unsigned char *pbytes = read_all(png, &plen);
    char b64[200];
    base64(pbytes, 60, b64);
    l = photo_layout(png, 20, 20, 20, 20, 10);
    o = render_ok(l, JM_FORMAT_SVG, 1);
    ck_assert(!contains(o.data, o.len, b64, strlen(b64)));
    ck_assert(contains(o.data, o.len, "data:image/png;base64,", 22));
    jm_free(o.data);
    free_layout(l);
    free(pbytes);
}
END_TEST

START_TEST(same_bytes_every_time)
{
    char *jpg = scratch("det.jpg"), *png = scratch("det.png");
    write_jpeg(jpg, 300, 200, bands_across, 3, 6);
    write_png(png, 300, 200, bands_down);
    const char *paths[] = {jpg, png};
    for (int k = 0; k < 2; k++) {
        jm_layout *l = photo_layout(paths[k], 20, 20, 44, 44, 22);
        for (jm_format f = JM_FORMAT_PNG; f <= JM_FORMAT_PDF; f++) {
            out a = render_ok(l, f, 2), b = render_ok(l, f, 2);
            ck_assert_uint_eq(a.len, b.len);
            ck_assert(memcmp(a.data, b.data, a.len) == 0);
            jm_free(a.data);
            jm_free(b.data);
        }
        free_layout(l);
    }
}
END_TEST

/* Patches a JPEG's frame header (SOF0) to claim another size. */
static void jpeg_claim_size(unsigned char *d, size_t n, unsigned w, unsigned h)
{
    for (size_t i = 2; i + 9 < n; i++)
        if (d[i] == 0xFF && d[i + 1] == 0xC0) {
            d[i + 5] = (unsigned char)(h >> 8);
            d[i + 6] = (unsigned char)h;
            d[i + 7] = (unsigned char)(w >> 8);
            d[i + 8] = (unsigned char)w;
            return;
        }
    ck_abort_msg("no SOF0 marker");
}

static void expect_error(const char *path, const char *phrase)
{
    for (jm_format f = JM_FORMAT_PNG; f <= JM_FORMAT_PDF; f++) {
        jm_layout *l = photo_layout(path, 20, 20, 44, 44, 22);
        char *m = render_error(l, f);
        ck_assert_msg(strstr(m, path) && strstr(m, phrase), "message \"%s\" lacks \"%s\"", m,
                      phrase);
        free(m);
        free_layout(l);
    }
}

START_TEST(bad_files_are_errors_naming_them)
{
    char *good_jpg = scratch("good.jpg"), *good_png = scratch("good.png");
    write_jpeg(good_jpg, 64, 48, halves, 3, 0);
    write_png(good_png, 64, 48, halves);
    size_t jlen, plen;
    unsigned char *j = read_all(good_jpg, &jlen), *p = read_all(good_png, &plen);

    char *text = scratch("text.png");
    write_all(text, "hello, world", 12);
    expect_error(text, "is not a PNG or JPEG image");

    char *cut = scratch("cut.jpg");
    write_all(cut, j, jlen / 2);
    expect_error(cut, "is not a readable JPEG image (Premature end of JPEG file)");
    char *head = scratch("head.jpg");
    write_all(head, j, 3);
    expect_error(head, "is not a readable JPEG image");
    char *cut_png = scratch("cut.png");
    write_all(cut_png, p, plen - 20);
    expect_error(cut_png, "is not a readable PNG image");
    char *bare_png = scratch("bare.png");
    write_all(bare_png, p, 16);
    expect_error(bare_png, "is not a readable PNG image (no image header)");

    /* Sizes are refused from the header, before anything is decoded. */
    unsigned char *big = malloc(jlen);
    memcpy(big, j, jlen);
    jpeg_claim_size(big, jlen, 20000, 100);
    char *wide = scratch("wide.jpg");
    write_all(wide, big, jlen);
    expect_error(wide, "is 20000×100 pixels, over the limit of 16384 a side");
    jpeg_claim_size(big, jlen, 9000, 9000);
    char *huge = scratch("huge.jpg");
    write_all(huge, big, jlen);
    expect_error(huge, "is 9000×9000 pixels (81 megapixels), over the limit of 40 megapixels");
    unsigned char *bomb = malloc(plen);
    memcpy(bomb, p, plen);
    const unsigned char dims[8] = {0, 0, 0x3A, 0x98, 0, 0, 0x3A, 0x98}; /* 15000×15000 */
    memcpy(bomb + 16, dims, 8);
    char *bomb_png = scratch("bomb.png");
    write_all(bomb_png, bomb, plen);
    expect_error(bomb_png, "(225 megapixels), over the limit of 40 megapixels");
    free(big);
    free(bomb);
    free(j);
    free(p);
}
END_TEST

/* Several bad photos are all reported in one run. */
START_TEST(every_bad_photo_reported)
{
    write_all(scratch("none1.jpg"), "not a photo", 11);
    write_all(scratch("none2.jpg"), "not a photo", 11);
    jm_layout *l = photo_layout(scratch("none1.jpg"), 20, 20, 30, 30, 15);
    l->el = realloc(l->el, 3 * sizeof *l->el);
    l->el[2] = l->el[1];
    l->el[2].x = 60;
    l->el[2].image = named(scratch("none2.jpg"));
    l->n = 3;
    unsigned char *data;
    size_t len;
    jm_diags *d = jm_diags_new();
    ck_assert_int_eq(jm_render_layout(NULL, l, JM_FORMAT_PNG, 1, JM_PAGE_AUTO, &data, &len, d), -1);
    ck_assert_uint_eq(jm_diags_error_count(d), 2);
    ck_assert_ptr_nonnull(strstr(jm_diags_get(d, 0)->message, "none1.jpg"));
    ck_assert_ptr_nonnull(strstr(jm_diags_get(d, 1)->message, "none2.jpg"));
    jm_diags_free(d);
    free_layout(l);
}
END_TEST

/* Every allocation of ours failing in turn while photos load: an error, never a crash, and
 * every block allocated freed again. */
typedef struct photo_job {
    const jm_layout *layout;
    jm_format format;
} photo_job;

static void render_photo_once(void *arg)
{
    const photo_job *j = arg;
    unsigned char *data = NULL;
    size_t len = 0;
    jm_diags *d = jm_diags_new();
    int rc = jm_render_layout(NULL, j->layout, j->format, 1, JM_PAGE_AUTO, &data, &len, d);
    if (rc != 0)
        ck_assert_ptr_null(data);
    jm_free(data);
    jm_diags_free(d);
}

START_TEST(allocation_failures)
{
    char *jpg = scratch("alloc.jpg"), *png = scratch("alloc.png");
    write_jpeg(jpg, 64, 48, halves, 3, 0);
    write_png(png, 64, 48, halves);
    const char *paths[] = {jpg, png};
    for (int k = 0; k < 2; k++) {
        jm_layout *l = photo_layout(paths[k], 20, 20, 44, 44, 22);
        for (jm_format f = JM_FORMAT_PNG; f <= JM_FORMAT_PDF; f++) {
            photo_job j = {l, f};
            tu_each_allocation_fails(render_photo_once, &j, true);
        }
        free_layout(l);
    }
}
END_TEST

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/jm-test-photo-%ld", (long)getpid());
    if (mkdir(dir, 0700) != 0) {
        perror(dir);
        return 1;
    }
    test_map.file = "photo.json";
    test_map.title = "Photos";
    Suite *s = suite_create("photo");
    TCase *tc = tcase_create("photo");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, png_covers_the_box_centre_cropped);
    tcase_add_test(tc, stroke_over_the_edge);
    tcase_add_test(tc, jpeg_rgb_gray_and_cmyk);
    tcase_add_test(tc, jpeg_exif_orientation);
    tcase_add_test(tc, vector_formats_embed_the_original);
    tcase_add_test(tc, oversized_photo_is_reduced);
    tcase_add_test(tc, same_bytes_every_time);
    tcase_add_test(tc, bad_files_are_errors_naming_them);
    tcase_add_test(tc, every_bad_photo_reported);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    cleanup();
    return failed ? 1 : 0;
}
