/* The layout builder: what the layout's files share (layout.c: elements, text, labels, the
 * lane grid and the entry point; header.c; lanes.c: which lanes and the lane table; lane_*.c:
 * one file per kind of lane). Internal to src/layout. */
#ifndef JM_LAYOUT_BUILDER_H
#define JM_LAYOUT_BUILDER_H

#include <stdbool.h>
#include <stddef.h>

#include "context/context.h"
#include "layout.h"
#include "util/util.h"

enum {
    ROLE_TITLE,
    ROLE_SUBTITLE,
    ROLE_STAGE,
    ROLE_LANE,
    ROLE_CARD_TITLE,
    ROLE_BODY,
    ROLE_SMALL,
    ROLE_BODY_ITALIC,
    ROLE_SMALL_BOLD,
    /* Numbers, in the theme's font_family_numbers: a metric's value, its change, the emotion
     * scale; sized as the card title, small bold and small roles. */
    ROLE_NUMBER,
    ROLE_NUMBER_SMALL_BOLD,
    ROLE_NUMBER_SMALL,
    ROLE__COUNT
};

typedef struct builder {
    jm_layout *lo;
    jm_context *ctx;
    char *font_key[ROLE__COUNT]; /* font descriptions as strings, the layout cache's key */
    bool *mot_badged;            /* per touchpoint: its moment-of-truth badge is drawn */
    const char *lang;
    const jm_map *m;
    const jm_theme *t;
    PangoContext *pc;
    PangoFontDescription *font[ROLE__COUNT];
    /* For texts the bundled fonts cannot draw (fallback.h): the fallback fonts' Pango
     * context and the roles' fonts with the fallback families after the theme's. Made when
     * the first such text comes. */
    PangoContext *fallback_pc;
    PangoFontDescription *fallback_font[ROLE__COUNT];
    char *fallback_font_key[ROLE__COUNT];
    bool fallback_tried;
    bool ru;                                   /* Russian labels and decimal commas */
    jm_state view;                             /* the state whose texts the lanes show */
    double grid_left, grid_right, grid_top, y; /* y: top of the next lane */
    double *stage_x, *stage_w;
    long *stage_el; /* stage column element per stage */
    double *slot_x; /* detail: left of each touchpoint's slot (card x) */
    size_t *stage_first_slot, *stage_slots;
    /* Overview (layout_overview.c): stages hold stage_slots[s] card-wide columns, the first
     * being column stage_first_slot[s] of col_x; what belongs to a touchpoint flows into the
     * least filled column of its stage, numbered by number_of. */
    bool overview;
    double *col_x; /* overview: left of each column */
    size_t n_cols; /* overview: columns over all stages */
    double *tp_x;  /* centre of each touchpoint's emotion point */
    long root;
    jm_diags *diags;                 /* warnings (text cut short) go here; may be NULL */
    char lane_drawn[JM_LANE__COUNT]; /* jm_lo_lane_drawn's answers: 0 not asked, 1 no, 2 yes */
    bool line_above_drawn[JM_LANE__COUNT]; /* a blueprint line is drawn once (lanes.c) */
    /* A blank canvas (blank.c): the paper it is for (landscape points), and how much its type
     * and spacing were scaled for a wall (1 for a map). */
    bool blank;
    jm_page paper;
    double paper_w, paper_h;
    double type_scale;
    double blank_cell_w, blank_cell_h; /* its smallest cell */
    /* While its lanes are laid out: the bottom they fill down to, the lanes left (this one
     * too), the blueprint lines that will follow this lane's top, and a line's height. */
    double blank_bottom, blank_line_h;
    size_t blank_lanes_left, blank_lines_after;
    bool has_footer; /* a footer line goes under the grid */
} builder;

static const jm_rgba NONE = {0, 0, 0, 0};

/* The English or the Russian label, by the map's language. */
static inline const char *L(builder *b, const char *en, const char *ru) { return b->ru ? ru : en; }

/* Lane band, its label cell and one cell per stage, all with height 0 until the lane ends. */
typedef struct lane_ctx {
    long band, label;
    long *cells; /* per stage */
    double top;
    double content_bottom; /* lowest content y so far (absolute) */
    double label_bottom;
    double *col_y; /* overview: top of the free space of each column */
} lane_ctx;

/* Where the next box tied to a touchpoint goes (jm_lo_place): in detail its slot, in the
 * overview the least filled column of its stage. */
