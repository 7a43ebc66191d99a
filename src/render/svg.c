/* The SVG output: no surface; cairo builds the outlines, and svg_paths.c (shapes, photos) and
 * svg_text.c (text) write them into the document as they come, with our number formatting
 * (cairo's SVG surface spent most of an SVG render in snprintf); title/desc/ARIA before them
 * and a link overlay after. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "draw.h"

/* The layout's kinds of element that stand for a model object a reader may want to style, link
 * to or hear as one: each becomes <g class="…" data-ref="JSON pointer"> around its drawing and
 * that of the elements inside it (its descendants that follow it). Other kinds are drawn as
 * they are. */
static const struct {
    const char *kind, *class_name;
} svg_group_kinds[] = {
    {"title", "jm-title"},
    {"subtitle", "jm-subtitle"},
    {"persona", "jm-persona"},
    {"legend", "jm-legend"},
    {"lane", "jm-lane"},
    {"channel_lane", "jm-lane jm-channel"},
    {"stage_header", "jm-stage"},
    {"card", "jm-card"},
    {"action", "jm-action"},
    {"thought", "jm-thought"},
    {"pain", "jm-pain"},
    {"opportunity", "jm-opportunity"},
    {"badge", "jm-moment-of-truth"},
    {"metrics", "jm-metrics"},
    {"item", "jm-item"},
    {"state_before", "jm-state-before"},
    {"state_after", "jm-state-after"},
    {"before", "jm-before"},
    {"emotion_curve", "jm-emotion-curve"},
    {"emotion_point", "jm-emotion-point"},
    {"status", "jm-status"},
    {"priority", "jm-priority"},
    {"owner", "jm-owner"},
    {"footer", "jm-footer"},
    {"logo", "jm-logo"},
    {"storyboard_image", "jm-storyboard-image"},
};

typedef struct svg_groups {
    jm_buf *out;
    size_t *open; /* elements whose group is open, innermost last */
    bool *linked; /* whether that group holds an <a> */
    size_t n_open;
} svg_groups;

static const char *svg_group_class(const jm_element *e)
{
    for (size_t k = 0; k < sizeof svg_group_kinds / sizeof svg_group_kinds[0]; k++)
        if (e->kind && strcmp(e->kind, svg_group_kinds[k].kind) == 0)
            return svg_group_kinds[k].class_name;
    return NULL;
}

static bool is_ancestor(const jm_layout *layout, size_t a, size_t i)
{
    /* parents come before their children, which also bounds the walk */
    for (long p = layout->el[i].parent; p >= 0 && (size_t)p < i; p = layout->el[p].parent) {
        if ((size_t)p == a)
            return true;
        i = (size_t)p;
    }
    return false;
}

static void svg_group_close(svg_groups *g)
{
    g->n_open--;
    jm_buf_puts(g->out, g->linked[g->n_open] ? "</a></g>\n" : "</g>\n");
}

/* Before element i is drawn: closes the groups it lies outside of and opens its own, when it
 * is a model object, links somewhere or has a tooltip (the full text of an ellipsized one). */
static void svg_group_enter(svg_groups *g, const jm_layout *layout, size_t i)
{
    while (g->n_open && !is_ancestor(layout, g->open[g->n_open - 1], i))
        svg_group_close(g);
    const jm_element *e = &layout->el[i];
    const char *cls = svg_group_class(e), *url = jm_draw_link_of(layout, i),
               *tip = jm_nonempty(e->tooltip);
    if (!cls && !url && !tip && !jm_nonempty(e->alt))
        return;
    jm_buf *b = g->out;
    jm_buf_puts(b, "<g");
    if (cls) {
        jm_buf_puts(b, " class=\"");
        jm_buf_puts(b, cls);
        jm_buf_puts(b, "\"");
    }
    if (cls && e->ref) {
        jm_buf_puts(b, " data-ref=\"");
        jm_buf_xml(b, e->ref);
        jm_buf_puts(b, "\"");
    }
    /* a picture with a text alternative: one image to assistive technology, named by it */
    const char *alt = jm_nonempty(e->alt);
    if (alt) {
        jm_buf_puts(b, " role=\"img\" aria-label=\"");
        jm_buf_xml(b, alt);
        jm_buf_puts(b, "\"");
        if (!tip)
            tip = alt;
    }
    jm_buf_puts(b, ">");
    if (tip) {
        jm_buf_puts(b, "<title>");
        jm_buf_xml(b, tip);
        jm_buf_puts(b, "</title>");
    }
    if (url) {
        jm_buf_puts(b, "<a xlink:href=\"");
        jm_buf_xml(b, url);
        jm_buf_puts(b, "\">");
    }
    jm_buf_puts(b, "\n");
    g->open[g->n_open] = i;
    g->linked[g->n_open++] = url != NULL;
}

