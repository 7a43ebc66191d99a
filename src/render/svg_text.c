#include "svg_text.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "context/context.h"
#include "svg_paths.h"
#include "text_layer.h"

#define GLYPH_CACHE_MAX 50000 /* outlines a context keeps; then it starts again */

typedef struct glyph_key {
    cairo_scaled_font_t *font;
    PangoGlyph glyph;
} glyph_key;

struct jm_svg_text {
    GHashTable *cache; /* the context's glyph_key → path data ("" draws nothing); or NULL */
    GHashTable *ids;   /* glyph_key → its number in this document; 0 is "no outline" */
    size_t n_ids;      /* numbers given so far */
    jm_buf *out;       /* the document */
    const char *id_prefix;
    jm_buf defs, run; /* the outlines new in the text being added, and its <use>s */
    glyph_key *added; /* the glyphs first seen in the text being added */
    size_t n_added, cap_added;
    cairo_surface_t *scratch_surface;
    cairo_t *scratch;   /* turns a glyph into its outline */
    double ox, oy;      /* where the text being added is drawn: Pango's int units overflow
                           past 2 097 151 pt, and a 30 000-touchpoint map is wider */
    jm_rgba color;      /* of the text being added */
    bool baseline_open; /* a group of the run's uses on one baseline is open */
    int baseline;       /* its y, in Pango units from the text's top */
    bool failed;
};

static guint key_hash(gconstpointer p)
{
    const glyph_key *k = p;
    return g_direct_hash(k->font) * 31u + k->glyph;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const glyph_key *x = a, *y = b;
    return x->font == y->font && x->glyph == y->glyph;
}

/* A cached key holds its scaled font, so that no other font can take its address. */
static void cached_key_free(gpointer p)
{
    glyph_key *k = p;
    cairo_scaled_font_destroy(k->font);
    g_free(k);
}

jm_svg_text *jm_svg_text_new(struct jm_context *ctx, jm_buf *out, const char *id_prefix)
{
    jm_svg_text *st = jm_calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->out = out;
    st->id_prefix = id_prefix;
    if (ctx) {
        GHashTable *cache = jm_context_svg_glyphs(ctx);
        if (!cache) {
            cache = g_hash_table_new_full(key_hash, key_equal, cached_key_free, g_free);
            jm_context_set_svg_glyphs(ctx, cache);
        } else if (g_hash_table_size(cache) > GLYPH_CACHE_MAX) {
            g_hash_table_remove_all(cache);
        }
        st->cache = cache;
    }
    st->ids = g_hash_table_new_full(key_hash, key_equal, g_free, NULL);
    st->scratch_surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    st->scratch = cairo_create(st->scratch_surface);
    if (cairo_status(st->scratch) != CAIRO_STATUS_SUCCESS) {
        jm_svg_text_free(st);
        return NULL;
    }
    return st;
}

void jm_svg_text_free(jm_svg_text *st)
{
    if (!st)
        return;
    if (st->ids)
        g_hash_table_destroy(st->ids);
    if (st->scratch)
        cairo_destroy(st->scratch);
    if (st->scratch_surface)
        cairo_surface_destroy(st->scratch_surface);
    jm_buf_free(&st->defs);
    jm_buf_free(&st->run);
    jm_free(st->added);
    jm_free(st);
}

bool jm_svg_text_failed(const jm_svg_text *st)
{
    return st->failed || st->defs.failed || st->run.failed || st->out->failed;
}

cairo_status_t jm_png_encode(cairo_surface_t *image, jm_buf *out);

#define COLOR_GLYPH_PX_PER_PT 4 /* resolution of a colour glyph's picture */

/* A colour glyph (an emoji of Noto Color Emoji, a bitmap with no outline) as the attributes of
 * an <image> drawn at the glyph's origin, after a '<' that tells it from path data; "" when it
 * draws nothing, NULL when memory ran out. */
