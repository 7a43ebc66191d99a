#include "png_encode.h"

#include <libdeflate.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

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

cairo_surface_t *jm_png_decode(const unsigned char *data, size_t len)
{
    mem_reader r = {data, len, 0};
    return cairo_image_surface_create_from_png_stream(mem_read, &r);
}
