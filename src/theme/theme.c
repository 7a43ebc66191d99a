/* Themes: built-in defaults, overridden by a theme file and by the model's `theme` object.
 * The JSON keys are the field names of jm_theme, found through one table. */
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "theme.h"
#include "util/diag.h"
#include "util/json_pos.h"
#include "util/json_type.h"
#include "util/util.h"

static jm_rgba hex(unsigned v)
{
    return (jm_rgba){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, 1};
}

jm_theme *jm_theme_new_default(void)
{
    jm_theme *t = jm_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->name = jm_strdup("default");
    t->font_family = jm_strdup("Inter, Noto Sans, Noto Sans Symbols2");
    if (!t->name || !t->font_family) {
        jm_theme_free(t);
        return NULL;
    }
    t->font_title = (jm_font_role){22, 600, false};
    t->font_subtitle = (jm_font_role){12, 400, false};
    t->font_stage = (jm_font_role){11.5, 600, false};
    t->font_lane = (jm_font_role){10, 600, false};
    t->font_card_title = (jm_font_role){9.5, 600, false};
    t->font_body = (jm_font_role){9, 400, false};
    t->font_small = (jm_font_role){8, 400, false};
    t->line_spacing = 1.0;
    t->max_lines = 12;

    t->background = hex(0xFFFFFF);
    t->text = hex(0x1F2937);
    t->text_muted = hex(0x4B5563);
    t->grid = hex(0xE2E8F0);
    t->lane_label_fill = hex(0xF1F5F9);
    t->lane_label_text = hex(0x334155);
    t->lane_alt_fill = hex(0xF8FAFC);
    t->card_fill = hex(0xFFFFFF);
    t->card_stroke = hex(0xB6C2D1);
    t->card_title = hex(0x0F172A);
    t->card_text = hex(0x475569);
    t->thought_fill = hex(0xEEF2FF);
    t->thought_stroke = hex(0xA5B4FC);
    t->pain = hex(0xB91C1C);
    t->pain_fill = hex(0xFEF2F2);
    t->opportunity = hex(0x047857);
    t->opportunity_fill = hex(0xECFDF5);
    t->metric_fill = hex(0xF8FAFC);
    t->emotion_neg = hex(0xDC2626);
    t->emotion_zero = hex(0xA3A3A3);
    t->emotion_pos = hex(0x16A34A);
    t->curve = hex(0x334155);
    t->curve_before = hex(0x7C8BA1); /* muted, yet 3:1 on white (WCAG 1.4.11) */
    t->guide = hex(0xCBD5E1);
    t->line_of_interaction = hex(0x64748B);
    t->moment_of_truth = hex(0xD97706);
    t->link = hex(0x1D4ED8);
    static const unsigned stages[JM_THEME_PALETTE] = {0xDBEAFE, 0xE0E7FF, 0xEDE9FE, 0xFCE7F3,
                                                      0xFFEDD5, 0xFEF9C3, 0xDCFCE7, 0xCFFAFE};
    /* Persona lines and chips: hues far from the sentiment red and green of the faces. */
    static const unsigned personas[JM_THEME_PALETTE] = {0x2563EB, 0xD97706, 0x7C3AED, 0x0891B2,
                                                        0xC026D3, 0x4B5563, 0x92400E, 0x1E3A8A};
    for (int i = 0; i < JM_THEME_PALETTE; i++) {
        t->stage_palette[i] = hex(stages[i]);
        t->persona_palette[i] = hex(personas[i]);
    }
    t->stage_text = hex(0x1E293B);

    t->margin = 28;
    t->gap = 8;
    t->padding = 8;
    t->card_width = 150;
    t->card_min_height = 36;
    t->radius = 6;
    t->lane_label_width = 132;
    t->stage_header_height = 34;
    t->emotion_height = 96;
    t->point_radius = 7;
    t->stroke_width = 0.75;
    t->curve_width = 2;
    t->icon_size = 14;
    t->header_gap = 18;
    return t;
}

static void src_free(jm_theme_src *s)
{
    jm_free(s->file);
    jm_free(s->path);
    memset(s, 0, sizeof *s);
}

static void fonts_free(jm_theme *t)
{
    for (size_t i = 0; i < t->n_fonts; i++)
        jm_free(t->fonts[i]);
    jm_free(t->fonts);
    t->fonts = NULL;
    t->n_fonts = 0;
}

