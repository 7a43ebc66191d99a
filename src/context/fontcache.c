/* Loading fonts through the build-time cache (fontcache.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fontcache.h"

/* The sets built so far, one reference each, shared by the patterns that use them. */
typedef struct sets {
    const jm_fontcache *cache;
    FcCharSet *charsets[JM_FONTCACHE_MAX_SETS];
    FcLangSet *langsets[JM_FONTCACHE_MAX_SETS];
} sets;

static FcCharSet *charset(sets *s, int i)
{
    if (!s->charsets[i]) {
        const jm_cached_charset *c = &s->cache->charsets[i];
        FcCharSet *cs = FcCharSetCreate();
        for (size_t r = 0; cs && r < c->n_ranges; r++)
            for (FcChar32 u = c->ranges[2 * r]; u <= c->ranges[2 * r + 1]; u++)
                if (!FcCharSetAddChar(cs, u)) {
                    FcCharSetDestroy(cs);
                    return NULL;
                }
        s->charsets[i] = cs;
    }
    return s->charsets[i];
}

static FcLangSet *langset(sets *s, int i)
{
    if (!s->langsets[i]) {
        const jm_cached_langset *l = &s->cache->langsets[i];
        FcLangSet *ls = FcLangSetCreate();
        for (size_t k = 0; ls && k < l->n_langs; k++)
            if (!FcLangSetAdd(ls, (const FcChar8 *)l->langs[k])) {
                FcLangSetDestroy(ls);
                return NULL;
            }
        s->langsets[i] = ls;
    }
    return s->langsets[i];
}

/* f's pattern, with path as its file; NULL when out of memory. */
static FcPattern *pattern(sets *s, const jm_cached_font *f, const char *path)
{
    FcPattern *p = FcPatternCreate();
    for (size_t i = 0; p && i < f->n_values; i++) {
        const jm_cached_value *cv = &f->values[i];
        FcValue v = {.type = cv->type};
        FcRange *range = NULL;
        bool ok = true;
        switch (cv->type) {
        case FcTypeInteger: v.u.i = cv->i; break;
        case FcTypeBool: v.u.b = cv->i; break;
        case FcTypeDouble: v.u.d = cv->d; break;
        case FcTypeString: v.u.s = (const FcChar8 *)cv->s; break;
        case FcTypeRange: ok = (v.u.r = range = FcRangeCreateDouble(cv->d, cv->e)) != NULL; break;
        case FcTypeCharSet: ok = (v.u.c = charset(s, cv->i)) != NULL; break;
        case FcTypeLangSet: ok = (v.u.l = langset(s, cv->i)) != NULL; break;
        default: ok = false; /* the generator writes no other type */
        }
        ok = ok && FcPatternAdd(p, cv->object, v, FcTrue);
        if (range)
            FcRangeDestroy(range);
        if (!ok) {
            FcPatternDestroy(p);
            p = NULL;
        }
    }
    if (p && !FcPatternAddString(p, FC_FILE, (const FcChar8 *)path)) {
        FcPatternDestroy(p);
        p = NULL;
    }
    return p;
}

static bool same_id(const jm_font_id *a, const jm_font_id *b)
{
    return a->size == b->size && a->directory == b->directory && a->revision == b->revision &&
           a->checksum == b->checksum;
}

/* Adds the patterns of the file name, at path, from the cache. Returns 1 when done, 0 when the
 * cache does not hold the file as it is now, -1 when memory ran out. */
static int add_cached(sets *s, FcFontSet *set, const char *path, const char *name)
{
    const jm_cached_font *f = s->cache->fonts, *end = f + s->cache->n_fonts;
    while (f < end && strcmp(f->file, name) != 0)
        f++;
    jm_font_id id;
    if (f == end || !jm_font_id_read(path, &id) || !same_id(&id, &f->id))
        return 0;
    for (; f < end && strcmp(f->file, name) == 0; f++) {
        FcPattern *p = pattern(s, f, path);
        if (!p || !FcFontSetAdd(set, p)) {
            if (p)
                FcPatternDestroy(p);
            return -1;
        }
    }
    return 1;
}

int jm_fontcache_load(const jm_fontcache *cache, FcConfig *fc, const char *dir,
                      const char *const *names, size_t n, int *from_cache)
{
    /* The patterns are what this version of fontconfig makes of the fonts; a sysroot would
     * change their file names (FcFileScanFontConfig strips it). Then every file is read.
     *
     * fontconfig has no call that adds a pattern to a configuration, so the patterns go into
     * the set FcConfigBuildFonts makes (empty: fc has no folders), which nothing has seen yet.
     * FcConfigSetCurrent would build it anyway, and Pango and fontconfig's matching see the
     * two sets as one list, system then application: the fonts come out as they did from
     * FcConfigAppFontAddFile, in the same order (tests/unit/test_fontcache.c). */
    FcFontSet *set = NULL;
    if (cache->fc_version == FcGetVersion() && !FcConfigGetSysRoot(fc) && FcConfigBuildFonts(fc))
        set = FcConfigGetFonts(fc, FcSetSystem);
    sets s = {.cache = cache};
    int added = 0, cached = 0;
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%.3000s/%s", dir, names[i]);
        int got = 0;
        if (!set)
            got = FcConfigAppFontAddFile(fc, (const FcChar8 *)path);
        else if ((got = add_cached(&s, set, path, names[i])) > 0)
            cached++;
        else if (got == 0)
            /* What FcConfigAppFontAddFile does, less the scan rules of the configuration (fc
             * has none) and the sysroot (none here). */
            got = FcFreeTypeQueryAll((const FcChar8 *)path, -1, NULL, NULL, set) > 0;
        added += got > 0;
    }
    for (size_t i = 0; i < JM_FONTCACHE_MAX_SETS; i++) {
        if (s.charsets[i])
            FcCharSetDestroy(s.charsets[i]);
        if (s.langsets[i])
            FcLangSetDestroy(s.langsets[i]);
    }
    if (from_cache)
        *from_cache = cached;
    return added;
}
