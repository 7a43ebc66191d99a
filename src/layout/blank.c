/* A blank canvas for a workshop's sticky notes (jm_layout_options.blank): the map's frame —
 * title, stage headers, lane labels each with the question its notes answer — over empty
 * cells, laid out at the size of the paper it is printed on (A1 unless a poster or page is
 * named), its type scaled for a wall. The stages share the paper's width and the lanes its
 * height, but a cell never gets smaller than a 76 mm sticky note: a canvas with more stages
 * or lanes than the paper holds grows past it (and is fitted back when printed, with a
 * warning from jm_lo_blank_check). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builder.h"
#include "pages.h"
#include "util/diag.h"

/* A square sticky note's side, 76 mm, in points. */
#define NOTE_PT (76.0 / 25.4 * 72.0)
/* The smallest cell: a note and a margin around it, so that one always fits. */
#define CELL_MIN_PT (NOTE_PT * 1.1)
/* The type of a theme is made for a map read at arm's length, on A3 or a screen; on A1 it is
 * drawn twice as large, on other papers in proportion to their width (never smaller). */
#define A1_TYPE_SCALE 2.0
#define A1_WIDTH_PT 2384.0

double jm_lo_blank_theme(jm_theme *t, double paper_w)
{
    double k = fmax(1.0, A1_TYPE_SCALE * paper_w / A1_WIDTH_PT);
    jm_font_role *roles[] = {&t->font_title,      &t->font_subtitle, &t->font_stage, &t->font_lane,
                             &t->font_card_title, &t->font_body,     &t->font_small};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        roles[i]->size *= k;
    /* The margins stay: a poster's are those of a page (the printer's). */
    t->gap *= k;
    t->padding *= k;
    t->radius *= k;
    t->lane_label_width *= k;
    t->stage_header_height *= k;
    t->point_radius *= k;
    t->stroke_width *= k;
    t->icon_size *= k;
    return k;
}

double jm_lo_blank_columns(builder *b)
{
    const jm_theme *t = b->t;
    size_t ns = b->m->n_stages;
    b->grid_left = t->margin + t->lane_label_width;
    double each = (b->paper_w - t->margin - b->grid_left) / (double)(ns ? ns : 1);
    double w = fmax(each, CELL_MIN_PT), x = b->grid_left;
    for (size_t s = 0; s < ns; s++) {
        b->stage_x[s] = x;
        b->stage_w[s] = w;
        x += w;
    }
    b->grid_right = x;
    b->blank_cell_w = w;
    return fmax(b->paper_w, x + t->margin);
}

/* The workshop's lanes when the map lists none and has nothing to fill any with. */
static const jm_lane_type workshop_lanes[] = {JM_LANE_ACTIONS,  JM_LANE_TOUCHPOINTS,
                                              JM_LANE_THOUGHTS, JM_LANE_EMOTIONS,
                                              JM_LANE_PAINS,    JM_LANE_OPPORTUNITIES};

typedef struct blank_lane {
    jm_lane lane; /* borrowed strings */
    long custom;  /* index of a custom lane, else -1 */
} blank_lane;

/* The lanes the canvas shows, in order: the model's list; else the lanes the map's content
 * fills; else (stages only) the workshop's lanes, then the declared custom ones. Returns
 * how many were written to out (room for JM_LANE__COUNT + the custom lanes). */
static size_t blank_lane_list(builder *b, blank_lane *out)
{
    const jm_map *m = b->m;
    size_t n = 0;
    if (m->lanes_explicit) {
        for (size_t i = 0; i < m->n_lanes; i++) {
            if (m->lanes[i].type == JM_LANE_STAGES) /* the header, already drawn */
                continue;
            out[n].lane = m->lanes[i];
            out[n].custom = -1;
            if (m->lanes[i].type == JM_LANE_CUSTOM)
                for (size_t c = 0; c < m->n_custom_lanes; c++)
                    if (strcmp(m->custom_lanes[c].id, m->lanes[i].id) == 0)
                        out[n].custom = (long)c;
            n++;
        }
        return n;
    }
    bool filled = m->n_touchpoints > 0 || m->n_items > 0;
    for (int t = JM_LANE_GOALS; t < JM_LANE_CUSTOM; t++) {
        bool want = false;
        if (filled) {
            want = jm_lo_lane_has_content(b, (jm_lane_type)t, -1);
        } else {
            for (size_t k = 0; k < sizeof workshop_lanes / sizeof workshop_lanes[0]; k++)
                want |= workshop_lanes[k] == (jm_lane_type)t;
            want |= t == JM_LANE_GOALS && jm_lo_lane_has_content(b, JM_LANE_GOALS, -1);
        }
        if (want) {
            out[n].lane = (jm_lane){
                {NULL, 0, 0}, (jm_lane_type)t, (char *)jm_lane_type_id((jm_lane_type)t), NULL};
            out[n++].custom = -1;
        }
    }
    for (size_t c = 0; c < m->n_custom_lanes; c++)
        if (!filled || jm_lo_lane_has_content(b, JM_LANE_CUSTOM, (long)c)) {
            out[n].lane = m->custom_lanes[c];
            out[n++].custom = (long)c;
        }
    return n;
}

