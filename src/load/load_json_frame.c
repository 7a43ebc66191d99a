/* The JSON loader's frame of the map (see load_json.h): the header, personas, stages,
 * channels and lanes, and the lookups the cards use to resolve the ids they name. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load_json.h"
#include "model/channels.h"
#include "named_file.h"

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool valid_id(const char *s)
{
    for (; *s; s++)
        if (!is_alnum(*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

/* [A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})* */
static bool valid_lang(const char *s)
{
    size_t n = 0;
    while (s[n] && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
        n++;
    if (n < 2 || n > 8)
        return false;
    s += n;
    while (*s == '-') {
        s++;
        n = 0;
        while (s[n] && is_alnum(s[n]))
            n++;
        if (n < 1 || n > 8)
            return false;
        s += n;
    }
    return *s == '\0';
}

static bool valid_color(const char *s)
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 4 && n != 7))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!is_hex(s[i]))
            return false;
    return true;
}
static void get_color(loader *ld, const json_t *obj, char **out)
{
    if (!jm_jl_get_string(ld, obj, "color", OPTIONAL, out) || valid_color(*out))
        return;
    size_t mark = jm_jl_path_key(ld, "color");
    jm_jl_fail(ld, "expected a colour \"#rgb\" or \"#rrggbb\", got \"%s\"", *out);
    jm_jl_path_pop(ld, mark);
}

/* ---- Metrics ----------------------------------------------------------------------------- */

static void load_metric(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {"name", "value", "unit", "target", "better"};
    static const char *const better[] = {"higher", "lower"};
    jm_metric *m = (jm_metric *)items + i;
    jm_jl_set_src(ld, &m->src);
    jm_jl_get_string(ld, obj, "name", REQUIRED | NONEMPTY, &m->name);
    jm_jl_get_number(ld, obj, "value", REQUIRED, &m->value);
    jm_jl_get_string(ld, obj, "unit", OPTIONAL, &m->unit);
    m->has_target = jm_jl_get_number(ld, obj, "target", OPTIONAL, &m->target);
    int b = JM_BETTER_HIGHER;
    jm_jl_get_choice(ld, obj, "better", better, 2, &b);
    m->better = (jm_better)b;
    CHECK_KEYS(ld, obj, keys);
}

void jm_jl_get_metrics(loader *ld, const json_t *obj, jm_metrics *out)
{
    jm_jl_load_array(ld, obj, "metrics", OPTIONAL, JM_MAX_METRICS, (void **)&out->v, sizeof *out->v,
                     &out->n, load_metric);
}

/* ---- Header ------------------------------------------------------------------------------ */

void jm_jl_load_header(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    size_t mark;
    json_t *v = jm_jl_member(ld, doc, "journeymap", REQUIRED, &mark);
    if (v) {
        if (!json_is_integer(v))
            jm_jl_fail(ld, "expected the format version 1, got %s", jm_json_type_name(v));
        else if (json_integer_value(v) != 1)
            jm_jl_fail(ld,
                       "unsupported format version %" JSON_INTEGER_FORMAT
                       "; this journeymap reads version 1",
                       json_integer_value(v));
        jm_jl_path_pop(ld, mark);
    }
    jm_jl_get_string(ld, doc, "title", REQUIRED, &map->title);
    jm_jl_get_string(ld, doc, "subtitle", OPTIONAL, &map->subtitle);
    jm_jl_get_string(ld, doc, "description", OPTIONAL, &map->description);
    jm_jl_get_string(ld, doc, "footer", OPTIONAL, &map->footer);
    jm_jl_load_logo(ld, doc);
    if (jm_jl_get_string(ld, doc, "lang", OPTIONAL, &map->lang) && !valid_lang(map->lang)) {
        mark = jm_jl_path_key(ld, "lang");
        jm_jl_fail(ld, "expected a BCP 47 language tag such as \"en\" or \"ru-RU\", got \"%s\"",
                   map->lang);
        jm_jl_path_pop(ld, mark);
    }
    if (!map->lang)
        map->lang = jm_jl_dup_or_oom(ld, "en");
}

