/* The backend: a layout written as one of the output formats (PNG, SVG, PDF, layout JSON,
 * HTML).
 *
 * Each format is one row of the table in render.c (struct jm_output_format, common.h), defined
 * in its own file: png.c, svg.c, pdf.c, json.c, html.c. The drawn formats share one drawing routine
 * (draw.c, as in graphviz's Cairo plugin); the format only decides which surface is created,
 * how it is finished and how the finished bytes are tidied. */
#ifndef JM_RENDER_H
#define JM_RENDER_H

#include <stddef.h>

#include "journeymap.h"
#include "layout/layout.h"

/* Writes the layout as opts->format into a new buffer (*data, freed with jm_free; *len bytes),
 * with opts' scale (PNG pixels per point), page (PDF) and SVG options; opts->theme and
 * opts->state are the layout's business and not read here. ctx (NULL: none) keeps what one
 * render can reuse from another. Returns 0, or -1 with errors in diags. */
struct jm_context;
int jm_render_layout_opts(struct jm_context *ctx, const jm_layout *layout,
                          const jm_render_options *opts, unsigned char **data, size_t *len,
                          jm_diags *diags);
/* The same with the default options but format, scale and page. */
int jm_render_layout(struct jm_context *ctx, const jm_layout *layout, jm_format format,
                     double scale, jm_page page, unsigned char **data, size_t *len,
                     jm_diags *diags);

/* The format whose file extension ends path (in any case), or -1. */
int jm_render_format_from_path(const char *path);
/* The format's name, its extension without the dot ("png"), static; NULL past the table. */
const char *jm_render_format_name(int format);
/* The format with this name (in any case), or -1. */
int jm_render_format_from_name(const char *name);

#endif
