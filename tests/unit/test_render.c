/* The Cairo backend on a hand-built layout: every shape, text (Latin and Cyrillic), links and
 * tooltips, in every format. Checks the containers (PNG header, SVG well-formedness and
 * accessibility, PDF metadata, language, page sizes and xref table), byte-identical output
 * within and across processes, and writes an icon contact sheet to /tmp/icons.png.
 *
 * Run as `test_render --write DIR` it writes the three formats to DIR and exits: the
 * cross-process test compares those files with its own renders. */
#include <check.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context/context.h"
#include "layout/layout.h"
#include "model/channels.h"
#include "model/model.h"
#include "render/icons.h"
#include "render/render.h"
#include "testutil.h"
#include "util/util.h"

#define MAP_W 301.3
#define MAP_H 200.0
#define TITLE "Journey <ü> & \"quotes\" 'apos'"
#define TITLE_XML "Journey &lt;ü&gt; &amp; &quot;quotes&quot; &apos;apos&apos;"
#define URL "https://example.com/?a=1&b=2"

static PangoFontMap *fontmap;
static PangoContext *pango;
static jm_context *fonts;
static jm_map test_map;

/* ---- A hand-built layout ------------------------------------------------------------------ */

static jm_rgba rgba(double r, double g, double b, double a) { return (jm_rgba){r, g, b, a}; }

static PangoLayout *text_layout(const char *text, double width)
{
    PangoLayout *l = pango_layout_new(pango);
    PangoFontDescription *fd = pango_font_description_from_string("Inter 10");
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, text, -1);
    return l;
}

static jm_element *add(jm_layout *l, jm_shape shape, double x, double y, double w, double h)
{
    if (l->n >= l->cap) /* also used outside a test (--write): no ck_assert */
        abort();
    jm_element *e = &l->el[l->n++];
    memset(e, 0, sizeof *e);
    e->kind = "test";
    e->parent = -1;
    e->shape = shape;
    e->x = x;
    e->y = y;
    e->w = w;
    e->h = h;
    e->stroke = rgba(0.2, 0.2, 0.25, 1);
    e->stroke_width = 1;
    return e;
}

static void add_text(jm_layout *l, const char *text, double x, double y, double w)
{
    jm_element *e = add(l, JM_SHAPE_NONE, x, y, w, 14);
    e->text = (char *)text;
    e->layout = text_layout(text, w);
    e->color = rgba(0.1, 0.1, 0.1, 1);
}

static jm_layout *make_layout(double width, double height)
{
    jm_layout *l = calloc(1, sizeof *l);
    l->width = width;
    l->height = height;
    l->cap = 64;
    l->el = calloc(l->cap, sizeof *l->el);
    l->map = &test_map;
    l->state = JM_STATE_AFTER;

    jm_element *e = add(l, JM_SHAPE_RECT, 0, 0, width, height);
    e->fill = rgba(1, 1, 1, 1);
    e->stroke.a = 0;
    add_text(l, "Map title", 8, 4, 120);

    e = add(l, JM_SHAPE_CHEVRON, 8, 24, 110, 24);
    e->fill = rgba(0.35, 0.5, 0.85, 1);
    e->stroke.a = 0;
    e->radius = 3;
    e = add(l, JM_SHAPE_CHEVRON, 120, 24, 110, 24);
    e->fill = rgba(0.4, 0.7, 0.55, 1);
    e->stroke.a = 0;
    add_text(l, "Этап 1", 14, 28, 100);

    e = add(l, JM_SHAPE_RECT, 8, 54, 110, 40);
    e->fill = rgba(1, 1, 1, 1);
    e->radius = 4;
    e->url = URL;
    add_text(l, "Привет, карта пути клиента", 12, 58, 100);

    e = add(l, JM_SHAPE_BUBBLE, 124, 54, 100, 40);
    e->fill = rgba(1, 0.97, 0.85, 1);
    e->radius = 6;
    e->tooltip = "The full text of a thought that was cut";
    add_text(l, "A thought…", 130, 58, 90);

    e = add(l, JM_SHAPE_LINE, 8, 100, 285, 0);
    e->dash = JM_DASH_DASHED;
    e = add(l, JM_SHAPE_LINE, 8, 106, 285, 0);
    e->dash = JM_DASH_DOTTED;
    e->stroke_width = 1.5;

    e = add(l, JM_SHAPE_POLYLINE, 0, 0, 0, 0);
    e->npts = 3;
    e->pts = calloc(3, sizeof *e->pts);
    e->pts[0] = (jm_point){10, 150};
    e->pts[1] = (jm_point){40, 120};
    e->pts[2] = (jm_point){70, 150};
    e = add(l, JM_SHAPE_CURVE, 0, 0, 0, 0);
    e->npts = 4;
    e->pts = calloc(4, sizeof *e->pts);
    e->pts[0] = (jm_point){80, 150};
    e->pts[1] = (jm_point){100, 110};
    e->pts[2] = (jm_point){130, 190};
    e->pts[3] = (jm_point){150, 130};
    e->stroke = rgba(0.3, 0.3, 0.8, 1);
    e->stroke_width = 2;

    for (int i = 0; i < 3; i++) {
        e = add(l, JM_SHAPE_FACE, 160 + 22 * i, 115, 16, 16);
        e->fill = rgba(i == 0 ? 0.95 : 0.9, 0.9, i == 2 ? 0.8 : 0.9, 1);
        e->has_value = true;
        e->value = -2 + 2 * i;
    }
    e = add(l, JM_SHAPE_CIRCLE, 230, 115, 16, 16);
    e->fill = rgba(0.9, 0.3, 0.3, 1);
    e = add(l, JM_SHAPE_DIAMOND, 250, 115, 16, 16);
    e->fill = rgba(0.95, 0.75, 0.2, 1);
    e = add(l, JM_SHAPE_TRIANGLE_UP, 160, 140, 12, 10);
    e->fill = rgba(0.2, 0.7, 0.3, 1);
    e = add(l, JM_SHAPE_TRIANGLE_DOWN, 176, 140, 12, 10);
    e->fill = rgba(0.8, 0.2, 0.2, 1);
    e = add(l, JM_SHAPE_ICON, 200, 140, 16, 16);
    e->icon = "website";
    e->stroke.a = 0;
    e->color = rgba(0.2, 0.3, 0.6, 1);
    e = add(l, JM_SHAPE_ICON, 220, 140, 16, 16);
    e->icon = "no-such-icon";
    add_text(l, "Selectable text: Клиент", 10, 170, 280);
    return l;
}