/* ---- Personas ---------------------------------------------------------------------------- */

/* demographics / psychographics: label → string or number, in key order. */
static void get_kv(loader *ld, const json_t *obj, const char *key, jm_kv **out, size_t *count)
{
    size_t mark;
    json_t *v = jm_jl_member(ld, obj, key, OPTIONAL, &mark);
    if (!v)
        return;
    if (!jm_jl_expect(ld, v, T_OBJECT)) {
        jm_jl_path_pop(ld, mark);
        return;
    }
    size_t n = json_object_size(v);
    if (n > JM_MAX_LIST) {
        jm_jl_fail(ld, "too many entries: %zu (the limit is %d)", n, JM_MAX_LIST);
        jm_jl_path_pop(ld, mark);
        return;
    }
    *out = jm_calloc(n ? n : 1, sizeof **out);
    if (!*out) {
        ld->oom = true;
        jm_jl_path_pop(ld, mark);
        return;
    }
    *count = n;
    size_t i = 0;
    const char *label;
    json_t *val;
    json_object_foreach(v, label, val)
    {
        jm_kv *kv = &(*out)[i++];
        size_t m = jm_jl_path_key(ld, label);
        if (strlen(label) > JM_MAX_STRING_BYTES) {
            jm_jl_report(ld, JM_SEVERITY_ERROR, true, "label too long: %zu bytes (the limit is %u)",
                         strlen(label), JM_MAX_STRING_BYTES);
        } else if (json_is_number(val)) {
            /* As written ("1.50" stays "1.50"), not as a double prints. */
            size_t start, end;
            kv->key = jm_jl_dup_or_oom(ld, label);
            if (jm_json_pos_find_span(ld->pos, jm_jl_cur_path(ld), &start, &end))
                kv->value = jm_strndup(ld->text + start, end - start);
            else
                kv->value = jm_asprintf("%.15g", json_number_value(val));
            if (!kv->value)
                ld->oom = true;
        } else if (json_is_string(val)) {
            kv->key = jm_jl_dup_or_oom(ld, label);
            jm_jl_string_value(ld, val, OPTIONAL, &kv->value);
        } else {
            jm_jl_fail(ld, "expected a string or a number, got %s", jm_json_type_name(val));
        }
        jm_jl_path_pop(ld, m);
    }
    jm_jl_path_pop(ld, mark);
}

static bool has_magic(const unsigned char *b, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    return (n >= 8 && memcmp(b, png, 8) == 0) ||
           (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF);
}

/* An SVG file (XML text naming an <svg> root near its start): told apart so that its message
 * can say what to do. */
static bool looks_like_svg(const unsigned char *d, size_t n)
{
    size_t k = 0;
    while (k < n && k < 3 && d[k] >= 0x80) /* a UTF-8 byte order mark */
        k++;
    while (k < n && (d[k] == ' ' || d[k] == '\t' || d[k] == '\r' || d[k] == '\n'))
        k++;
    if (k >= n || d[k] != '<')
        return false;
    size_t end = n < 4096 ? n : 4096;
    for (size_t i = k; i + 4 <= end; i++)
        if (memcmp(d + i, "<svg", 4) == 0)
            return true;
    return false;
}

/* A picture a model names (a persona's photo, a touchpoint's image; the path is at the current
 * JSON pointer), read once through the rule for every file a model names (jm_named_file_read):
 * a PNG or JPEG file inside the input's folder tree. NULL after reporting why. */
