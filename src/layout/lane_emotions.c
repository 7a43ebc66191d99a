/* The emotion lane: one curve per persona and state, faces at the touchpoints. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"

/* ---- Emotions ----------------------------------------------------------------------------- */

static jm_rgba emotion_color(const jm_theme *t, double v)
{
    return v < 0 ? jm_lo_mix(t->emotion_zero, t->emotion_neg, -v / 2)
                 : jm_lo_mix(t->emotion_zero, t->emotion_pos, v / 2);
}

/* Fritsch–Carlson monotone cubic through pts: no overshoot, so the curve never leaves the
 * range of its neighbouring values (and never passes ±2). Writes 1 + 3(n-1) Bézier points. */
static jm_point *monotone_curve(const jm_point *p, size_t n, size_t *out_n)
{
    *out_n = 0;
    if (n < 2)
        return NULL;
    double *d = jm_calloc(n, sizeof *d), *mt = jm_calloc(n, sizeof *mt);
    jm_point *out = jm_calloc(1 + 3 * (n - 1), sizeof *out);
    if (!d || !mt || !out) {
        jm_free(d);
        jm_free(mt);
        jm_free(out);
        return NULL;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        double dx = p[i + 1].x - p[i].x;
        d[i] = dx > 0 ? (p[i + 1].y - p[i].y) / dx : 0;
    }
    mt[0] = d[0];
    mt[n - 1] = d[n - 2];
    for (size_t i = 1; i + 1 < n; i++)
        mt[i] = d[i - 1] * d[i] <= 0 ? 0 : (d[i - 1] + d[i]) / 2;
    for (size_t i = 0; i + 1 < n; i++) {
        if (d[i] == 0) {
            mt[i] = mt[i + 1] = 0;
            continue;
        }
        double a = mt[i] / d[i], c = mt[i + 1] / d[i];
        /* Tangents at most 3× the secant keep every control point within the segment's range. */
        if (a > 3)
            mt[i] = 3 * d[i];
        if (c > 3)
            mt[i + 1] = 3 * d[i];
        if (a < 0)
            mt[i] = 0;
        if (c < 0)
            mt[i + 1] = 0;
    }
    out[0] = p[0];
    size_t k = 1;
    for (size_t i = 0; i + 1 < n; i++) {
        double dx = (p[i + 1].x - p[i].x) / 3;
        out[k++] = (jm_point){p[i].x + dx, p[i].y + mt[i] * dx};
        out[k++] = (jm_point){p[i + 1].x - dx, p[i + 1].y - mt[i + 1] * dx};
        out[k++] = p[i + 1];
    }
    jm_free(d);
    jm_free(mt);
    *out_n = k;
    return out;
}

typedef struct emo_geom {
    double band_top, band_h;
} emo_geom;

static double emo_y(const emo_geom *g, double v) { return g->band_top + (2 - v) / 4 * g->band_h; }

/* What joined data says of a point the series draws from the touchpoint's own emotion (data
 * describes the touchpoint as it is, not its before/after states), or NULL. */
static const jm_emotion_stat *data_stat(const jm_map *m, const jm_touchpoint *tp, size_t slot,
                                        jm_state state)
{
    if (!tp->stat || !tp->stat[slot].n)
        return NULL;
    jm_tp_view v;
    jm_tp_view_get(m, tp, state, &v);
    return v.emotion == tp->base.emotion ? &tp->stat[slot] : NULL;
}

/* The data behind a point: its interquartile band (a bar from the first to the third
 * quartile, behind the face) and "n = N" under it. */
