/* The characters of a map's drawn texts that no font has, bundled or on the machine. */
#ifndef JM_MISSING_GLYPHS_H
#define JM_MISSING_GLYPHS_H

#include "context/context.h"
#include "model/model.h"

/* Adds a warning to diags for each such character, once per character, at the first text
 * that has it (its element's line and column, its JSON path), naming the Debian package that
 * has it (jm_font_package): "no font has U+1F389 (🎉); install fonts-noto-color-emoji". The
 * map is drawn all the same, a box for each such character. */
void jm_fallback_check_map(jm_context *ctx, const jm_map *m, jm_diags *diags);

#endif
