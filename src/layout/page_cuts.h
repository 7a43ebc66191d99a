/* Choosing where a laid-out map is cut into pages (page_cuts.c): what the layout offers to cut
 * along (stage and lane boundaries, gaps between touchpoint columns, the header's pieces), the
 * fewest pieces a span splits into, and the scale and orientation of --pages. Pure geometry
 * over the layout's elements; pages.c builds the sheets from the plan. Internal to src/layout. */
#ifndef JM_LAYOUT_PAGE_CUTS_H
#define JM_LAYOUT_PAGE_CUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"

#define SHEET_MARGIN 24.0 /* points between the sheet's edge and what is printed */
#define BAND_GAP 8.0      /* points between the header band and the grid on a page */
#define HEADER_GAP 12.0   /* points between pieces of the first page's header band */
#define MAX_SCALE 8.0     /* no page draws the map larger than this */
#define EPS 1e-6

typedef struct rect {
    double x, y, w, h;
} rect;

typedef struct cuts {
    double *v;
    size_t n, cap;
} cuts;

/* The map as pages see it. Map points throughout. */
typedef struct map_parts {
    const jm_layout *lo;
    bool ok;
    double label_x, grid_left, grid_right; /* lane label column: label_x … grid_left */
    double grid_top, head_bottom;          /* the stage header lane: grid_top … head_bottom */
    double grid_bottom;
    cuts stage_cuts; /* stage boundaries, grid_left … grid_right */
    cuts slot_cuts;  /* gaps between touchpoint columns, where no card is cut */
    cuts lane_cuts;  /* lane boundaries under head_bottom, … grid_bottom */
    rect title;      /* the title's text */
    rect left_block; /* title, subtitle and legend */
    rect *personas;  /* the persona cards */
    size_t n_personas, cap_personas;
    rect *names;   /* each stage header's name … */
    rect *headers; /* … and the header (chevron) it is written in */
    size_t n_names, cap_names, cap_headers;
    double smallest_font; /* pt at map scale */
    const char *footer;   /* the footer line's text (borrowed), NULL when none */
    PangoContext *pc;     /* for the sheets' own texts (borrowed from a text element) */
} map_parts;

typedef struct paged {
    double s;              /* scale */
    double band;           /* height of the tallest header band (first page's or title) */
    double span_x, span_y; /* map points a page holds, across and down */
    rect first_band[1 + JM_MAX_PERSONAS]; /* the first page's header: pieces' map rectangles … */
    double fb_x[1 + JM_MAX_PERSONAS], fb_y[1 + JM_MAX_PERSONAS],
        fb_s[1 + JM_MAX_PERSONAS]; /* … and where they land */
    size_t n_fb;
    double first_h, title_h; /* band heights on the first and the other pages */
    double title_s;          /* the title line's scale (the title shrinks to the page width) */
    bool cover;              /* the header has a page of its own, before the grid's */
} paged;

/* How --pages prints on a page size: the orientation, the scale and the page count. */
typedef struct pages_choice {
    double w, h; /* the sheets' size, turned or not */
    double s;    /* 0 when the map fits neither way */
    size_t n;
    bool legible; /* auto: the header band keeps JM_PAGES_MIN_TEXT */
} pages_choice;

/* The map's parts as pages see them; false when out of memory. Free with jm_cut_parts_free
 * (also after a failure). */
bool jm_cut_parts_find(const jm_layout *lo, map_parts *mp);
void jm_cut_parts_free(map_parts *mp);
/* A text element's font size in points at map scale; 0 when it has none. */
double jm_cut_font_size(const jm_element *e);
/* Plans pages at scale s on a cw×ch content box into p, writing the column and row ends into
 * xs and ys when not NULL; returns the number of pages, or 0 when the grid cannot be placed
 * at that scale. */
size_t jm_cut_plan(const map_parts *mp, double s, double cw, double ch, paged *p, cuts *xs,
                   cuts *ys);
/* --pages on pw×ph (landscape), want pages (JM_PAGES_AUTO or N): the orientation, scale and
 * page count (scale 0 when the map fits neither way). */
pages_choice jm_cut_choose(const map_parts *mp, double pw, double ph, int want);
/* The number of pages `--pages auto` would give on this page size; 0 when none. */
size_t jm_cut_auto_count(const map_parts *mp, double pw, double ph);

#endif