void jm_theme_free(jm_theme *t)
{
    if (!t)
        return;
    jm_free(t->name);
    jm_free(t->font_family);
    jm_free(t->font_family_titles);
    jm_free(t->font_family_numbers);
    for (int i = 0; i < JM_FAMILY__COUNT; i++)
        src_free(&t->family_src[i]);
    fonts_free(t);
    jm_free(t->fonts_dir);
    src_free(&t->fonts_src);
    for (int i = 0; i < JM_THEME_KEYS; i++)
        src_free(&t->key_src[i]);
    jm_free(t);
}

/* *s a copy of itself (or NULL when it is NULL); false when out of memory. */
static bool dup_in_place(char **s) { return !*s || (*s = jm_strdup(*s)); }

static bool src_copy(jm_theme_src *s)
{
    bool ok = dup_in_place(&s->file);
    if (!dup_in_place(&s->path))
        ok = false;
    return ok;
}

jm_theme *jm_theme_copy(const jm_theme *src)
{
    jm_theme *t = jm_malloc(sizeof *t);
    if (!t)
        return NULL;
    *t = *src;
    /* Every pointer is copied below; until then none is the copy's to free. */
    char **fonts = t->fonts;
    size_t n_fonts = t->n_fonts;
    t->fonts = NULL;
    t->n_fonts = 0;
    /* Every copy is made, none skipped after a failure, so each field is the copy's own. */
    bool ok = dup_in_place(&t->name);
    ok = dup_in_place(&t->font_family) && ok;
    ok = dup_in_place(&t->font_family_titles) && ok;
    ok = dup_in_place(&t->font_family_numbers) && ok;
    ok = dup_in_place(&t->fonts_dir) && ok;
    ok = src_copy(&t->fonts_src) && ok;
    for (int i = 0; i < JM_FAMILY__COUNT; i++)
        ok = src_copy(&t->family_src[i]) && ok;
    for (int i = 0; i < JM_THEME_KEYS; i++)
        ok = src_copy(&t->key_src[i]) && ok;
    if (ok && n_fonts && (t->fonts = jm_calloc(n_fonts, sizeof *t->fonts)))
        for (; t->n_fonts < n_fonts && ok; t->n_fonts++)
            ok = (t->fonts[t->n_fonts] = jm_strdup(fonts[t->n_fonts])) != NULL;
    if (!ok || (n_fonts && !t->fonts)) {
        /* Pointers not yet copied still are src's: clear them before freeing. */
        jm_theme_free(t);
        return NULL;
    }
    return t;
}

const char *jm_theme_family(const jm_theme *t, int which)
{
    const char *f = which == JM_FAMILY_TITLES    ? t->font_family_titles
                    : which == JM_FAMILY_NUMBERS ? t->font_family_numbers
                                                 : NULL;
    return f ? f : t->font_family;
}

bool jm_rgba_parse(const char *s, jm_rgba *out)
{
    if (!s || s[0] != '#')
        return false;
    size_t n = strlen(s + 1);
    unsigned v[8];
    if (n != 3 && n != 6 && n != 8)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[1 + i];
        if (c >= '0' && c <= '9')
            v[i] = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v[i] = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v[i] = (unsigned)(c - 'A' + 10);
        else
            return false;
    }
    if (n == 3) {
        *out = (jm_rgba){v[0] * 17 / 255.0, v[1] * 17 / 255.0, v[2] * 17 / 255.0, 1};
        return true;
    }
    out->r = (v[0] * 16 + v[1]) / 255.0;
    out->g = (v[2] * 16 + v[3]) / 255.0;
    out->b = (v[4] * 16 + v[5]) / 255.0;
    out->a = n == 8 ? (v[6] * 16 + v[7]) / 255.0 : 1;
    return true;
}

jm_rgba jm_rgba_over(jm_rgba fg, jm_rgba bg)
{
    return (jm_rgba){fg.r * fg.a + bg.r * (1 - fg.a), fg.g * fg.a + bg.g * (1 - fg.a),
                     fg.b * fg.a + bg.b * (1 - fg.a), 1};
}

