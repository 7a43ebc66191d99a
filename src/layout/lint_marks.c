/* Lint findings on the map (`journeymap lint -o`, jm_render_options.findings): a numbered
 * marker on the element each finding is about, and the findings listed by number in a panel
 * under the grid, so that a workshop sees where the problems are. The marker sits on the
 * element whose ref is the finding's JSON pointer, or the nearest drawn ancestor of it
 * ("/touchpoints/3/after" is marked on the card of "/touchpoints/3"); a finding about
 * something not drawn (a channel no touchpoint uses) is in the list only, saying so. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builder.h"

/* Kinds that span a whole column or lane: a marker on them would float in empty space. */
static bool too_large(const char *kind)
{
    static const char *const large[] = {"stage", "cell", "lane", "lane_label", "map"};
    for (size_t i = 0; i < sizeof large / sizeof *large; i++)
        if (strcmp(kind, large[i]) == 0)
            return true;
    return false;
}

/* The element among the first n whose ref is exactly path[0..len): a card or stage header
 * first, else the first other one that is not too large; -1 when none. */
static long element_with_ref(const jm_layout *lo, size_t n, const char *path, size_t len)
{
    long other = -1;
    for (size_t i = 0; i < n; i++) {
        const jm_element *e = &lo->el[i];
        if (!e->ref || strlen(e->ref) != len || memcmp(e->ref, path, len) != 0)
            continue;
        if (strcmp(e->kind, "card") == 0 || strcmp(e->kind, "stage_header") == 0)
            return (long)i;
        if (other < 0 && !too_large(e->kind))
            other = (long)i;
    }
    return other;
}

/* The element a finding at path is marked on: path itself, else its nearest ancestor drawn. */
static long mark_target(const jm_layout *lo, size_t n, const char *path)
{
    size_t len = strlen(path);
    while (len > 1) {
        long e = element_with_ref(lo, n, path, len);
        if (e >= 0)
            return e;
        while (len > 0 && path[len - 1] != '/')
            len--;
        if (len > 0)
            len--; /* drop the '/' too */
    }
    return -1;
}

static jm_rgba level_color(builder *b, jm_lint_level level)
{
    return level == JM_LINT_ERROR     ? b->t->pain
           : level == JM_LINT_WARNING ? b->t->moment_of_truth
                                      : b->t->link;
}

/* A round badge with number at its centre (cx, cy) in the level's colour, ringed in the
 * background colour so that it stands out on any border; returns its diameter. */
static double number_badge(builder *b, const char *kind, size_t number, jm_lint_level level,
                           double cx, double cy, long parent, const char *ref, const char *tip)
{
    const jm_theme *t = b->t;
    char num[32];
    snprintf(num, sizeof num, "%zu", number);
    double tw = jm_lo_text_width(b, ROLE_NUMBER_SMALL_BOLD, num) + 1;
    long badge = jm_lo_shape(b, kind, JM_SHAPE_CIRCLE, cx, cy, 0, 0, parent, ref,
                             level_color(b, level), t->background, 1.5);
    /* white on the red and blue; dark on the amber, which white would not read on */
    jm_rgba ink = level == JM_LINT_WARNING ? t->text : t->background;
    long te = jm_lo_text_el(b, "text", ROLE_NUMBER_SMALL_BOLD, num, cx, cy, tw, ink, badge, NULL,
                            PANGO_ALIGN_CENTER);
    if (badge < 0 || te < 0)
        return 0;
    double th = jm_lo_text_h(b, te), d = fmax(tw + 6, th + 4);
    jm_element *be = jm_lo_el_at(b, badge);
    be->x = cx - d / 2;
    be->y = cy - d / 2;
    be->w = be->h = d;
    be->has_value = true;
    be->value = (double)number;
    if (tip && !(be->tooltip = jm_strdup(tip)))
        b->lo->failed = true;
    jm_element *txt = jm_lo_el_at(b, te);
    txt->x = cx - tw / 2;
    txt->y = cy - th / 2;
    return d;
}

static const char *level_label(builder *b, jm_lint_level level)
{
    return level == JM_LINT_ERROR     ? L(b, "error", "ошибка")
           : level == JM_LINT_WARNING ? L(b, "warning", "предупреждение")
                                      : L(b, "note", "заметка");
}

/* The heading: "Lint findings: 1 error, 3 warnings, 2 notes" (or "none"). */
static void heading_text(builder *b, const jm_findings *f, jm_buf *out)
{
    size_t count[4] = {0};
    for (size_t i = 0; i < jm_findings_count(f); i++)
        count[jm_findings_get(f, i)->level & 3]++;
    jm_buf_puts(out, L(b, "Lint findings: ", "Замечания проверки: "));
    if (!jm_findings_count(f)) {
        jm_buf_puts(out, L(b, "none", "нет"));
        return;
    }
    static const jm_lint_level order[] = {JM_LINT_ERROR, JM_LINT_WARNING, JM_LINT_NOTE};
    static const char *const en[][2] = {
        {"error", "errors"}, {"warning", "warnings"}, {"note", "notes"}};
    bool first = true;
    for (size_t k = 0; k < 3; k++) {
        size_t c = count[order[k]];
        if (!c)
            continue;
        if (b->ru)
            jm_buf_printf(out, "%s%s: %zu", first ? "" : ", ", level_label(b, order[k]), c);
        else
            jm_buf_printf(out, "%s%zu %s", first ? "" : ", ", c, en[k][c != 1]);
        first = false;
    }
}