/* The canvas's hook (jm_canvas.enter): a group per model object around its drawing, all
 * closed after the last element. */
static void svg_group_hook(void *closure, const jm_layout *layout, size_t i)
{
    svg_groups *g = closure;
    if (i < layout->n) {
        svg_group_enter(g, layout, i);
        return;
    }
    while (g->n_open)
        svg_group_close(g);
}

static void svg_title_desc(jm_buf *b, const jm_layout *layout, const char *id_prefix)
{
    const jm_map *map = layout->map;
    const char *title = map ? jm_nonempty(map->title) : NULL;
    const char *desc = map ? jm_nonempty(map->description) : NULL;
    if (!desc && map)
        desc = jm_nonempty(map->subtitle);
    jm_buf_puts(b, "<title id=\"");
    jm_buf_puts(b, id_prefix);
    jm_buf_puts(b, "title\">");
    jm_buf_xml(b, title ? title : "Customer journey map");
    jm_buf_puts(b, "</title>\n<desc id=\"");
    jm_buf_puts(b, id_prefix);
    jm_buf_puts(b, "desc\">");
    if (desc) {
        jm_buf_xml(b, desc);
    } else {
        size_t stages = map ? map->n_stages : 0, tps = map ? map->n_touchpoints : 0;
        jm_buf_printf(b, "Customer journey map: %zu stage%s, %zu touchpoint%s", stages,
                      stages == 1 ? "" : "s", tps, tps == 1 ? "" : "s");
    }
    jm_buf_puts(b, "</desc>\n");
}

/* The document's start: the root element with its size and accessible name. */
static void svg_open(jm_buf *b, const jm_layout *layout, const char *id_prefix)
{
    jm_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                   "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"");
    jm_buf_number(b, layout->width);
    jm_buf_puts(b, "pt\" height=\"");
    jm_buf_number(b, layout->height);
    jm_buf_puts(b, "pt\" viewBox=\"0 0 ");
    jm_buf_number(b, layout->width);
    jm_buf_puts(b, " ");
    jm_buf_number(b, layout->height);
    /* not role="img", whose content is presentational: a screen reader reads the text layer */
    jm_buf_puts(b, "\" version=\"1.1\" role=\"graphics-document\" aria-labelledby=\"");
    jm_buf_puts(b, id_prefix);
    jm_buf_puts(b, "title ");
    jm_buf_puts(b, id_prefix);
    jm_buf_puts(b, "desc\"");
    const char *lang = layout->map ? jm_nonempty(layout->map->lang) : NULL;
    if (lang && jm_lang_tag_ok(lang))
        jm_buf_printf(b, " xml:lang=\"%s\"", lang);
    /* for the text layer (svg_text.h): spaces kept where they are, each character having its
     * own x; the family only shapes a selection's highlight */
    jm_buf_puts(b, " xml:space=\"preserve\" font-family=\"");
    jm_buf_xml(b, layout->theme && layout->theme->font_family ? layout->theme->font_family
                                                              : "sans-serif");
    jm_buf_puts(b, "\">\n");
    svg_title_desc(b, layout, id_prefix);
}

/* The ids of a document whose options set no prefix start with a stand-in of the final
 * prefix's length ("jm", 8 hex digits, "-"), replaced once the document is complete and can be
 * hashed. Its first byte is a control character, which XML text cannot hold (jm_buf_xml drops
 * them) and nothing else writes, so every one found is a stand-in. */
#define SVG_ID_STANDIN "\001m________-"
#define SVG_ID_LEN (sizeof SVG_ID_STANDIN - 1)
#define SVG_ID_PREFIX_MAX 64

/* 64-bit hash of the document, 8 bytes a step, read little-endian so that every machine
 * gets the same ids; not cryptographic: it only has to tell different maps apart. */
