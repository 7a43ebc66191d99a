/* The context: fonts (private fontconfig over the bundled fonts), Pango, data folder. */
#ifndef JM_CONTEXT_H
#define JM_CONTEXT_H

#include <pango/pangocairo.h>

#include "journeymap.h"
#include "theme/theme.h"

struct jm_context {
    char *data_dir;
    PangoFontMap *fontmap; /* shared between clones (reference counted) */
    int *fontmap_users;    /* how many contexts share it (atomic): Pango's threads hold
                              references too, so its reference count cannot tell */
    PangoContext *pango;   /* per context: measuring is not thread-safe */
    /* The last theme loaded by name, reused by the next map that names it (batch renders
     * mostly share one). */
    char *theme_key;
    jm_theme *theme;
    /* Measured text by (text, width, font, language, options): maps repeat their labels and
     * batches repeat whole strings, and a PangoLayout is immutable once measured. Bounded. */
    GHashTable *layouts;
    /* Glyph outlines as SVG path data, by (cairo scaled font, glyph): every SVG document
     * writes the ones it uses, and a batch uses the same ones over and over (svg_text.c).
     * Created on first use; bounded. */
    GHashTable *svg_glyphs;
};

typedef struct jm_text_key {
    char *text;
    char *font;       /* pango_font_description_to_string */
    const char *lang; /* interned by Pango */
    int width, max_lines, align;
    float spacing;
} jm_text_key;

/* The cached layout for key (a new reference), or NULL. */
PangoLayout *jm_context_layout_get(jm_context *ctx, const jm_text_key *key);
/* Remembers layout under key (takes its own references and copies). */
void jm_context_layout_put(jm_context *ctx, const jm_text_key *key, PangoLayout *layout);

/* Forgets every measured text and SVG glyph outline, keeping the fonts and the theme: the
 * context then renders a map as if it had not seen its strings (the benchmark's runs). */
void jm_context_forget_texts(jm_context *ctx);

/* The folder a theme name or photo is resolved in, etc. */
const char *jm_context_data_dir(const jm_context *ctx);

#endif