static char *color_picture(cairo_scaled_font_t *font, PangoGlyph glyph)
{
    cairo_glyph_t g = {glyph, 0, 0};
    cairo_text_extents_t ext;
    cairo_scaled_font_glyph_extents(font, &g, 1, &ext);
    if (ext.width <= 0 || ext.height <= 0)
        return g_strdup("");
    const double k = COLOR_GLYPH_PX_PER_PT;
    int w = (int)ceil(ext.width * k), h = (int)ceil(ext.height * k);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(img);
    cairo_scale(cr, k, k);
    cairo_set_scaled_font(cr, font);
    g.x = -ext.x_bearing;
    g.y = -ext.y_bearing;
    cairo_show_glyphs(cr, &g, 1);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    jm_buf png = {0}, b = {0};
    char *s = NULL;
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS &&
        jm_png_encode(img, &png) == CAIRO_STATUS_SUCCESS && !png.failed) {
        jm_buf_puts(&b, "< x=\"");
        jm_buf_number(&b, ext.x_bearing);
        jm_buf_puts(&b, "\" y=\"");
        jm_buf_number(&b, ext.y_bearing);
        jm_buf_puts(&b, "\" width=\"");
        jm_buf_number(&b, (double)w / k);
        jm_buf_puts(&b, "\" height=\"");
        jm_buf_number(&b, (double)h / k);
        jm_buf_puts(&b, "\" xlink:href=\"data:image/png;base64,");
        jm_svg_base64(&b, (const unsigned char *)png.data, png.len);
        jm_buf_puts(&b, "\"");
        if (!b.failed)
            s = g_strndup(b.data, b.len);
    }
    jm_buf_free(&png);
    jm_buf_free(&b);
    cairo_surface_destroy(img);
    return s;
}

/* The glyph's outline as SVG path data ("" when it draws nothing, as a space), or NULL when
 * memory ran out. The caller frees it with g_free. */
static char *outline(jm_svg_text *st, cairo_scaled_font_t *font, PangoGlyph glyph)
{
    if (jm_font_has_color(font))
        return color_picture(font, glyph);
    cairo_t *cr = st->scratch;
    cairo_set_scaled_font(cr, font);
    cairo_new_path(cr);
    cairo_glyph_t g = {glyph, 0, 0};
    cairo_glyph_path(cr, &g, 1);
    cairo_path_t *path = cairo_copy_path(cr);
    cairo_new_path(cr);
    if (!path || path->status != CAIRO_STATUS_SUCCESS) {
        cairo_path_destroy(path);
        return NULL;
    }
    jm_buf d = {0};
    jm_svg_path_data(&d, path);
    cairo_path_destroy(path);
    char *s = d.failed ? NULL : g_strndup(d.data ? d.data : "", d.len);
    jm_buf_free(&d);
    return s;
}

/* The number of the glyph's outline, its <path> added to the text's new definitions the first
 * time; 0 when the glyph draws nothing (a space). */
static size_t glyph_id(jm_svg_text *st, cairo_scaled_font_t *font, PangoGlyph glyph)
{
    glyph_key k = {font, glyph};
    gpointer v;
    if (g_hash_table_lookup_extended(st->ids, &k, NULL, &v))
        return GPOINTER_TO_SIZE(v);
    const char *d = st->cache ? g_hash_table_lookup(st->cache, &k) : NULL;
    char *made = NULL;
    if (!d) {
        d = made = outline(st, font, glyph);
        if (!made) {
            st->failed = true;
            return 0;
        }
    }
    size_t id = 0;
    if (*d == '<') { /* a colour glyph's picture */
        id = ++st->n_ids;
        jm_buf_puts(&st->defs, "<image id=\"");
        jm_buf_puts(&st->defs, st->id_prefix);
        jm_buf_puts(&st->defs, "g");
        jm_buf_uint(&st->defs, id);
        jm_buf_puts(&st->defs, "\"");
        jm_buf_puts(&st->defs, d + 1);
        jm_buf_puts(&st->defs, "/>\n");
    } else if (*d) {
        id = ++st->n_ids;
        jm_buf_puts(&st->defs, "<path id=\"");
        jm_buf_puts(&st->defs, st->id_prefix);
        jm_buf_puts(&st->defs, "g");
        jm_buf_uint(&st->defs, id);
        jm_buf_puts(&st->defs, "\" d=\"");
        jm_buf_puts(&st->defs, d);
        jm_buf_puts(&st->defs, "\"/>\n");
    }
    if (made && st->cache) {
        glyph_key *ck = g_new(glyph_key, 1);
        *ck = (glyph_key){cairo_scaled_font_reference(font), glyph};
        g_hash_table_insert(st->cache, ck, made);
    } else {
        g_free(made);
    }
    glyph_key *kk = g_new(glyph_key, 1);
    *kk = k;
    g_hash_table_insert(st->ids, kk, GSIZE_TO_POINTER(id));
    if (!JM_PUSH(st->added, st->n_added, st->cap_added, k))
        st->failed = true;
    return id;
}

