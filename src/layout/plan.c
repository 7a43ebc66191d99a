/* The action plan drawn on the map: an owner's label on cards, and an opportunity's status
 * and priority as small badges with its owner (the model's jm_plan). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builder.h"

const char *jm_lo_status_label(builder *b, jm_status s)
{
    switch (s) {
    case JM_STATUS_IDEA: return L(b, "Idea", "Идея");
    case JM_STATUS_PLANNED: return L(b, "Planned", "Запланировано");
    case JM_STATUS_IN_PROGRESS: return L(b, "In progress", "В работе");
    case JM_STATUS_DONE: return L(b, "Done", "Готово");
    default: return NULL;
    }
}

const char *jm_lo_priority_label(builder *b, jm_priority p)
{
    switch (p) {
    case JM_PRIORITY_HIGH: return L(b, "High priority", "Высокий приоритет");
    case JM_PRIORITY_MEDIUM: return L(b, "Medium priority", "Средний приоритет");
    case JM_PRIORITY_LOW: return L(b, "Low priority", "Низкий приоритет");
    default: return NULL;
    }
}

/* A badge's edge: the colour, or the muted text colour where the colour would not show
 * against the background (3:1, WCAG's figure for graphics). */
static jm_rgba edge(const jm_theme *t, jm_rgba c)
{
    return jm_contrast_ratio(jm_rgba_over(c, t->background), t->background) < 3 ? t->text_muted : c;
}

/* A status's or priority's colour, from the theme's own colours so that every theme (and the
 * grayscale print theme, where the badge's words carry it) has them. */
jm_rgba jm_lo_status_color(builder *b, jm_status s)
{
    const jm_theme *t = b->t;
    switch (s) {
    case JM_STATUS_PLANNED: return edge(t, t->link);
    case JM_STATUS_IN_PROGRESS: return edge(t, t->moment_of_truth);
    case JM_STATUS_DONE: return edge(t, t->emotion_pos);
    default: return t->text_muted;
    }
}

jm_rgba jm_lo_priority_color(builder *b, jm_priority p)
{
    const jm_theme *t = b->t;
    switch (p) {
    case JM_PRIORITY_HIGH: return edge(t, t->pain);
    case JM_PRIORITY_MEDIUM: return edge(t, t->moment_of_truth);
    default: return t->text_muted;
    }
}

/* "Owner: Maria" in small muted type at (x, y), at most w wide; returns its height. */
double jm_lo_owner_label(builder *b, long parent, const char *owner, const char *ref, double x,
                         double y, double w, jm_rgba color)
{
    char *label = jm_asprintf("%s: %s", L(b, "Owner", "Ответственный"), owner);
    if (!label) {
        b->lo->failed = true;
        return 0;
    }
    long e =
        jm_lo_text_el(b, "owner", ROLE_SMALL, label, x, y, w, color, parent, ref, PANGO_ALIGN_LEFT);
    jm_free(label);
    return jm_lo_text_h(b, e);
}

/* One badge: a pill with a coloured edge, tinted fill and the word; returns its width. */
static double badge(builder *b, long parent, const char *kind, const char *word, jm_rgba color,
                    const char *ref, double x, double y, double h)
{
    const jm_theme *t = b->t;
    double tw = jm_lo_text_width(b, ROLE_SMALL, word) + 1, pw = tw + h;
    long p = jm_lo_shape(b, kind, JM_SHAPE_RECT, x, y, pw, h, parent, ref,
                         jm_lo_mix(t->background, color, 0.14), color, t->stroke_width);
    if (p < 0)
        return pw;
    jm_lo_el_at(b, p)->radius = h / 2;
    long te = jm_lo_text_el(b, "text", ROLE_SMALL, word, x + h / 2, y, tw, t->text, p, NULL,
                            PANGO_ALIGN_LEFT);
    /* centred vertically in the pill */
    if (te >= 0 && !b->lo->failed)
        jm_lo_el_at(b, te)->y = y + (h - jm_lo_el_at(b, te)->h) / 2;
    return pw;
}

/* The plan's badges (status, then priority: flowing onto a new row when the box is too
 * narrow) and its owner under them, from y within [x, x + w]. ref: the JSON pointer of the
 * point or item. Returns the bottom of what it drew, y when nothing. */
double jm_lo_plan(builder *b, long parent, const jm_plan *plan, const char *ref, double x, double y,
                  double w)
{
    if (!plan)
        return y;
    const char *words[2] = {jm_lo_status_label(b, plan->status),
                            jm_lo_priority_label(b, plan->priority)};
    const char *kinds[2] = {"status", "priority"};
    jm_rgba colors[2] = {jm_lo_status_color(b, plan->status),
                         jm_lo_priority_color(b, plan->priority)};
    double h = ceil(b->t->font_small.size * 1.6), bx = x, by = y, bottom = y;
    for (int k = 0; k < 2; k++) {
        if (!words[k])
            continue;
        double need = jm_lo_text_width(b, ROLE_SMALL, words[k]) + 1 + h;
        if (bx > x && bx + need > x + w) {
            bx = x;
            by += h + 3;
        }
        char *r = jm_asprintf("%s/%s", ref ? ref : "", kinds[k]);
        if (!r) {
            b->lo->failed = true;
            return y;
        }
        bx += badge(b, parent, kinds[k], words[k], colors[k], r, bx, by, h) + 4;
        jm_free(r);
        bottom = by + h;
    }
    if (plan->owner) {
        char *r = jm_asprintf("%s/owner", ref ? ref : "");
        if (!r) {
            b->lo->failed = true;
            return bottom;
        }
        double oy = bottom > y ? bottom + 3 : y;
        bottom = oy + jm_lo_owner_label(b, parent, plan->owner, r, x, oy, w, b->t->text_muted);
        jm_free(r);
    }
    return bottom;
}