static uint64_t doc_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0x6a09e667f3bcc908ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = 0;
        for (int k = 7; k >= 0; k--)
            w = w << 8 | p[i + (size_t)k];
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    for (; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    return h ^ h >> 32;
}

/* Puts the document's own prefix where the stand-ins are. */
static void svg_settle_ids(jm_buf *b)
{
    if (b->failed || !b->data)
        return;
    char id[SVG_ID_LEN + 1];
    snprintf(id, sizeof id, "jm%08" PRIx32 "-",
             (uint32_t)doc_hash((const unsigned char *)b->data, b->len));
    for (char *p = b->data, *end = b->data + b->len;
         (p = memchr(p, SVG_ID_STANDIN[0], (size_t)(end - p))) != NULL; p += SVG_ID_LEN)
        if ((size_t)(end - p) >= SVG_ID_LEN)
            memcpy(p, id, SVG_ID_LEN);
}

/* An id prefix the user may set: an ASCII XML name, usable in CSS as is when it has no '.'. */
static bool svg_id_prefix_ok(const char *s)
{
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && !strchr("_-.", s[n]))
            return false;
    return n <= SVG_ID_PREFIX_MAX;
}

/* Draws the layout as an SVG document into *out, in one pass: each shape and text as it comes,
 * each model object in a group (svg_group_enter). NULL, or what went wrong. */
static const char *render_svg(struct jm_context *ctx, const jm_layout *layout,
                              const jm_photo *photos, const jm_render_options *opts, jm_buf *out)
{
    const char *prefix = opts->svg_id_prefix ? opts->svg_id_prefix : SVG_ID_STANDIN;
    svg_open(out, layout, prefix);
    /* cr only builds outlines: nothing is ever painted on its surface. */
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    svg_groups groups = {out, jm_calloc(layout->n + 1, sizeof(size_t)),
                         jm_calloc(layout->n + 1, sizeof(bool)), 0};
    jm_canvas cv = {.cr = cairo_create(surface),
                    .paths = jm_svg_paths_new(out, prefix),
                    .text = jm_svg_text_new(ctx, out, prefix),
                    .enter = svg_group_hook,
                    .closure = &groups};
    bool drawn = cv.paths && cv.text && groups.open && groups.linked &&
                 cairo_status(cv.cr) == CAIRO_STATUS_SUCCESS &&
                 jm_draw_layout(&cv, layout, photos) && !jm_svg_paths_failed(cv.paths) &&
                 !jm_svg_text_failed(cv.text);
    cairo_status_t st = cairo_status(cv.cr);
    jm_svg_text_free(cv.text);
    jm_svg_paths_free(cv.paths);
    jm_free(groups.open);
    jm_free(groups.linked);
    cairo_destroy(cv.cr);
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS && st != CAIRO_STATUS_NO_MEMORY)
        return cairo_status_to_string(st);
    jm_buf_puts(out, "</svg>\n");
    if (!opts->svg_id_prefix)
        svg_settle_ids(out);
    return drawn && st == CAIRO_STATUS_SUCCESS && !out->failed ? NULL : "out of memory";
}

static bool svg_check(const jm_render_job *job, jm_diags *diags)
{
    const char *prefix = job->opts->svg_id_prefix;
    if (!prefix || svg_id_prefix_ok(prefix))
        return true;
    jm_render_error(job->layout, diags,
                    "the SVG id prefix '%.80s' is not an XML name of at most %d characters (a "
                    "letter or '_', then letters, digits, '_', '-' or '.')",
                    prefix, SVG_ID_PREFIX_MAX);
    return false;
}

static int svg_write(const jm_render_job *job, jm_buf *out, jm_diags *diags)
{
    const char *error = render_svg(job->ctx, job->layout, job->photos, job->opts, out);
    return error ? jm_render_cannot_write(job, error, diags) : 0;
}

/* Photos go in as their files' bytes (JPEG, PNG) when they are not far larger than drawn; a
 * JPEG that Exif turns goes in decoded, as SVG viewers disagree on the turn. */
const jm_output_format jm_output_svg = {
    .format = JM_FORMAT_SVG,
    .name = "SVG",
    .extension = ".svg",
    .draws = true,
    .photos = {.embed_jpeg = true, .embed_png = true},
    .check = svg_check,
    .write = svg_write,
};
