/* Layout: pure geometry computed from model + theme + options. The backend draws exactly
 * these elements in order, deciding nothing about placement; layout_json.c writes them out.
 *
 * Coordinates are points, origin top-left. Text elements carry the PangoLayout that measured
 * them (already set to the element's width and font), so what is drawn is what was measured. */
#ifndef JM_LAYOUT_H
#define JM_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <pango/pango.h>

#include "journeymap.h"
#include "model/model.h"
#include "theme/theme.h"

typedef enum {
    JM_SHAPE_NONE = 0, /* a grouping box: nothing drawn (text/icon may still be) */
    JM_SHAPE_RECT,     /* rectangle, corner radius `radius` */
    JM_SHAPE_CHEVRON,  /* stage header: arrow-shaped box pointing right */
    JM_SHAPE_BUBBLE,   /* speech bubble (thoughts): rounded rect with a tail at bottom-left */
    JM_SHAPE_CIRCLE,   /* circle inscribed in the box */
    JM_SHAPE_LINE,     /* straight line from (x,y) to (x+w,y+h) */
    JM_SHAPE_POLYLINE, /* pts[0..npts) joined by straight segments */
    JM_SHAPE_CURVE,    /* cubic Bézier path: pts[0], then (c1, c2, p) triples */
    JM_SHAPE_FACE,     /* emotion face in a circle: `value` −2…+2 sets the mouth */
    JM_SHAPE_ICON,     /* built-in vector icon `icon` drawn in the box */
    JM_SHAPE_DIAMOND,  /* moment-of-truth badge */
    JM_SHAPE_TRIANGLE_UP,
    JM_SHAPE_TRIANGLE_DOWN,
    JM_SHAPE_IMAGE /* the PNG or JPEG `image`, scaled to cover the box, clipped to a circle
                      when radius > 0 (persona photo) */
} jm_shape;

typedef enum {
    JM_DASH_SOLID = 0,
    JM_DASH_DASHED,
    JM_DASH_DOTTED,
    JM_DASH_DASHDOT,
    JM_DASH_DASHDOTDOT
} jm_dash;

typedef struct jm_point {
    double x, y;
} jm_point;

typedef struct jm_element {
    const char *kind; /* static: "title", "stage", "lane", "lane_label", "cell", "card", "text",
                         "emotion_point", "emotion_curve", "line", "icon", "badge", "legend", … */
    double x, y, w, h;
    long parent; /* index of the element it lies inside; -1 none */
    long column; /* index of the stage column it lies inside; -1 none */
    char *ref;   /* JSON pointer of the model object drawn, or NULL */

    /* shape */
    jm_shape shape;
    jm_rgba fill;   /* a == 0: no fill */
    jm_rgba stroke; /* a == 0: no stroke */
    double stroke_width;
    jm_dash dash;
    double radius;
    jm_point *pts;
    size_t npts;
    const char *icon;           /* static icon name for JM_SHAPE_ICON */
    const jm_named_file *image; /* JM_SHAPE_IMAGE: the file's bytes, read by the loader
                                   (borrowed from the map) */

    /* text: drawn at (x, y) with layout, which has width w and font set */
    char *text;
    PangoLayout *layout;
    jm_rgba color;

    bool has_value;
    double value;  /* emotion value, metric value … */
    char *url;     /* link target (PDF/SVG), NULL none */
    char *tooltip; /* full text when the drawn text was ellipsized */
    char *alt;     /* an image's text alternative (SVG, HTML), or NULL */
} jm_element;

typedef struct jm_layout {
    double width, height;
    jm_element *el;
    size_t n, cap;
    size_t *order; /* el's indices in drawing and reading order (reading_order.h) */
    const jm_map *map;
    jm_state state; /* resolved: BEFORE, AFTER or COMPARE (or AFTER when the map has no states) */
    jm_layout_kind kind; /* resolved: DETAIL or OVERVIEW */
    jm_theme *theme;     /* owned */
    bool failed;         /* an allocation failed while building */
} jm_layout;

typedef struct jm_layout_options {
    jm_state state;
    jm_layout_kind layout; /* AUTO: see jm_layout_kind in journeymap.h */
    const char *footer;    /* in place of the map's footer; NULL: the map's; "": none */
    const struct jm_findings *findings; /* lint findings to mark (lint_marks.c); NULL: none */
    /* A blank canvas for sticky notes (blank.c): the title, stage headers and lanes with a
     * prompt each, over empty cells; no touchpoint, item or legend is drawn. It is laid out at
     * the size of `paper` (landscape; JM_PAGE_AUTO: A1), its type scaled up for a wall. */
    bool blank;
    jm_page paper;
} jm_layout_options;

/* Lays out map with theme (copied) using the context's Pango font map. NULL with errors in
 * diags. */
struct jm_context;
jm_layout *jm_layout_new(struct jm_context *ctx, const jm_map *map, const jm_theme *theme,
                         const jm_layout_options *opts, jm_diags *diags);
void jm_layout_free(jm_layout *layout);

#endif
