/* The JSON loader's settings of the map (see load_json.h): the emotion scale, the state labels
 * and the theme (its file, colours and fonts), which the frame and the cards are read against. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "load_json.h"
#include "named_file.h"
#include "theme/theme.h"
#include "util/diag.h"

/* ---- Emotion scale ----------------------------------------------------------------------- */

static int by_label_value(const void *a, const void *b)
{
    double x = ((const jm_scale_label *)a)->value, y = ((const jm_scale_label *)b)->value;
    return (x > y) - (x < y);
}

void jm_jl_load_scale(loader *ld, const json_t *doc)
{
    static const char *const keys[] = {"min", "max", "labels"};
    jm_scale *sc = &ld->map->scale;
    size_t mark, m2;
    json_t *obj = jm_jl_member(ld, doc, "scale", OPTIONAL, &mark);
    if (!obj)
        return;
    sc->declared = true;
    jm_jl_set_src(ld, &sc->src);
    bool ok = jm_jl_expect(ld, obj, T_OBJECT);
    double min = 0, max = 0;
    if (ok) {
        ok = jm_jl_get_number(ld, obj, "min", REQUIRED, &min);
        ok = jm_jl_get_number(ld, obj, "max", REQUIRED, &max) && ok;
        if (ok && !(min < max)) {
            m2 = jm_jl_path_key(ld, "max");
            jm_jl_fail(ld, "the scale's max (%.10g) must be greater than its min (%.10g)", max,
                       min);
            jm_jl_path_pop(ld, m2);
            ok = false;
        }
    }
    /* A scale that is not valid lets every emotion pass, so that its own error is the one
     * shown. */
    sc->min = ok ? min : -JM_MAX_NUMBER;
    sc->max = ok ? max : JM_MAX_NUMBER;
    json_t *labels = ok ? jm_jl_member(ld, obj, "labels", OPTIONAL, &m2) : NULL;
    if (labels && jm_jl_expect(ld, labels, T_OBJECT)) {
        size_t n = json_object_size(labels);
        if (n > JM_SCALE_MAX_LABELS) {
            jm_jl_fail(ld, "too many labels: %zu (the limit is %d)", n, JM_SCALE_MAX_LABELS);
            n = 0;
        }
        sc->labels = n ? jm_calloc(n, sizeof *sc->labels) : NULL;
        if (n && !sc->labels)
            ld->oom = true;
        const char *key;
        json_t *v;
        json_object_foreach(labels, key, v)
        {
            if (!sc->labels)
                break;
            size_t m3 = jm_jl_path_key(ld, key);
            char *end;
            errno = 0;
            double value = strtod(key, &end);
            bool number = *key && *end == '\0' && errno == 0 && isfinite(value) &&
                          !strpbrk(key, " \t\n\rxXnNiI");
            bool dup = false;
            for (size_t i = 0; number && i < sc->n_labels; i++)
                dup |= sc->labels[i].value == value;
            if (!number)
                jm_jl_report(ld, JM_SEVERITY_ERROR, true,
                             "a label's key must be a value of the scale such as \"%.10g\", got "
                             "\"%s\"",
                             min, key);
            else if (value < min || value > max)
                jm_jl_report(ld, JM_SEVERITY_ERROR, true,
                             "the label's value %s is outside the scale (from %.10g to %.10g)", key,
                             min, max);
            else if (dup)
                jm_jl_report(ld, JM_SEVERITY_ERROR, true, "a second label for the value %.10g",
                             value);
            else {
                jm_scale_label *l = &sc->labels[sc->n_labels];
                if (jm_jl_string_value(ld, v, NONEMPTY, &l->text)) {
                    l->value = value == 0 ? 0 : value;
                    jm_jl_set_src(ld, &l->src);
                    sc->n_labels++;
                }
            }
            jm_jl_path_pop(ld, m3);
        }
        if (sc->n_labels)
            qsort(sc->labels, sc->n_labels, sizeof *sc->labels, by_label_value);
    }
    if (labels)
        jm_jl_path_pop(ld, m2);
    if (json_is_object(obj))
        CHECK_KEYS(ld, obj, keys);
    jm_jl_path_pop(ld, mark);
}

/* ---- States and theme -------------------------------------------------------------------- */

