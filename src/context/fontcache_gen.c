/* Writes the font cache (fontcache.h): fontconfig's patterns of the font files given, made as
 * the library would make them at run time (FcConfigAppFontAddFile on an empty configuration),
 * as C data. Runs at build time, against the fontconfig the library is built with; the output
 * names the files without their folder, so it is the same wherever the tree is.
 *
 * Usage: jm-fontcache-gen OUT.c FONT...
 *
 * A file that is not a single OpenType or TrueType font is left out (the library then reads
 * it at run time; tests/unit/test_fontcache.c fails for a bundled font left out). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fontcache.h"

#define MAX_FONTS 256

static struct {
    const char *file;
    jm_font_id id;
    FcPattern *pattern;
} fonts[MAX_FONTS];
static size_t n_fonts;
static FcCharSet *charsets[JM_FONTCACHE_MAX_SETS];
static FcLangSet *langsets[JM_FONTCACHE_MAX_SETS];
static size_t n_charsets, n_langsets;
static size_t charset_runs[JM_FONTCACHE_MAX_SETS], langset_langs[JM_FONTCACHE_MAX_SETS];

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("jm-fontcache-gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(base_name(*(char *const *)a), base_name(*(char *const *)b));
}

static size_t charset_index(FcCharSet *cs)
{
    for (size_t i = 0; i < n_charsets; i++)
        if (FcCharSetEqual(charsets[i], cs))
            return i;
    if (n_charsets == JM_FONTCACHE_MAX_SETS)
        die("more than %d character sets", JM_FONTCACHE_MAX_SETS);
    charsets[n_charsets] = FcCharSetCopy(cs);
    return n_charsets++;
}

static size_t langset_index(FcLangSet *ls)
{
    for (size_t i = 0; i < n_langsets; i++)
        if (FcLangSetEqual(langsets[i], ls))
            return i;
    if (n_langsets == JM_FONTCACHE_MAX_SETS)
        die("more than %d language sets", JM_FONTCACHE_MAX_SETS);
    langsets[n_langsets] = FcLangSetCopy(ls);
    return n_langsets++;
}

/* A C string literal: octal escapes for all but printable ASCII ('?' too: no trigraphs). */
static void put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f && c != '?')
            fputc(c, out);
        else
            fprintf(out, "\\%03o", c);
    }
    fputc('"', out);
}

/* Reads one font file as FcConfigAppFontAddFile does: a pattern for each of its faces. */
static void read_font(const char *path)
{
    jm_font_id id;
    if (!jm_font_id_read(path, &id)) {
        fprintf(stderr,
                "jm-fontcache-gen: %s is not a single OpenType or TrueType font: left "
                "out of the cache\n",
                path);
        return;
    }
    FcConfig *fc = FcConfigCreate();
    if (!fc || !FcConfigAppFontAddFile(fc, (const FcChar8 *)path))
        die("fontconfig cannot read %s", path);
    FcFontSet *set = FcConfigGetFonts(fc, FcSetApplication);
    for (int i = 0; i < set->nfont; i++) {
        if (n_fonts == MAX_FONTS)
            die("more than %d fonts", MAX_FONTS);
        fonts[n_fonts].file = base_name(path);
        fonts[n_fonts].id = id;
        fonts[n_fonts].pattern = FcPatternDuplicate(set->fonts[i]);
        if (!fonts[n_fonts].pattern || !FcPatternDel(fonts[n_fonts].pattern, FC_FILE))
            die("no pattern for %s", path);
        n_fonts++;
    }
    FcConfigDestroy(fc);
}

static void write_values(FILE *out, size_t k)
{
    FcPattern *p = fonts[k].pattern;
    FcPatternIter it;
    fprintf(out, "static const jm_cached_value font%zu[] = {\n", k);
    FcPatternIterStart(p, &it);
    do {
        const char *object = FcPatternIterGetObject(p, &it);
        for (int i = 0; i < FcPatternIterValueCount(p, &it); i++) {
            FcValue v;
            FcValueBinding binding;
            if (FcPatternIterGetValue(p, &it, i, &v, &binding) != FcResultMatch ||
                binding != FcValueBindingStrong)
                die("%s: %s has a value the cache cannot hold", fonts[k].file, object);
            int iv = 0;
            double d = 0, e = 0;
            const char *s = NULL;
            switch (v.type) {
            case FcTypeInteger: iv = v.u.i; break;
            case FcTypeBool: iv = v.u.b; break;
            case FcTypeDouble: d = v.u.d; break;
            case FcTypeString: s = (const char *)v.u.s; break;
            case FcTypeRange: FcRangeGetDouble(v.u.r, &d, &e); break;
            case FcTypeCharSet: iv = (int)charset_index((FcCharSet *)v.u.c); break;
            case FcTypeLangSet: iv = (int)langset_index((FcLangSet *)v.u.l); break;
            default: die("%s: %s has a value of type %d", fonts[k].file, object, (int)v.type);
            }
            static const char *const type_names[] = {
                [FcTypeInteger] = "FcTypeInteger", [FcTypeDouble] = "FcTypeDouble",
                [FcTypeString] = "FcTypeString",   [FcTypeBool] = "FcTypeBool",
                [FcTypeCharSet] = "FcTypeCharSet", [FcTypeLangSet] = "FcTypeLangSet",
                [FcTypeRange] = "FcTypeRange"};
            /* %.17g: doubles read back exactly. */
            fprintf(out, "    {");
            put_string(out, object);
            fprintf(out, ", %s, %d, %.17g, %.17g, ", type_names[v.type], iv, d, e);
            if (s)
                put_string(out, s);
            else
                fputs("NULL", out);
            fputs("},\n", out);
        }
    } while (FcPatternIterNext(p, &it));
    fputs("};\n", out);
}