static void free_layout(jm_layout *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->el[i].layout)
            g_object_unref(l->el[i].layout);
        free(l->el[i].pts);
    }
    free(l->el);
    free(l);
}

/* ---- Helpers ------------------------------------------------------------------------------ */

typedef struct out {
    unsigned char *data;
    size_t len;
    jm_diags *diags;
    int rc;
} out;

static out render(const jm_layout *l, jm_format f, double scale, jm_page page)
{
    out o = {.diags = jm_diags_new()};
    o.rc = jm_render_layout(NULL, l, f, scale, page, &o.data, &o.len, o.diags);
    return o;
}

static void out_free(out *o)
{
    jm_free(o->data);
    jm_diags_free(o->diags);
}

static out render_ok(const jm_layout *l, jm_format f, double scale, jm_page page)
{
    out o = render(l, f, scale, page);
    if (o.rc != 0 && jm_diags_count(o.diags))
        fprintf(stderr, "render: %s\n", jm_diags_get(o.diags, 0)->message);
    ck_assert_int_eq(o.rc, 0);
    ck_assert_ptr_nonnull(o.data);
    ck_assert_uint_gt(o.len, 0);
    ck_assert_uint_eq(jm_diags_error_count(o.diags), 0);
    return o;
}

static const char *memfind(const unsigned char *s, size_t n, const char *what)
{
    size_t wl = strlen(what);
    for (size_t i = 0; i + wl <= n; i++)
        if (memcmp(s + i, what, wl) == 0)
            return (const char *)s + i;
    return NULL;
}

static void write_file(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc((size_t)n + 1);
    *len = fread(d, 1, (size_t)n, f);
    fclose(f);
    return d;
}

/* The output of a shell command (at most 64 KiB), or NULL when it cannot run. */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, p);
    buf[n] = '\0';
    pclose(p);
    return buf;
}

/* A file name of this process's own, so that concurrent test runs never share one. */
static void scratch_path(char *buf, size_t n, const char *ext)
{
    snprintf(buf, n, "/tmp/jm-test-render-%ld.%s", (long)getpid(), ext);
}