/* ---- A Pango renderer that writes <use>s ------------------------------------------------- */

typedef struct JmSvgRenderer {
    PangoRenderer parent;
    jm_svg_text *st;
} JmSvgRenderer;

typedef struct JmSvgRendererClass {
    PangoRendererClass parent_class;
} JmSvgRendererClass;

G_DEFINE_TYPE(JmSvgRenderer, jm_svg_renderer, PANGO_TYPE_RENDERER)

/* A glyph no font has: an empty box as wide as Pango made it (as PNG and PDF show it, less
 * the hex digits), from the font's ascent to its baseline. x, y: its origin, Pango units. */
static void unknown_box(jm_svg_text *st, PangoFont *font, int x, int y, int width)
{
    if (st->baseline_open) { /* the box has its own y */
        jm_buf_puts(&st->run, "</g>\n");
        st->baseline_open = false;
    }
    PangoFontMetrics *fm = pango_font_get_metrics(font, NULL);
    double ascent = fm ? (double)pango_font_metrics_get_ascent(fm) / PANGO_SCALE : 0;
    if (fm)
        pango_font_metrics_unref(fm);
    double w = (double)width / PANGO_SCALE;
    if (ascent <= 0)
        ascent = w;
    double pad = w * 0.1, h = ascent * 0.9, line = fmax(0.5, w * 0.06);
    jm_buf_puts(&st->run, "<rect x=\"");
    jm_buf_number(&st->run, st->ox + (double)x / PANGO_SCALE + pad + line / 2);
    jm_buf_puts(&st->run, "\" y=\"");
    jm_buf_number(&st->run, st->oy + (double)y / PANGO_SCALE - h + line / 2);
    jm_buf_puts(&st->run, "\" width=\"");
    jm_buf_number(&st->run, fmax(0, w - 2 * pad - line));
    jm_buf_puts(&st->run, "\" height=\"");
    jm_buf_number(&st->run, fmax(0, h - line));
    jm_buf_puts(&st->run, "\" fill=\"none\" stroke-width=\"");
    jm_buf_number(&st->run, line);
    jm_buf_puts(&st->run, "\"");
    jm_svg_color_attr(&st->run, "stroke", st->color);
    jm_buf_puts(&st->run, "/>\n");
}

