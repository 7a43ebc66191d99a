/* The context: fonts (private fontconfig over the bundled fonts), Pango, data folder. */
#ifndef JM_CONTEXT_H
#define JM_CONTEXT_H

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdbool.h>

#include "journeymap.h"
#include "theme/theme.h"

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

/* The building blocks of a context's fonts, for the fallback fonts too (fallback.c). */
/* Adds the bundled fonts to fc (which has none yet), then the fonts added to the context
 * (jm_context_use_fonts); returns how many bundled files gave fonts. */
int jm_context_add_bundled_fonts(const jm_context *ctx, FcConfig *fc);
/* A Pango font map over fc alone (it takes its own reference). */
PangoFontMap *jm_context_new_font_map(FcConfig *fc);
/* A Pango context measuring the same for PNG, SVG and PDF. */
PangoContext *jm_context_new_pango(PangoFontMap *fm);
/* Frees fm (a context's only reference to it), its configuration let go, once Pango's font
 * query threads have dropped theirs: waits for them at most jm_context_release_wait_ms
 * (10 s; tests lower it), then leaves the font map to its last holder. */
void jm_context_release_font_map(PangoFontMap *fm);
extern unsigned jm_context_release_wait_ms;

/* Makes the context's fonts the bundled ones, the files of its font folders
 * (jm_context_add_font_dir) and paths (a theme's font files), in that order; nothing is done
 * when they already are. Changing them lets go of every measured text. -1 with an error in
 * diags when out of memory. */
int jm_context_use_fonts(jm_context *ctx, const char *const *paths, size_t n, jm_diags *diags);
/* Where a font path was named, for messages (file NULL: the path itself is named). */
typedef struct jm_diag_at {
    const char *file;
    int line, col;
    const char *path;
} jm_diag_at;
/* The font files path names: itself, or the .ttf, .otf and .ttc files of the folder it names,
 * sorted; a file that is no font is left out with a warning (at `at`, or at the file). 0 with
 * the list in *out (caller frees each and the array), or -1 with an error in diags. */
int jm_font_files(const char *path, const jm_diag_at *at, char ***out, size_t *n, jm_diags *diags);
/* Whether a font of the context's own (bundled or added) is of family (any case). */
bool jm_context_has_family(const jm_context *ctx, const char *family);

/* What the bundled fonts cover together (borrowed; NULL when out of memory at creation). */
const FcCharSet *jm_context_bundled_chars(const jm_context *ctx);
/* The context's fallback fonts (fallback.h), made on the first call; NULL when they cannot be
 * made (not tried again). Borrowed. */
struct jm_fallback *jm_context_fallback(jm_context *ctx);

/* The folder a theme name or photo is resolved in, etc. */
const char *jm_context_data_dir(const jm_context *ctx);

/* The theme last remembered under key (batch renders mostly share one), borrowed until the
 * next jm_context_theme_put; NULL when the context holds none under key. */
const jm_theme *jm_context_theme(const jm_context *ctx, const char *key);
/* Remembers a copy of theme under key in place of the last one (kept when out of memory). */
void jm_context_theme_put(jm_context *ctx, const char *key, const jm_theme *theme);

/* The cache of glyph outlines as SVG path data (svg_text.c owns its entries), borrowed; NULL
 * until jm_context_set_svg_glyphs. Emptied by jm_context_forget_texts. */
GHashTable *jm_context_svg_glyphs(jm_context *ctx);
/* Gives the context that cache (destroyed with the context). */
void jm_context_set_svg_glyphs(jm_context *ctx, GHashTable *cache);

/* The Pango context layouts measure with, and its font map (borrowed). */
PangoContext *jm_context_pango(jm_context *ctx);
PangoFontMap *jm_context_fontmap(jm_context *ctx);

#endif