static bool have(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- PNG ---------------------------------------------------------------------------------- */

START_TEST(png_header_and_size)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    out o = render_ok(l, JM_FORMAT_PNG, 2, JM_PAGE_AUTO);
    ck_assert_uint_gt(o.len, 33);
    ck_assert(memcmp(o.data, "\x89PNG\r\n\x1a\n", 8) == 0);
    ck_assert(memcmp(o.data + 12, "IHDR", 4) == 0);
    ck_assert_uint_eq(be32(o.data + 16), (uint32_t)ceil(MAP_W * 2));
    ck_assert_uint_eq(be32(o.data + 20), (uint32_t)ceil(MAP_H * 2));

    out again = render_ok(l, JM_FORMAT_PNG, 2, JM_PAGE_AUTO);
    ck_assert_uint_eq(again.len, o.len);
    ck_assert(memcmp(again.data, o.data, o.len) == 0);
    out_free(&again);

    out small = render_ok(l, JM_FORMAT_PNG, 0.5, JM_PAGE_AUTO);
    ck_assert_uint_eq(be32(small.data + 16), (uint32_t)ceil(MAP_W * 0.5));
    out_free(&small);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* The scale the message suggests must itself fit both limits. */
static void check_suggested_scale(const char *msg, double w, double h)
{
    const char *p = strstr(msg, "at most ");
    ck_assert_ptr_nonnull(p);
    double most = strtod(p + strlen("at most "), NULL);
    ck_assert(most > 0);
    ck_assert(ceil(w * most) <= 32767 && ceil(h * most) <= 32767);
    ck_assert(ceil(w * most) * ceil(h * most) <= 300e6);
    ck_assert(ceil(w * (most + 0.02)) > 32767 || ceil(h * (most + 0.02)) > 32767 ||
              ceil(w * (most + 0.02)) * ceil(h * (most + 0.02)) > 300e6);
}

START_TEST(png_over_the_limits)
{
    jm_layout *l = make_layout(3000, 200);
    out o = render(l, JM_FORMAT_PNG, 12, JM_PAGE_AUTO);
    ck_assert_int_eq(o.rc, -1);
    ck_assert_ptr_null(o.data);
    ck_assert_uint_eq(o.len, 0);
    ck_assert_uint_eq(jm_diags_error_count(o.diags), 1);
    const char *msg = jm_diags_get(o.diags, 0)->message;
    ck_assert_str_eq(msg, "map is 3000×200 pt; at --scale 12 the PNG would be 36000×2400 px, "
                          "over the 32767 px limit of a side; use a smaller --scale (at most "
                          "10.92) or SVG/PDF");
    check_suggested_scale(msg, 3000, 200);
    out_free(&o);
    free_layout(l);

    /* Both sides fit, the pixel count does not. */
    l = make_layout(20000, 20000);
    o = render(l, JM_FORMAT_PNG, 1, JM_PAGE_AUTO);
    ck_assert_int_eq(o.rc, -1);
    ck_assert_ptr_null(o.data);
    msg = jm_diags_get(o.diags, 0)->message;
    ck_assert_ptr_nonnull(strstr(msg, "300-megapixel limit"));
    check_suggested_scale(msg, 20000, 20000);
    out_free(&o);
    free_layout(l);

    l = make_layout(MAP_W, MAP_H);
    o = render(l, JM_FORMAT_PNG, 200, JM_PAGE_AUTO);
    ck_assert_int_eq(o.rc, -1);
    ck_assert_ptr_nonnull(strstr(jm_diags_get(o.diags, 0)->message, "32767"));
    check_suggested_scale(jm_diags_get(o.diags, 0)->message, MAP_W, MAP_H);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* Scale 0 (none given): 2, or the largest scale that fits the PNG limits, with a warning; the
 * same map at an explicit scale 2 is an error. */
START_TEST(png_automatic_scale)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    out o = render_ok(l, JM_FORMAT_PNG, 0, JM_PAGE_AUTO);
    ck_assert_uint_eq(jm_diags_count(o.diags), 0);
    out_free(&o);
    free_layout(l);

    l = make_layout(20000, 300); /* 40000 px wide at 2: 32767 / 20000 = 1.63 */
    o = render_ok(l, JM_FORMAT_PNG, 0, JM_PAGE_AUTO);
    ck_assert_uint_eq(jm_diags_count(o.diags), 1);
    const jm_diag *g = jm_diags_get(o.diags, 0);
    ck_assert_int_eq(g->severity, JM_SEVERITY_WARNING);
    ck_assert_ptr_nonnull(strstr(g->message, "drawn at --scale 1.63 (32600×489 px)"));
    out_free(&o);
    o = render(l, JM_FORMAT_PNG, 2, JM_PAGE_AUTO);
    ck_assert_int_eq(o.rc, -1);
    out_free(&o);
    free_layout(l);
}
END_TEST

START_TEST(bad_arguments)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    out o = render(l, JM_FORMAT_PNG, -1, JM_PAGE_AUTO); /* 0 is the automatic scale */
    ck_assert_int_eq(o.rc, -1);
    ck_assert_ptr_null(o.data);
    out_free(&o);
    o = render(l, (jm_format)99, 1, JM_PAGE_AUTO); /* no row in the table of formats */
    ck_assert_int_eq(o.rc, -1);
    ck_assert_ptr_null(o.data);
    out_free(&o);
    free_layout(l);

    l = make_layout(0, MAP_H);
    o = render(l, JM_FORMAT_SVG, 1, JM_PAGE_AUTO);
    ck_assert_int_eq(o.rc, -1);
    ck_assert_ptr_null(o.data);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* Geometry cairo cannot draw (it may even loop on a NaN radius) is refused up front. */
START_TEST(unusable_geometry_refused)
{
    static const double bad[] = {NAN, INFINITY, -INFINITY, 1e12};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jm_layout *l = make_layout(MAP_W, MAP_H);
        jm_element *e = add(l, JM_SHAPE_CIRCLE, 10, 10, 5, 5);
        e->ref = "/touchpoints/3";
        e->h = bad[i];
        for (jm_format f = JM_FORMAT_PNG; f <= JM_FORMAT_PDF; f++) {
            out o = render(l, f, 1, JM_PAGE_AUTO);
            ck_assert_int_eq(o.rc, -1);
            ck_assert_ptr_null(o.data);
            ck_assert_uint_eq(o.len, 0);
            ck_assert_str_eq(jm_diags_get(o.diags, 0)->path, "/touchpoints/3");
            out_free(&o);
        }
        free_layout(l);
    }
}
END_TEST

/* Every allocation of ours failing in turn: each failure is an error with no buffer, never a
 * crash or a partial result. */
typedef struct render_job {
    const jm_layout *layout;
    jm_format format;
} render_job;

static void render_once(void *arg)
{
    const render_job *j = arg;
    unsigned char *data = (unsigned char *)"junk";
    size_t len = 1;
    jm_diags *diags = jm_diags_new();
    if (!diags)
        return;
    int rc = jm_render_layout(NULL, j->layout, j->format, 1, JM_PAGE_A4, &data, &len, diags);
    if (rc == 0) {
        ck_assert_ptr_nonnull(data);
        jm_free(data);
    } else {
        ck_assert_int_eq(rc, -1);
        ck_assert_ptr_null(data);
        ck_assert_uint_eq(len, 0);
        ck_assert_uint_ge(jm_diags_error_count(diags), 1);
    }
    jm_diags_free(diags);
}

START_TEST(allocation_failures)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    for (jm_format f = JM_FORMAT_PNG; f <= JM_FORMAT_PDF; f++) {
        render_job j = {l, f};
        tu_each_allocation_fails(render_once, &j, true);
    }
    free_layout(l);
}
END_TEST

/* ---- SVG ---------------------------------------------------------------------------------- */

/* SVG with ids starting with "jm-" (jm-title, jm-g1 …). */
static out render_svg_prefixed(const jm_layout *l, const char *prefix)
{
    jm_render_options opts;
    jm_render_options_init(&opts);
    opts.format = JM_FORMAT_SVG;
    opts.scale = 1;
    opts.svg_id_prefix = prefix;
    out o = {.diags = jm_diags_new()};
    o.rc = jm_render_layout_opts(NULL, l, &opts, &o.data, &o.len, o.diags);
    ck_assert_int_eq(o.rc, 0);
    return o;
}

static char *svg_text(const out *o)
{
    char *s = malloc(o->len + 1);
    memcpy(s, o->data, o->len);
    s[o->len] = '\0';
    return s;
}

