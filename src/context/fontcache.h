/* What fontconfig reads from the bundled fonts, read once at build time.
 *
 * FcConfigAppFontAddFile has fontconfig open each font with FreeType and walk every character
 * to build its character set and language set: about 8 M instructions for our six fonts, a
 * sixth of rendering a small map from the command line. src/fontcache_gen.c does that at
 * build time and writes each font's pattern as data (fontcache_data.c in the build folder);
 * a context rebuilds the patterns from it for every font file that is still the one that was
 * read, and reads any other file as before. */
#ifndef JM_FONTCACHE_H
#define JM_FONTCACHE_H

#include <fontconfig/fontconfig.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Tells a font file from another without reading it all: its size, a hash of its table
 * directory (each table's tag, checksum, offset and length) and the 'head' table's
 * fontRevision and checkSumAdjustment (a checksum of the whole file, by the OpenType spec). */
typedef struct jm_font_id {
    uint64_t size;
    uint64_t directory; /* FNV-1a of the sfnt header and table records */
    uint32_t revision, checksum;
} jm_font_id;

/* false when path is not a single OpenType or TrueType font (a collection, say). */
bool jm_font_id_read(const char *path, jm_font_id *id);

/* One value of a pattern. */
typedef struct jm_cached_value {
    const char *object; /* FC_FAMILY etc. */
    FcType type;
    int i;         /* FcTypeInteger, FcTypeBool; the set's index for FcTypeCharSet, FcTypeLangSet */
    double d, e;   /* FcTypeDouble; FcTypeRange's begin and end */
    const char *s; /* FcTypeString */
} jm_cached_value;

/* One pattern, FC_FILE left out (it is where the fonts folder is). A file with several faces
 * has several, one after the other. */
typedef struct jm_cached_font {
    const char *file; /* its name in the fonts folder */
    jm_font_id id;
    const jm_cached_value *values; /* in the pattern's order, every binding strong */
    size_t n_values;
} jm_cached_font;

typedef struct jm_cached_charset {
    const uint32_t *ranges; /* first and last character of each run */
    size_t n_ranges;
} jm_cached_charset;

typedef struct jm_cached_langset {
    const char *const *langs;
    size_t n_langs;
} jm_cached_langset;

/* Fonts often share a character set (a family's styles): each distinct one is stored, and
 * built, once. Bounds the sets of a cache, so that loading needs no memory of its own. */
#define JM_FONTCACHE_MAX_SETS 64

typedef struct jm_fontcache {
    int fc_version; /* FcGetVersion() of the fontconfig that read the fonts */
    const jm_cached_font *fonts;
    size_t n_fonts;
    const jm_cached_charset *charsets;
    size_t n_charsets;
    const jm_cached_langset *langsets;
    size_t n_langsets;
} jm_fontcache;

/* The bundled fonts (generated). */
extern const jm_fontcache jm_fontcache_bundled;

/* Adds the font files dir/names[0..n) to fc, in that order, the way FcConfigAppFontAddFile
 * would: the files cache holds as they are from it, any other by reading it. fc must have no
 * fonts yet. Returns the number of files that gave fonts; *from_cache (when not NULL) is set
 * to how many of them came from the cache. */
int jm_fontcache_load(const jm_fontcache *cache, FcConfig *fc, const char *dir,
                      const char *const *names, size_t n, int *from_cache);

#endif
