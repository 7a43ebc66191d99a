#include "text_layer.h"

#include <cairo-ft.h>
#include <pango/pangocairo.h>
#include <string.h>

/* cairo drops drawing whose alpha is 0x00ff / 0xffff or less; this is the least it keeps. */
#define STAND_IN_ALPHA 0.004

bool jm_font_has_color(cairo_scaled_font_t *font)
{
    if (cairo_scaled_font_get_type(font) != CAIRO_FONT_TYPE_FT)
        return false;
    FT_Face face = cairo_ft_scaled_font_lock_face(font);
    bool color = face && FT_HAS_COLOR(face);
    cairo_ft_scaled_font_unlock_face(font);
    return color;
}

static bool run_has_color(const PangoGlyphItem *run)
{
    PangoFont *font = run->item->analysis.font;
    return font && PANGO_IS_CAIRO_FONT(font) &&
           jm_font_has_color(pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)));
}

/* at[b]: whether byte b of the text starts a grapheme (Pango's cursor positions). */
static bool *grapheme_starts(PangoLayout *layout, const char *text, int len)
{
    int n;
    const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(layout, &n);
    bool *at = g_new0(bool, (size_t)len + 1);
    const char *p = text;
    for (int i = 0; i < n && p - text <= len; i++, p = g_utf8_next_char(p)) {
        at[p - text] = attrs[i].is_cursor_position;
        if (p - text == len)
            break;
    }
    return at;
}

/* Writes the characters of text[from, to) into out[from, to) in reverse order. */
static void reverse_chars(const char *text, char *out, int from, int to)
{
    int w = to;
    for (const char *p = text + from; p < text + to; p = g_utf8_next_char(p)) {
        int n = (int)(g_utf8_next_char(p) - p);
        w -= n;
        memcpy(out + w, p, (size_t)n);
    }
}

/* The run with its clusters widened to graphemes (never past the run's own text), and, when it
 * is right to left, each cluster of several characters reversed in `shown`. Sets *changed when
 * it differs from what Pango would draw. */
static PangoGlyphItem *true_run(const PangoGlyphItem *run, const char *text, const bool *at,
                                char *shown, bool *changed)
{
    PangoGlyphItem *g = pango_glyph_item_copy((PangoGlyphItem *)run);
    int off = g->item->offset;
    for (int i = 0; i < g->glyphs->num_glyphs; i++) {
        int b = off + g->glyphs->log_clusters[i];
        while (b > off && !at[b])
            b--;
        if (b - off != g->glyphs->log_clusters[i]) {
            g->glyphs->log_clusters[i] = b - off;
            *changed = true;
        }
    }
    if (g->item->analysis.level & 1) {
        PangoGlyphItemIter it;
        for (bool ok = pango_glyph_item_iter_init_start(&it, g, text); ok;
             ok = pango_glyph_item_iter_next_cluster(&it))
            if (g_utf8_strlen(text + it.start_index, it.end_index - it.start_index) > 1) {
                reverse_chars(text, shown, it.start_index, it.end_index);
                *changed = true;
            }
    }
    return g;
}

/* Under a run of colour glyphs, which cairo draws as pictures with no text, each cluster's
 * characters on one glyph of the layout's plain font, stretched to the cluster's width, in the
 * faintest ink cairo keeps (the picture drawn next covers it). */