const jm_named_file *jm_jl_read_picture(loader *ld, const char *spec, const char *what)
{
    char *err;
    const jm_named_file *f = jm_named_file_read(ld->map, spec, what, JM_MAX_PHOTO_BYTES, &err);
    if (!f && err)
        jm_jl_fail(ld, "%s", err);
    else if (!f)
        ld->oom = true;
    else if (!has_magic(f->data, f->len) && looks_like_svg(f->data, f->len))
        jm_jl_fail(ld, "%s \"%s\" is an SVG: only PNG and JPEG are drawn (export it as PNG)", what,
                   spec),
            f = NULL;
    else if (!has_magic(f->data, f->len))
        jm_jl_fail(ld, "%s \"%s\" is not a PNG or JPEG image", what, spec), f = NULL;
    jm_free(err);
    return f;
}

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* A PNG's or JPEG's stored size from its header (the layout sizes a logo's frame by it);
 * false when the header does not read. A JPEG's Exif turn is not applied. */
static bool picture_size(const unsigned char *d, size_t n, int *w, int *h)
{
    if (n >= 24 && d[0] == 0x89) { /* PNG: IHDR first, width and height big-endian */
        unsigned long pw = (unsigned long)be16(d + 16) << 16 | be16(d + 18);
        unsigned long ph = (unsigned long)be16(d + 20) << 16 | be16(d + 22);
        if (pw == 0 || ph == 0 || pw > 1000000 || ph > 1000000)
            return false;
        *w = (int)pw, *h = (int)ph;
        return true;
    }
    for (size_t i = 2; i + 9 < n;) { /* JPEG: the segments up to the first start of frame */
        if (d[i] != 0xFF)
            return false;
        unsigned m = d[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD9)) {
            i += 2;
            continue;
        }
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            *h = (int)be16(d + i + 5), *w = (int)be16(d + i + 7);
            return *w > 0 && *h > 0;
        }
        i += 2 + be16(d + i + 2);
    }
    return false;
}

/* "logo": a PNG or JPEG for the header (an SVG logo is refused: drawing it would take an SVG
 * renderer, librsvg, a large attack surface for a file from someone else). */
void jm_jl_load_logo(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    jm_jl_get_string(ld, doc, "logo_alt", OPTIONAL, &map->logo_alt);
    if (!jm_jl_get_string(ld, doc, "logo", NONEMPTY, &map->logo_spec))
        return;
    size_t mark = jm_jl_path_key(ld, "logo");
    const jm_named_file *f = jm_jl_read_picture(ld, map->logo_spec, "logo");
    if (f && !picture_size(f->data, f->len, &map->logo_w, &map->logo_h))
        jm_jl_fail(ld, "logo \"%s\" is damaged: its size cannot be read", map->logo_spec);
    else
        map->logo = f;
    jm_jl_path_pop(ld, mark);
}

/* Reads the photo (the path is at "photo") once, through the rule for every file a model names
 * (jm_named_file_read): a PNG or JPEG file inside the input's folder tree. */
static void check_photo(loader *ld, jm_persona *p)
{
    p->photo = jm_jl_read_picture(ld, p->photo_spec, "photo");
}

static void load_persona(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {"id",          "name",         "photo",          "quote",
                                       "description", "demographics", "psychographics", "goals",
                                       "needs",       "frustrations", "color"};
    jm_map *map = ld->map;
    jm_persona *p = (jm_persona *)items + i;
    jm_jl_set_src(ld, &p->src);
    if (map->n_personas > 1 && !json_object_get(obj, "id"))
        jm_jl_fail(ld, "missing required key \"id\" (needed when there is more than one persona)");
    if (jm_jl_get_string(ld, obj, "id", map->n_personas > 1 ? NONEMPTY : OPTIONAL, &p->id)) {
        long first = jm_strmap_get(&ld->persona_ids, p->id);
        if (first >= 0) {
            size_t mark = jm_jl_path_key(ld, "id");
            jm_jl_fail(ld, "duplicate persona id \"%s\" (first defined at line %d)", p->id,
                       map->personas[first].src.line);
            jm_jl_path_pop(ld, mark);
        } else if (*p->id && !jm_strmap_put(&ld->persona_ids, p->id, i)) {
            ld->oom = true;
        }
    }
    if (!p->id)
        p->id = jm_jl_dup_or_oom(ld, "");
    jm_jl_get_string(ld, obj, "name", REQUIRED | NONEMPTY, &p->name);
    if (jm_jl_get_string(ld, obj, "photo", NONEMPTY, &p->photo_spec)) {
        size_t mark = jm_jl_path_key(ld, "photo");
        check_photo(ld, p);
        jm_jl_path_pop(ld, mark);
    }
    jm_jl_get_string(ld, obj, "quote", OPTIONAL, &p->quote);
    jm_jl_get_string(ld, obj, "description", OPTIONAL, &p->description);
    get_kv(ld, obj, "demographics", &p->demographics, &p->n_demographics);
    get_kv(ld, obj, "psychographics", &p->psychographics, &p->n_psychographics);
    jm_jl_get_strlist(ld, obj, "goals", false, &p->goals);
    jm_jl_get_strlist(ld, obj, "needs", false, &p->needs);
    jm_jl_get_strlist(ld, obj, "frustrations", false, &p->frustrations);
    get_color(ld, obj, &p->color);
    CHECK_KEYS(ld, obj, keys);
}

