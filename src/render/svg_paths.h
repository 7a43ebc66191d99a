/* Shapes and photos for the SVG output, written by journeymap rather than by cairo's SVG surface.
 *
 * The backend builds every outline with cairo, the same code for every format; for SVG, where
 * PNG and PDF fill or stroke, it hands the cairo context here instead, and the path, colour and
 * stroke style are read back and written as one <path> with jm_buf_number. cairo 1.16's SVG
 * surface formats each number with snprintf("%f") and wraps the document in ids from
 * process-global counters that had to be renumbered afterwards; together that was most of an
 * SVG render. Everything goes straight into the document, in drawing order; coordinates are in
 * map points (the document's user space). */
#ifndef JM_SVG_PATHS_H
#define JM_SVG_PATHS_H

#include <cairo.h>
#include <stdbool.h>

#include "theme/theme.h"
#include "util/util.h"

typedef struct jm_svg_paths jm_svg_paths;

/* Appends path as SVG path data ("M x y L x y C … Z"). */
void jm_svg_path_data(jm_buf *b, const cairo_path_t *path);

/* Appends ` attr="#RRGGBB"`, and ` attr-opacity="…"` when c is translucent. */
void jm_svg_color_attr(jm_buf *b, const char *attr, jm_rgba c);

/* Appends data in base64. */
void jm_svg_base64(jm_buf *b, const unsigned char *data, size_t len);

/* Paths are appended to out; the ids they define (clip paths) start with id_prefix. Both are
 * borrowed: they must outlive sp. NULL when out of memory. */
jm_svg_paths *jm_svg_paths_new(jm_buf *out, const char *id_prefix);
void jm_svg_paths_free(jm_svg_paths *sp);
bool jm_svg_paths_failed(const jm_svg_paths *sp);

/* Writes cr's current path (kept) filled with fill and/or stroked with stroke in cr's stroke
 * style (line width, cap, join, miter limit, dashes); a NULL colour, or one with alpha 0, is
 * not painted. Nothing is written for an empty path. */
void jm_svg_paint(jm_svg_paths *sp, cairo_t *cr, const jm_rgba *fill, const jm_rgba *stroke);

/* Writes image with its top left at (x, y) in cr's user space, as cairo_set_source_surface
 * and cairo_paint would draw it, clipped to cr's current path (kept). The image goes in once
 * per document (later draws of the same surface refer to it), as the file it came from when
 * cairo holds one (JPEG or PNG MIME data), else encoded as PNG. The surface must outlive sp. */
void jm_svg_image(jm_svg_paths *sp, cairo_t *cr, cairo_surface_t *image, double x, double y);

#endif
