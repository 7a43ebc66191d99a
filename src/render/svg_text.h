/* Text for the SVG output, written by journeymap rather than by cairo's SVG surface.
 *
 * cairo 1.16 formats every number of an SVG with snprintf("%f"): each glyph outline and each
 * glyph's position. That was half the time of an SVG render. Here the same glyphs — positioned
 * by Pango exactly as pango_cairo_show_layout would place them, with the outlines cairo makes
 * for the same scaled font — are written with jm_buf_number: each outline once per document
 * as a <path> in <defs> (before the first text that uses it), then one <use> per glyph, grouped
 * by text element. Straight into the document, in drawing order, between svg_paths.c's
 * shapes. */
#ifndef JM_SVG_TEXT_H
#define JM_SVG_TEXT_H

#include <pango/pango.h>
#include <stdbool.h>

#include "theme/theme.h"
#include "util/util.h"

typedef struct jm_svg_text jm_svg_text;

/* Texts are appended to out; the ids they define (glyph outlines) start with id_prefix. Both
 * are borrowed: they must outlive st. The context (NULL: none) keeps glyph outlines for the
 * next documents. NULL when out of memory. */
struct jm_context;
jm_svg_text *jm_svg_text_new(struct jm_context *ctx, jm_buf *out, const char *id_prefix);
/* Adds a laid-out text whose top left is (x, y), in colour: a glyph no font has as an empty
 * box, a colour glyph (emoji) as an <image> of it. Returns false, adding nothing, when memory
 * ran out (then jm_svg_text_failed is true). */
bool jm_svg_text_add(jm_svg_text *st, PangoLayout *layout, double x, double y, jm_rgba color);
/* Adds the text's characters, invisible, each placed where the glyphs drawn for it are, so that
 * the map's text can be selected, copied, found and read aloud while the drawing stays
 * outlines (which look the same in every consumer, web fonts or none): one <text> a line,
 * transparent, an x a character. */
void jm_svg_text_layer(jm_svg_text *st, PangoLayout *layout, double x, double y);
bool jm_svg_text_failed(const jm_svg_text *st);
void jm_svg_text_free(jm_svg_text *st);

#endif