static double luminance(jm_rgba c)
{
    double ch[3] = {c.r, c.g, c.b};
    for (int i = 0; i < 3; i++)
        ch[i] = ch[i] <= 0.04045 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

double jm_contrast_ratio(jm_rgba a, jm_rgba b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* ---- JSON overrides ----------------------------------------------------------------------- */

typedef enum { T_COLOR, T_NUMBER, T_INT, T_BOOL, T_FONT, T_STRING, T_PALETTE, T_FONTS } field_type;

typedef struct {
    const char *key;
    field_type type;
    size_t offset;
    double min, max; /* numbers */
} field;

#define F(name, type, lo, hi)                                                                      \
    {                                                                                              \
#name, type, offsetof(jm_theme, name), lo, hi                                              \
    }
static const field fields[] = {
    F(name, T_STRING, 0, 0),
    F(font_family, T_STRING, 0, 0),
    F(font_family_titles, T_STRING, 0, 0),
    F(font_family_numbers, T_STRING, 0, 0),
    F(fonts, T_FONTS, 0, 0),
    F(font_title, T_FONT, 0, 0),
    F(font_subtitle, T_FONT, 0, 0),
    F(font_stage, T_FONT, 0, 0),
    F(font_lane, T_FONT, 0, 0),
    F(font_card_title, T_FONT, 0, 0),
    F(font_body, T_FONT, 0, 0),
    F(font_small, T_FONT, 0, 0),
    F(line_spacing, T_NUMBER, 0.8, 3),
    F(max_lines, T_INT, 1, 200),
    F(background, T_COLOR, 0, 0),
    F(text, T_COLOR, 0, 0),
    F(text_muted, T_COLOR, 0, 0),
    F(grid, T_COLOR, 0, 0),
    F(lane_label_fill, T_COLOR, 0, 0),
    F(lane_label_text, T_COLOR, 0, 0),
    F(lane_alt_fill, T_COLOR, 0, 0),
    F(card_fill, T_COLOR, 0, 0),
    F(card_stroke, T_COLOR, 0, 0),
    F(card_title, T_COLOR, 0, 0),
    F(card_text, T_COLOR, 0, 0),
    F(thought_fill, T_COLOR, 0, 0),
    F(thought_stroke, T_COLOR, 0, 0),
    F(pain, T_COLOR, 0, 0),
    F(pain_fill, T_COLOR, 0, 0),
    F(opportunity, T_COLOR, 0, 0),
    F(opportunity_fill, T_COLOR, 0, 0),
    F(metric_fill, T_COLOR, 0, 0),
    F(emotion_neg, T_COLOR, 0, 0),
    F(emotion_zero, T_COLOR, 0, 0),
    F(emotion_pos, T_COLOR, 0, 0),
    F(curve, T_COLOR, 0, 0),
    F(curve_before, T_COLOR, 0, 0),
    F(guide, T_COLOR, 0, 0),
    F(line_of_interaction, T_COLOR, 0, 0),
    F(moment_of_truth, T_COLOR, 0, 0),
    F(link, T_COLOR, 0, 0),
    F(stage_palette, T_PALETTE, 0, 0),
    F(stage_text, T_COLOR, 0, 0),
    F(persona_palette, T_PALETTE, 0, 0),
    F(monochrome, T_BOOL, 0, 0),
    F(margin, T_NUMBER, 0, 500),
    F(gap, T_NUMBER, 1, 100),
    F(padding, T_NUMBER, 1, 100),
    F(card_width, T_NUMBER, 60, 1000),
    F(card_min_height, T_NUMBER, 10, 1000),
    F(radius, T_NUMBER, 0, 50),
    F(lane_label_width, T_NUMBER, 40, 1000),
    F(stage_header_height, T_NUMBER, 10, 300),
    F(emotion_height, T_NUMBER, 20, 1000),
    F(point_radius, T_NUMBER, 2, 40),
    F(stroke_width, T_NUMBER, 0.1, 10),
    F(curve_width, T_NUMBER, 0.1, 20),
    F(icon_size, T_NUMBER, 4, 100),
    F(header_gap, T_NUMBER, 0, 500),
};
#undef F
#define N_FIELDS (sizeof fields / sizeof fields[0])
_Static_assert(N_FIELDS <= JM_THEME_KEYS, "jm_theme.key_src has a place for every key");

typedef struct {
    const char *file;
    jm_json_pos *pos;
    jm_diags *diags;
    int errors;
} apply_ctx;

static void report(apply_ctx *a, jm_severity sev, const char *path, bool key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void report(apply_ctx *a, jm_severity sev, const char *path, bool key, const char *fmt, ...)
{
    int line = 0, col = 0;
    if (a->pos) {
        if (key)
            jm_json_pos_find_key(a->pos, path, &line, &col);
        else
            jm_json_pos_find(a->pos, path, &line, &col);
    }
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(a->diags, sev, a->file, line, col, path, fmt, ap);
    va_end(ap);
    if (sev == JM_SEVERITY_ERROR)
        a->errors++;
}

static void apply_color(apply_ctx *a, const char *path, json_t *v, jm_rgba *out)
{
    if (!json_is_string(v) || !jm_rgba_parse(json_string_value(v), out))
        report(a, JM_SEVERITY_ERROR, path, false,
               "expected a colour \"#rrggbb\" or \"#rrggbbaa\", got %s%s%s%s",
               json_is_string(v) ? "\"" : "",
               json_is_string(v) ? json_string_value(v) : jm_json_type_name(v),
               json_is_string(v) ? "\"" : "", "");
}

static void apply_number(apply_ctx *a, const char *path, json_t *v, const field *f, double *out)
{
    if (!json_is_number(v)) {
        report(a, JM_SEVERITY_ERROR, path, false, "expected a number, got %s",
               jm_json_type_name(v));
        return;
    }
    double d = json_number_value(v);
    if (!(d >= f->min && d <= f->max)) {
        report(a, JM_SEVERITY_ERROR, path, false, "expected a number from %g to %g, got %g", f->min,
               f->max, d);
        return;
    }
    *out = d;
}

static void apply_font(apply_ctx *a, const char *path, json_t *v, jm_font_role *out)
{
    if (!json_is_object(v)) {
        report(a, JM_SEVERITY_ERROR, path, false,
               "expected an object {\"size\": N, \"weight\": 400|600, \"italic\": bool}, got %s",
               jm_json_type_name(v));
        return;
    }
    const char *k;
    json_t *m;
    json_object_foreach(v, k, m)
    {
        char *p = jm_asprintf("%s/%s", path, k);
        if (!p)
            continue;
        if (strcmp(k, "size") == 0) {
            if (!json_is_number(m) || json_number_value(m) < 4 || json_number_value(m) > 200)
                report(a, JM_SEVERITY_ERROR, p, false, "expected a font size from 4 to 200 pt");
            else
                out->size = json_number_value(m);
        } else if (strcmp(k, "weight") == 0) {
            if (!json_is_integer(m) || json_integer_value(m) < 100 || json_integer_value(m) > 900)
                report(a, JM_SEVERITY_ERROR, p, false, "expected a font weight from 100 to 900");
            else
                out->weight = (int)json_integer_value(m);
        } else if (strcmp(k, "italic") == 0) {
            if (!json_is_boolean(m))
                report(a, JM_SEVERITY_ERROR, p, false, "expected true or false");
            else
                out->italic = json_is_true(m);
        } else {
            static const char *const keys[] = {"size", "weight", "italic"};
            const char *hint = jm_did_you_mean(k, keys, 3);
            report(a, JM_SEVERITY_WARNING, p, true, "unknown key \"%s\"%s%s%s", k,
                   hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
        }
        jm_free(p);
    }
}

/* Remembers where key at path was written (src's old value replaced). */
static void note_src(apply_ctx *a, jm_theme_src *src, const char *path)
{
    jm_free(src->file);
    jm_free(src->path);
    src->file = a->file ? jm_strdup(a->file) : NULL;
    src->path = jm_strdup(path);
    src->line = src->col = 0;
    if (a->pos)
        jm_json_pos_find(a->pos, path, &src->line, &src->col);
}

/* "fonts": an array of font files and folders (each a non-empty string). */
static void apply_fonts(apply_ctx *a, jm_theme *t, const char *path, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) > 64) {
        report(a, JM_SEVERITY_ERROR, path, false,
               "expected an array of at most 64 font files and folders, got %s",
               jm_json_type_name(v));
        return;
    }
    size_t n = json_array_size(v), bad = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e) || json_string_length(e) == 0 || json_string_length(e) > 4000 ||
            strlen(json_string_value(e)) != json_string_length(e)) {
            char *p = jm_asprintf("%s/%zu", path, i);
            report(a, JM_SEVERITY_ERROR, p ? p : path, false,
                   "expected the path of a font file (.ttf, .otf, .ttc) or of a folder of them");
            jm_free(p);
            bad++;
        }
    }
    if (bad)
        return;
    char **fonts = n ? jm_calloc(n, sizeof *fonts) : NULL;
    size_t k = 0;
    for (; fonts && k < n; k++)
        if (!(fonts[k] = jm_strdup(json_string_value(json_array_get(v, k)))))
            break;
    if (n && k < n) {
        for (size_t i = 0; fonts && i < k; i++)
            jm_free(fonts[i]);
        jm_free(fonts);
        report(a, JM_SEVERITY_ERROR, path, false, "out of memory");
        return;
    }
    fonts_free(t);
    t->fonts = fonts;
    t->n_fonts = n;
    note_src(a, &t->fonts_src, path);
}

