/* A theme's colours checked against WCAG 2 AA (contrast.c). */
#ifndef JM_CONTRAST_H
#define JM_CONTRAST_H

#include <stdbool.h>
#include <stddef.h>

#include "theme.h"

/* WCAG 2 AA contrast (contrast.c): a colour drawn on another, both made opaque over the
 * background, and the ratio it needs (4.5 text, 3 large text and graphics). */
typedef struct jm_contrast_pair {
    const char *fg, *bg, *where; /* theme keys ("card_text", "stage_palette[2]") and what */
    const char *fg_key, *bg_key; /* the keys that set them ("stage_palette"; "emotion_pos") */
    jm_rgba fg_color, bg_color;
    double need;
    bool text; /* text, not a graphic */
} jm_contrast_pair;
/* Every pair the layout draws with theme t, into out[0..cap); returns how many there are. */
size_t jm_theme_contrast_pairs(const jm_theme *t, jm_contrast_pair *out, size_t cap);
/* A warning in diags for each pair under its ratio, naming both keys and the ratio, at the
 * line and column of the key that set the text's (else the fill's) colour when a file or the
 * model set one (else at file and JSON pointer path, either NULL); returns how many. */
size_t jm_theme_check_contrast(const jm_theme *t, const char *file, const char *path,
                               jm_diags *diags);

#endif