void jm_jl_load_states(loader *ld, const json_t *doc)
{
    static const char *const keys[] = {"before", "after"};
    static const char *const label_keys[] = {"label"};
    size_t mark;
    json_t *states = jm_jl_member(ld, doc, "states", OPTIONAL, &mark);
    if (!states)
        return;
    if (jm_jl_expect(ld, states, T_OBJECT)) {
        for (int k = 0; k < 2; k++) {
            size_t m;
            json_t *st = jm_jl_member(ld, states, keys[k], OPTIONAL, &m);
            if (!st)
                continue;
            if (jm_jl_expect(ld, st, T_OBJECT)) {
                jm_jl_get_string(ld, st, "label", OPTIONAL, &ld->map->state_label[k]);
                CHECK_KEYS(ld, st, label_keys);
            }
            jm_jl_path_pop(ld, m);
        }
        CHECK_KEYS(ld, states, keys);
    }
    jm_jl_path_pop(ld, mark);
}

/* A theme named by the model (the path is at "theme") is a built-in name, or a .json file
 * read now, once, like a photo (jm_named_file_read): a model from someone else must not make
 * us read other files, and `validate` catches a missing one. */
static void check_theme_file(loader *ld, const char *name)
{
    if (!jm_theme_name_is_file(name))
        return; /* a built-in theme's name; the renderer reports an unknown one */
    if (!jm_theme_name_is_json(name)) {
        jm_jl_fail(ld, "expected a theme name or a .json theme file, got \"%s\"", name);
        return;
    }
    char *err;
    ld->map->theme_file =
        jm_named_file_read(ld->map, name, "theme file", JM_MAX_THEME_FILE_BYTES, &err);
    if (!ld->map->theme_file && err)
        jm_jl_fail(ld, "%s", err);
    else if (!ld->map->theme_file)
        ld->oom = true;
    jm_free(err);
}

/* Whether data starts like a TrueType or OpenType font or collection. */
static bool is_font_data(const jm_named_file *f)
{
    static const char magic[][4] = {
        {0, 1, 0, 0}, {'O', 'T', 'T', 'O'}, {'t', 'r', 'u', 'e'}, {'t', 't', 'c', 'f'}};
    for (size_t i = 0; f->len >= 4 && i < sizeof magic / sizeof magic[0]; i++)
        if (memcmp(f->data, magic[i], 4) == 0)
            return true;
    return false;
}

/* Reads the font files and folders of a theme's "fonts" array, v, found at JSON pointer at of
 * file (whose positions pos has), each relative to the folder dir ("" for the input's own,
 * else relative to it): the same rule as a photo (jm_named_file_read). */
static void read_theme_fonts(loader *ld, const json_t *v, const char *file, const jm_json_pos *pos,
                             const char *at, const char *dir, bool from_theme_file)
{
    jm_map *map = ld->map;
    for (size_t i = 0; json_is_array(v) && i < json_array_size(v) && !ld->oom; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_string(e) || !json_string_length(e))
            continue; /* the theme's own check reports it */
        char *where = jm_asprintf("%s/%zu", at, i);
        char *spec = *dir ? jm_asprintf("%s/%s", dir, json_string_value(e))
                          : jm_strdup(json_string_value(e));
        if (json_string_value(e)[0] == '/' && spec) {
            jm_free(spec);
            spec = jm_strdup(json_string_value(e));
        }
        int line = 0, col = 0;
        if (where && pos)
            jm_json_pos_find(pos, where, &line, &col);
        char **specs = NULL, *err = NULL;
        int n = where && spec ? jm_named_font_specs(map, spec, &specs, &err) : -1;
        if (n < 0 && !err)
            ld->oom = true;
        if (n == 0)
            jm_diag_add(ld->diags, JM_SEVERITY_WARNING, file, line, col, where,
                        "font folder \"%s\" holds no .ttf, .otf or .ttc file", spec);
        for (int k = 0; k < n && !err && !ld->oom; k++) {
            const jm_named_file *f = NULL;
            if (map->n_fonts >= JM_MAX_FONTS)
                err = jm_asprintf("more than %d font files", JM_MAX_FONTS);
            else if (!(f = jm_named_file_read(map, specs[k], "font", JM_MAX_FONT_BYTES, &err)))
                ld->oom = !err;
            else if (!is_font_data(f))
                err = jm_asprintf("font \"%s\" is not a TrueType or OpenType font", specs[k]);
            else {
                struct jm_map_font *grown =
                    jm_realloc(map->fonts, (map->n_fonts + 1) * sizeof *grown);
                if (!grown)
                    ld->oom = true;
                else {
                    map->fonts = grown;
                    map->fonts[map->n_fonts++] = (struct jm_map_font){f, from_theme_file};
                }
            }
        }
        if (err)
            jm_diag_add(ld->diags, JM_SEVERITY_ERROR, file, line, col, where, "%s", err);
        for (int k = 0; k < n; k++)
            jm_free(specs[k]);
        jm_free(specs);
        jm_free(err);
        jm_free(spec);
        jm_free(where);
    }
}