static void apply_field(apply_ctx *a, jm_theme *t, const field *f, const char *path, json_t *v)
{
    void *dst = (char *)t + f->offset;
    note_src(a, &t->key_src[f - fields], path);
    if (dst == &t->font_family || dst == &t->font_family_titles || dst == &t->font_family_numbers)
        note_src(a,
                 &t->family_src[dst == &t->font_family_titles    ? JM_FAMILY_TITLES
                                : dst == &t->font_family_numbers ? JM_FAMILY_NUMBERS
                                                                 : JM_FAMILY_TEXT],
                 path);
    switch (f->type) {
    case T_FONTS: apply_fonts(a, t, path, v); break;
    case T_COLOR: apply_color(a, path, v, dst); break;
    case T_NUMBER: apply_number(a, path, v, f, dst); break;
    case T_INT: {
        double d = 0;
        if (!json_is_integer(v)) {
            report(a, JM_SEVERITY_ERROR, path, false, "expected a whole number, got %s",
                   jm_json_type_name(v));
            break;
        }
        apply_number(a, path, v, f, &d);
        *(int *)dst = (int)d;
        break;
    }
    case T_BOOL:
        if (!json_is_boolean(v))
            report(a, JM_SEVERITY_ERROR, path, false, "expected true or false, got %s",
                   jm_json_type_name(v));
        else
            *(bool *)dst = json_is_true(v);
        break;
    case T_FONT: apply_font(a, path, v, dst); break;
    case T_STRING: {
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 200) {
            report(a, JM_SEVERITY_ERROR, path, false, "expected a non-empty string");
            break;
        }
        uint32_t cp;
        if (!jm_text_allowed(json_string_value(v), json_string_length(v), NULL, &cp)) {
            report(a, JM_SEVERITY_ERROR, path, false, "U+%04X is not allowed in text (%s)",
                   (unsigned)cp, jm_text_refused_kind(cp));
            break;
        }
        char *s = jm_strdup(json_string_value(v));
        if (!s) {
            report(a, JM_SEVERITY_ERROR, path, false, "out of memory");
            break;
        }
        jm_free(*(char **)dst);
        *(char **)dst = s;
        break;
    }
    case T_PALETTE: {
        if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > JM_THEME_PALETTE) {
            report(a, JM_SEVERITY_ERROR, path, false, "expected an array of 1 to %d colours",
                   JM_THEME_PALETTE);
            break;
        }
        jm_rgba *pal = dst;
        size_t n = json_array_size(v);
        for (size_t i = 0; i < JM_THEME_PALETTE; i++) {
            char *p = jm_asprintf("%s/%zu", path, i % n);
            if (p)
                apply_color(a, p, json_array_get(v, i % n), &pal[i]);
            jm_free(p);
            if (i >= n && a->errors)
                break;
        }
        break;
    }
    }
}