typedef struct place {
    double x, y;
    long col; /* overview column, -1 in detail */
} place;

/* How a text box in a touchpoint's slot looks (jm_lo_slot_box). */
typedef struct box_style {
    const char *kind;
    jm_shape shape;
    jm_rgba fill, stroke, text;
    jm_dash dash;
    int role;
    const char *marker_icon; /* icon at the left, or NULL */
    jm_rgba marker_color;
    size_t number; /* overview: the touchpoint's number badge at the left, 0 none */
} box_style;

/* lanes.c: the plain box of actions and lane items (lane_alt_fill, card stroke and text). */
box_style jm_lo_plain_box(const builder *b, const char *kind);

/* layout.c */
jm_element *jm_lo_el_at(builder *b, long i);
long jm_lo_el_push(builder *b, const char *kind, double x, double y, double w, double h,
                   long parent, const char *ref);
long jm_lo_shape(builder *b, const char *kind, jm_shape s, double x, double y, double w, double h,
                 long parent, const char *ref, jm_rgba fill, jm_rgba stroke, double sw);
jm_rgba jm_lo_mix(jm_rgba a, jm_rgba c, double t);
long jm_lo_text_el(builder *b, const char *kind, int role, const char *text, double x, double y,
                   double w, jm_rgba color, long parent, const char *ref, PangoAlignment align);
double jm_lo_text_h(builder *b, long i);
double jm_lo_text_width(builder *b, int role, const char *text);
const char *jm_lo_lane_default_name(builder *b, jm_lane_type t);
const char *jm_lo_lane_icon(jm_lane_type t);
const char *jm_lo_state_label(builder *b, int which);
void jm_lo_format_number(builder *b, double v, char *out, size_t n);
void jm_lo_format_value(builder *b, double v, const char *unit, jm_buf *out);
char *jm_lo_quoted(builder *b, const char *text);
bool jm_lo_lane_begin(builder *b, lane_ctx *lc, const char *kind, const char *name,
                      const char *icon, const char *ref, long parent, const char *caption);
/* jm_lo_lane_begin for a lane of the map's list: its name, else lt's default label; icon may
 * be NULL. */
bool jm_lo_lane_open(builder *b, lane_ctx *lc, const jm_lane *lane, jm_lane_type lt,
                     const char *icon);
void jm_lo_lane_note(lane_ctx *lc, double bottom);
/* Sets the height of the box (element box, at y) to h, and returns its bottom, y + h. */
double jm_lo_box_height(builder *b, long box, double y, double h);
void jm_lo_lane_end(builder *b, lane_ctx *lc, double min_h, bool separator);

/* header.c */
jm_rgba jm_lo_persona_color(builder *b, size_t p);
jm_dash jm_lo_persona_dash(builder *b, size_t p);
double jm_lo_persona_cards_width(const jm_map *m, double gap);
void jm_lo_layout_header(builder *b, double width);

/* lane_text.c */
char *jm_lo_ref_of(const jm_touchpoint *tp, const char *suffix);
void jm_lo_lane_stages(builder *b);
void jm_lo_lane_goals(builder *b, const jm_lane *lane);
double jm_lo_slot_box(builder *b, long cell, double x, double y, double w, const box_style *bs,
                      const char *text, const char *ref, const char *url, const jm_plan *plan);
void jm_lo_lane_tp_text(builder *b, const jm_lane *lane, jm_lane_type lt);
void jm_lo_lane_opportunities(builder *b, const jm_lane *lane);
/* A lane's items (lt), under what the lane drew for their touchpoint (slot_y: its bottom, per
 * touchpoint), then each stage's own below everything in the stage (and below stage_floor[s],
 * what the lane drew across the stage; NULL: nothing). */
void jm_lo_items_below(builder *b, lane_ctx *lc, const box_style *bs, jm_lane_type lt,
                       double *slot_y, const double *stage_floor);

/* lane_cards.c */
double jm_lo_card(builder *b, long cell, const jm_touchpoint *tp, size_t i, double x, double y);
void jm_lo_lane_touchpoints(builder *b, const jm_lane *lane);
/* Persona p's chip at (x, y): returns the width it takes, gap included; *height (may be NULL)
 * its height. */
double jm_lo_persona_chip(builder *b, size_t p, double x, double y, long parent, double *height);
/* The width persona p's chip takes in a row, gap included. */
double jm_lo_persona_chip_room(builder *b, size_t p);
void jm_lo_divider(builder *b, const char *label);

