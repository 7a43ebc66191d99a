/* The context: fonts (private fontconfig over the bundled fonts), Pango, data folder. */
#ifndef JM_CONTEXT_H
#define JM_CONTEXT_H

#include <pango/pangocairo.h>

#include "journeymap.h"
#include "theme.h"

struct jm_context {
    char *data_dir;
    PangoFontMap *fontmap; /* shared between clones (reference counted) */
    PangoContext *pango;   /* per context: measuring is not thread-safe */
    /* The last theme loaded by name, reused by the next map that names it (batch renders
     * mostly share one). */
    char *theme_key;
    jm_theme *theme;
};

/* The folder a theme name or photo is resolved in, etc. */
const char *jm_context_data_dir(const jm_context *ctx);

#endif