/* Resolves a JSON pointer inside doc (only object keys and array indexes, as we write them). */
static json_t *pointer_get(json_t *doc, const char *at)
{
    if (!*at)
        return doc;
    json_t *v = doc;
    const char *p = at;
    while (v && *p == '/') {
        const char *end = strchr(p + 1, '/');
        size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
        char key[256];
        if (n >= sizeof key)
            return NULL;
        memcpy(key, p + 1, n);
        key[n] = '\0';
        v = json_is_object(v)  ? json_object_get(v, key)
            : json_is_array(v) ? json_array_get(v, (size_t)strtoul(key, NULL, 10))
                               : NULL;
        p += 1 + n;
    }
    return v;
}

int jm_theme_apply_json(jm_theme *t, const char *file, const char *json, size_t len, const char *at,
                        jm_diags *diags)
{
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {
        json += 3;
        len -= 3;
    }
    json_error_t err;
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!doc) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, file, err.line, err.column, "", "%s", err.text);
        return -1;
    }
    apply_ctx a = {file, jm_json_pos_new(json, len), diags, 0};
    json_t *obj = pointer_get(doc, at);
    if (!json_is_object(obj)) {
        report(&a, JM_SEVERITY_ERROR, at, false, "expected a theme object, got %s",
               obj ? jm_json_type_name(obj) : "nothing");
    } else {
        const char *key;
        json_t *v;
        const char *names[N_FIELDS];
        for (size_t i = 0; i < N_FIELDS; i++)
            names[i] = fields[i].key;
        json_object_foreach(obj, key, v)
        {
            char *path = jm_asprintf("%s/%s", at, key);
            if (!path) {
                report(&a, JM_SEVERITY_ERROR, at, false, "out of memory");
                break;
            }
            size_t i = 0;
            while (i < N_FIELDS && strcmp(fields[i].key, key) != 0)
                i++;
            if (i < N_FIELDS) {
                apply_field(&a, t, &fields[i], path, v);
            } else if (strcmp(key, "$schema") != 0 && strcmp(key, "description") != 0) {
                const char *hint = jm_did_you_mean(key, names, N_FIELDS);
                report(&a, JM_SEVERITY_WARNING, path, true, "unknown theme key \"%s\"%s%s%s", key,
                       hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
            }
            jm_free(path);
        }
    }
    jm_json_pos_free(a.pos);
    json_decref(doc);
    return a.errors ? -1 : 0;
}

