/* The storyboard lane: each touchpoint's picture in a uniform frame above its card (same
 * column), cropped to fill it, with the touchpoint's name as the caption. */
#include <math.h>
#include <string.h>

#include "builder.h"

/* The frame's height per point of card width: 5:3, a common storyboard panel. */
#define STORYBOARD_ASPECT 0.6

bool jm_lo_storyboard_has_content(const jm_map *m)
{
    for (size_t i = 0; i < m->n_touchpoints; i++)
        if (m->touchpoints[i].image)
            return true;
    return false;
}

void jm_lo_lane_storyboard(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    lane_ctx lc;
    if (!jm_lo_lane_open(b, &lc, lane, JM_LANE_STORYBOARD, jm_lo_lane_icon(JM_LANE_STORYBOARD)))
        return;
    double w = t->card_width, h = round(w * STORYBOARD_ASPECT);
    for (size_t i = 0; i < b->m->n_touchpoints && !b->lo->failed; i++) {
        const jm_touchpoint *tp = &b->m->touchpoints[i];
        if (!tp->image)
            continue;
        place p = jm_lo_place(b, &lc, i, lc.top + t->gap); /* the overview's columns too */
        double x = p.x, y = p.y;
        char *ref = jm_lo_ref_of(tp, "/image");
        long fr = ref ? jm_lo_shape(b, "storyboard_image", JM_SHAPE_IMAGE, x, y, w, h,
                                    lc.cells[tp->stage], ref, t->card_fill, t->card_stroke,
                                    t->stroke_width)
                      : -1;
        jm_free(ref);
        if (fr < 0) {
            b->lo->failed = true;
            break;
        }
        jm_element *e = jm_lo_el_at(b, fr);
        e->image = tp->image; /* radius 0: a rectangular frame, not a persona's circle */
        if (tp->image_alt && *tp->image_alt && !(e->alt = jm_strdup(tp->image_alt)))
            b->lo->failed = true;
        char *cref = jm_lo_ref_of(tp, "/name");
        long cap = cref ? jm_lo_text_el(b, "text", ROLE_SMALL, tp->name, x, y + h + 4, w,
                                        t->card_text, lc.cells[tp->stage], cref, PANGO_ALIGN_LEFT)
                        : -1;
        jm_free(cref);
        jm_lo_placed(&lc, &p, y + h + 4 + jm_lo_text_h(b, cap));
    }
    jm_lo_lane_end(b, &lc, 0, true);
}