static void show_stand_ins(cairo_t *cr, PangoLayout *layout, const char *text, const char *shown,
                           PangoGlyphItem *run, double x, double y)
{
    PangoContext *pc = pango_layout_get_context(layout);
    const PangoFontDescription *desc = pango_layout_get_font_description(layout);
    PangoFont *plain =
        pango_context_load_font(pc, desc ? desc : pango_context_get_font_description(pc));
    if (!plain)
        return;
    cairo_scaled_font_t *sf = PANGO_IS_CAIRO_FONT(plain)
                                  ? pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(plain))
                                  : NULL;
    cairo_glyph_t *glyph = NULL;
    int n = 0;
    cairo_text_extents_t ext;
    if (!sf || cairo_scaled_font_status(sf) || jm_font_has_color(sf) ||
        cairo_scaled_font_text_to_glyphs(sf, 0, 0, "-", 1, &glyph, &n, NULL, NULL, NULL) || n != 1)
        goto done;
    cairo_scaled_font_glyph_extents(sf, glyph, 1, &ext);
    if (!(ext.x_advance > 0))
        goto done;

    /* x of each glyph (visual order) from the run's start */
    int ng = run->glyphs->num_glyphs;
    int *gx = g_new(int, (size_t)ng + 1);
    gx[0] = 0;
    for (int i = 0; i < ng; i++)
        gx[i + 1] = gx[i] + run->glyphs->glyphs[i].geometry.width;

    double r, g, b, a;
    if (cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b, &a) != CAIRO_STATUS_SUCCESS)
        r = g = b = 0;
    cairo_save(cr);
    cairo_set_source_rgba(cr, r, g, b, STAND_IN_ALPHA);
    cairo_set_font_face(cr, cairo_scaled_font_get_font_face(sf));
    cairo_font_options_t *opts = cairo_font_options_create();
    cairo_scaled_font_get_font_options(sf, opts);
    cairo_set_font_options(cr, opts);
    cairo_font_options_destroy(opts);
    cairo_matrix_t fm;
    cairo_scaled_font_get_font_matrix(sf, &fm);
    PangoGlyphItemIter it;
    for (bool ok = pango_glyph_item_iter_init_start(&it, run, text); ok;
         ok = pango_glyph_item_iter_next_cluster(&it)) {
        int lo = it.start_glyph < it.end_glyph ? it.start_glyph : it.end_glyph + 1;
        int hi = it.start_glyph < it.end_glyph ? it.end_glyph : it.start_glyph + 1;
        double w = (double)(gx[hi] - gx[lo]) / PANGO_SCALE;
        if (!(w > 0))
            continue;
        cairo_matrix_t m = fm;
        m.xx *= w / ext.x_advance;
        cairo_set_font_matrix(cr, &m);
        cairo_glyph_t one = {glyph->index, x + (double)gx[lo] / PANGO_SCALE, y};
        cairo_text_cluster_t cl = {it.end_index - it.start_index, 1};
        cairo_show_text_glyphs(cr, shown + it.start_index, cl.num_bytes, &one, 1, &cl, 1, 0);
    }
    cairo_restore(cr);
    g_free(gx);
done:
    cairo_glyph_free(glyph);
    g_object_unref(plain);
}

void jm_show_layout_text(cairo_t *cr, PangoLayout *layout)
{
    if (!cairo_surface_has_show_text_glyphs(cairo_get_target(cr))) {
        pango_cairo_show_layout(cr, layout);
        return;
    }
    const char *text = pango_layout_get_text(layout);
    int len = (int)strlen(text);
    bool *at = grapheme_starts(layout, text, len);
    char *shown = g_strdup(text);
    GPtrArray *runs = g_ptr_array_new_with_free_func((GDestroyNotify)pango_glyph_item_free);
    bool changed = false;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next)
        for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r; r = r->next) {
            g_ptr_array_add(runs, true_run(r->data, text, at, shown, &changed));
            changed = changed || run_has_color(r->data);
        }
    if (!changed) {
        /* The common case (Latin, Cyrillic, Greek …): Pango's own drawing, byte for byte. */
        pango_cairo_show_layout(cr, layout);
        goto done;
    }

    /* Each run where pango_renderer_draw_layout_line puts it. */
    double x0, y0;
    cairo_get_current_point(cr, &x0, &y0);
    PangoLayoutIter *iter = pango_layout_get_iter(layout);
    guint k = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
        PangoRectangle lr;
        pango_layout_iter_get_line_extents(iter, NULL, &lr);
        int baseline = pango_layout_iter_get_baseline(iter);
        int x_off = 0;
        for (GSList *r = line->runs; r && k < runs->len; r = r->next, k++) {
            PangoGlyphItem *run = g_ptr_array_index(runs, k);
            x_off += run->start_x_offset;
            double x = x0 + (double)(lr.x + x_off) / PANGO_SCALE;
            double y = y0 + (double)(baseline - run->y_offset) / PANGO_SCALE;
            if (run_has_color(run))
                show_stand_ins(cr, layout, text, shown, run, x, y);
            cairo_move_to(cr, x, y);
            pango_cairo_show_glyph_item(cr, shown, run);
            x_off += pango_glyph_string_get_width(run->glyphs) + run->end_x_offset;
        }
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    cairo_move_to(cr, x0, y0);
done:
    g_ptr_array_free(runs, TRUE);
    g_free(shown);
    g_free(at);
}