START_TEST(svg_accessible_and_well_formed)
{
    test_map.subtitle = NULL;
    test_map.description = "Onboarding & activation\x01"; /* no control characters in XML */
    jm_layout *l = make_layout(MAP_W, MAP_H);
    jm_element *back = add(l, JM_SHAPE_LINE, 200, 190, -100, -10); /* drawn right to left */
    back->tooltip = "reversed";
    out o = render_svg_prefixed(l, "jm-");
    char *s = svg_text(&o);
    ck_assert_ptr_null(strstr(s, "foreignObject"));
    ck_assert_ptr_nonnull(strstr(s, "version=\"1.1\""));
    ck_assert_ptr_nonnull(strstr(s, "width=\"301.3pt\""));
    ck_assert_ptr_nonnull(
        strstr(s, "role=\"graphics-document\" aria-labelledby=\"jm-title jm-desc\""));
    ck_assert_ptr_nonnull(strstr(s, "xml:lang=\"ru\""));
    /* title and desc are the root's first children */
    const char *root_end = strchr(strstr(s, "<svg"), '>');
    ck_assert_ptr_eq(strstr(s, "<title id=\"jm-title\">" TITLE_XML "</title>"), root_end + 2);
    ck_assert_ptr_nonnull(strstr(s, "<desc id=\"jm-desc\">Onboarding &amp; activation</desc>"));
    /* the link around what it links, the tooltip as its element's group's title */
    ck_assert_ptr_nonnull(
        strstr(s, "<g><a xlink:href=\"https://example.com/?a=1&amp;b=2\">\n<path "));
    ck_assert_ptr_nonnull(strstr(s, "<g><title>The full text of a thought that was cut</title>\n"));
    ck_assert_ptr_nonnull(strstr(s, "<g><title>reversed</title>\n<path d=\"M200 190L100 180\""));
    if (have("xmllint")) {
        char path[64], cmd[128];
        scratch_path(path, sizeof path, "svg");
        write_file(path, o.data, o.len);
        snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
        ck_assert_int_eq(system(cmd), 0);
        unlink(path);
    }
    free(s);
    out_free(&o);
    free_layout(l);
}
END_TEST

