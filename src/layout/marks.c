/* A change map's marks (jm_diff_change_map): what a diff found, on the cards and stage headers
 * of the new map, in the colours the theme already has for good and bad news. */
#include <math.h>
#include <string.h>

#include "builder.h"

jm_rgba jm_lo_mark_color(builder *b, unsigned mark)
{
    const jm_theme *t = b->t;
    return mark & JM_MARK_ADDED     ? t->opportunity
           : mark & JM_MARK_REMOVED ? t->pain
           : mark & JM_MARK_MOVED   ? t->link
                                    : t->curve;
}

const char *jm_lo_mark_label(builder *b, unsigned mark)
{
    if (mark & JM_MARK_ADDED)
        return L(b, "+ New", "+ Новое");
    if (mark & JM_MARK_REMOVED)
        return L(b, "\u2212 Removed", "\u2212 Удалено");
    if ((mark & JM_MARK_MOVED) && (mark & JM_MARK_CHANGED))
        return L(b, "\u2192 Moved, \u0394 changed", "\u2192 Перенесено, \u0394 изменено");
    if (mark & JM_MARK_MOVED)
        return L(b, "\u2192 Moved", "\u2192 Перенесено");
    return L(b, "\u0394 Changed", "\u0394 Изменено");
}

/* Every element from index `from` on drawn faintly: what the new version no longer has. */
void jm_lo_mark_ghost(builder *b, long from)
{
    if (from < 0 || b->lo->failed)
        return;
    for (size_t i = (size_t)from; i < b->lo->n; i++) {
        jm_element *e = &b->lo->el[i];
        e->fill.a *= 0.35;
        e->stroke.a *= 0.6;
        e->color.a *= 0.45;
    }
}

double jm_lo_mark_line(builder *b, long parent, unsigned mark, double x, double y, double w,
                       const char *ref)
{
    long e = jm_lo_text_el(b, "change_mark", ROLE_SMALL_BOLD, jm_lo_mark_label(b, mark), x, y, w,
                           jm_lo_mark_color(b, mark), parent, ref, PANGO_ALIGN_LEFT);
    return jm_lo_text_h(b, e);
}
