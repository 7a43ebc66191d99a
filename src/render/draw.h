/* Drawing a layout with cairo (draw.c): the one routine behind every drawn format. */
#ifndef JM_DRAW_H
#define JM_DRAW_H

#include <cairo.h>
#include <stdbool.h>

#include "layout/layout.h"
#include "layout/pages.h"
#include "photo.h"
#include "svg_paths.h"
#include "svg_text.h"

/* Where the drawing goes: into cr's surface (PNG, PDF); or, for SVG, cr only builds the
 * outlines and paths and text write them (svg_paths.h, svg_text.h). */
typedef struct jm_canvas {
    cairo_t *cr;
    jm_svg_paths *paths;
    jm_svg_text *text;
    /* SVG: called before element i is drawn and, once the last is, with i == layout->n (the
     * document's structure around the drawing); NULL: no such hook. */
    void (*enter)(void *closure, const jm_layout *layout, size_t i);
    void *closure;
    /* cull: only elements whose box meets this rectangle (map points) are drawn. */
    bool cull;
    double cull_x0, cull_y0, cull_x1, cull_y1;
} jm_canvas;

/* The one drawing routine. Links become PDF annotations (the image surface ignores tags) or,
 * in SVG, <a>s around the linked object's group (svg.c). photos: decoded photos by element
 * index, or NULL when none. False when out of memory. */
bool jm_draw_layout(const jm_canvas *cv, const jm_layout *layout, const jm_photo *photos);

/* Draws the layout onto a PNG or PDF surface, map points scaled by `scale` and then offset by
 * (dx, dy). *status is the drawing's cairo status; false when out of memory. */
bool jm_draw_surface(cairo_surface_t *surface, double dx, double dy, double scale,
                     const jm_layout *layout, const jm_photo *photos, cairo_status_t *status);

/* Draws one piece of a printed sheet (pages.h) on cr: the piece's map rectangle at its scale
 * and place, clipped to it, leaving out the elements wholly outside it (so that a page holds
 * neither the text nor the links of another). False when out of memory. */
bool jm_draw_piece(cairo_t *cr, const jm_layout *layout, const jm_photo *photos,
                   const jm_page_piece *piece);

/* Element i's link target (borrowed), or NULL when it has none or lies inside an element
 * linking to the same place (a card's host label inside the linked card): one link per
 * place, not two overlapping ones for a screen reader to announce twice. */
const char *jm_draw_link_of(const jm_layout *layout, size_t i);

#endif