START_TEST(svg_default_desc)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    out o = render_svg_prefixed(l, "jm-");
    char *s = svg_text(&o);
    ck_assert_ptr_nonnull(
        strstr(s, "<desc id=\"jm-desc\">Customer journey map: 2 stages, 1 touchpoint</desc>"));
    free(s);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* Text placed past 2 097 151 pt (where Pango's integer units overflow) keeps its place: a
 * 30 000-touchpoint map is that wide. */
START_TEST(svg_text_far_from_the_origin)
{
    const double far = 5e6;
    jm_layout *l = make_layout(far + 200, MAP_H);
    add_text(l, "Far away", far, 40, 100);
    out o = render_ok(l, JM_FORMAT_SVG, 1, JM_PAGE_AUTO);
    char *s = svg_text(&o);
    ck_assert_ptr_nonnull(strstr(s, "x=\"5000000"));
    ck_assert_ptr_null(strstr(s, "x=\"-"));
    free(s);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* Other renders in between (of any format: cairo keeps process-global counters) must not
 * change a byte. */
START_TEST(svg_identical_across_renders)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    out first = render_ok(l, JM_FORMAT_SVG, 1, JM_PAGE_AUTO);
    for (jm_format f = JM_FORMAT_PNG; f <= JM_FORMAT_PDF; f++) {
        out other = render_ok(l, f, 1, JM_PAGE_A4);
        out_free(&other);
    }
    out second = render_ok(l, JM_FORMAT_SVG, 1, JM_PAGE_AUTO);
    ck_assert_uint_eq(first.len, second.len);
    ck_assert(memcmp(first.data, second.data, first.len) == 0);
    /* journeymap writes the document (svg_paths.c, svg_text.c), not cairo's SVG surface: no
     * page group, glyph outlines numbered from 1 in each document */
    ck_assert_ptr_null(memfind(first.data, first.len, "id=\"surface"));
    ck_assert_ptr_null(memfind(first.data, first.len, "id=\"glyph"));
    out_free(&first);
    out_free(&second);
    out own = render_svg_prefixed(l, "jm-");
    ck_assert_ptr_nonnull(memfind(own.data, own.len, "<path id=\"jm-g1\" d=\"M"));
    ck_assert_ptr_nonnull(memfind(own.data, own.len, "<use xlink:href=\"#jm-g1\""));
    out_free(&own);
    free_layout(l);
}
END_TEST

/* Under the outlines, the text itself: one invisible <text> a line, each character at the x of
 * the glyph drawn for it, so that selecting, finding and reading aloud work while the picture
 * stays the outlines (librsvg and office suites ignore web fonts). */
START_TEST(svg_text_layer_under_the_outlines)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    add_text(l, "Apply & go", 8, 200, 100);
    out o = render_svg_prefixed(l, "jm-");
    char *s = svg_text(&o);
    const char *t = strstr(s, "&amp; go</text>");
    ck_assert_ptr_nonnull(t);
    while (t > s && strncmp(t, "<text ", 6) != 0)
        t--;
    ck_assert_ptr_nonnull(strstr(t, "fill-opacity=\"0\">Apply &amp; go</text>"));
    /* ten characters, ten x positions; the first and the last glyph's are the outlines' */
    double xs[16];
    int n = 0;
    const char *p = t + strlen("<text x=\"");
    while (n < 16 && *p != '"') {
        char *end;
        xs[n++] = strtod(p, &end);
        p = end + (*end == ' ');
    }
    ck_assert_int_eq(n, 10);
    const char *u = strstr(s, "<use xlink:href=\"#jm-g");
    ck_assert_ptr_nonnull(u);
    /* a baseline's glyphs in one translated group: their <use>s have no y of their own */
    ck_assert_ptr_nonnull(strstr(s, "<g transform=\"translate(0 "));
    ck_assert(strstr(u, " y=\"") == NULL || strstr(u, " y=\"") > strstr(u, "/>"));
    const char *first_use = strstr(u, "x=\"");
    ck_assert_double_eq_tol(strtod(first_use + 3, NULL), xs[0], 0.001);
    const char *last_use = first_use;
    for (const char *q = u; (q = strstr(q, "<use ")) && q < t; q++)
        last_use = strstr(q, "x=\"");
    ck_assert_double_eq_tol(strtod(last_use + 3, NULL), xs[9], 0.001); /* 'o': the last glyph */
    ck_assert_ptr_nonnull(strstr(s, "xml:space=\"preserve\""));
    free(s);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* Each model object is a group with a class by kind and its JSON pointer, around its own drawing
 * and that of the elements inside it; a linked card is an <a>; the order is the layout's. */
START_TEST(svg_groups_of_model_objects)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    size_t lane = l->n;
    jm_element *e = add(l, JM_SHAPE_RECT, 8, 200, 280, 80);
    e->kind = "lane";
    size_t card = l->n;
    e = add(l, JM_SHAPE_RECT, 10, 210, 100, 40);
    e->kind = "card";
    e->ref = "/touchpoints/0";
    e->parent = (long)lane;
    e->url = "https://example.com/tp?a=1&b=2";
    add_text(l, "First card", 14, 214, 90);
    l->el[l->n - 1].parent = (long)card;
    l->el[l->n - 1].url = "https://example.com/tp?a=1&b=2"; /* the card's: not linked twice */
    e = add(l, JM_SHAPE_RECT, 120, 210, 100, 40);
    e->kind = "card";
    e->ref = "/touchpoints/1";
    e->parent = (long)lane;
    add_text(l, "Outside", 8, 290, 90); /* in no lane: closes the lane's group */
    out o = render_svg_prefixed(l, "jm-");
    char *s = svg_text(&o);
    const char *g_lane = strstr(s, "<g class=\"jm-lane\">\n");
    const char *g_card = strstr(s, "<g class=\"jm-card\" data-ref=\"/touchpoints/0\"><a "
                                   "xlink:href=\"https://example.com/tp?a=1&amp;b=2\">\n");
    const char *first = strstr(s, ">First card</text>\n</a></g>\n<g class=\"jm-card\" "
                                  "data-ref=\"/touchpoints/1\">\n");
    const char *end = strstr(s, "</g>\n</g>\n<defs>");
    const char *outside = strstr(s, ">Outside</text>");
    ck_assert_ptr_nonnull(g_lane);
    ck_assert_ptr_nonnull(g_card);
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_nonnull(end);
    ck_assert_ptr_nonnull(outside);
    ck_assert(g_lane < g_card && g_card < first && first < end && end < outside);
    ck_assert_ptr_null(strstr(strstr(g_card, "<a ") + 1, "<a ")); /* one link */
    ck_assert(strstr(outside, "</g>") == NULL);                   /* nothing left open */
    free(s);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* The id prefix of a document ("jm", 8 hex digits, "-"), or "" when it has none. */
static void svg_prefix(const out *o, char prefix[12])
{
    const char *p = memfind(o->data, o->len, "<title id=\"");
    prefix[0] = '\0';
    if (p && (size_t)((const char *)o->data + o->len - p) > 11 + 11) {
        memcpy(prefix, p + 11, 11);
        prefix[11] = '\0';
    }
}

/* Without a prefix set, ids start with one from a hash of the document: two maps differing in
 * one word, inlined in one HTML page, must not share an id (the second would draw the first's
 * glyphs), and the stand-in written before the hash is known never shows. */
START_TEST(svg_ids_differ_between_maps)
{
    jm_layout *a = make_layout(MAP_W, MAP_H), *b = make_layout(MAP_W, MAP_H);
    add_text(a, "Apply", 8, 200, 100);
    add_text(b, "Apply!", 8, 200, 100);
    out oa = render_ok(a, JM_FORMAT_SVG, 1, JM_PAGE_AUTO);
    out ob = render_ok(b, JM_FORMAT_SVG, 1, JM_PAGE_AUTO);
    char pa[12], pb[12];
    svg_prefix(&oa, pa);
    svg_prefix(&ob, pb);
    ck_assert_msg(strspn(pa, "jm0123456789abcdef-") == 11 && pa[10] == '-', "prefix %s", pa);
    ck_assert_str_ne(pa, pb);
    char use[32];
    snprintf(use, sizeof use, "href=\"#%sg1\"", pa);
    ck_assert_ptr_nonnull(memfind(oa.data, oa.len, use));
    ck_assert_ptr_null(memchr(oa.data, '\001', oa.len));
    ck_assert_ptr_null(memfind(oa.data, oa.len, "id=\"jg"));
    out_free(&oa);
    out_free(&ob);
    free_layout(a);
    free_layout(b);
}
END_TEST

/* A prefix of one's own must be an XML name. */
START_TEST(svg_id_prefix_checked)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    static const char *const bad[] = {"", "1a", "a b", "a\"", "a<", "\001"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jm_render_options opts;
        jm_render_options_init(&opts);
        opts.format = JM_FORMAT_SVG;
        opts.svg_id_prefix = bad[i];
        out o = {.diags = jm_diags_new()};
        ck_assert_int_eq(jm_render_layout_opts(NULL, l, &opts, &o.data, &o.len, o.diags), -1);
        ck_assert_ptr_null(o.data);
        ck_assert_ptr_nonnull(strstr(jm_diags_get(o.diags, 0)->message, "is not an XML name"));
        out_free(&o);
    }
    out ok = render_svg_prefixed(l, "_Map.2-");
    ck_assert_ptr_nonnull(memfind(ok.data, ok.len, "<title id=\"_Map.2-title\">"));
    out_free(&ok);
    free_layout(l);
}
END_TEST

/* A text with a glyph no font has is drawn as an outline; the glyphs it shares with a later
 * text in the same font must still be defined where that text uses them. */