void jm_jl_load_personas(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    json_t *one = json_object_get(doc, "persona");
    if (!one) {
        jm_jl_load_array(ld, doc, "personas", OPTIONAL, JM_MAX_PERSONAS, (void **)&map->personas,
                         sizeof *map->personas, &map->n_personas, load_persona);
        return;
    }
    size_t mark = jm_jl_path_key(ld, "persona");
    if (json_object_get(doc, "personas")) {
        jm_jl_fail(ld, "give either \"persona\" or \"personas\", not both");
    } else if (jm_jl_expect(ld, one, T_OBJECT)) {
        map->personas = jm_calloc(1, sizeof *map->personas);
        if (!map->personas) {
            ld->oom = true;
        } else {
            map->n_personas = 1;
            load_persona(ld, one, map->personas, 0);
        }
    }
    jm_jl_path_pop(ld, mark);
}

/* A persona id named at the current path (its value, or its key when at_key); reports an
 * unknown one. -1 when unknown. */
long jm_jl_resolve_persona(loader *ld, const char *id, bool at_key)
{
    long i = jm_strmap_get(&ld->persona_ids, id);
    if (i >= 0)
        return i;
    if (!ld->persona_ids.n) {
        jm_jl_report(ld, JM_SEVERITY_ERROR, at_key, "unknown persona \"%s\" (%s)", id,
                     ld->map->n_personas ? "no persona has an id" : "the map has no personas");
        return -1;
    }
    const char **ids = jm_strmap_keys(&ld->persona_ids);
    if (!ids)
        ld->oom = true;
    jm_jl_fail_unknown(ld, at_key, "persona", id, ids, ids ? ld->persona_ids.n : 0, "personas");
    jm_free(ids);
    return -1;
}

/* ---- Stages ------------------------------------------------------------------------------ */

static void load_stage(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {"id", "name", "description", "goal", "questions", "metrics"};
    jm_stage *s = (jm_stage *)items + i;
    jm_jl_set_src(ld, &s->src);
    if (jm_jl_get_string(ld, obj, "id", REQUIRED | NONEMPTY, &s->id)) {
        size_t mark = jm_jl_path_key(ld, "id");
        long first = jm_strmap_get(&ld->stage_ids, s->id);
        if (!valid_id(s->id))
            jm_jl_fail(ld, "invalid stage id \"%s\": use only letters, digits, \"_\" and \"-\"",
                       s->id);
        else if (first >= 0)
            jm_jl_fail(ld, "duplicate stage id \"%s\" (first defined at line %d)", s->id,
                       ld->map->stages[first].src.line);
        else if (!jm_strmap_put(&ld->stage_ids, s->id, i))
            ld->oom = true;
        jm_jl_path_pop(ld, mark);
    }
    jm_jl_get_string(ld, obj, "name", REQUIRED | NONEMPTY, &s->name);
    jm_jl_get_string(ld, obj, "description", OPTIONAL, &s->description);
    jm_jl_get_string(ld, obj, "goal", OPTIONAL, &s->goal);
    jm_jl_get_strlist(ld, obj, "questions", true, &s->questions);
    jm_jl_get_metrics(ld, obj, &s->metrics);
    CHECK_KEYS(ld, obj, keys);
}

