/* Persona photos, decoded before drawing (photo.c). */
#ifndef JM_PHOTO_H
#define JM_PHOTO_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout/layout.h"

/* How an output format takes photos (a field of its row in render.c's table). */
typedef struct jm_photo_policy {
    bool at_scale;          /* decoded for the output's pixels per point (PNG), else for print */
    bool embed_jpeg;        /* a JPEG goes in as its own bytes when it is not far too large */
    bool embed_turned_jpeg; /* ... even when Exif turns it (SVG viewers disagree on the turn) */
    bool embed_png;         /* a PNG goes in as its own bytes */
} jm_photo_policy;

typedef struct jm_photo {
    cairo_surface_t *surface; /* NULL: nothing to draw (not an image element) */
    int orientation;          /* EXIF orientation 1…8: how the stored pixels are turned */
} jm_photo;

/* Decodes every photo of the layout before anything is drawn, so a bad file fails the render
 * with its name and no half-drawn document. *out (free with jm_photos_free) holds one photo per
 * element, or is NULL when the map has no photos. Every bad photo is reported; false when any
 * is. `scale` is the output's pixels per point when policy->at_scale. */
bool jm_photos_load(const jm_layout *l, const jm_photo_policy *policy, double scale, jm_photo **out,
                    jm_diags *diags);
void jm_photos_free(jm_photo *photos, size_t n);

/* The image's pixels per point once it covers the element's box. */
double jm_photo_px_per_pt(const jm_element *e, int iw, int ih, int orientation);

#endif
