/* Drawing a layout so that a PDF's text layer reads true (draw.c).
 *
 * cairo's PDF surface maps each cluster that Pango hands it to its characters: one glyph to one
 * character in the font's ToUnicode table, anything else in an /ActualText span. Pango's
 * clusters are characters (HarfBuzz's monotone-characters level), so a Thai vowel mark is a
 * cluster of its own, drawn past the consonant that follows it, and text extractors such as
 * pdftotext, which order characters by position, read "รีวิว" as "รีววิ". Here each cluster
 * is a grapheme instead (the mark goes with its consonant); a right-to-left cluster of several
 * characters (a ligature such as ﻟﻰ, a letter with its vowel marks) is given in visual order,
 * as extractors lay a glyph's characters left to right before they reverse the right-to-left
 * run; and a colour glyph (an emoji, which cairo draws as a picture with no text) gets its
 * characters on a stand-in glyph of a plain font drawn under it at the faintest alpha cairo
 * does not drop. */
#ifndef JM_TEXT_LAYER_H
#define JM_TEXT_LAYER_H

#include <cairo.h>
#include <pango/pango.h>
#include <stdbool.h>

/* Draws the layout at cr's current point in cr's source, exactly as pango_cairo_show_layout
 * places it; on a surface with a text layer (PDF), with the clusters above. */
void jm_show_layout_text(cairo_t *cr, PangoLayout *layout);

/* Whether the scaled font's glyphs are colour pictures (Noto Color Emoji). */
bool jm_font_has_color(cairo_scaled_font_t *font);

#endif