void jm_jl_load_stages(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    json_t *arr =
        jm_jl_load_array(ld, doc, "stages", REQUIRED, JM_MAX_STAGES, (void **)&map->stages,
                         sizeof *map->stages, &map->n_stages, load_stage);
    if (arr && json_array_size(arr) == 0) {
        size_t mark = jm_jl_path_key(ld, "stages");
        jm_jl_fail(ld, "the stage list is empty: a map needs at least one stage");
        jm_jl_path_pop(ld, mark);
    }
}

/* A stage id at the current path; reports an unknown one. -1 when unknown. */
long jm_jl_resolve_stage(loader *ld, const char *id)
{
    long i = jm_strmap_get(&ld->stage_ids, id);
    if (i >= 0 || !ld->map->n_stages) /* no stages: reported once already */
        return i;
    const char **ids = jm_strmap_keys(&ld->stage_ids);
    if (!ids)
        ld->oom = true;
    jm_jl_fail_unknown(ld, false, "stage", id, ids, ids ? ld->stage_ids.n : 0, "stages");
    jm_free(ids);
    return -1;
}

/* ---- Channels ---------------------------------------------------------------------------- */

static const char *const kind_names[] = {"online", "offline", "product", "other"};

static bool builtin_icon(const char *icon, const char **hint)
{
    size_t n;
    const jm_builtin_channel *cat = jm_builtin_channels(&n);
    const char *icons[64];
    for (size_t i = 0; i < n && i < 64; i++) {
        if (strcmp(cat[i].icon, icon) == 0)
            return true;
        icons[i] = cat[i].icon;
    }
    *hint = jm_did_you_mean(icon, icons, n < 64 ? n : 64);
    return false;
}

