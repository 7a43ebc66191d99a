/* Fonts for the characters the bundled fonts lack.
 *
 * A text whose every character a bundled font has is measured and drawn with the bundled
 * fonts alone, exactly as before any fallback existed. Any other text goes to a second,
 * private fontconfig configuration (made the first time such a text comes, once per context):
 * the bundled fonts, then the fonts the system's fontconfig knows, copied in, but none that
 * shares a family with a bundled font. Its texts ask for the theme's families, then the
 * families of fallback_families() in that order, then whatever else fontconfig sorts next;
 * fonts/README.md lists which Debian package gives which script. */
#ifndef JM_FALLBACK_H
#define JM_FALLBACK_H

#include <fontconfig/fontconfig.h>
#include <pango/pango.h>
#include <stdbool.h>

#include "context.h"
#include "journeymap.h"

struct jm_fallback;

/* The characters the fonts of fc cover together; NULL when out of memory. */
FcCharSet *jm_fonts_coverage(FcConfig *fc);

/* true when a character of text is one no bundled font has (and draws). */
bool jm_fallback_needed(const jm_context *ctx, const char *text);

/* The Pango context over the fallback configuration (borrowed), made on first use; NULL when
 * it cannot be made (then texts are drawn with the bundled fonts, boxes for what they lack). */
PangoContext *jm_fallback_pango(jm_context *ctx);

/* "FAMILY, Noto Sans Arabic, …": family (the theme's list) followed by the fallback families
 * in their order for language lang ("ja" puts Japanese before Chinese). Caller frees with
 * g_free. */
char *jm_fallback_families(const char *family, const char *lang);

/* true when a bundled or fallback font has c (or c draws nothing). May make the fallback
 * fonts. */
bool jm_fallback_has_char(jm_context *ctx, gunichar c);

/* The package that gives c ("fonts-noto-cjk" …), NULL when no package is known to. */
const char *jm_font_package(gunichar c);

/* The fallback fonts for ctx (loads the system's font list); NULL when they cannot be made.
 * The context keeps them (jm_context_fallback). */
struct jm_fallback *jm_fallback_new(const jm_context *ctx);
void jm_fallback_free(struct jm_fallback *fb);

#endif