START_TEST(svg_text_after_a_missing_glyph)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    add_text(l, "Opening \xE5\x8F\xA3\xE5\xBA\xA7 online", 8, 200, 280); /* 口座 */
    add_text(l, "Opening online", 8, 220, 280);
    out o = render_svg_prefixed(l, "jg-");
    char *s = svg_text(&o);
    size_t uses = 0;
    for (const char *p = s; (p = strstr(p, "href=\"#jg")); p++) {
        char id[32];
        int n = (int)strspn(p + 7, "jg-0123456789");
        snprintf(id, sizeof id, "id=\"%.*s\"", n, p + 7);
        ck_assert_msg(strstr(s, id) != NULL, "%s is used but never defined", id);
        uses++;
    }
    ck_assert_uint_gt(uses, 13);
    free(s);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* Shapes are written as paths in map points with cairo's stroke style spelled out: SVG's
 * miter limit (4) is not cairo's (10), and dashes scale with the line width. */
START_TEST(svg_shapes_keep_the_stroke_style)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    out o = render_ok(l, JM_FORMAT_SVG, 1, JM_PAGE_AUTO);
    char *s = svg_text(&o);
    /* the dashed line at y 100, 1 pt wide: 4 on, 3 off */
    ck_assert_ptr_nonnull(strstr(s, "<path d=\"M8 100L293 100\" fill=\"none\""));
    ck_assert_ptr_nonnull(strstr(s, "stroke-width=\"1\" stroke-miterlimit=\"10\" "
                                    "stroke-dasharray=\"4,3\"/>"));
    /* the dotted one, 1.5 pt: round dots 2.5 widths apart */
    ck_assert_ptr_nonnull(strstr(s, "stroke-width=\"1.5\" stroke-linecap=\"round\" "
                                    "stroke-miterlimit=\"10\" stroke-dasharray=\"0,3.75\"/>"));
    /* icons are drawn on a 24-unit grid, 2 units wide: in points a 16 pt icon's line is 4/3 */
    ck_assert_ptr_nonnull(strstr(s, "stroke-width=\"1.333\" stroke-linecap=\"round\" "
                                    "stroke-linejoin=\"round\"/>"));
    /* no shape is transformed (only glyph groups are moved to their baseline) */
    for (const char *t = s; (t = strstr(t, " transform=")) != NULL; t++)
        ck_assert(t - s >= 2 && strncmp(t - 2, "<g", 2) == 0);
    free(s);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* ---- PDF ---------------------------------------------------------------------------------- */

/* Every in-use xref entry of an object that exists must point at its "N 0 obj" (cairo 1.16
 * lists a reserved object it never writes), and startxref at "xref". */
static void check_xref(const unsigned char *d, size_t n)
{
    const char *sx = NULL;
    for (const char *p = (const char *)d;
         (p = memfind((const unsigned char *)p, n - (size_t)(p - (const char *)d), "startxref"));
         p++)
        sx = p;
    ck_assert_ptr_nonnull(sx);
    long xref = strtol(sx + 10, NULL, 10);
    ck_assert(xref > 0 && (size_t)xref < n);
    ck_assert(memcmp(d + xref, "xref\n", 5) == 0);
    char *end;
    long first = strtol((const char *)d + xref + 5, &end, 10);
    long count = strtol(end, &end, 10);
    const char *e = end + 1;
    ck_assert_int_eq(first, 0);
    size_t checked = 0;
    for (long i = 0; i < count; i++, e += 20) {
        if (e[17] != 'n')
            continue;
        long off = strtol(e, NULL, 10);
        char want[32];
        int wl = snprintf(want, sizeof want, "\n%ld 0 obj", first + i);
        if (!memfind(d, n, want))
            continue;
        ck_assert_msg(memcmp(d + off, want + 1, (size_t)wl - 1) == 0, "xref entry %ld is off", i);
        checked++;
    }
    ck_assert_uint_gt(checked, 10);
}

START_TEST(pdf_metadata_and_determinism)
{
    test_map.subtitle = "Subtitle as subject";
    jm_layout *l = make_layout(MAP_W, MAP_H);
    out o = render_ok(l, JM_FORMAT_PDF, 1, JM_PAGE_AUTO);
    ck_assert(memcmp(o.data, "%PDF-", 5) == 0);
    char path[64], cmd[160];
    scratch_path(path, sizeof path, "pdf");
    write_file(path, o.data, o.len);
    ck_assert_ptr_nonnull(memfind(o.data, o.len, "/Lang (ru)"));
    ck_assert_ptr_nonnull(memfind(o.data, o.len, "/CreationDate (D:20000101000000Z)"));
    ck_assert_ptr_nonnull(memfind(o.data, o.len, "/ModDate (D:20000101000000Z)"));
    ck_assert_ptr_nonnull(memfind(o.data, o.len, "/MediaBox [ 0 0 301.3 200 ]"));
    ck_assert_ptr_nonnull(memfind(o.data, o.len, "/URI (https://example.com/?a=1&b=2)"));
    check_xref(o.data, o.len);
    /* no random file identifier in the trailer */
    const char *trailer = NULL;
    for (const char *p = (const char *)o.data;
         (p = memfind((const unsigned char *)p, o.len - (size_t)(p - (const char *)o.data),
                      "trailer"));
         p++)
        trailer = p;
    ck_assert_ptr_nonnull(trailer);
    ck_assert_ptr_null(memfind((const unsigned char *)trailer,
                               o.len - (size_t)(trailer - (const char *)o.data), "/ID"));

    out again = render_ok(l, JM_FORMAT_PDF, 1, JM_PAGE_AUTO);
    ck_assert_uint_eq(again.len, o.len);
    ck_assert(memcmp(again.data, o.data, o.len) == 0);
    out_free(&again);

    if (have("pdfinfo")) {
        snprintf(cmd, sizeof cmd, "pdfinfo -isodates %s 2>&1", path);
        char *info = run(cmd);
        ck_assert_ptr_nonnull(strstr(info, "Title:           " TITLE "\n"));
        ck_assert_ptr_nonnull(strstr(info, "Subject:         Subtitle as subject\n"));
        ck_assert_ptr_nonnull(strstr(info, "Creator:         journeymap "));
        ck_assert_ptr_nonnull(strstr(info, "CreationDate:    2000-01-01T00:00:00Z"));
        ck_assert_ptr_null(strstr(info, "Error"));
        free(info);
    }
    if (have("pdftotext")) {
        snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s - 2>&1", path);
        char *text = run(cmd);
        ck_assert_ptr_nonnull(strstr(text, "Привет, карта пути\nклиента")); /* wrapped at 100 pt */
        ck_assert_ptr_nonnull(strstr(text, "Selectable text: Клиент"));
        ck_assert_ptr_null(strstr(text, "Error"));
        free(text);
    }
    unlink(path);
    out_free(&o);
    free_layout(l);
}
END_TEST