/* The fonts a model's theme file names, relative to the theme file's folder. */
static void read_theme_file_fonts(loader *ld)
{
    const jm_named_file *f = ld->map->theme_file;
    json_t *doc = json_loadb((const char *)f->data, f->len, 0, NULL);
    json_t *fonts = json_is_object(doc) ? json_object_get(doc, "fonts") : NULL;
    if (fonts) { /* a broken theme file is reported when it is applied */
        jm_json_pos *pos = jm_json_pos_new((const char *)f->data, f->len);
        const char *name = ld->map->theme_name, *slash = strrchr(name, '/');
        char *dir = slash ? jm_asprintf("%.*s", (int)(slash - name), name) : jm_strdup("");
        if (!pos || !dir)
            ld->oom = true;
        else
            read_theme_fonts(ld, fonts, f->name, pos, "/fonts", slash == name ? "/" : dir, true);
        jm_free(dir);
        jm_json_pos_free(pos);
    }
    json_decref(doc);
}

/* "theme": a theme name, a .json theme file relative to the input, or an object of overrides
 * (validated now against a scratch theme, kept serialised for the renderer). */
void jm_jl_load_theme(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    size_t mark;
    json_t *v = jm_jl_member(ld, doc, "theme", OPTIONAL, &mark);
    if (!v)
        return;
    if (json_is_string(v)) {
        /* Kept as written, for messages and the model's JSON; a file's bytes are read now. */
        if (jm_jl_string_value(ld, v, NONEMPTY, &map->theme_name))
            check_theme_file(ld, map->theme_name);
        if (map->theme_file)
            read_theme_file_fonts(ld);
    } else if (json_is_object(v)) {
        jm_theme *scratch = jm_theme_new_default();
        if (!scratch) {
            ld->oom = true;
        } else {
            jm_theme_apply_json(scratch, ld->file, ld->text, ld->len, "/theme", ld->diags);
            for (int i = 0; i < 3; i++) /* where its families are, for the renderer */
                if (scratch->family_src[i].path) {
                    jm_model_src_set(&map->theme_family_src[i], scratch->family_src[i].path,
                                     scratch->family_src[i].line, scratch->family_src[i].col);
                    ld->oom |= !map->theme_family_src[i].path;
                }
            /* and where each of its keys is (a colour's contrast is reported there) */
            size_t n = 0;
            for (int i = 0; i < JM_THEME_KEYS; i++)
                n += scratch->key_src[i].path != NULL;
            if (n && !(map->theme_key_src = jm_calloc(n, sizeof *map->theme_key_src)))
                ld->oom = true;
            for (int i = 0; i < JM_THEME_KEYS && map->theme_key_src; i++)
                if (scratch->key_src[i].path) {
                    jm_src *s = &map->theme_key_src[map->n_theme_key_src++];
                    jm_model_src_set(s, scratch->key_src[i].path, scratch->key_src[i].line,
                                     scratch->key_src[i].col);
                    ld->oom |= !s->path;
                }
            jm_theme_free(scratch);
        }
        read_theme_fonts(ld, json_object_get(v, "fonts"), ld->file, ld->pos, "/theme/fonts", "",
                         false);
        char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
        map->theme_json = s ? jm_strdup(s) : NULL;
        json_free_t json_release; /* s is jansson's: freed by whatever allocator it has */
        json_get_alloc_funcs(NULL, &json_release);
        json_release(s);
        if (!map->theme_json)
            ld->oom = true;
    } else {
        jm_jl_fail(ld, "expected a theme name or an object of theme settings, got %s",
                   jm_json_type_name(v));
    }
    jm_jl_path_pop(ld, mark);
}