void jm_lo_blank_lane(builder *b, const jm_lane *lane, long custom)
{
    (void)custom;
    const jm_theme *t = b->t;
    double h = fmax((b->blank_bottom - b->y - (double)b->blank_lines_after * b->blank_line_h) /
                        (double)b->blank_lanes_left,
                    CELL_MIN_PT);
    jm_lane_type lt = (unsigned)lane->type < JM_LANE__COUNT ? lane->type : JM_LANE_CUSTOM;
    const char *name = lane->name             ? lane->name
                       : lt == JM_LANE_CUSTOM ? lane->id
                                              : jm_lo_lane_default_name(b, lt);
    lane_ctx lc;
    if (!jm_lo_lane_begin(b, &lc, "lane", name, jm_lo_lane_icon(lt), lane->src.path, b->root, NULL))
        return;
    const jm_lane_info *li = jm_lane_info_of(lt);
    const char *prompt =
        L(b, li->prompt_en ? li->prompt_en : "", li->prompt_ru ? li->prompt_ru : "");
    /* The emotion scale's faces and values stand at the right of the label column, beside the
     * question, so that its band spans the whole lane. */
    double fs = fmin(t->point_radius * 1.7, 16), label_w = t->lane_label_width - 2 * t->padding;
    if (lt == JM_LANE_EMOTIONS)
        label_w -= fs + 8 + jm_lo_text_width(b, ROLE_NUMBER_SMALL, "+2") + 12;
    if (*prompt) {
        double x = t->margin + t->padding, y = lc.label_bottom + t->padding / 2;
        long p = jm_lo_text_el(b, "prompt", ROLE_SMALL, prompt, x, y, label_w, t->text_muted,
                               lc.label, NULL, PANGO_ALIGN_LEFT);
        lc.label_bottom = y + jm_lo_text_h(b, p);
    }
    double bottom = lc.top + h - t->gap;
    if (lt == JM_LANE_EMOTIONS) {
        double top = lc.top + t->gap + fs;
        double band = fmax(bottom - fs / 2 - top, 4 * fs);
        jm_lo_emotion_scale(b, &lc, top, band, name);
        jm_lo_lane_note(&lc, top + band + fs / 2);
    }
    jm_lo_lane_note(&lc, bottom);
    jm_lo_lane_end(b, &lc, h, true);
    b->blank_cell_h = b->blank_cell_h > 0 ? fmin(b->blank_cell_h, b->y - lc.top) : b->y - lc.top;
}

void jm_lo_blank_lanes(builder *b)
{
    const jm_map *m = b->m;
    const jm_theme *t = b->t;
    jm_lo_lane_stages(b);
    blank_lane *list = jm_calloc(JM_LANE__COUNT + m->n_lanes + m->n_custom_lanes, sizeof *list);
    if (!list) {
        b->lo->failed = true;
        return;
    }
    size_t n = blank_lane_list(b, list);
    /* The lanes share what the paper leaves under the stage headers, less the blueprint lines
     * still to come (their height estimated from the small bold type they are labelled in):
     * each lane takes its share once the line above it, if any, is drawn. */
    b->blank_line_h = fmax(18, t->font_small.size * 1.4 + 4);
    b->blank_bottom =
        b->paper_h - t->margin - (b->has_footer ? t->gap + t->font_small.size * 1.5 : 0);
    for (size_t i = 0; i < n; i++) {
        /* the lines below this lane and around the lanes after it */
        b->blank_lines_after = 0;
        for (size_t j = i + 1; j < n; j++)
            b->blank_lines_after += jm_lo_lane_lines(b, list[j].lane.type);
        const jm_lane *ln = &list[i].lane;
        b->blank_lines_after += jm_lo_lane_lines(b, ln->type) - jm_lo_lane_line_above(b, ln->type);
        b->blank_lanes_left = n - i;
        jm_lo_layout_lane(b, ln, list[i].custom);
    }
    jm_free(list);
}

void jm_lo_blank_check(builder *b)
{
    const jm_layout *lo = b->lo;
    double fit = fmin(1.0, fmin(b->paper_w / lo->width, b->paper_h / lo->height));
    if (fit >= 1.0 || !b->diags)
        return;
    /* The smallest cell, as printed. */
    double cw = b->blank_cell_w, ch = b->blank_cell_h > 0 ? b->blank_cell_h : INFINITY;
    double mm = 25.4 / 72.0 * fit;
    if (cw * mm >= 76 && ch * mm >= 76)
        return;
    jm_diag_add(
        b->diags, JM_SEVERITY_WARNING, b->m->file, 0, 0, NULL,
        "the blank canvas's cells come out at %.0f × %.0f mm on %s, smaller than a "
        "76 mm sticky note: %s",
        cw * mm, ch * mm, jm_page_name(b->paper),
        b->paper == JM_PAGE_A0
            ? "give it fewer stages or lanes, or print it over several pages (--pages)"
            : "print it on a bigger poster (--poster a0), or give it fewer stages or lanes");
}