START_TEST(pdf_named_pages)
{
    static const struct {
        jm_page page;
        const char *box;
    } pages[] = {
        {JM_PAGE_A4, "/MediaBox [ 0 0 842 595 ]"},
        {JM_PAGE_A3, "/MediaBox [ 0 0 1191 842 ]"},
        {JM_PAGE_A2, "/MediaBox [ 0 0 1684 1191 ]"},
        {JM_PAGE_LETTER, "/MediaBox [ 0 0 792 612 ]"},
        {JM_PAGE_TABLOID, "/MediaBox [ 0 0 1224 792 ]"},
    };
    jm_layout *l = make_layout(MAP_W, MAP_H);
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        out o = render_ok(l, JM_FORMAT_PDF, 1, pages[i].page);
        ck_assert_msg(memfind(o.data, o.len, pages[i].box), "no %s", pages[i].box);
        check_xref(o.data, o.len);
        out_free(&o);
    }
    /* A4: the map is fitted into 794×547 pt and centred, and the link follows it:
     * scale = min(794/301.3, 547/200) = 2.635…, so the card at x 8 lands at 24 + 8 × 2.635. */
    out o = render_ok(l, JM_FORMAT_PDF, 1, JM_PAGE_A4);
    const char *rect = memfind(o.data, o.len, "/Rect [ ");
    ck_assert_ptr_nonnull(rect);
    double x0 = strtod(rect + 8, NULL);
    /* cairo 1.16 writes link rectangles in whole points */
    ck_assert_double_eq_tol(x0, (842 - MAP_W * (794 / MAP_W)) / 2 + 8 * (794 / MAP_W), 1);
    out_free(&o);
    free_layout(l);
}
END_TEST

START_TEST(pdf_link_escaping)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    l->el[5].url = "https://example.com/a b/it's (x)\\y/путь?q=%41";
    out o = render_ok(l, JM_FORMAT_PDF, 1, JM_PAGE_AUTO);
    ck_assert_ptr_nonnull(memfind(
        o.data, o.len,
        "/URI (https://example.com/a%20b/it's%20%28x%29%5Cy/%D0%BF%D1%83%D1%82%D1%8C?q=%41)"));
    out_free(&o);
    free_layout(l);
}
END_TEST

/* A page beyond what some viewers open is a warning, not an error. */
START_TEST(pdf_huge_page_warns)
{
    jm_layout *l = make_layout(20000, 300);
    out o = render_ok(l, JM_FORMAT_PDF, 1, JM_PAGE_AUTO);
    ck_assert_uint_eq(jm_diags_count(o.diags), 1);
    ck_assert_ptr_nonnull(strstr(jm_diags_get(o.diags, 0)->message, "--page A2"));
    out_free(&o);
    /* On A2 the page is no longer too large; the map's text is now too small (20000 pt
     * across 1636), which is the one warning left. */
    o = render_ok(l, JM_FORMAT_PDF, 1, JM_PAGE_A2);
    ck_assert_uint_eq(jm_diags_count(o.diags), 1);
    ck_assert_ptr_null(strstr(jm_diags_get(o.diags, 0)->message, "200 in"));
    ck_assert_ptr_nonnull(strstr(jm_diags_get(o.diags, 0)->message, "under 6 pt"));
    out_free(&o);
    free_layout(l);
}
END_TEST

/* A map without a language gets no /Lang and an untouched cairo structure. */
START_TEST(pdf_without_lang)
{
    test_map.lang = NULL;
    jm_layout *l = make_layout(MAP_W, MAP_H);
    out o = render_ok(l, JM_FORMAT_PDF, 1, JM_PAGE_AUTO);
    ck_assert_ptr_null(memfind(o.data, o.len, "/Lang"));
    check_xref(o.data, o.len);
    out_free(&o);
    free_layout(l);
}
END_TEST

/* ---- Across processes --------------------------------------------------------------------- */

static const char *const ext[] = {"png", "svg", "pdf"};

static void write_all(const char *dir)
{
    jm_layout *l = make_layout(MAP_W, MAP_H);
    for (jm_format f = JM_FORMAT_PNG; f <= JM_FORMAT_PDF; f++) {
        out o = render(l, f, 2, JM_PAGE_AUTO);
        char path[4096];
        snprintf(path, sizeof path, "%s/map.%s", dir, ext[f]);
        FILE *fp = fopen(path, "wb");
        if (fp && o.rc == 0) {
            fwrite(o.data, 1, o.len, fp);
            fclose(fp);
        } else if (fp) {
            fclose(fp);
        }
        out_free(&o);
    }
    free_layout(l);
}