static void write_charset(FILE *out, size_t k)
{
    FcChar32 map[FC_CHARSET_MAP_SIZE], next, first = 0, last = 0;
    size_t n = 0;
    fprintf(out, "static const uint32_t charset%zu[] = {\n   ", k);
    for (FcChar32 base = FcCharSetFirstPage(charsets[k], map, &next); base != FC_CHARSET_DONE;
         base = FcCharSetNextPage(charsets[k], map, &next))
        for (FcChar32 u = base; u < base + 32 * FC_CHARSET_MAP_SIZE; u++) {
            if (!(map[(u - base) / 32] >> (u % 32) & 1))
                continue;
            if (n && u == last + 1) {
                last = u;
                continue;
            }
            if (n)
                fprintf(out, " 0x%" PRIx32 ", 0x%" PRIx32 ",%s", first, last, n % 6 ? "" : "\n   ");
            first = last = u;
            n++;
        }
    /* The last run (a 0, 0 that is no run when the set is empty: no empty initialiser). */
    fprintf(out, " 0x%" PRIx32 ", 0x%" PRIx32 ",\n};\n", first, last);
    charset_runs[k] = n;
}

static void write_langset(FILE *out, size_t k)
{
    FcStrSet *set = FcLangSetGetLangs(langsets[k]);
    FcStrList *langs = FcStrListCreate(set);
    size_t n = 0;
    fprintf(out, "static const char *const langset%zu[] = {", k);
    for (FcChar8 *lang; (lang = FcStrListNext(langs)); n++) {
        fputs(n % 10 ? " " : "\n    ", out);
        put_string(out, (const char *)lang);
        fputc(',', out);
    }
    fputs(n ? "\n};\n" : "NULL};\n", out);
    FcStrListDone(langs);
    FcStrSetDestroy(set);
    langset_langs[k] = n;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        die("usage: jm-fontcache-gen OUT.c FONT...");
    qsort(argv + 2, (size_t)argc - 2, sizeof *argv, cmp_path);
    for (int i = 2; i < argc; i++)
        read_font(argv[i]);

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *out = fopen(tmp, "w");
    if (!out)
        die("cannot write %s", tmp);
    int version = FcGetVersion();
    fprintf(out,
            "/* Generated by jm-fontcache-gen (src/fontcache_gen.c) from the bundled fonts with "
            "fontconfig %d.%d.%d: do not edit. */\n#include \"fontcache.h\"\n\n",
            version / 10000, version / 100 % 100, version % 100);
    /* Values first: they number the sets. */
    for (size_t k = 0; k < n_fonts; k++)
        write_values(out, k);
    for (size_t k = 0; k < n_langsets; k++)
        write_langset(out, k);
    for (size_t k = 0; k < n_charsets; k++)
        write_charset(out, k);
    /* Tables only when not empty (no empty initialisers): else a NULL in their place. */
    if (n_fonts)
        fputs("\nstatic const jm_cached_font fonts[] = {\n", out);
    for (size_t k = 0; k < n_fonts; k++) {
        fputs("    {", out);
        put_string(out, fonts[k].file);
        fprintf(out,
                ", {%" PRIu64 "u, 0x%016" PRIx64 "u, 0x%08" PRIx32 "u, 0x%08" PRIx32
                "u}, font%zu, sizeof font%zu / sizeof font%zu[0]},\n%s",
                fonts[k].id.size, fonts[k].id.directory, fonts[k].id.revision, fonts[k].id.checksum,
                k, k, k, k + 1 < n_fonts ? "" : "};\n");
    }
    if (n_charsets)
        fputs("\nstatic const jm_cached_charset charsets[] = {\n", out);
    for (size_t k = 0; k < n_charsets; k++)
        fprintf(out, "    {charset%zu, %zu},\n%s", k, charset_runs[k],
                k + 1 < n_charsets ? "" : "};\n");
    if (n_langsets)
        fputs("\nstatic const jm_cached_langset langsets[] = {\n", out);
    for (size_t k = 0; k < n_langsets; k++)
        fprintf(out, "    {langset%zu, %zu},\n%s", k, langset_langs[k],
                k + 1 < n_langsets ? "" : "};\n");
    fprintf(out,
            "\nconst jm_fontcache jm_fontcache_bundled = {\n"
            "    %d, %s, %zu, %s, %zu, %s, %zu,\n};\n",
            version, n_fonts ? "fonts" : "NULL", n_fonts, n_charsets ? "charsets" : "NULL",
            n_charsets, n_langsets ? "langsets" : "NULL", n_langsets);
    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0)
        die("cannot write %s", argv[1]);
    for (size_t k = 0; k < n_fonts; k++)
        FcPatternDestroy(fonts[k].pattern);
    for (size_t k = 0; k < n_charsets; k++)
        FcCharSetDestroy(charsets[k]);
    for (size_t k = 0; k < n_langsets; k++)
        FcLangSetDestroy(langsets[k]);
    return 0;
}