static void load_channel(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {"id", "name", "kind", "icon", "color"};
    jm_channel *c = (jm_channel *)items + i;
    jm_jl_set_src(ld, &c->src);
    c->declared = true;
    c->kind = JM_KIND_OTHER;
    const jm_builtin_channel *b = NULL;
    if (jm_jl_get_string(ld, obj, "id", REQUIRED | NONEMPTY, &c->id)) {
        long first = jm_strmap_get(&ld->channel_ids, c->id);
        if (first >= 0) {
            size_t mark = jm_jl_path_key(ld, "id");
            jm_jl_fail(ld, "duplicate channel id \"%s\" (first defined at line %d)", c->id,
                       ld->map->channels[first].src.line);
            jm_jl_path_pop(ld, mark);
        } else if (!jm_strmap_put(&ld->channel_ids, c->id, i)) {
            ld->oom = true;
        }
        b = jm_builtin_channel_find(c->id);
    }
    if (b) {
        c->builtin = true;
        c->kind = b->kind;
    }
    jm_jl_get_string(ld, obj, "name", NONEMPTY, &c->name);
    if (!c->name && c->id)
        c->name = jm_jl_dup_or_oom(ld, b ? b->name : c->id);
    int kind = (int)c->kind;
    jm_jl_get_choice(ld, obj, "kind", kind_names, 4, &kind);
    c->kind = (jm_channel_kind)kind;
    if (jm_jl_get_string(ld, obj, "icon", OPTIONAL, &c->icon)) {
        const char *hint = NULL;
        if (!builtin_icon(c->icon, &hint)) {
            size_t mark = jm_jl_path_key(ld, "icon");
            jm_jl_report(ld, JM_SEVERITY_WARNING, false,
                         "unknown icon \"%s\"%s%s%s; drawn without one", c->icon,
                         hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
            jm_jl_path_pop(ld, mark);
            jm_free(c->icon);
            c->icon = NULL;
        }
    } else if (b) {
        c->icon = jm_jl_dup_or_oom(ld, b->icon);
    }
    get_color(ld, obj, &c->color);
    CHECK_KEYS(ld, obj, keys);
}

void jm_jl_load_channels(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    jm_jl_load_array(ld, doc, "channels", OPTIONAL, JM_MAX_CHANNELS, (void **)&map->channels,
                     sizeof *map->channels, &map->n_channels, load_channel);
    /* A declared built-in also answers to its canonical id ("web" declared, "website" used). */
    for (size_t i = 0; i < map->n_channels; i++) {
        const jm_builtin_channel *b =
            map->channels[i].id ? jm_builtin_channel_find(map->channels[i].id) : NULL;
        if (b && jm_strmap_get(&ld->channel_ids, b->id) < 0 &&
            !jm_strmap_put(&ld->channel_ids, b->id, i))
            ld->oom = true;
    }
    ld->build = jm_builder_for(map); /* touchpoints may name channels not declared */
}

/* Warns about an unknown channel used at the current path. */
static void warn_unknown_channel(loader *ld, const char *id)
{
    jm_map *map = ld->map;
    size_t n_cat;
    const jm_builtin_channel *cat = jm_builtin_channels(&n_cat);
    /* Candidates: the catalogue's ids and aliases, then the declared ids. */
    jm_buf aliases = {0};
    for (size_t i = 0; i < n_cat; i++) {
        jm_buf_puts(&aliases, cat[i].aliases);
        jm_buf_append(&aliases, " ", 1);
    }
    char *words = jm_buf_take(&aliases);
    size_t n_words = 0;
    for (const char *p = words ? words : ""; *p; p++)
        n_words += *p == ' ';
    const char **names = jm_calloc(n_cat + n_words + map->n_channels + 1, sizeof *names);
    if (!names || !words) {
        jm_free(words);
        jm_free(names);
        ld->oom = true;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < n_cat; i++)
        names[n++] = cat[i].id;
    for (char *p = words, *space; (space = strchr(p, ' ')); p = space + 1) {
        *space = '\0';
        if (*p)
            names[n++] = p;
    }
    for (size_t i = 0; i < map->n_channels; i++)
        if (map->channels[i].declared && map->channels[i].id)
            names[n++] = map->channels[i].id;
    const char *hint = jm_did_you_mean(id, names, n);
    if (hint)
        jm_jl_report(ld, JM_SEVERITY_WARNING, false,
                     "unknown channel \"%s\" (did you mean \"%s\"?)", id, hint);
    else
        jm_jl_report(ld, JM_SEVERITY_WARNING, false,
                     "unknown channel \"%s\"; declare it in \"channels\" to name it", id);
    jm_free(names);
    jm_free(words);
}

/* The channel index for a touchpoint's channel id (at the current path): a declared channel,
 * else a built-in or unknown one appended on first use. -1 on failure. */
long jm_jl_resolve_channel(loader *ld, const char *id)
{
    jm_map *map = ld->map;
    long i = jm_strmap_get(&ld->channel_ids, id);
    const jm_builtin_channel *b = i < 0 ? jm_builtin_channel_find(id) : NULL;
    if (b)
        i = jm_strmap_get(&ld->channel_ids, b->id);
    if (i >= 0)
        return i;
    if (jm_build_full(&ld->build, JM_LIST_CHANNELS)) {
        if (!ld->channel_limit_reported)
            jm_jl_fail(ld, "too many channels (the limit is %d)", JM_MAX_CHANNELS);
        ld->channel_limit_reported = true;
        return -1;
    }
    if (!b)
        warn_unknown_channel(ld, id);
    jm_channel *c = jm_build_channel(&ld->build, b ? b->id : id, b ? b->name : id, b);
    if (!c) {
        ld->oom = true;
        return -1;
    }
    c->unknown = b == NULL;
    if (b)
        jm_model_src_set(&c->src, "", 0, 0);
    else
        jm_jl_set_src(ld, &c->src); /* the first use, so later stages can point at it */
    if (!c->src.path)
        ld->oom = true;
    if (!jm_strmap_put(&ld->channel_ids, c->id, map->n_channels - 1))
        ld->oom = true;
    return (long)map->n_channels - 1;
}

/* ---- Lanes ------------------------------------------------------------------------------- */

/* Canonical lanes that hold items (the others are drawn from stages, touchpoints, emotions). */
bool jm_jl_item_lane(int t) { return t >= 0 && jm_lane_info_of((jm_lane_type)t)->takes_items; }

long jm_jl_find_lane(const jm_lane *lanes, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (lanes[i].id && strcmp(lanes[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* Reports an unknown lane id with a hint over the canonical and the declared custom lanes. */
void jm_jl_fail_unknown_lane(loader *ld, const char *id, bool items_only)
{
    const jm_map *map = ld->map;
    const char **names = jm_calloc(JM_LANE__COUNT + map->n_custom_lanes, sizeof *names);
    if (!names) {
        ld->oom = true;
        return;
    }
    size_t n = 0;
    for (int t = 0; t < JM_LANE_CUSTOM; t++)
        if (!items_only || jm_jl_item_lane(t))
            names[n++] = jm_lane_type_id((jm_lane_type)t);
    for (size_t i = 0; i < map->n_custom_lanes; i++)
        names[n++] = map->custom_lanes[i].id;
    jm_jl_fail_unknown(ld, false, "lane", id, names, n, "lanes");
    jm_free(names);
}

/* One entry of "lanes" (path at it): a lane id, or {"id", "name"} renaming a canonical lane or
 * declaring a custom item lane. */
static void load_lane(loader *ld, const json_t *v)
{
    static const char *const keys[] = {"id", "name"};
    jm_map *map = ld->map;
    jm_lane lane = {0};
    if (json_is_object(v)) {
        jm_jl_get_string(ld, v, "id", REQUIRED | NONEMPTY, &lane.id);
        jm_jl_get_string(ld, v, "name", OPTIONAL, &lane.name);
        CHECK_KEYS(ld, v, keys);
    } else if (json_is_string(v)) {
        jm_jl_string_value(ld, v, NONEMPTY, &lane.id);
    } else {
        jm_jl_fail(ld, "expected a lane id or an {\"id\", \"name\"} object, got %s",
                   jm_json_type_name(v));
    }
    if (!lane.id)
        goto done;
    int t = jm_lane_type_from_id(lane.id);
    if (jm_jl_find_lane(map->lanes, map->n_lanes, lane.id) >= 0) {
        jm_jl_fail(ld, "lane \"%s\" is listed twice", lane.id);
        goto done;
    }
    if (t < 0 && !json_is_object(v)) {
        jm_jl_fail_unknown_lane(ld, lane.id, false);
        goto done;
    }
    lane.type = t < 0 ? JM_LANE_CUSTOM : (jm_lane_type)t;
    jm_jl_set_src(ld, &lane.src);
    if (lane.type == JM_LANE_CUSTOM) {
        jm_lane copy = {{NULL, lane.src.line, lane.src.col}, JM_LANE_CUSTOM, NULL, NULL};
        copy.src.path = jm_strdup(lane.src.path);
        copy.id = jm_strdup(lane.id);
        copy.name = jm_strdup(lane.name);
        size_t cap = map->n_custom_lanes;
        if (!copy.src.path || !copy.id || (lane.name && !copy.name) ||
            !JM_PUSH(map->custom_lanes, map->n_custom_lanes, cap, copy)) {
            jm_free(copy.src.path);
            jm_free(copy.id);
            jm_free(copy.name);
            ld->oom = true;
        }
    }
    map->lanes[map->n_lanes++] = lane; /* lanes has a slot per entry of the array */
    return;
done:
    jm_free(lane.src.path);
    jm_free(lane.id);
    jm_free(lane.name);
}

void jm_jl_load_lanes(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    size_t mark;
    json_t *arr = jm_jl_get_array(ld, doc, "lanes", OPTIONAL, JM_MAX_LIST, &mark);
    if (!arr)
        return;
    map->lanes_explicit = true;
    map->lanes = jm_calloc(json_array_size(arr) + 1, sizeof *map->lanes);
    if (!map->lanes) {
        ld->oom = true;
    } else {
        for (size_t i = 0; i < json_array_size(arr); i++) {
            size_t m = jm_jl_path_index(ld, i);
            load_lane(ld, json_array_get(arr, i));
            jm_jl_path_pop(ld, m);
        }
    }
    jm_jl_path_pop(ld, mark);
}