static void data_marks(builder *b, lane_ctx *lc, const emo_geom *g, const jm_touchpoint *tp,
                       size_t slot, const char *ref, jm_point at, double r,
                       const jm_emotion_stat *st, jm_rgba color, bool thin)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    jm_rgba band = jm_lo_mix(thin ? t->text_muted : color, t->background, 0.6);
    double top = emo_y(g, jm_emotion_axis(m, st->q3)),
           bottom = emo_y(g, jm_emotion_axis(m, st->q1));
    if (bottom - top > 0.5) {
        double w = r * 1.3;
        long e = jm_lo_shape(b, "emotion_spread", JM_SHAPE_RECT, at.x - w / 2, top, w, bottom - top,
                             lc->cells[tp->stage], ref, band, NONE, 0);
        if (e >= 0)
            jm_lo_el_at(b, e)->radius = w / 2;
    }
    char text[48];
    snprintf(text, sizeof text, "n\u2009=\u2009%zu", st->n);
    double tw = jm_lo_text_width(b, ROLE_SMALL, text) + 1;
    /* Several personas' points stand side by side: their labels one under the other. */
    double y = fmax(bottom, at.y + r) + 2 + (m->n_personas > 1 ? (double)slot * 11 : 0);
    long te = jm_lo_text_el(b, "emotion_n", ROLE_SMALL, text, at.x - tw / 2, y, tw, t->text_muted,
                            lc->cells[tp->stage], ref, PANGO_ALIGN_CENTER);
    if (te >= 0 && !b->lo->failed) {
        jm_element *e = jm_lo_el_at(b, te);
        e->has_value = true;
        e->value = (double)st->n;
        jm_lo_lane_note(lc, e->y + e->h);
    }
}

/* Persona slot's value at touchpoint i in a state, on the emotion axis (jm_emotion_axis), or
 * JM_EMOTION_NONE when it has none there (no emotion, or not taking part). */
static double slot_value(const jm_map *m, size_t i, size_t slot, jm_state state)
{
    const jm_touchpoint *tp = &m->touchpoints[i];
    jm_tp_view v;
    jm_tp_view_get(m, tp, state, &v);
    if (!v.has_emotion || !v.emotion || v.emotion[slot] == JM_EMOTION_NONE)
        return JM_EMOTION_NONE;
    if (tp->actors && m->n_personas && !tp->actors[slot])
        return JM_EMOTION_NONE; /* not taking part: the curve skips it rather than dropping to 0 */
    return jm_emotion_axis(m, v.emotion[slot]);
}

/* Where persona slot's marker at touchpoint i stands: markers of several personas that would
 * touch stand side by side, in persona order; one that is alone (or apart from the others)
 * stays on the touchpoint's centre, so a curve keeps its touchpoint's x. The group moves, and
 * each marker is held, so that the marker and its halo stay inside the stage's column (a narrow
 * overview column is narrower than the touchpoint's centre plus the offset). */
static double marker_x(builder *b, const emo_geom *g, size_t i, size_t slot, jm_state state,
                       double y)
{
    const jm_map *m = b->m;
    size_t slots = jm_emotion_slots(m), rank = 0, near = 0;
    double r = b->t->point_radius, step = 2 * r + 2, hr = r + 1.5;
    for (size_t q = 0; q < slots && slots > 1; q++) {
        double vq = q == slot ? 0 : slot_value(m, i, q, state);
        if (q != slot && (vq == JM_EMOTION_NONE || fabs(emo_y(g, vq) - y) >= step))
            continue;
        near++;
        rank += q < slot;
    }
    double x = b->tp_x[i];
    if (near <= 1)
        return x;
    size_t s = m->touchpoints[i].stage;
    double left = b->stage_x[s], right = left + b->stage_w[s];
    double half = (double)(near - 1) / 2 * step + hr;
    if (right - left >= 2 * half)
        x = fmin(fmax(x, left + half), right - half);
    else
        x = (left + right) / 2;
    x += ((double)rank - (double)(near - 1) / 2) * step;
    return right - left >= 2 * hr ? fmin(fmax(x, left + hr), right - hr) : x;
}

/* One persona in one state: its curve (draw_curve) or its markers (else) through the
 * touchpoints that have a value for it. Every curve is drawn before any marker, so that no
 * curve crosses another persona's marker; with several curves a marker has a halo of the
 * background around it. */