/* x, y: the run's baseline origin, in Pango units from the text's top left. */
static void draw_glyphs(PangoRenderer *renderer, PangoFont *font, PangoGlyphString *glyphs, int x,
                        int y)
{
    jm_svg_text *st = ((JmSvgRenderer *)renderer)->st;
    cairo_scaled_font_t *sf =
        PANGO_IS_CAIRO_FONT(font) ? pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)) : NULL;
    int at = 0;
    for (int i = 0; i < glyphs->num_glyphs; i++) {
        const PangoGlyphInfo *gi = &glyphs->glyphs[i];
        int gx = x + at + gi->geometry.x_offset, gy = y + gi->geometry.y_offset;
        at += gi->geometry.width;
        if (gi->glyph == PANGO_GLYPH_EMPTY)
            continue;
        if ((gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) || !sf) {
            unknown_box(st, font, gx, gy, gi->geometry.width);
            continue;
        }
        size_t id = glyph_id(st, sf, gi->glyph);
        if (!id)
            continue;
        if (!st->baseline_open || st->baseline != y) {
            jm_buf_puts(&st->run, st->baseline_open ? "</g>\n<g transform=\"translate(0 "
                                                    : "<g transform=\"translate(0 ");
            jm_buf_number(&st->run, st->oy + (double)y / PANGO_SCALE);
            jm_buf_puts(&st->run, ")\">\n");
            st->baseline_open = true;
            st->baseline = y;
        }
        jm_buf_puts(&st->run, "<use xlink:href=\"#");
        jm_buf_puts(&st->run, st->id_prefix);
        jm_buf_puts(&st->run, "g");
        jm_buf_uint(&st->run, id);
        jm_buf_puts(&st->run, "\" x=\"");
        jm_buf_number(&st->run, st->ox + (double)gx / PANGO_SCALE);
        /* the glyphs of a baseline share one y: the group's, so that a <use> has none */
        if (gy != y) {
            jm_buf_puts(&st->run, "\" y=\"");
            jm_buf_number(&st->run, (double)(gy - y) / PANGO_SCALE);
        }
        jm_buf_puts(&st->run, "\"/>\n");
    }
}

static void jm_svg_renderer_init(JmSvgRenderer *r) { (void)r; }

static void jm_svg_renderer_class_init(JmSvgRendererClass *klass)
{
    PANGO_RENDERER_CLASS(klass)->draw_glyphs = draw_glyphs;
}

/* ---- Adding a text and writing them all --------------------------------------------------- */

bool jm_svg_text_add(jm_svg_text *st, PangoLayout *layout, double x, double y, jm_rgba color)
{
    if (!layout || !isfinite(x) || !isfinite(y))
        return false;
    JmSvgRenderer *r = g_object_new(jm_svg_renderer_get_type(), NULL);
    r->st = st;
    st->color = color;
    st->baseline_open = false;
    st->run.len = 0;
    st->defs.len = 0;
    st->n_added = 0;
    size_t n_ids = st->n_ids;
    st->ox = x;
    st->oy = y;
    pango_renderer_draw_layout(PANGO_RENDERER(r), layout, 0, 0);
    g_object_unref(r);
    if (jm_svg_text_failed(st)) {
        /* nothing of it written: forget the glyphs it numbered (their outlines were not
         * written), so that the next text to use them writes them */
        for (size_t i = 0; i < st->n_added; i++)
            g_hash_table_remove(st->ids, &st->added[i]);
        st->n_ids = n_ids;
        return false;
    }
    jm_buf *out = st->out;
    if (st->defs.len) {
        jm_buf_puts(out, "<defs>\n");
        jm_buf_append(out, st->defs.data, st->defs.len);
        jm_buf_puts(out, "</defs>\n");
    }
    if (st->baseline_open)
        jm_buf_puts(&st->run, "</g>\n");
    if (st->run.len == 0)
        return !jm_svg_text_failed(st); /* only spaces */
    jm_buf_puts(out, "<g");
    jm_svg_color_attr(out, "fill", color);
    jm_buf_puts(out, ">\n");
    jm_buf_append(out, st->run.data, st->run.len);
    jm_buf_puts(out, "</g>\n");
    return !jm_svg_text_failed(st);
}

/* ---- The invisible text layer ------------------------------------------------------------ */

/* Appends s[0..n) as XML character data, dropping what XML 1.0 cannot hold. Returns the number
 * of characters (code points) written. */
