/* The layout JSON output (contract §5): what tests and other tools check geometry against.
 * Written from the layout as data: nothing is drawn, and photos are not read. */
#include <pango/pango.h>

#include "common.h"
#include "util/diag.h"

static const char *state_name(jm_state s)
{
    return s == JM_STATE_BEFORE ? "before" : s == JM_STATE_COMPARE ? "compare" : "after";
}

static void layout_json(const jm_layout *lo, jm_buf *b)
{
    jm_buf_puts(b, "{\"width\": ");
    jm_buf_number(b, lo->width);
    jm_buf_puts(b, ", \"height\": ");
    jm_buf_number(b, lo->height);
    jm_buf_printf(b, ", \"state\": \"%s\", \"layout\": \"%s\", \"elements\": [",
                  state_name(lo->state), lo->kind == JM_LAYOUT_OVERVIEW ? "overview" : "detail");
    for (size_t i = 0; i < lo->n && !b->failed; i++) {
        const jm_element *e = &lo->el[i];
        jm_buf_puts(b, i ? ",\n  {\"kind\": " : "\n  {\"kind\": ");
        jm_buf_json_string(b, e->kind);
        const double v[4] = {e->x, e->y, e->w, e->h};
        const char *k[4] = {"x", "y", "w", "h"};
        for (int j = 0; j < 4; j++) {
            jm_buf_printf(b, ", \"%s\": ", k[j]);
            jm_buf_number(b, v[j]);
        }
        if (e->parent >= 0)
            jm_buf_printf(b, ", \"parent\": %ld", e->parent);
        else
            jm_buf_puts(b, ", \"parent\": null");
        jm_buf_puts(b, ", \"ref\": ");
        if (e->ref)
            jm_buf_json_string(b, e->ref);
        else
            jm_buf_puts(b, "null");
        if (e->column >= 0)
            jm_buf_printf(b, ", \"column\": %ld", e->column);
        if (e->text) {
            jm_buf_puts(b, ", \"text\": ");
            jm_buf_json_string(b, e->text);
            if (e->layout && pango_layout_is_ellipsized(e->layout))
                jm_buf_puts(b, ", \"ellipsized\": true");
        }
        if (e->has_value) {
            jm_buf_puts(b, ", \"value\": ");
            jm_buf_number(b, e->value);
        }
        if (e->icon) {
            jm_buf_puts(b, ", \"icon\": ");
            jm_buf_json_string(b, e->icon);
        }
        if (e->url) {
            jm_buf_puts(b, ", \"url\": ");
            jm_buf_json_string(b, e->url);
        }
        if (e->npts) {
            jm_buf_puts(b, ", \"points\": [");
            for (size_t p = 0; p < e->npts; p++) {
                jm_buf_puts(b, p ? ", [" : "[");
                jm_buf_number(b, e->pts[p].x);
                jm_buf_puts(b, ", ");
                jm_buf_number(b, e->pts[p].y);
                jm_buf_puts(b, "]");
            }
            jm_buf_puts(b, "]");
        }
        jm_buf_puts(b, "}");
    }
    jm_buf_puts(b, "\n]}\n");
}

static int json_write(const jm_render_job *job, jm_buf *out, jm_diags *diags)
{
    layout_json(job->layout, out);
    if (out->failed) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, jm_render_file(job->layout), 0, 0, NULL,
                    "out of memory");
        return -1;
    }
    return 0;
}

const jm_output_format jm_output_json = {
    .format = JM_FORMAT_JSON,
    .name = "JSON",
    .extension = ".json",
    .write = json_write,
};