/* Markers on the elements (the first n of the layout, before any marker). */
static void place_markers(builder *b, const jm_findings *f, size_t n, bool *on_map)
{
    size_t count = jm_findings_count(f);
    long *target = jm_calloc(count ? count : 1, sizeof *target);
    if (!target) {
        b->lo->failed = true;
        return;
    }
    for (size_t i = 0; i < count; i++) {
        const jm_finding *g = jm_findings_get(f, i);
        target[i] = g->path && *g->path ? mark_target(b->lo, n, g->path) : -1;
        on_map[i] = target[i] >= 0;
    }
    for (size_t i = 0; i < count && !b->lo->failed; i++) {
        const jm_finding *g = jm_findings_get(f, i);
        if (!on_map[i])
            continue;
        /* the markers of one element in a row ending at its top right corner, in number order */
        size_t after = 0;
        for (size_t j = i + 1; j < count; j++)
            after += target[j] == target[i];
        const jm_element e = *jm_lo_el_at(b, target[i]);
        double d = 16, step = d + 2;
        double right = e.w < 2 * d ? e.x + e.w + d / 2 - 2 : e.x + e.w - 2; /* small: beside */
        double cx = fmax(e.x + d / 2, right - d / 2 - (double)after * step);
        jm_buf tip = {0};
        jm_buf_printf(&tip, "%zu. %s [%s]: %s", i + 1, level_label(b, g->level), g->rule,
                      g->message);
        char *text = jm_buf_take(&tip);
        if (!text)
            b->lo->failed = true;
        number_badge(b, "lint_mark", i + 1, g->level, cx, e.y, target[i], g->path, text);
        jm_free(text);
    }
    jm_free(target);
}

/* The list, in columns of at least this width, read down then across. */
#define LIST_COLUMN_MIN 440.0

double jm_lo_lint_findings(builder *b, const jm_findings *f, double top, double width)
{
    const jm_theme *t = b->t;
    size_t count = jm_findings_count(f);
    bool *on_map = jm_calloc(count ? count : 1, sizeof *on_map);
    if (!on_map) {
        b->lo->failed = true;
        return top;
    }
    place_markers(b, f, b->lo->n, on_map);

    double x0 = t->margin, inner = width - 2 * t->margin;
    long panel = jm_lo_shape(b, "lint_findings", JM_SHAPE_RECT, x0, top, inner, 0, b->root, NULL,
                             t->card_fill, t->card_stroke, t->stroke_width);
    if (panel >= 0)
        jm_lo_el_at(b, panel)->radius = t->radius;
    jm_buf head = {0};
    heading_text(b, f, &head);
    char *heading = jm_buf_take(&head);
    if (!heading)
        b->lo->failed = true;
    double pad = t->padding * 1.5;
    long h =
        jm_lo_text_el(b, "lint_heading", ROLE_CARD_TITLE, heading ? heading : "", x0 + pad,
                      top + pad, inner - 2 * pad, t->card_title, panel, NULL, PANGO_ALIGN_LEFT);
    jm_free(heading);
    double list_top = top + pad + jm_lo_text_h(b, h) + t->gap;
    size_t cols = (size_t)fmax(1, floor((inner - 2 * pad + t->gap) / (LIST_COLUMN_MIN + t->gap)));
    if (cols > count)
        cols = count ? count : 1;
    size_t rows = (count + cols - 1) / cols;
    double col_w = (inner - 2 * pad - (double)(cols - 1) * t->gap * 2) / (double)cols;
    double bottom = list_top - t->gap;
    for (size_t c = 0; c < cols && !b->lo->failed; c++) {
        double y = list_top, x = x0 + pad + (double)c * (col_w + t->gap * 2);
        for (size_t i = c * rows; i < count && i < (c + 1) * rows; i++) {
            const jm_finding *g = jm_findings_get(f, i);
            long entry = jm_lo_el_push(b, "lint_entry", x, y, col_w, 0, panel, g->path);
            double d =
                number_badge(b, "lint_number", i + 1, g->level, x + 8, y + 9, entry, NULL, NULL);
            double tx = x + fmax(d, 16) + 6, tw = col_w - (tx - x);
            long msg = jm_lo_text_el(b, "text", ROLE_SMALL, g->message, tx, y, tw, t->card_text,
                                     entry, NULL, PANGO_ALIGN_LEFT);
            jm_buf where = {0};
            jm_buf_printf(&where, "%s \u00b7 %s \u00b7 %s", level_label(b, g->level), g->rule,
                          g->file);
            if (g->line > 0)
                jm_buf_printf(&where, ":%d:%d", g->line, g->column);
            if (!on_map[i])
                jm_buf_puts(&where, L(b, " \u00b7 not on the map", " \u00b7 не на карте"));
            char *w = jm_buf_take(&where);
            if (!w)
                b->lo->failed = true;
            double my = y + jm_lo_text_h(b, msg);
            long loc = jm_lo_text_el(b, "text", ROLE_SMALL, w ? w : "", tx, my, tw, t->text_muted,
                                     entry, NULL, PANGO_ALIGN_LEFT);
            jm_free(w);
            double eb = fmax(my + jm_lo_text_h(b, loc), y + d);
            if (entry >= 0)
                jm_lo_el_at(b, entry)->h = eb - y;
            y = eb + t->gap;
            bottom = fmax(bottom, eb);
        }
    }
    jm_free(on_map);
    double panel_bottom = bottom + pad;
    if (panel >= 0)
        jm_lo_el_at(b, panel)->h = panel_bottom - top;
    return panel_bottom;
}