START_TEST(identical_across_processes)
{
    char dir[] = "/tmp/jm-render-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char self[4096], cmd[8400];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    ck_assert(n > 0);
    self[n] = '\0';
    snprintf(cmd, sizeof cmd, "'%s' --write '%s'", self, dir);
    ck_assert_int_eq(system(cmd), 0);

    /* This process has rendered other maps already: its counters are not the child's. */
    jm_layout *l = make_layout(MAP_W, MAP_H);
    for (jm_format f = JM_FORMAT_PNG; f <= JM_FORMAT_PDF; f++) {
        out o = render_ok(l, f, 2, JM_PAGE_AUTO);
        char path[4096];
        snprintf(path, sizeof path, "%s/map.%s", dir, ext[f]);
        size_t len = 0;
        unsigned char *theirs = read_all(path, &len);
        ck_assert_ptr_nonnull(theirs);
        ck_assert_msg(len == o.len && memcmp(theirs, o.data, len) == 0, "%s differs", ext[f]);
        free(theirs);
        unlink(path);
        out_free(&o);
    }
    rmdir(dir);
    free_layout(l);
}
END_TEST

/* ---- Icons -------------------------------------------------------------------------------- */

START_TEST(every_channel_has_an_icon)
{
    size_t n;
    const jm_builtin_channel *c = jm_builtin_channels(&n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(jm_icon_exists(c[i].icon), "no icon %s", c[i].icon);
    static const char *const markers[] = {"generic",     "persona", "moment_of_truth", "pain",
                                          "opportunity", "thought", "metric",          "goal"};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        ck_assert_msg(jm_icon_exists(markers[i]), "no icon %s", markers[i]);
    ck_assert(!jm_icon_exists("no-such-icon"));
    ck_assert(!jm_icon_exists(NULL));
}
END_TEST

/* A contact sheet of every icon, large and at card size, to look at: /tmp/icons.png. */
START_TEST(icon_contact_sheet)
{
    size_t n;
    const char *const *names = jm_icon_names(&n);
    const int cols = 7, cell_w = 110, cell_h = 100;
    int rows = (int)((n + cols - 1) / cols);
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, cols * cell_w, rows * cell_h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    PangoLayout *label = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("Inter 8");
    pango_layout_set_font_description(label, fd);
    pango_font_description_free(fd);
    jm_rgba ink = {0.12, 0.16, 0.3, 1};
    for (size_t i = 0; i < n; i++) {
        double x = (double)(i % cols) * cell_w, y = (double)(i / cols) * cell_h;
        jm_icon_draw(cr, names[i], x + 10, y + 12, 48, ink);
        jm_icon_draw(cr, names[i], x + 70, y + 16, 16, ink);
        jm_icon_draw(cr, names[i], x + 72, y + 42, 12, ink);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_move_to(cr, x + 10, y + 72);
        pango_layout_set_text(label, names[i], -1);
        pango_cairo_show_layout(cr, label);
        ck_assert_int_eq(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    }
    g_object_unref(label);
    cairo_destroy(cr);
    ck_assert_int_eq(cairo_surface_write_to_png(s, "/tmp/icons.png"), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}
END_TEST

/* ---- Runner ------------------------------------------------------------------------------- */

/* Before every test (also after one that failed half-way): the map tests start from. */
static void reset_map(void)
{
    memset(&test_map, 0, sizeof test_map);
    test_map.file = "test.json";
    test_map.title = TITLE;
    test_map.lang = "ru";
    test_map.n_stages = 2;
    test_map.n_touchpoints = 1;
}

/* Per test, in the test's own process: Pango 1.50 initialises fontconfig on a thread, which a
 * fork would not carry over (CK_FORK=yes would hang). The bundled fonts, as the real renders
 * use: with the system's, what wraps where depended on the machine's fonts. */
static void setup_pango(void)
{
    jm_diags *d = jm_diags_new();
    fonts = jm_context_new(NULL, d);
    jm_diags_free(d);
    if (!fonts) /* also used outside a test (--write): no ck_assert */
        abort();
    fontmap = g_object_ref(jm_context_fontmap(fonts));
    pango = g_object_ref(jm_context_pango(fonts));
    reset_map();
}

static void teardown_pango(void)
{
    g_object_unref(pango);
    g_object_unref(fontmap);
    jm_context_free(fonts);
}

static Suite *render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("cairo");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup_pango, teardown_pango);
    tcase_add_test(tc, png_header_and_size);
    tcase_add_test(tc, png_over_the_limits);
    tcase_add_test(tc, png_automatic_scale);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, unusable_geometry_refused);
    tcase_add_test(tc, allocation_failures);
    tcase_add_test(tc, svg_accessible_and_well_formed);
    tcase_add_test(tc, svg_default_desc);
    tcase_add_test(tc, svg_identical_across_renders);
    tcase_add_test(tc, svg_ids_differ_between_maps);
    tcase_add_test(tc, svg_groups_of_model_objects);
    tcase_add_test(tc, svg_text_layer_under_the_outlines);
    tcase_add_test(tc, svg_id_prefix_checked);
    tcase_add_test(tc, svg_shapes_keep_the_stroke_style);
    tcase_add_test(tc, svg_text_after_a_missing_glyph);
    tcase_add_test(tc, svg_text_far_from_the_origin);
    tcase_add_test(tc, pdf_metadata_and_determinism);
    tcase_add_test(tc, pdf_named_pages);
    tcase_add_test(tc, pdf_link_escaping);
    tcase_add_test(tc, pdf_huge_page_warns);
    tcase_add_test(tc, pdf_without_lang);
    tcase_add_test(tc, identical_across_processes);
    suite_add_tcase(s, tc);
    TCase *icons = tcase_create("icons");
    tcase_add_checked_fixture(icons, setup_pango, teardown_pango);
    tcase_add_test(icons, every_channel_has_an_icon);
    tcase_add_test(icons, icon_contact_sheet);
    suite_add_tcase(s, icons);
    return s;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0) {
        setup_pango();
        write_all(argv[2]);
        teardown_pango();
        return 0;
    }
    int failed = tu_run_suite(render_suite());
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
