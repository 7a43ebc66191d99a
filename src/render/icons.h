/* Built-in vector icons: line art on a 24-unit grid (Lucide/Feather style), one per channel
 * icon of the catalogue (channels.c) plus the map's markers (persona, pain, opportunity …). */
#ifndef JM_ICONS_H
#define JM_ICONS_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "theme/theme.h"

/* Strokes icon `name` into the size×size box at (x, y) in `color` (line width size/12, round
 * caps and joins). Unknown or NULL names draw "generic". Leaves the cairo state unchanged
 * except for the current path, which it clears. */
void jm_icon_draw(cairo_t *cr, const char *name, double x, double y, double size, jm_rgba color);
/* What jm_icon_draw strokes, for a caller that strokes it itself: the icon's path, its
 * transform and its stroke style, set in cr (size > 0; bracket with cairo_save/restore). */
void jm_icon_path(cairo_t *cr, const char *name, double x, double y, double size);
/* Adds a rectangle with round corners of radius r (0 < r <= half of w and of h) to cr's path,
 * as a closed sub-path: the icons' and the backend's shapes share it. */
void jm_path_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r);
/* True when `name` is a built-in icon (not merely drawn as "generic"). */
bool jm_icon_exists(const char *name);
/* Borrowed, static: every icon name, in a fixed order; *n receives the count. */
const char *const *jm_icon_names(size_t *n);

#endif