static void emotion_series(builder *b, lane_ctx *lc, const emo_geom *g, size_t slot, jm_state state,
                           bool muted, jm_rgba color, bool faces, bool draw_curve, bool halo)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    jm_point *pts = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *pts);
    size_t *idx = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *idx);
    double *val = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *val);
    if (!pts || !idx || !val) {
        b->lo->failed = true;
        goto done;
    }
    size_t n = 0;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        double v = slot_value(m, i, slot, state);
        if (v == JM_EMOTION_NONE)
            continue;
        double y = emo_y(g, v);
        pts[n] = (jm_point){marker_x(b, g, i, slot, state, y), y};
        idx[n] = i;
        val[n] = v;
        n++;
    }
    if (draw_curve) {
        size_t nc = 0;
        jm_point *curve = monotone_curve(pts, n, &nc);
        if (curve) {
            double x0 = curve[0].x, x1 = curve[nc - 1].x, y0 = curve[0].y, y1 = y0;
            for (size_t k = 0; k < nc; k++) {
                y0 = fmin(y0, curve[k].y);
                y1 = fmax(y1, curve[k].y);
            }
            long c =
                jm_lo_shape(b, "emotion_curve", JM_SHAPE_CURVE, x0, y0, x1 - x0, y1 - y0, lc->band,
                            NULL, NONE, color, muted ? t->curve_width * 0.8 : t->curve_width);
            if (c >= 0) {
                jm_lo_el_at(b, c)->pts = curve;
                jm_lo_el_at(b, c)->npts = nc;
                jm_lo_el_at(b, c)->dash = muted ? JM_DASH_DASHED : jm_lo_persona_dash(b, slot);
                jm_lo_el_at(b, c)->has_value = true;
                jm_lo_el_at(b, c)->value = (double)slot;
            } else {
                jm_free(curve);
            }
        }
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        const jm_touchpoint *tp = &m->touchpoints[idx[k]];
        const char *sfx = state == JM_STATE_BEFORE && tp->before.present ? "/before/emotion"
                          : state == JM_STATE_AFTER && tp->after.present ? "/after/emotion"
                                                                         : "/emotion";
        char *ref = jm_lo_ref_of(tp, sfx);
        double r = faces ? t->point_radius : t->point_radius * 0.5;
        if (halo) {
            double hr = r + 1.5;
            jm_lo_shape(b, "emotion_halo", JM_SHAPE_CIRCLE, pts[k].x - hr, pts[k].y - hr, 2 * hr,
                        2 * hr, lc->cells[tp->stage], NULL, t->background, NONE, 0);
        }
        const jm_emotion_stat *st = data_stat(m, tp, slot, state);
        bool thin = st && st->n < m->data_min_n; /* too few responses to go by: greyed */
        if (st && faces)
            data_marks(b, lc, g, tp, slot, ref, pts[k], r, st, color, thin);
        long pe = jm_lo_shape(
            b, "emotion_point", faces ? JM_SHAPE_FACE : JM_SHAPE_CIRCLE, pts[k].x - r, pts[k].y - r,
            2 * r, 2 * r, lc->cells[tp->stage], ref,
            thin    ? jm_lo_mix(t->background, t->text_muted, 0.3)
            : faces ? emotion_color(t, val[k])
                    : t->background,
            thin ? t->text_muted
            : faces
                ? (m->n_personas > 1 ? color : jm_lo_mix(emotion_color(t, val[k]), t->text, 0.45))
                : color,
            faces ? (m->n_personas > 1 ? 1.6 : 1.2) : t->curve_width * 0.8);
        if (pe >= 0) {
            jm_element *e = jm_lo_el_at(b, pe);
            e->has_value = true;
            e->value = val[k];
            e->color = t->text;
        }
        if (faces && tp->moment_of_truth && !b->mot_badged[idx[k]]) {
            b->mot_badged[idx[k]] = true; /* one badge a touchpoint, over its first face */
            char *mr = jm_lo_ref_of(tp, "/moment_of_truth");
            jm_lo_shape(b, "badge", JM_SHAPE_DIAMOND, pts[k].x - 5, pts[k].y - r - 13, 10, 10,
                        lc->cells[tp->stage], mr, t->moment_of_truth, t->background, 1);
            jm_free(mr);
        }
        jm_free(ref);
    }
