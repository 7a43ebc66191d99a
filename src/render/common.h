/* What the backend's files share: an output format's row (the table is in render.c), the job
 * a row writes, and the helpers for messages against the map's file. */
#ifndef JM_RENDER_COMMON_H
#define JM_RENDER_COMMON_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout/layout.h"
#include "photo.h"
#include "util/util.h"

typedef struct jm_output_format jm_output_format;

/* One render: what a row writes and how. */
typedef struct jm_render_job {
    struct jm_context *ctx; /* NULL: none (no caches shared with other renders) */
    const jm_layout *layout;
    const jm_output_format *format;
    const jm_render_options *opts; /* scale: PNG pixels per point; page: PDF; SVG id prefix */
    const jm_photo *photos;        /* decoded photos by element index, or NULL (drawn formats) */
} jm_render_job;

/* An output format: one row of the table in render.c, defined in the format's own file. */
struct jm_output_format {
    jm_format format;
    const char *name;      /* in messages: "PNG" */
    const char *extension; /* of its files: ".png" */
    const char *also;      /* another extension that asks for it (".htm"), or NULL */
    /* Drawn from the layout's geometry, which is checked first; photos are decoded before
     * write as `photos` says. False: the layout is written as data. */
    bool draws;
    jm_photo_policy photos;
    /* Settles the options left to the format (PNG: the automatic scale), possibly with a
     * warning, before they are checked; NULL: nothing to settle. */
    void (*settle)(const jm_layout *layout, jm_render_options *opts, jm_diags *diags);
    /* Checks the job's options before any photo is decoded; NULL: nothing to check. False with
     * the error in diags. */
    bool (*check)(const jm_render_job *job, jm_diags *diags);
    /* Writes the document into out. 0, or -1 with the error in diags. */
    int (*write)(const jm_render_job *job, jm_buf *out, jm_diags *diags);
};

extern const jm_output_format jm_output_png;  /* png.c */
extern const jm_output_format jm_output_svg;  /* svg.c */
extern const jm_output_format jm_output_pdf;  /* pdf.c */
extern const jm_output_format jm_output_json; /* json.c */
extern const jm_output_format jm_output_html; /* html.c: the SVG in a page */

/* The map's file for messages (borrowed), or NULL. */
const char *jm_render_file(const jm_layout *l);
/* An error against the map's file, with no JSON path. */
void jm_render_error(const jm_layout *l, jm_diags *diags, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports "cannot write FORMAT: why"; returns -1. */
int jm_render_cannot_write(const jm_render_job *job, const char *why, jm_diags *diags);
/* True when cairo created the surface; else reports why, destroys it and returns false. */
bool jm_render_surface_ok(const jm_render_job *job, cairo_surface_t *surface, jm_diags *diags);
/* After drawing (drawn: jm_draw_surface's result) and finishing with status st into out:
 * 0, or -1 with "cannot write FORMAT: …" reported. */
int jm_render_written(const jm_render_job *job, bool drawn, cairo_status_t st, const jm_buf *out,
                      jm_diags *diags);
/* A number for messages: at most two decimals, no trailing zeros. */
void jm_render_num(char *buf, size_t n, double v);
/* s, or NULL when it is NULL or empty. */
const char *jm_nonempty(const char *s);
/* A BCP 47 tag is letters, digits and hyphens; anything else is not written into the file. */
bool jm_lang_tag_ok(const char *s);

#endif
