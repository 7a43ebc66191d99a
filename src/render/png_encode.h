/* The PNG reader of the tests and the photos, and the PNG writer every PNG of ours goes through:
 * the PNG output, SVG's embedded images (svg_paths.c) and the benchmark, which times it against
 * cairo's writer. */
#ifndef JM_PNG_ENCODE_H
#define JM_PNG_ENCODE_H

#include <cairo.h>

#include "util/util.h"

/* Writes an ARGB32 (or RGB24) image surface as a PNG to out: RGB when every pixel is opaque,
 * else RGBA. The same pixels give the same bytes. */
cairo_status_t jm_png_encode(cairo_surface_t *image, jm_buf *out);

/* cairo's PNG reader over data[0, len): a new surface, in an error status when the bytes are
 * not a readable PNG (check cairo_surface_status; destroy it either way). */
cairo_surface_t *jm_png_decode(const unsigned char *data, size_t len);

#endif