done:
    jm_free(pts);
    jm_free(idx);
    jm_free(val);
}

/* A value of the scale as the axis shows it: a sign on both sides when the scale spans
 * negative values ("+2", "0", "−2"), the label the scale gives it after the number. */
static void level_text(builder *b, double v, char *out, size_t n)
{
    char num[64];
    jm_lo_format_number(b, fabs(v), num, sizeof num);
    const char *sign = v < 0 ? "\u2212" : v > 0 && b->m->scale.min < 0 ? "+" : "";
    const char *label = jm_scale_label_of(b->m, v);
    if (label)
        snprintf(out, n, "%s (%s%s)", label, sign, num);
    else
        snprintf(out, n, "%s%s", sign, num);
}

/* Guides across the lane with their values (and the scale's labels) and a face in the label
 * column: the scale's top and bottom faint, its midpoint dotted, and any labelled value
 * between them faint, unless it would crowd a level already shown. The band moves below the
 * lane's name when the values' column would run into it. */
static void emotion_guides(builder *b, lane_ctx *lc, emo_geom *g, const char *lane_name)
{
    const jm_theme *t = b->t;
    const jm_scale *sc = &b->m->scale;
    enum { MAX_LEVELS = 3 + JM_SCALE_MAX_LABELS };
    double levels[MAX_LEVELS];
    size_t n = 0;
    levels[n++] = sc->max;
    levels[n++] = (sc->min + sc->max) / 2;
    levels[n++] = sc->min;
    double fs = fmin(t->point_radius * 1.7, 16);
    for (size_t i = 0; i < sc->n_labels && n < MAX_LEVELS; i++) {
        double a = jm_emotion_axis(b->m, sc->labels[i].value), y = emo_y(g, a);
        bool crowded = false;
        for (size_t k = 0; k < n; k++)
            crowded |= sc->labels[i].value == levels[k] ||
                       fabs(y - emo_y(g, jm_emotion_axis(b->m, levels[k]))) < fs + 2;
        if (!crowded)
            levels[n++] = sc->labels[i].value;
    }
    char text[MAX_LEVELS][160];
    int role[MAX_LEVELS]; /* a bare value in the numbers' family, a labelled one as text */
    /* The widest value, so that the faces form one column; a long label wraps within what the
     * label column leaves beside the face. */
    double lw = 0, room = t->lane_label_width - 2 * t->padding - fs - 8;
    for (size_t k = 0; k < n; k++) {
        level_text(b, levels[k], text[k], sizeof text[k]);
        role[k] = jm_scale_label_of(b->m, levels[k]) ? ROLE_SMALL : ROLE_NUMBER_SMALL;
        lw = fmax(lw, jm_lo_text_width(b, role[k], text[k]) + 1);
    }
    lw = fmin(lw, fmax(room, 20));
    double name_right = t->margin + t->padding + jm_lo_text_width(b, ROLE_LANE, lane_name);
    if (b->grid_left - 8 - lw - fs < name_right + 12 && g->band_top - fs / 2 < lc->label_bottom + 4)
        g->band_top = lc->label_bottom + 4 + fs / 2 + 6;
    for (size_t k = 0; k < n; k++) {
        double a = jm_emotion_axis(b->m, levels[k]), y = emo_y(g, a);
        bool mid = k == 1;
        long gl = jm_lo_shape(b, "guide", JM_SHAPE_LINE, b->grid_left, y,
                              b->grid_right - b->grid_left, 0, lc->band, NULL, NONE,
                              mid ? t->line_of_interaction : t->guide, t->stroke_width);
        if (gl >= 0)
            jm_lo_el_at(b, gl)->dash = mid ? JM_DASH_DOTTED : JM_DASH_SOLID;
        double tw = fmin(jm_lo_text_width(b, role[k], text[k]) + 1, lw);
        long tl = jm_lo_text_el(b, "text", role[k], text[k], b->grid_left - 4 - tw, y - 6, tw,
                                t->text_muted, lc->label, NULL, PANGO_ALIGN_RIGHT);
        if (tl >= 0 && !b->lo->failed)
            jm_lo_el_at(b, tl)->y = y - jm_lo_el_at(b, tl)->h / 2;
        long face = jm_lo_shape(b, "icon_face", JM_SHAPE_FACE, b->grid_left - 8 - lw - fs,
                                y - fs / 2, fs, fs, lc->label, NULL, emotion_color(t, a),
                                jm_lo_mix(emotion_color(t, a), t->text, 0.45), 1);
        if (face >= 0) {
            jm_lo_el_at(b, face)->has_value = true;
            jm_lo_el_at(b, face)->value = a;
            jm_lo_el_at(b, face)->color = t->text;
        }
    }
}