static long field_index(const char *key)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (strcmp(fields[i].key, key) == 0)
            return (long)i;
    return -1;
}

const jm_theme_src *jm_theme_key_src(const jm_theme *t, const char *key)
{
    long i = field_index(key);
    return i >= 0 && t->key_src[i].path ? &t->key_src[i] : NULL;
}

bool jm_theme_set_key_src(jm_theme *t, const char *key, const char *file, int line, int col,
                          const char *path)
{
    long i = field_index(key);
    if (i < 0)
        return false;
    jm_theme_src *s = &t->key_src[i];
    src_free(s);
    s->file = file ? jm_strdup(file) : NULL;
    s->path = jm_strdup(path);
    s->line = line;
    s->col = col;
    return s->path && (!file || s->file);
}

bool jm_theme_name_is_json(const char *name)
{
    size_t n = strlen(name);
    return n >= 5 && strcasecmp(name + n - 5, ".json") == 0;
}

bool jm_theme_name_is_file(const char *name)
{
    return strchr(name, '/') || jm_theme_name_is_json(name);
}

jm_theme *jm_theme_load(const char *data_dir, const char *name, jm_diags *diags)
{
    jm_theme *t = jm_theme_new_default();
    if (!t) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    if (!name || strcmp(name, "default") == 0)
        return t;
    char path[PATH_MAX];
    bool is_file = jm_theme_name_is_file(name);
    if (is_file) {
        snprintf(path, sizeof path, "%s", name);
    } else {
        for (const char *c = name; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
                goto unknown;
        snprintf(path, sizeof path, "%s/data/themes/%s.json", data_dir, name);
        FILE *probe = fopen(path, "rb");
        if (!probe)
            snprintf(path, sizeof path, "%s/themes/%s.json", data_dir, name);
        else
            fclose(probe);
    }
    char *data, *err;
    size_t len;
    if (jm_read_file(path, 1 << 20, &data, &len, &err) != 0) {
        if (is_file)
            jm_diag_add(diags, JM_SEVERITY_ERROR, name, 0, 0, NULL, "theme file: %s", err);
        jm_free(err);
        if (is_file) {
            jm_theme_free(t);
            return NULL;
        }
        goto unknown;
    }
    int rc = jm_theme_apply_json(t, is_file ? name : path, data, len, "", diags);
    jm_free(data);
    if (rc == 0 && t->n_fonts) { /* its fonts are relative to its folder */
        const char *slash = strrchr(path, '/');
        t->fonts_dir = slash ? jm_asprintf("%.*s", (int)(slash - path), path) : jm_strdup(".");
        if (slash == path) {
            jm_free(t->fonts_dir);
            t->fonts_dir = jm_strdup("/");
        }
        if (!t->fonts_dir)
            rc = -1;
    }
    if (rc != 0) {
        jm_theme_free(t);
        return NULL;
    }
    return t;
unknown:
    jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL,
                "unknown theme \"%s\" (themes: default, print, workshop; or a path to a .json "
                "theme file)",
                name);
    jm_theme_free(t);
    return NULL;
}