static size_t put_xml_chars(jm_buf *b, const char *s, size_t n)
{
    size_t chars = 0;
    for (const char *p = s, *end = s + n; p < end; p = g_utf8_next_char(p)) {
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '&': jm_buf_puts(b, "&amp;"); break;
        case '<': jm_buf_puts(b, "&lt;"); break;
        case '>': jm_buf_puts(b, "&gt;"); break;
        default:
            if (c < 0x20 && c != '\t')
                continue;
            jm_buf_append(b, p, (size_t)(g_utf8_next_char(p) - p));
        }
        chars++;
    }
    return chars;
}

/* One line: its characters with an x each where Pango put its cluster (a cluster of several
 * characters, a ligature, shares its advance out), on the line's baseline. */
static void layer_line(jm_svg_text *st, PangoLayoutIter *it, const char *text)
{
    PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
    if (!line || !line->runs)
        return;
    PangoRectangle ext;
    pango_layout_iter_get_line_extents(it, NULL, &ext);
    double baseline = st->oy + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
    double size = 0;
    jm_buf xs = {0}, chars = {0};
    int run_x = ext.x;
    for (GSList *l = line->runs; l; l = l->next) {
        const PangoGlyphItem *run = l->data;
        const PangoItem *item = run->item;
        const PangoGlyphString *gs = run->glyphs;
        if (size == 0 && item->analysis.font) {
            PangoFontDescription *d = pango_font_describe_with_absolute_size(item->analysis.font);
            size = (double)pango_font_description_get_size(d) / PANGO_SCALE;
            pango_font_description_free(d);
        }
        const char *rt = text + item->offset;
        if (item->analysis.flags & PANGO_ANALYSIS_FLAG_IS_ELLIPSIS) {
            /* the run stands for the text it hides: write what it shows */
            jm_buf_puts(&xs, xs.len ? " " : "");
            jm_buf_number(&xs, st->ox + (double)run_x / PANGO_SCALE);
            jm_buf_puts(&chars, "\xE2\x80\xA6"); /* … */
            run_x += pango_glyph_string_get_width((PangoGlyphString *)gs);
            continue;
        }
        int at = run_x;
        for (int i = 0; i < gs->num_glyphs;) {
            /* the glyphs of one cluster, and where its characters end */
            int start = gs->log_clusters[i], j = i, width = 0;
            while (j < gs->num_glyphs && gs->log_clusters[j] == start)
                width += gs->glyphs[j++].geometry.width;
            int end = item->length;
            for (int k = 0; k < gs->num_glyphs; k++)
                if (gs->log_clusters[k] > start && gs->log_clusters[k] < end)
                    end = gs->log_clusters[k];
            size_t n = put_xml_chars(&chars, rt + start, (size_t)(end - start));
            for (size_t c = 0; c < n; c++) {
                jm_buf_puts(&xs, xs.len ? " " : "");
                jm_buf_number(&xs, st->ox + (at + (double)width * c / n) / PANGO_SCALE);
            }
            at += width;
            i = j;
        }
        run_x = at;
    }
    if (xs.failed || chars.failed)
        st->failed = true; /* memory ran out: write nothing of the line */
    else if (chars.len && size > 0) {
        jm_buf *out = st->out;
        jm_buf_puts(out, "<text x=\"");
        jm_buf_append(out, xs.data, xs.len);
        jm_buf_puts(out, "\" y=\"");
        jm_buf_number(out, baseline);
        jm_buf_puts(out, "\" font-size=\"");
        jm_buf_number(out, size);
        jm_buf_puts(out, "\" fill-opacity=\"0\">");
        jm_buf_append(out, chars.data, chars.len);
        jm_buf_puts(out, "</text>\n");
    }
    jm_buf_free(&xs);
    jm_buf_free(&chars);
}

void jm_svg_text_layer(jm_svg_text *st, PangoLayout *layout, double x, double y)
{
    if (!layout || !isfinite(x) || !isfinite(y))
        return;
    st->ox = x;
    st->oy = y;
    const char *text = pango_layout_get_text(layout);
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do
        layer_line(st, it, text);
    while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}