void jm_lo_emotion_scale(builder *b, lane_ctx *lc, double band_top, double band_h,
                         const char *lane_name)
{
    emo_geom g = {band_top, band_h};
    emotion_guides(b, lc, &g, lane_name);
}

void jm_lo_lane_emotions(builder *b, const jm_lane *lane)
{
    const jm_theme *t = b->t;
    const jm_map *m = b->m;
    lane_ctx lc;
    if (!jm_lo_lane_open(b, &lc, lane, JM_LANE_EMOTIONS, NULL)) /* the faces are its icons */
        return;
    /* Room above the band for the moment-of-truth badges (the overview leaves it out when
     * there are none). */
    bool mot = !b->overview;
    for (size_t i = 0; i < m->n_touchpoints && !mot; i++)
        mot = m->touchpoints[i].moment_of_truth;
    /* The band grows with the personas, so that their curves and faces have room: a third of
     * the theme's height more for each persona after the first, up to twice the height. */
    size_t slots = jm_emotion_slots(m);
    double band_h = t->emotion_height * fmin(1 + (double)(slots - 1) / 3, 2);
    emo_geom g = {lc.top + t->gap + t->point_radius + (mot ? 14 : 2), band_h};
    emotion_guides(b, &lc, &g,
                   lane->name ? lane->name : jm_lo_lane_default_name(b, JM_LANE_EMOTIONS));
    /* Curves first, markers over them (with a halo when curves could cross them). */
    bool compare = b->lo->state == JM_STATE_COMPARE, halo = slots > 1 || compare;
    for (int pass = 0; pass < 2; pass++)
        for (size_t p = 0; p < slots; p++) {
            jm_rgba col = m->n_personas > 1 ? jm_lo_persona_color(b, p) : t->curve;
            if (compare) {
                emotion_series(b, &lc, &g, p, JM_STATE_BEFORE, true,
                               m->n_personas > 1 ? jm_lo_mix(col, t->background, 0.45)
                                                 : t->curve_before,
                               false, pass == 0, halo);
                emotion_series(b, &lc, &g, p, JM_STATE_AFTER, false, col, true, pass == 0, halo);
            } else {
                emotion_series(b, &lc, &g, p, b->view, false, col, true, pass == 0, halo);
            }
        }
    double bottom = g.band_top + g.band_h + t->point_radius;
    if (b->overview) {
        /* The touchpoints' numbers under the band tie each point to its card. */
        for (size_t i = 0; i < m->n_touchpoints; i++) {
            char num[32];
            snprintf(num, sizeof num, "%zu", i + 1);
            double tw = jm_lo_text_width(b, ROLE_SMALL, num) + 1;
            long te = jm_lo_text_el(b, "emotion_number", ROLE_SMALL, num, b->tp_x[i] - tw / 2,
                                    bottom + 2, tw, t->text_muted,
                                    lc.cells[m->touchpoints[i].stage], NULL, PANGO_ALIGN_CENTER);
            jm_lo_lane_note(&lc, bottom + 2 + jm_lo_text_h(b, te));
        }
    }
    jm_lo_lane_note(&lc, bottom);
    jm_lo_lane_end(b, &lc, 0, true);
}