/* lint_marks.c: the findings' numbered markers on the elements laid out so far, and their list
 * in a panel from top across width; returns the panel's bottom. */
double jm_lo_lint_findings(builder *b, const jm_findings *f, double top, double width);

/* lane_emotions.c */
void jm_lo_lane_emotions(builder *b, const jm_lane *lane);

/* lane_metrics.c */
void jm_lo_lane_metrics(builder *b, const jm_lane *lane);
const char *jm_lo_state_text(builder *b, const jm_tp_view *v);
bool jm_lo_state_texts(builder *b, const jm_touchpoint *tp, const char *txt[2]);
void jm_lo_lane_compare(builder *b, const jm_lane *lane);

/* layout_overview.c */
bool jm_lo_overview_wanted(const jm_map *m, jm_layout_kind asked);
bool jm_lo_overview_columns(builder *b);
place jm_lo_place(builder *b, lane_ctx *lc, size_t tp, double detail_y);
void jm_lo_placed(lane_ctx *lc, const place *p, double bottom);
void jm_lo_flow_floor(builder *b, lane_ctx *lc, size_t stage, double y);
double jm_lo_number_badge(builder *b, size_t number, double x, double y, long parent,
                          double *height);

/* plan.c */
const char *jm_lo_status_label(builder *b, jm_status s);
const char *jm_lo_priority_label(builder *b, jm_priority p);
jm_rgba jm_lo_status_color(builder *b, jm_status s);
jm_rgba jm_lo_priority_color(builder *b, jm_priority p);
double jm_lo_owner_label(builder *b, long parent, const char *owner, const char *ref, double x,
                         double y, double w, jm_rgba color);
double jm_lo_plan(builder *b, long parent, const jm_plan *plan, const char *ref, double x, double y,
                  double w);

/* lane_storyboard.c */
bool jm_lo_storyboard_has_content(const jm_map *m);
void jm_lo_lane_storyboard(builder *b, const jm_lane *lane);

/* marks.c: a change map's marks (model.h JM_MARK_ flags) */
jm_rgba jm_lo_mark_color(builder *b, unsigned mark);
const char *jm_lo_mark_label(builder *b, unsigned mark);
/* Fades the elements from index from to the last: a removed object. */
void jm_lo_mark_ghost(builder *b, long from);
/* The mark's label as a line of text at (x, y); returns its height. */
double jm_lo_mark_line(builder *b, long parent, unsigned mark, double x, double y, double w,
                       const char *ref);

/* lane_emotions.c: the empty scale (guides, values, faces) of an emotion band */
void jm_lo_emotion_scale(builder *b, lane_ctx *lc, double band_top, double band_h,
                         const char *lane_name);

/* blank.c: a blank canvas for sticky notes */
/* Scales the theme's type and spacing for a canvas on paper of width paper_w points; returns
 * the factor. */
double jm_lo_blank_theme(jm_theme *t, double paper_w);
/* The stage columns across the paper (b->stage_x, stage_w, grid_left, grid_right); returns
 * the canvas's width. */
double jm_lo_blank_columns(builder *b);
/* The lanes, empty, filling the paper's height (each through jm_lo_layout_lane). */
void jm_lo_blank_lanes(builder *b);
/* One empty lane, its share of what is left: its name, its question, for the emotions the
 * scale. */
void jm_lo_blank_lane(builder *b, const jm_lane *lane, long custom);
/* Warns when the cells come out smaller than a sticky note once the canvas is fitted to its
 * paper. */
void jm_lo_blank_check(builder *b);

/* lanes.c: the lane table */
bool jm_lo_lane_has_content(builder *b, jm_lane_type lt, long custom);
/* False for a lane drawn only in another state (compare) than the layout's. */
bool jm_lo_lane_in_state(builder *b, jm_lane_type lt);
bool jm_lo_lane_drawn(builder *b, jm_lane_type lt);
/* How many blueprint lines laying out lane lt would add (above it, unless drawn, and below). */
size_t jm_lo_lane_lines(builder *b, jm_lane_type lt);
/* 1 when laying out lane lt would draw a blueprint line above it, else 0. */
size_t jm_lo_lane_line_above(builder *b, jm_lane_type lt);
/* Lays out the lane (custom: the declared lane's index, or -1), with the blueprint line its row
 * puts above (once a layout) or below it; on a blank canvas, empty (jm_lo_blank_lane). */
void jm_lo_layout_lane(builder *b, const jm_lane *lane, long custom);

#endif
