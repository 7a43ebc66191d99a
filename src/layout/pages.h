/* Paper: a laid-out map cut into printed sheets (pages.c), as pure geometry.
 *
 * A sheet is a list of pieces, each a rectangle of the map drawn at a scale somewhere on the
 * sheet, plus the sheet's own marks (page number, sheet name, cut and alignment marks) as
 * layout elements in sheet points. The PDF backend only draws: each piece clipped to its
 * rectangle, then the marks. Three ways to print:
 *
 *   one page   the whole map fitted to the page (--page), or a page of the map's own size;
 *   pages      the map split into the fewest page widths at stage boundaries, or between
 *              touchpoint columns when that saves a page or one stage is wider than a page
 *              (at lane boundaries when it is taller), over as many pages as keep the
 *              smallest text at 7 pt or more (--pages auto), or over at most N (--pages N),
 *              landscape or portrait, whichever takes fewer pages (auto) or gives larger
 *              text (N); every page repeats the title line, the stage
 *              headers and the lane labels and says "page k of n"; the first page also
 *              carries the subtitle, the legend and the persona cards (or a cover page
 *              does, the band grown to fill it);
 *   poster     the map fitted to a poster size (--poster A0) and tiled over sheets of the page
 *              size with an overlap, cut marks, alignment ticks and sheet names (A1, B3: column
 *              letter, row number) for taping up. */
#ifndef JM_PAGES_H
#define JM_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"

/* Legibility: pages chosen by --pages auto keep every text at least this size. */
#define JM_PAGES_MIN_TEXT 7.0
/* Under this the text is hard to read on paper: the sheets come with a warning. */
#define JM_PAGES_WARN_TEXT 6.0

typedef struct jm_page_piece {
    double sx, sy, sw, sh; /* the map's rectangle, in map points */
    double px, py;         /* where its top-left corner lands on the sheet, in sheet points */
    double scale;          /* sheet points per map point */
    bool clip;             /* false: the piece is the whole map and needs no clip */
    bool over;             /* drawn over another piece (a stage's name again on a cut header) */
} jm_page_piece;

typedef struct jm_sheet {
    jm_page_piece *piece;
    size_t n_pieces, cap_pieces;
    jm_layout *marks;     /* the sheet's own elements, in sheet points (owned; may be empty) */
    double smallest_text; /* pt: the smallest text drawn on the sheet; 0 when none */
} jm_sheet;

typedef struct jm_sheets {
    double w, h; /* every sheet's size, points */
    jm_sheet *v;
    size_t n, cap;
    size_t cols, rows;    /* pages/poster: the grid of sheets, row by row */
    double smallest_text; /* pt, over every sheet; 0 when no text */
} jm_sheets;

/* The sheets for printing layout with opts' page, pages and poster (the other fields are not
 * read). A named page is landscape, except that pages and poster sheets take whichever
 * orientation needs fewer of them (see above); pages and poster print on A4 when the page is
 * JM_PAGE_AUTO. Warns in diags when text on a sheet falls under JM_PAGES_WARN_TEXT, with the option
 * that fixes it. NULL when out of memory (with the error in diags). Free with jm_sheets_free. */
jm_sheets *jm_sheets_new(const jm_layout *layout, const jm_render_options *opts, jm_diags *diags);
void jm_sheets_free(jm_sheets *sheets);

/* Landscape size of a named page in points; false for JM_PAGE_AUTO or an unknown value. */
bool jm_page_size(jm_page page, double *w, double *h);
/* "A4", "Letter" …: the page's name as the user writes it; "auto" for JM_PAGE_AUTO. */
const char *jm_page_name(jm_page page);

#endif
