/* The JSON loader: checks the raw text (size, UTF-8, nesting), parses it with jansson, then
 * validates every rule of the journey model (spec section 2) while it builds the jm_map.
 *
 * Every problem is reported, not just the first, each at the line and column of the offending
 * value (found with json_pos) and with its JSON pointer. The loader collects them in a list of
 * its own and hands them over sorted by position, so they read top to bottom like a compiler's.
 * Nesting is bounded by JM_MAX_DEPTH before jansson sees the text, so no recursion here can
 * grow with the input. */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/model.h"
#include "theme/theme.h"
#include "util/json_pos.h"
#include "util/util.h"

/* Flags of the get_* helpers. */
enum { OPTIONAL = 0, REQUIRED = 1, NONEMPTY = 2 };

typedef enum { T_OBJECT, T_ARRAY, T_STRING, T_NUMBER, T_BOOLEAN } value_type;

static const char *const type_names[] = {"an object", "an array", "a string", "a number",
                                         "a boolean"};

/* ---- Id lookup --------------------------------------------------------------------------- */

/* String → index, open addressing. Keys are borrowed from the map being built. */
struct idmap_entry {
    const char *key;
    size_t index;
};

typedef struct idmap {
    struct idmap_entry *v;
    size_t n, cap;
} idmap;

static uint64_t str_hash(const char *s)
{
    uint64_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static long idmap_get(const idmap *m, const char *key)
{
    if (!m->cap || !key)
        return -1;
    for (size_t i = str_hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->v[i].key)
            return -1;
        if (strcmp(m->v[i].key, key) == 0)
            return (long)m->v[i].index;
    }
}

/* Adds key unless present. false on allocation failure. */
static bool idmap_put(idmap *m, const char *key, size_t index)
{
    if ((m->n + 1) * 2 > m->cap) {
        idmap bigger = {NULL, 0, m->cap ? m->cap * 2 : 64};
        bigger.v = jm_calloc(bigger.cap, sizeof *bigger.v);
        if (!bigger.v)
            return false;
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].key)
                idmap_put(&bigger, m->v[i].key, m->v[i].index);
        jm_free(m->v);
        *m = bigger;
    }
    size_t i = str_hash(key) & (m->cap - 1);
    while (m->v[i].key) {
        if (strcmp(m->v[i].key, key) == 0)
            return true;
        i = (i + 1) & (m->cap - 1);
    }
    m->v[i].key = key;
    m->v[i].index = index;
    m->n++;
    return true;
}

static int by_index(const void *a, const void *b)
{
    const struct idmap_entry *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The ids of m in the order they were defined (for "did you mean" and lists): a new array of
 * borrowed strings, or NULL on allocation failure. */
static const char **idmap_ids(const idmap *m)
{
    struct idmap_entry *e = jm_calloc(m->n ? m->n : 1, sizeof *e);
    const char **ids = jm_calloc(m->n ? m->n : 1, sizeof *ids);
    if (e && ids) {
        size_t n = 0;
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].key)
                e[n++] = m->v[i];
        qsort(e, n, sizeof *e, by_index);
        for (size_t i = 0; i < n; i++)
            ids[i] = e[i].key;
    } else {
        jm_free(ids);
        ids = NULL;
    }
    jm_free(e);
    return ids;
}

/* ---- The loader's state ------------------------------------------------------------------ */

typedef struct loader {
    const char *file;
    const char *text; /* the input without its BOM */
    size_t len;
    jm_json_pos *pos;
    jm_diags *diags; /* collected here; handed over sorted by position */
    jm_map *map;
    jm_buf path; /* JSON pointer of the value being checked */
    bool oom;
    idmap persona_ids, stage_ids, channel_ids, touchpoint_ids;
    bool channel_limit_reported;
} loader;

static const char *cur_path(const loader *ld) { return ld->path.data ? ld->path.data : ""; }

static void path_check(loader *ld)
{
    if (ld->path.failed)
        ld->oom = true;
}

/* Extends the path by one member key (escaped per RFC 6901); returns the mark to restore. */
static size_t path_key(loader *ld, const char *key)
{
    size_t mark = ld->path.len;
    jm_buf_append(&ld->path, "/", 1);
    for (const char *p = key; *p; p++) {
        if (*p == '~')
            jm_buf_puts(&ld->path, "~0");
        else if (*p == '/')
            jm_buf_puts(&ld->path, "~1");
        else
            jm_buf_append(&ld->path, p, 1);
    }
    path_check(ld);
    return mark;
}

static size_t path_index(loader *ld, size_t i)
{
    size_t mark = ld->path.len;
    jm_buf_printf(&ld->path, "/%zu", i);
    path_check(ld);
    return mark;
}

static void path_pop(loader *ld, size_t mark)
{
    if (ld->path.data && mark <= ld->path.len) {
        ld->path.len = mark;
        ld->path.data[mark] = '\0';
    }
}

/* Line and column (characters) of byte `offset`. */
static void offset_position(const char *text, size_t offset, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            ++*line;
            *col = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* Position of the current path's value (or key); a value that is not there (a missing member)
 * is reported at the nearest enclosing one. */
static void locate(loader *ld, bool at_key, int *line, int *col)
{
    *line = *col = 0;
    char *p = ld->path.data;
    if (!ld->pos || !p)
        return;
    if (at_key && jm_json_pos_find_key(ld->pos, p, line, col))
        return;
    size_t n = ld->path.len;
    for (;;) {
        char saved = p[n];
        p[n] = '\0';
        bool found = jm_json_pos_find(ld->pos, p, line, col);
        p[n] = saved;
        if (found || n == 0)
            return;
        while (n > 0 && p[n - 1] != '/')
            n--;
        if (n > 0)
            n--;
    }
}

__attribute__((format(printf, 4, 5))) static void report(loader *ld, jm_severity sev, bool at_key,
                                                         const char *fmt, ...)
{
    int line, col;
    locate(ld, at_key, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(ld->diags, sev, ld->file, line, col, cur_path(ld), fmt, ap);
    va_end(ap);
}

#define fail(ld, ...) report((ld), JM_SEVERITY_ERROR, false, __VA_ARGS__)

/* An error at a byte offset of the raw text (before there is a parsed document). */
__attribute__((format(printf, 4, 5))) static void
fail_at_offset(loader *ld, size_t offset, const char *path, const char *fmt, ...)
{
    int line, col;
    offset_position(ld->text, offset, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(ld->diags, JM_SEVERITY_ERROR, ld->file, line, col, path, fmt, ap);
    va_end(ap);
}

static void set_src(loader *ld, jm_src *src)
{
    int line, col;
    locate(ld, false, &line, &col);
    jm_model_src_set(src, cur_path(ld), line, col);
    if (!src->path)
        ld->oom = true;
}

static char *dup_or_oom(loader *ld, const char *s)
{
    char *d = jm_strdup(s);
    if (!d)
        ld->oom = true;
    return d;
}

/* ---- Hints ------------------------------------------------------------------------------- */

/* Appends " (did you mean "x"?)" when a candidate is close to word, else " (label: a, b, …)"
 * when label is given. */
static void append_choices(jm_buf *b, const char *word, const char *const *names, size_t n,
                           const char *label)
{
    const char *hint = jm_did_you_mean(word, names, n);
    if (hint) {
        jm_buf_printf(b, " (did you mean \"%s\"?)", hint);
        return;
    }
    if (!label || !n)
        return;
    jm_buf_printf(b, " (%s: ", label);
    for (size_t i = 0; i < n && i < 12; i++)
        jm_buf_printf(b, "%s%s", i ? ", " : "", names[i]);
    jm_buf_puts(b, n > 12 ? ", …)" : ")");
}

/* Reports `unknown <what> "word"` at the current value (or key) with a hint over names. */
static void fail_unknown(loader *ld, bool at_key, const char *what, const char *word,
                         const char *const *names, size_t n, const char *label)
{
    jm_buf b = {0};
    append_choices(&b, word, names, n, label);
    char *suffix = jm_buf_take(&b);
    if (!suffix)
        ld->oom = true;
    report(ld, JM_SEVERITY_ERROR, at_key, "unknown %s \"%s\"%s", what, word, suffix ? suffix : "");
    jm_free(suffix);
}

/* ---- Typed access ------------------------------------------------------------------------ */

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static bool is_type(const json_t *v, value_type t)
{
    switch (t) {
    case T_OBJECT: return json_is_object(v);
    case T_ARRAY: return json_is_array(v);
    case T_STRING: return json_is_string(v);
    case T_NUMBER: return json_is_number(v);
    case T_BOOLEAN: return json_is_boolean(v);
    }
    return false;
}

/* Reports a wrong type at the current path. */
static bool expect(loader *ld, const json_t *v, value_type t)
{
    if (is_type(v, t))
        return true;
    fail(ld, "expected %s, got %s", type_names[t], type_name(v));
    return false;
}

/* obj[key] with the path extended to it (restore with path_pop(ld, *mark)). A missing
 * required key is reported at the object. */
static json_t *member(loader *ld, const json_t *obj, const char *key, unsigned flags, size_t *mark)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (flags & REQUIRED)
            fail(ld, "missing required key \"%s\"", key);
        return NULL;
    }
    *mark = path_key(ld, key);
    return v;
}

static bool string_value(loader *ld, const json_t *v, unsigned flags, char **out)
{
    if (!expect(ld, v, T_STRING))
        return false;
    size_t n = json_string_length(v);
    if (n > JM_MAX_STRING_BYTES) {
        fail(ld, "text too long: %zu bytes (the limit is %u)", n, JM_MAX_STRING_BYTES);
        return false;
    }
    if (n == 0 && (flags & NONEMPTY)) {
        fail(ld, "must not be empty");
        return false;
    }
    jm_free(*out);
    *out = jm_strndup(json_string_value(v), n);
    if (!*out)
        ld->oom = true;
    return *out != NULL;
}

static bool get_string(loader *ld, const json_t *obj, const char *key, unsigned flags, char **out)
{
    size_t mark;
    json_t *v = member(ld, obj, key, flags, &mark);
    if (!v)
        return false;
    bool ok = string_value(ld, v, flags, out);
    path_pop(ld, mark);
    return ok;
}

static bool get_number(loader *ld, const json_t *obj, const char *key, unsigned flags, double *out)
{
    size_t mark;
    json_t *v = member(ld, obj, key, flags, &mark);
    if (!v)
        return false;
    bool ok = expect(ld, v, T_NUMBER);
    if (ok)
        *out = json_number_value(v);
    path_pop(ld, mark);
    return ok;
}

static void get_bool(loader *ld, const json_t *obj, const char *key, bool *out)
{
    size_t mark;
    json_t *v = member(ld, obj, key, OPTIONAL, &mark);
    if (!v)
        return;
    if (expect(ld, v, T_BOOLEAN))
        *out = json_is_true(v);
    path_pop(ld, mark);
}

/* One of names[0..n) as its index; *out unchanged when absent or invalid. */
static void get_choice(loader *ld, const json_t *obj, const char *key, const char *const *names,
                       size_t n, int *out)
{
    size_t mark;
    json_t *v = member(ld, obj, key, OPTIONAL, &mark);
    if (!v)
        return;
    if (expect(ld, v, T_STRING)) {
        const char *s = json_string_value(v);
        size_t i = 0;
        while (i < n && strcmp(s, names[i]) != 0)
            i++;
        if (i < n) {
            *out = (int)i;
        } else {
            jm_buf b = {0};
            for (size_t k = 0; k < n; k++)
                jm_buf_printf(&b, "%s\"%s\"", k == 0 ? "" : k + 1 == n ? " or " : ", ", names[k]);
            char *list = jm_buf_take(&b);
            if (!list)
                ld->oom = true;
            fail(ld, "expected %s, got \"%s\"", list ? list : "", s);
            jm_free(list);
        }
    }
    path_pop(ld, mark);
}

/* An array of at most `limit` elements (the path is extended to it; restore with *mark). */
static json_t *get_array(loader *ld, const json_t *obj, const char *key, unsigned flags,
                         size_t limit, size_t *mark)
{
    json_t *v = member(ld, obj, key, flags, mark);
    if (!v)
        return NULL;
    if (!expect(ld, v, T_ARRAY)) {
        path_pop(ld, *mark);
        return NULL;
    }
    if (json_array_size(v) > limit) {
        fail(ld, "too many %s: %zu (the limit is %zu)", key, json_array_size(v), limit);
        path_pop(ld, *mark);
        return NULL;
    }
    return v;
}

/* A list of strings; allow_single also accepts one string. */
static void get_strlist(loader *ld, const json_t *obj, const char *key, bool allow_single,
                        jm_strlist *out)
{
    size_t mark;
    json_t *v = member(ld, obj, key, OPTIONAL, &mark);
    if (!v)
        return;
    if (allow_single && json_is_string(v)) {
        out->v = jm_calloc(1, sizeof *out->v);
        if (!out->v) {
            ld->oom = true;
        } else {
            out->n = 1;
            out->single = true;
            string_value(ld, v, OPTIONAL, &out->v[0]);
        }
    } else if (!json_is_array(v)) {
        fail(ld, "expected %s, got %s",
             allow_single ? "a string or an array of strings" : "an array of strings",
             type_name(v));
    } else if (json_array_size(v) > JM_MAX_LIST) {
        fail(ld, "too many entries: %zu (the limit is %d)", json_array_size(v), JM_MAX_LIST);
    } else if (json_array_size(v) > 0) {
        size_t n = json_array_size(v);
        out->v = jm_calloc(n, sizeof *out->v);
        if (!out->v) {
            ld->oom = true;
        } else {
            out->n = n;
            for (size_t i = 0; i < n; i++) {
                size_t m = path_index(ld, i);
                string_value(ld, json_array_get(v, i), OPTIONAL, &out->v[i]);
                path_pop(ld, m);
            }
        }
    }
    path_pop(ld, mark);
}

/* Warns about every key of obj not in allowed, with a "did you mean" hint. */
static void check_keys(loader *ld, const json_t *obj, const char *const *allowed, size_t n)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t i = 0;
        while (i < n && strcmp(allowed[i], key) != 0)
            i++;
        if (i < n)
            continue;
        const char *hint = jm_did_you_mean(key, allowed, n);
        size_t mark = path_key(ld, key);
        if (hint)
            report(ld, JM_SEVERITY_WARNING, true, "unknown key \"%s\" (did you mean \"%s\"?)", key,
                   hint);
        else
            report(ld, JM_SEVERITY_WARNING, true, "unknown key \"%s\"", key);
        path_pop(ld, mark);
    }
}

#define CHECK_KEYS(ld, obj, allowed)                                                               \
    check_keys((ld), (obj), (allowed), sizeof(allowed) / sizeof *(allowed))

/* Calls load(ld, element, items, i) for each object of the array obj[key], allocating *items
 * (zeroed, so a partly loaded model can be freed) and setting *count. Elements that are not
 * objects are reported. Returns the array, or NULL when absent or invalid. */
typedef void (*element_loader)(loader *ld, const json_t *element, void *items, size_t i);

static json_t *load_array(loader *ld, const json_t *obj, const char *key, unsigned flags,
                          size_t limit, void **items, size_t item_size, size_t *count,
                          element_loader load)
{
    size_t mark;
    json_t *arr = get_array(ld, obj, key, flags, limit, &mark);
    if (!arr)
        return NULL;
    size_t n = json_array_size(arr);
    *items = jm_calloc(n ? n : 1, item_size);
    if (!*items) {
        ld->oom = true;
        path_pop(ld, mark);
        return NULL;
    }
    *count = n;
    for (size_t i = 0; i < n; i++) {
        size_t m = path_index(ld, i);
        json_t *el = json_array_get(arr, i);
        if (expect(ld, el, T_OBJECT))
            load(ld, el, *items, i);
        path_pop(ld, m);
    }
    path_pop(ld, mark);
    return arr;
}

/* ---- Value checks ------------------------------------------------------------------------ */

/* The number at the current path as written in the file ("2.0000001", not what %g makes of
 * it): a new string, NULL when out of memory. */
static char *number_as_written(loader *ld, const json_t *v)
{
    size_t start, end;
    char *s = jm_json_pos_find_span(ld->pos, cur_path(ld), &start, &end)
                  ? jm_strndup(ld->text + start, end - start)
                  : jm_asprintf("%.17g", json_number_value(v));
    if (!s)
        ld->oom = true;
    return s;
}

/* Refuses a string our outputs could not carry (see jm_text_allowed); at_key: s is the key of
 * the current path. */
static void check_text(loader *ld, const char *s, size_t n, bool at_key)
{
    uint32_t cp;
    if (!jm_text_allowed(s, n, NULL, &cp))
        report(ld, JM_SEVERITY_ERROR, at_key, "U+%04X is not allowed in text (%s)", (unsigned)cp,
               jm_text_refused_kind(cp));
}

/* Every string (keys too) and every number of the document, before the model is built: text
 * that would make an SVG unreadable and numbers beyond JM_MAX_NUMBER, which no map means and
 * whose arithmetic overflows to inf in the outputs. Nesting is bounded by check_depth. */
static void check_values(loader *ld, const json_t *v)
{
    if (json_is_string(v)) {
        check_text(ld, json_string_value(v), json_string_length(v), false);
    } else if (json_is_number(v)) {
        double d = json_number_value(v);
        if (!(d >= -JM_MAX_NUMBER && d <= JM_MAX_NUMBER)) {
            char *text = number_as_written(ld, v);
            fail(ld, "number out of range: got %s (the limit is ±1e15)", text ? text : "");
            jm_free(text);
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            size_t m = path_index(ld, i);
            check_values(ld, json_array_get(v, i));
            path_pop(ld, m);
        }
    } else if (json_is_object(v)) {
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)v, key, member)
        {
            size_t m = path_key(ld, key);
            check_text(ld, key, strlen(key), true);
            check_values(ld, member);
            path_pop(ld, m);
        }
    }
}

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

/* An absolute http(s) link: the scheme, then something without spaces or control characters. */
static bool valid_url(const char *s)
{
    size_t skip;
    if (strncasecmp(s, "http://", 7) == 0)
        skip = 7;
    else if (strncasecmp(s, "https://", 8) == 0)
        skip = 8;
    else
        return false;
    if (!s[skip])
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7F)
            return false;
    return true;
}

static void get_color(loader *ld, const json_t *obj, char **out)
{
    if (!get_string(ld, obj, "color", OPTIONAL, out) || valid_color(*out))
        return;
    size_t mark = path_key(ld, "color");
    fail(ld, "expected a colour \"#rgb\" or \"#rrggbb\", got \"%s\"", *out);
    path_pop(ld, mark);
}

/* ---- Metrics ----------------------------------------------------------------------------- */

static void load_metric(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {"name", "value", "unit", "target", "better"};
    static const char *const better[] = {"higher", "lower"};
    jm_metric *m = (jm_metric *)items + i;
    set_src(ld, &m->src);
    get_string(ld, obj, "name", REQUIRED | NONEMPTY, &m->name);
    get_number(ld, obj, "value", REQUIRED, &m->value);
    get_string(ld, obj, "unit", OPTIONAL, &m->unit);
    m->has_target = get_number(ld, obj, "target", OPTIONAL, &m->target);
    int b = JM_BETTER_HIGHER;
    get_choice(ld, obj, "better", better, 2, &b);
    m->better = (jm_better)b;
    CHECK_KEYS(ld, obj, keys);
}

static void get_metrics(loader *ld, const json_t *obj, jm_metrics *out)
{
    load_array(ld, obj, "metrics", OPTIONAL, JM_MAX_METRICS, (void **)&out->v, sizeof *out->v,
               &out->n, load_metric);
}

/* ---- Header ------------------------------------------------------------------------------ */

static void load_header(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    size_t mark;
    json_t *v = member(ld, doc, "journeymap", REQUIRED, &mark);
    if (v) {
        if (!json_is_integer(v))
            fail(ld, "expected the format version 1, got %s", type_name(v));
        else if (json_integer_value(v) != 1)
            fail(ld,
                 "unsupported format version %" JSON_INTEGER_FORMAT
                 "; this journeymap reads version 1",
                 json_integer_value(v));
        path_pop(ld, mark);
    }
    get_string(ld, doc, "title", REQUIRED, &map->title);
    get_string(ld, doc, "subtitle", OPTIONAL, &map->subtitle);
    get_string(ld, doc, "description", OPTIONAL, &map->description);
    if (get_string(ld, doc, "lang", OPTIONAL, &map->lang) && !valid_lang(map->lang)) {
        mark = path_key(ld, "lang");
        fail(ld, "expected a BCP 47 language tag such as \"en\" or \"ru-RU\", got \"%s\"",
             map->lang);
        path_pop(ld, mark);
    }
    if (!map->lang)
        map->lang = dup_or_oom(ld, "en");
}

/* ---- Personas ---------------------------------------------------------------------------- */

/* demographics / psychographics: label → string or number, in key order. */
static void get_kv(loader *ld, const json_t *obj, const char *key, jm_kv **out, size_t *count)
{
    size_t mark;
    json_t *v = member(ld, obj, key, OPTIONAL, &mark);
    if (!v)
        return;
    if (!expect(ld, v, T_OBJECT)) {
        path_pop(ld, mark);
        return;
    }
    size_t n = json_object_size(v);
    if (n > JM_MAX_LIST) {
        fail(ld, "too many entries: %zu (the limit is %d)", n, JM_MAX_LIST);
        path_pop(ld, mark);
        return;
    }
    *out = jm_calloc(n ? n : 1, sizeof **out);
    if (!*out) {
        ld->oom = true;
        path_pop(ld, mark);
        return;
    }
    *count = n;
    size_t i = 0;
    const char *label;
    json_t *val;
    json_object_foreach(v, label, val)
    {
        jm_kv *kv = &(*out)[i++];
        size_t m = path_key(ld, label);
        if (strlen(label) > JM_MAX_STRING_BYTES) {
            report(ld, JM_SEVERITY_ERROR, true, "label too long: %zu bytes (the limit is %u)",
                   strlen(label), JM_MAX_STRING_BYTES);
        } else if (json_is_number(val)) {
            /* As written ("1.50" stays "1.50"), not as a double prints. */
            size_t start, end;
            kv->key = dup_or_oom(ld, label);
            if (jm_json_pos_find_span(ld->pos, cur_path(ld), &start, &end))
                kv->value = jm_strndup(ld->text + start, end - start);
            else
                kv->value = jm_asprintf("%.15g", json_number_value(val));
            if (!kv->value)
                ld->oom = true;
        } else if (json_is_string(val)) {
            kv->key = dup_or_oom(ld, label);
            string_value(ld, val, OPTIONAL, &kv->value);
        } else {
            fail(ld, "expected a string or a number, got %s", type_name(val));
        }
        path_pop(ld, m);
    }
    path_pop(ld, mark);
}

static bool has_magic(const unsigned char *b, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    return (n >= 8 && memcmp(b, png, 8) == 0) ||
           (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF);
}

/* Reads the photo (the path is at "photo") once, through the rule for every file a model names
 * (jm_named_file_read): a PNG or JPEG file inside the input's folder tree. */
static void check_photo(loader *ld, jm_persona *p)
{
    char *err;
    const jm_named_file *f =
        jm_named_file_read(ld->map, p->photo_spec, "photo", JM_MAX_PHOTO_BYTES, &err);
    if (!f && err)
        fail(ld, "%s", err);
    else if (!f)
        ld->oom = true;
    else if (!has_magic(f->data, f->len))
        fail(ld, "photo \"%s\" is not a PNG or JPEG image", p->photo_spec);
    else
        p->photo = f;
    jm_free(err);
}

static void load_persona(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {"id",          "name",         "photo",          "quote",
                                       "description", "demographics", "psychographics", "goals",
                                       "needs",       "frustrations", "color"};
    jm_map *map = ld->map;
    jm_persona *p = (jm_persona *)items + i;
    set_src(ld, &p->src);
    if (map->n_personas > 1 && !json_object_get(obj, "id"))
        fail(ld, "missing required key \"id\" (needed when there is more than one persona)");
    if (get_string(ld, obj, "id", map->n_personas > 1 ? NONEMPTY : OPTIONAL, &p->id)) {
        long first = idmap_get(&ld->persona_ids, p->id);
        if (first >= 0) {
            size_t mark = path_key(ld, "id");
            fail(ld, "duplicate persona id \"%s\" (first defined at line %d)", p->id,
                 map->personas[first].src.line);
            path_pop(ld, mark);
        } else if (*p->id && !idmap_put(&ld->persona_ids, p->id, i)) {
            ld->oom = true;
        }
    }
    if (!p->id)
        p->id = dup_or_oom(ld, "");
    get_string(ld, obj, "name", REQUIRED | NONEMPTY, &p->name);
    if (get_string(ld, obj, "photo", NONEMPTY, &p->photo_spec)) {
        size_t mark = path_key(ld, "photo");
        check_photo(ld, p);
        path_pop(ld, mark);
    }
    get_string(ld, obj, "quote", OPTIONAL, &p->quote);
    get_string(ld, obj, "description", OPTIONAL, &p->description);
    get_kv(ld, obj, "demographics", &p->demographics, &p->n_demographics);
    get_kv(ld, obj, "psychographics", &p->psychographics, &p->n_psychographics);
    get_strlist(ld, obj, "goals", false, &p->goals);
    get_strlist(ld, obj, "needs", false, &p->needs);
    get_strlist(ld, obj, "frustrations", false, &p->frustrations);
    get_color(ld, obj, &p->color);
    CHECK_KEYS(ld, obj, keys);
}

static void load_personas(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    json_t *one = json_object_get(doc, "persona");
    if (!one) {
        load_array(ld, doc, "personas", OPTIONAL, JM_MAX_PERSONAS, (void **)&map->personas,
                   sizeof *map->personas, &map->n_personas, load_persona);
        return;
    }
    size_t mark = path_key(ld, "persona");
    if (json_object_get(doc, "personas")) {
        fail(ld, "give either \"persona\" or \"personas\", not both");
    } else if (expect(ld, one, T_OBJECT)) {
        map->personas = jm_calloc(1, sizeof *map->personas);
        if (!map->personas) {
            ld->oom = true;
        } else {
            map->n_personas = 1;
            load_persona(ld, one, map->personas, 0);
        }
    }
    path_pop(ld, mark);
}

/* A persona id named at the current path (its value, or its key when at_key); reports an
 * unknown one. -1 when unknown. */
static long resolve_persona(loader *ld, const char *id, bool at_key)
{
    long i = idmap_get(&ld->persona_ids, id);
    if (i >= 0)
        return i;
    if (!ld->persona_ids.n) {
        report(ld, JM_SEVERITY_ERROR, at_key, "unknown persona \"%s\" (%s)", id,
               ld->map->n_personas ? "no persona has an id" : "the map has no personas");
        return -1;
    }
    const char **ids = idmap_ids(&ld->persona_ids);
    if (!ids)
        ld->oom = true;
    fail_unknown(ld, at_key, "persona", id, ids, ids ? ld->persona_ids.n : 0, "personas");
    jm_free(ids);
    return -1;
}

/* ---- Stages ------------------------------------------------------------------------------ */

static void load_stage(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {"id", "name", "description", "goal", "questions", "metrics"};
    jm_stage *s = (jm_stage *)items + i;
    set_src(ld, &s->src);
    if (get_string(ld, obj, "id", REQUIRED | NONEMPTY, &s->id)) {
        size_t mark = path_key(ld, "id");
        long first = idmap_get(&ld->stage_ids, s->id);
        if (!valid_id(s->id))
            fail(ld, "invalid stage id \"%s\": use only letters, digits, \"_\" and \"-\"", s->id);
        else if (first >= 0)
            fail(ld, "duplicate stage id \"%s\" (first defined at line %d)", s->id,
                 ld->map->stages[first].src.line);
        else if (!idmap_put(&ld->stage_ids, s->id, i))
            ld->oom = true;
        path_pop(ld, mark);
    }
    get_string(ld, obj, "name", REQUIRED | NONEMPTY, &s->name);
    get_string(ld, obj, "description", OPTIONAL, &s->description);
    get_string(ld, obj, "goal", OPTIONAL, &s->goal);
    get_strlist(ld, obj, "questions", true, &s->questions);
    get_metrics(ld, obj, &s->metrics);
    CHECK_KEYS(ld, obj, keys);
}

static void load_stages(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    json_t *arr = load_array(ld, doc, "stages", REQUIRED, JM_MAX_STAGES, (void **)&map->stages,
                             sizeof *map->stages, &map->n_stages, load_stage);
    if (arr && json_array_size(arr) == 0) {
        size_t mark = path_key(ld, "stages");
        fail(ld, "the stage list is empty: a map needs at least one stage");
        path_pop(ld, mark);
    }
}

/* A stage id at the current path; reports an unknown one. -1 when unknown. */
static long resolve_stage(loader *ld, const char *id)
{
    long i = idmap_get(&ld->stage_ids, id);
    if (i >= 0 || !ld->map->n_stages) /* no stages: reported once already */
        return i;
    const char **ids = idmap_ids(&ld->stage_ids);
    if (!ids)
        ld->oom = true;
    fail_unknown(ld, false, "stage", id, ids, ids ? ld->stage_ids.n : 0, "stages");
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
    set_src(ld, &c->src);
    c->declared = true;
    c->kind = JM_KIND_OTHER;
    const jm_builtin_channel *b = NULL;
    if (get_string(ld, obj, "id", REQUIRED | NONEMPTY, &c->id)) {
        long first = idmap_get(&ld->channel_ids, c->id);
        if (first >= 0) {
            size_t mark = path_key(ld, "id");
            fail(ld, "duplicate channel id \"%s\" (first defined at line %d)", c->id,
                 ld->map->channels[first].src.line);
            path_pop(ld, mark);
        } else if (!idmap_put(&ld->channel_ids, c->id, i)) {
            ld->oom = true;
        }
        b = jm_builtin_channel_find(c->id);
    }
    if (b) {
        c->builtin = true;
        c->kind = b->kind;
    }
    get_string(ld, obj, "name", NONEMPTY, &c->name);
    if (!c->name && c->id)
        c->name = dup_or_oom(ld, b ? b->name : c->id);
    int kind = (int)c->kind;
    get_choice(ld, obj, "kind", kind_names, 4, &kind);
    c->kind = (jm_channel_kind)kind;
    if (get_string(ld, obj, "icon", OPTIONAL, &c->icon)) {
        const char *hint = NULL;
        if (!builtin_icon(c->icon, &hint)) {
            size_t mark = path_key(ld, "icon");
            report(ld, JM_SEVERITY_WARNING, false, "unknown icon \"%s\"%s%s%s; drawn without one",
                   c->icon, hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
            path_pop(ld, mark);
            jm_free(c->icon);
            c->icon = NULL;
        }
    } else if (b) {
        c->icon = dup_or_oom(ld, b->icon);
    }
    get_color(ld, obj, &c->color);
    CHECK_KEYS(ld, obj, keys);
}

static void load_channels(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    load_array(ld, doc, "channels", OPTIONAL, JM_MAX_CHANNELS, (void **)&map->channels,
               sizeof *map->channels, &map->n_channels, load_channel);
    /* A declared built-in also answers to its canonical id ("web" declared, "website" used). */
    for (size_t i = 0; i < map->n_channels; i++) {
        const jm_builtin_channel *b =
            map->channels[i].id ? jm_builtin_channel_find(map->channels[i].id) : NULL;
        if (b && idmap_get(&ld->channel_ids, b->id) < 0 && !idmap_put(&ld->channel_ids, b->id, i))
            ld->oom = true;
    }
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
        report(ld, JM_SEVERITY_WARNING, false, "unknown channel \"%s\" (did you mean \"%s\"?)", id,
               hint);
    else
        report(ld, JM_SEVERITY_WARNING, false,
               "unknown channel \"%s\"; declare it in \"channels\" to name it", id);
    jm_free(names);
    jm_free(words);
}

/* The channel index for a touchpoint's channel id (at the current path): a declared channel,
 * else a built-in or unknown one appended on first use. -1 on failure. */
static long resolve_channel(loader *ld, const char *id)
{
    jm_map *map = ld->map;
    long i = idmap_get(&ld->channel_ids, id);
    const jm_builtin_channel *b = i < 0 ? jm_builtin_channel_find(id) : NULL;
    if (b)
        i = idmap_get(&ld->channel_ids, b->id);
    if (i >= 0)
        return i;
    if (map->n_channels >= JM_MAX_CHANNELS) {
        if (!ld->channel_limit_reported)
            fail(ld, "too many channels (the limit is %d)", JM_MAX_CHANNELS);
        ld->channel_limit_reported = true;
        return -1;
    }
    if (!b)
        warn_unknown_channel(ld, id);
    size_t cap = map->n_channels; /* channels was allocated with exactly n_channels slots */
    if (!jm_grow((void **)&map->channels, &cap, map->n_channels + 1, sizeof *map->channels)) {
        ld->oom = true;
        return -1;
    }
    jm_channel *c = &map->channels[map->n_channels];
    memset(c, 0, sizeof *c);
    map->n_channels++;
    c->id = dup_or_oom(ld, b ? b->id : id);
    c->name = dup_or_oom(ld, b ? b->name : id);
    c->kind = b ? b->kind : JM_KIND_OTHER;
    c->icon = b ? dup_or_oom(ld, b->icon) : NULL;
    c->builtin = b != NULL;
    c->unknown = b == NULL;
    if (b)
        jm_model_src_set(&c->src, "", 0, 0);
    else
        set_src(ld, &c->src); /* the first use, so later stages can point at it */
    if (!c->src.path)
        ld->oom = true;
    if (!c->id || !idmap_put(&ld->channel_ids, c->id, map->n_channels - 1))
        ld->oom = true;
    return (long)map->n_channels - 1;
}

/* ---- Lanes ------------------------------------------------------------------------------- */

/* Canonical lanes that hold items (the others are drawn from stages, touchpoints, emotions). */
static bool item_lane(int t) { return t >= 0 && jm_lane_info_of((jm_lane_type)t)->takes_items; }

static long find_lane(const jm_lane *lanes, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (lanes[i].id && strcmp(lanes[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* Reports an unknown lane id with a hint over the canonical and the declared custom lanes. */
static void fail_unknown_lane(loader *ld, const char *id, bool items_only)
{
    const jm_map *map = ld->map;
    const char **names = jm_calloc(JM_LANE__COUNT + map->n_custom_lanes, sizeof *names);
    if (!names) {
        ld->oom = true;
        return;
    }
    size_t n = 0;
    for (int t = 0; t < JM_LANE_CUSTOM; t++)
        if (!items_only || item_lane(t))
            names[n++] = jm_lane_type_id((jm_lane_type)t);
    for (size_t i = 0; i < map->n_custom_lanes; i++)
        names[n++] = map->custom_lanes[i].id;
    fail_unknown(ld, false, "lane", id, names, n, "lanes");
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
        get_string(ld, v, "id", REQUIRED | NONEMPTY, &lane.id);
        get_string(ld, v, "name", OPTIONAL, &lane.name);
        CHECK_KEYS(ld, v, keys);
    } else if (json_is_string(v)) {
        string_value(ld, v, NONEMPTY, &lane.id);
    } else {
        fail(ld, "expected a lane id or an {\"id\", \"name\"} object, got %s", type_name(v));
    }
    if (!lane.id)
        goto done;
    int t = jm_lane_type_from_id(lane.id);
    if (find_lane(map->lanes, map->n_lanes, lane.id) >= 0) {
        fail(ld, "lane \"%s\" is listed twice", lane.id);
        goto done;
    }
    if (t < 0 && !json_is_object(v)) {
        fail_unknown_lane(ld, lane.id, false);
        goto done;
    }
    lane.type = t < 0 ? JM_LANE_CUSTOM : (jm_lane_type)t;
    set_src(ld, &lane.src);
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

static void load_lanes(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    size_t mark;
    json_t *arr = get_array(ld, doc, "lanes", OPTIONAL, JM_MAX_LIST, &mark);
    if (!arr)
        return;
    map->lanes_explicit = true;
    map->lanes = jm_calloc(json_array_size(arr) + 1, sizeof *map->lanes);
    if (!map->lanes) {
        ld->oom = true;
    } else {
        for (size_t i = 0; i < json_array_size(arr); i++) {
            size_t m = path_index(ld, i);
            load_lane(ld, json_array_get(arr, i));
            path_pop(ld, m);
        }
    }
    path_pop(ld, mark);
}

/* ---- Touchpoints ------------------------------------------------------------------------- */

/* An emotion value at the current path. */
static bool emotion_value(loader *ld, const json_t *v, double *out)
{
    if (!json_is_number(v)) {
        fail(ld, "expected an emotion from -2 to 2, got %s", type_name(v));
        return false;
    }
    double e = json_number_value(v);
    if (e < -2 || e > 2) {
        char *text = number_as_written(ld, v);
        fail(ld, "emotion must be between -2 and 2, got %s", text ? text : "");
        jm_free(text);
        return false;
    }
    *out = e;
    return true;
}

/* "emotion": a number for every acting persona, or an object persona id → number. */
static void load_emotion(loader *ld, const json_t *obj, jm_tp_state *st, const bool *actors)
{
    size_t slots = jm_emotion_slots(ld->map);
    st->emotion = jm_calloc(slots, sizeof *st->emotion);
    if (!st->emotion) {
        ld->oom = true;
        return;
    }
    for (size_t s = 0; s < slots; s++)
        st->emotion[s] = JM_EMOTION_NONE;
    size_t mark;
    json_t *v = member(ld, obj, "emotion", OPTIONAL, &mark);
    if (!v)
        return;
    double e;
    if (json_is_object(v)) {
        const char *id;
        json_t *val;
        json_object_foreach(v, id, val)
        {
            size_t m = path_key(ld, id);
            long p = resolve_persona(ld, id, true); /* the key names the persona */
            if (p >= 0 && emotion_value(ld, val, &e)) {
                st->emotion[p] = e;
                st->has_emotion = true;
            }
            path_pop(ld, m);
        }
    } else if (json_is_number(v)) {
        if (emotion_value(ld, v, &e)) {
            for (size_t s = 0; s < slots; s++) {
                if (!actors || actors[s]) {
                    st->emotion[s] = e;
                    st->has_emotion = true;
                }
            }
        }
    } else {
        fail(ld, "expected an emotion from -2 to 2 or an object of persona id → emotion, got %s",
             type_name(v));
    }
    path_pop(ld, mark);
}

/* The fields a state may override, read from obj (the touchpoint or its before/after). */
static void load_state_fields(loader *ld, const json_t *obj, jm_tp_state *st, const bool *actors)
{
    get_string(ld, obj, "description", OPTIONAL, &st->description);
    get_strlist(ld, obj, "action", true, &st->action);
    get_strlist(ld, obj, "thought", true, &st->thought);
    get_strlist(ld, obj, "pain", true, &st->pain);
    get_strlist(ld, obj, "opportunity", true, &st->opportunity);
    load_emotion(ld, obj, st, actors);
    get_metrics(ld, obj, &st->metrics);
}

static void load_state(loader *ld, const json_t *tp, const char *key, jm_tp_state *st,
                       const bool *actors)
{
    static const char *const keys[] = {"description", "action",  "thought", "pain",
                                       "opportunity", "emotion", "metrics"};
    size_t mark;
    json_t *obj = member(ld, tp, key, OPTIONAL, &mark);
    if (!obj)
        return;
    if (expect(ld, obj, T_OBJECT)) {
        st->present = true;
        ld->map->has_states = true;
        set_src(ld, &st->src);
        load_state_fields(ld, obj, st, actors);
        CHECK_KEYS(ld, obj, keys);
    }
    path_pop(ld, mark);
}

/* "actors": persona ids; NULL (everyone) when absent or when the map has no personas. */
static void load_actors(loader *ld, const json_t *obj, jm_touchpoint *t)
{
    size_t mark;
    json_t *arr = get_array(ld, obj, "actors", OPTIONAL, JM_MAX_PERSONAS, &mark);
    if (!arr)
        return;
    size_t n = ld->map->n_personas;
    if (n) {
        t->actors = jm_calloc(n, sizeof *t->actors);
        if (!t->actors)
            ld->oom = true;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        size_t m = path_index(ld, i);
        json_t *v = json_array_get(arr, i);
        if (expect(ld, v, T_STRING)) {
            long p = resolve_persona(ld, json_string_value(v), false);
            if (p >= 0 && t->actors)
                t->actors[p] = true;
        }
        path_pop(ld, m);
    }
    path_pop(ld, mark);
}

static void load_touchpoint(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {
        "id",     "stage",       "channel", "name",   "action",  "description",     "thought",
        "pain",   "opportunity", "emotion", "actors", "contact", "moment_of_truth", "metrics",
        "before", "after",       "url",     "owner",  "notes"};
    static const char *const contacts[] = {"direct", "indirect"};
    jm_touchpoint *t = (jm_touchpoint *)items + i;
    set_src(ld, &t->src);
    t->order = i;
    t->channel = -1;
    size_t mark;
    if (get_string(ld, obj, "id", NONEMPTY, &t->id)) {
        long first = idmap_get(&ld->touchpoint_ids, t->id);
        if (first >= 0) {
            mark = path_key(ld, "id");
            fail(ld, "duplicate touchpoint id \"%s\" (first defined at line %d)", t->id,
                 ld->map->touchpoints[first].src.line);
            path_pop(ld, mark);
        } else if (!idmap_put(&ld->touchpoint_ids, t->id, i)) {
            ld->oom = true;
        }
    }
    char *ref = NULL;
    if (get_string(ld, obj, "stage", REQUIRED | NONEMPTY, &ref)) {
        mark = path_key(ld, "stage");
        long s = resolve_stage(ld, ref);
        t->stage = s >= 0 ? (size_t)s : 0;
        path_pop(ld, mark);
    }
    jm_free(ref);
    ref = NULL;
    if (get_string(ld, obj, "channel", NONEMPTY, &ref)) {
        mark = path_key(ld, "channel");
        t->channel = resolve_channel(ld, ref);
        path_pop(ld, mark);
    }
    jm_free(ref);
    get_string(ld, obj, "name", REQUIRED | NONEMPTY, &t->name);
    load_actors(ld, obj, t);
    load_state_fields(ld, obj, &t->base, t->actors);
    int contact = 0;
    get_choice(ld, obj, "contact", contacts, 2, &contact);
    t->indirect = contact == 1;
    get_bool(ld, obj, "moment_of_truth", &t->moment_of_truth);
    load_state(ld, obj, "before", &t->before, t->actors);
    load_state(ld, obj, "after", &t->after, t->actors);
    if (get_string(ld, obj, "url", OPTIONAL, &t->url) && !valid_url(t->url)) {
        mark = path_key(ld, "url");
        fail(ld, "expected an http:// or https:// link, got \"%s\"", t->url);
        path_pop(ld, mark);
    }
    get_string(ld, obj, "owner", OPTIONAL, &t->owner);
    get_string(ld, obj, "notes", OPTIONAL, &t->notes);
    CHECK_KEYS(ld, obj, keys);
}

/* ---- Items ------------------------------------------------------------------------------- */

static void resolve_item_lane(loader *ld, const char *id, jm_item *it)
{
    const jm_map *map = ld->map;
    int t = jm_lane_type_from_id(id);
    long custom = find_lane(map->custom_lanes, map->n_custom_lanes, id);
    if (item_lane(t)) {
        it->lane = (jm_lane_type)t;
        if (map->lanes_explicit && find_lane(map->lanes, map->n_lanes, id) < 0)
            report(ld, JM_SEVERITY_WARNING, false,
                   "lane \"%s\" is not listed in \"lanes\", so this item is not drawn", id);
    } else if (t >= 0) {
        fail(ld, "lane \"%s\" cannot hold items", id);
    } else if (custom >= 0) {
        it->lane = JM_LANE_CUSTOM;
        it->custom = custom;
    } else {
        fail_unknown_lane(ld, id, true);
    }
}

static void load_item(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {"lane", "stage", "text", "touchpoint"};
    jm_map *map = ld->map;
    jm_item *it = (jm_item *)items + i;
    set_src(ld, &it->src);
    it->custom = -1;
    it->touchpoint = -1;
    long stage = -1;
    char *ref = NULL;
    size_t mark;
    if (get_string(ld, obj, "lane", REQUIRED | NONEMPTY, &ref)) {
        mark = path_key(ld, "lane");
        resolve_item_lane(ld, ref, it);
        path_pop(ld, mark);
    }
    jm_free(ref);
    ref = NULL;
    if (get_string(ld, obj, "stage", REQUIRED | NONEMPTY, &ref)) {
        mark = path_key(ld, "stage");
        stage = resolve_stage(ld, ref);
        it->stage = stage >= 0 ? (size_t)stage : 0;
        path_pop(ld, mark);
    }
    jm_free(ref);
    ref = NULL;
    get_string(ld, obj, "text", REQUIRED | NONEMPTY, &it->text);
    if (get_string(ld, obj, "touchpoint", NONEMPTY, &ref)) {
        mark = path_key(ld, "touchpoint");
        long tp = idmap_get(&ld->touchpoint_ids, ref);
        if (tp < 0) {
            const char **ids = idmap_ids(&ld->touchpoint_ids);
            if (!ids)
                ld->oom = true;
            fail_unknown(ld, false, "touchpoint", ref, ids, ids ? ld->touchpoint_ids.n : 0, NULL);
            jm_free(ids);
        } else if (stage >= 0 && map->touchpoints[tp].stage != (size_t)stage) {
            fail(ld, "touchpoint \"%s\" is in stage \"%s\", not in this item's stage \"%s\"", ref,
                 map->stages[map->touchpoints[tp].stage].id, map->stages[stage].id);
        } else {
            it->touchpoint = tp;
        }
        path_pop(ld, mark);
    }
    jm_free(ref);
    CHECK_KEYS(ld, obj, keys);
}

/* ---- States and theme -------------------------------------------------------------------- */

static void load_states(loader *ld, const json_t *doc)
{
    static const char *const keys[] = {"before", "after"};
    static const char *const label_keys[] = {"label"};
    size_t mark;
    json_t *states = member(ld, doc, "states", OPTIONAL, &mark);
    if (!states)
        return;
    if (expect(ld, states, T_OBJECT)) {
        for (int k = 0; k < 2; k++) {
            size_t m;
            json_t *st = member(ld, states, keys[k], OPTIONAL, &m);
            if (!st)
                continue;
            if (expect(ld, st, T_OBJECT)) {
                get_string(ld, st, "label", OPTIONAL, &ld->map->state_label[k]);
                CHECK_KEYS(ld, st, label_keys);
            }
            path_pop(ld, m);
        }
        CHECK_KEYS(ld, states, keys);
    }
    path_pop(ld, mark);
}

/* A theme named by the model (the path is at "theme") is a built-in name, or a .json file
 * read now, once, like a photo (jm_named_file_read): a model from someone else must not make
 * us read other files, and `validate` catches a missing one. */
static void check_theme_file(loader *ld, const char *name)
{
    if (!jm_theme_name_is_file(name))
        return; /* a built-in theme's name; the renderer reports an unknown one */
    if (!jm_theme_name_is_json(name)) {
        fail(ld, "expected a theme name or a .json theme file, got \"%s\"", name);
        return;
    }
    char *err;
    ld->map->theme_file =
        jm_named_file_read(ld->map, name, "theme file", JM_MAX_THEME_FILE_BYTES, &err);
    if (!ld->map->theme_file && err)
        fail(ld, "%s", err);
    else if (!ld->map->theme_file)
        ld->oom = true;
    jm_free(err);
}

/* "theme": a theme name, a .json theme file relative to the input, or an object of overrides
 * (validated now against a scratch theme, kept serialised for the renderer). */
static void load_theme(loader *ld, const json_t *doc)
{
    jm_map *map = ld->map;
    size_t mark;
    json_t *v = member(ld, doc, "theme", OPTIONAL, &mark);
    if (!v)
        return;
    if (json_is_string(v)) {
        /* Kept as written, for messages and the model's JSON; a file's bytes are read now. */
        if (string_value(ld, v, NONEMPTY, &map->theme_name))
            check_theme_file(ld, map->theme_name);
    } else if (json_is_object(v)) {
        jm_theme *scratch = jm_theme_new_default();
        if (!scratch) {
            ld->oom = true;
        } else {
            jm_theme_apply_json(scratch, ld->file, ld->text, ld->len, "/theme", ld->diags);
            jm_theme_free(scratch);
        }
        char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
        map->theme_json = s ? jm_strdup(s) : NULL;
        json_free_t json_release; /* s is jansson's: freed by whatever allocator it has */
        json_get_alloc_funcs(NULL, &json_release);
        json_release(s);
        if (!map->theme_json)
            ld->oom = true;
    } else {
        fail(ld, "expected a theme name or an object of theme settings, got %s", type_name(v));
    }
    path_pop(ld, mark);
}

/* ---- The raw text and the parse ---------------------------------------------------------- */

/* Nesting deeper than JM_MAX_DEPTH is refused before jansson builds (and later code walks)
 * the tree. Strings are skipped so brackets inside them do not count. */
static bool check_depth(loader *ld)
{
    size_t depth = 0;
    for (size_t i = 0; i < ld->len; i++) {
        char c = ld->text[i];
        if (c == '"') {
            for (i++; i < ld->len && ld->text[i] != '"'; i++)
                if (ld->text[i] == '\\')
                    i++;
        } else if (c == '{' || c == '[') {
            if (++depth > JM_MAX_DEPTH) {
                char *path = jm_json_pos_path_at(ld->text, ld->len, i);
                if (!path)
                    ld->oom = true;
                fail_at_offset(ld, i, path,
                               "nesting too deep: more than %d levels of objects "
                               "and arrays",
                               JM_MAX_DEPTH);
                jm_free(path);
                return false;
            }
        } else if ((c == '}' || c == ']') && depth) {
            depth--;
        }
    }
    return true;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Start of the last token that begins before `end`, by a tolerant lexer run only on the error
 * path (jansson names the token only when it is short). *unterminated: that token is a string
 * the text ends in. */
static size_t last_token(const char *text, size_t end, bool *unterminated)
{
    size_t i = 0, start = end;
    *unterminated = false;
    while (i < end) {
        char c = text[i];
        if (is_space(c)) {
            i++;
            continue;
        }
        start = i;
        if (c == '"') {
            for (i++; i < end && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
            if (i >= end) {
                *unterminated = true;
                return start;
            }
            i++;
        } else if (c && strchr("{}[],:", c)) { /* (strchr would match a NUL byte) */
            i++;
        } else {
            while (i < end && !is_space(text[i]) && !(text[i] && strchr("{}[],:\"", text[i])))
                i++;
        }
    }
    return start;
}

/* Reports a jansson parse error in words of what was expected, at the start of the offending
 * token, with the JSON pointer of the place where parsing stopped. */
static void syntax_error(loader *ld, const json_error_t *err)
{
    static const char value[] = "a value (object, array, string, number, true, false or null)";
    if (json_error_code(err) == json_error_out_of_memory) {
        ld->oom = true;
        return;
    }
    const char *text = ld->text, *w = err->text; /* "what[ near 'token'| near end of file]" */
    bool at_eof = strstr(w, " near end of file") != NULL ||
                  json_error_code(err) == json_error_premature_end_of_input;
    size_t end =
        err->position > 0 && (size_t)err->position < ld->len ? (size_t)err->position : ld->len;
    bool unterminated;
    size_t start = last_token(text, end, &unterminated);
    /* The token as shown: quoted unless it is a string already, cut when long. */
    char shown[80];
    size_t n = end - start < 40 ? end - start : 40;
    while (n > 0 && n < end - start && ((unsigned char)text[start + n] & 0xC0) == 0x80)
        n--;                                                /* never inside a UTF-8 sequence */
    char first_char = start < ld->len ? text[start] : '\0'; /* start is len with no token */
    const char *quote = first_char == '"' ? "" : "'";
    snprintf(shown, sizeof shown, "%s%.*s%s%s", quote, (int)n, text + start,
             n < end - start ? "…" : "", quote);
    size_t prev = start; /* the last character before the token, to spot trailing commas */
    while (prev > 0 && is_space(text[prev - 1]))
        prev--;
    bool after_comma = prev > 0 && text[prev - 1] == ',';
    char close = first_char;

    size_t at = start, path_at = start;
    char msg[256];
    if (at_eof) {
        size_t last = last_token(text, ld->len, &unterminated);
        if (unterminated) {
            at = path_at = last;
            snprintf(msg, sizeof msg,
                     "unterminated string: the input ends before its closing "
                     "quote");
        } else {
            const char *expected = starts_with(w, "'}'")         ? "',' or '}'"
                                   : starts_with(w, "']'")       ? "',' or ']'"
                                   : starts_with(w, "':'")       ? "':'"
                                   : starts_with(w, "string or") ? "a key or '}'"
                                                                 : value;
            at = path_at = ld->len; /* just past the last visible character */
            while (at > 0 && is_space(text[at - 1]))
                at--;
            snprintf(msg, sizeof msg,
                     "unexpected end of input, expected %s (is the file "
                     "truncated?)",
                     expected);
        }
    } else if (starts_with(w, "duplicate object key")) {
        snprintf(msg, sizeof msg, "duplicate key %s", shown);
        path_at = end; /* after the key, so that the path names the member */
    } else if (starts_with(w, "'}' expected") || starts_with(w, "']' expected")) {
        snprintf(msg, sizeof msg, "expected ',' or '%c', got %s", w[1], shown);
    } else if (starts_with(w, "string or '}' expected")) {
        if (close == '}' && after_comma)
            snprintf(msg, sizeof msg, "trailing comma before '}' (JSON allows none)");
        else if (close == '\'')
            snprintf(msg, sizeof msg, "expected a key in double quotes, got single quotes");
        else
            snprintf(msg, sizeof msg, "expected a key in double quotes or '}', got %s", shown);
    } else if (starts_with(w, "':' expected")) {
        snprintf(msg, sizeof msg, "expected ':' after the key, got %s", shown);
    } else if (starts_with(w, "unexpected token") || starts_with(w, "invalid token")) {
        if (prev == 0) /* the very first token: this is not JSON at all */
            snprintf(msg, sizeof msg, "not JSON: expected a JSON object starting with '{', got %s",
                     shown);
        else if ((close == ']' || close == '}') && after_comma)
            snprintf(msg, sizeof msg, "trailing comma before '%c' (JSON allows none)", close);
        else if (close == '\'')
            snprintf(msg, sizeof msg, "expected a string in double quotes, got single quotes");
        else
            snprintf(msg, sizeof msg, "expected %s, got %s", value, shown);
    } else if (starts_with(w, "end of file expected")) {
        snprintf(msg, sizeof msg,
                 "expected the end of the input after the top-level object, "
                 "got %s",
                 shown);
    } else if (starts_with(w, "unexpected newline")) {
        snprintf(msg, sizeof msg, "line break inside a string (write it as \\n)");
        at = end;
    } else if (starts_with(w, "control character")) {
        snprintf(msg, sizeof msg, "control character inside a string (escape it, e.g. \\t)");
        at = end > 0 ? end - 1 : 0;
    } else if (starts_with(w, "invalid escape") || starts_with(w, "invalid Unicode")) {
        at = end; /* back to the backslash; the parser may have stopped at the very end */
        while (at > start && (at >= ld->len || text[at] != '\\'))
            at--;
        snprintf(msg, sizeof msg,
                 "invalid escape in a string (valid: \\\" \\\\ \\/ \\b \\f \\n "
                 "\\r \\t \\uXXXX)");
    } else if (strstr(w, "\\u0000") || strstr(w, "NUL byte")) {
        snprintf(msg, sizeof msg, "\\u0000 (NUL) is not allowed in a string");
    } else if (strstr(w, "overflow") || strstr(w, "too big")) {
        snprintf(msg, sizeof msg, "number out of range");
    } else {
        snprintf(msg, sizeof msg, "%s", w); /* jansson's words, when we have none better */
        at = end;
    }
    char *path = jm_json_pos_path_at(text, ld->len, path_at);
    if (!path)
        ld->oom = true;
    fail_at_offset(ld, at, path, "%s", msg);
    jm_free(path);
}

/* Checks the raw text and parses it. NULL with errors reported when it is not a JSON object. */
static json_t *parse(loader *ld, const char *data, size_t len)
{
    if (len > JM_MAX_INPUT_BYTES) {
        jm_diag_add(ld->diags, JM_SEVERITY_ERROR, ld->file, 0, 0, NULL,
                    "input too large: %zu bytes (the limit is %u MiB)", len,
                    JM_MAX_INPUT_BYTES >> 20);
        return NULL;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    ld->text = data;
    ld->len = len;
    size_t first = 0;
    while (first < len && strchr(" \t\r\n", data[first]) && data[first])
        first++;
    if (first == len) {
        fail_at_offset(ld, 0, NULL, "empty input: expected a JSON object");
        return NULL;
    }
    size_t bad;
    if (!jm_utf8_valid(data, len, &bad)) {
        char *path = jm_json_pos_path_at(data, len, bad);
        if (!path)
            ld->oom = true;
        fail_at_offset(ld, bad, path, "invalid UTF-8 (byte 0x%02X): the file must be UTF-8 text",
                       (unsigned char)data[bad]);
        jm_free(path);
        return NULL;
    }
    if (!check_depth(ld))
        return NULL;
    json_error_t err;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (!doc) {
        syntax_error(ld, &err);
        return NULL;
    }
    if (!json_is_object(doc)) {
        fail_at_offset(ld, first, NULL, "expected a JSON object at the top level, got %s",
                       type_name(doc));
        json_decref(doc);
        return NULL;
    }
    ld->pos = jm_json_pos_new(data, len);
    if (!ld->pos) {
        ld->oom = true;
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static char *base_dir_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    if (strcmp(name, "-") == 0 || !slash)
        return jm_strdup(".");
    return jm_strndup(name, slash == name ? 1 : (size_t)(slash - name));
}

static void build(loader *ld, const json_t *doc)
{
    static const char *const keys[] = {"$schema",     "journeymap", "title",       "subtitle",
                                       "description", "lang",       "persona",     "personas",
                                       "stages",      "channels",   "touchpoints", "items",
                                       "states",      "lanes",      "theme"};
    jm_map *map = ld->map;
    check_values(ld, doc);
    load_header(ld, doc);
    load_personas(ld, doc);
    load_stages(ld, doc);
    load_channels(ld, doc);
    load_lanes(ld, doc);
    /* Checked before the touchpoints are loaded: that is where the memory would go. Items are
     * skipped too, since they name touchpoints that were not loaded. */
    json_t *tps = json_object_get(doc, "touchpoints");
    size_t slots = jm_emotion_slots(map);
    if (json_is_array(tps) && json_array_size(tps) <= JM_MAX_TOUCHPOINTS &&
        json_array_size(tps) * slots > JM_MAX_EMOTION_POINTS) {
        size_t mark = path_key(ld, "touchpoints");
        fail(ld,
             "too many touchpoints for %zu personas: %zu × %zu emotion points (the limit is %d; "
             "split the map, or draw it for fewer personas)",
             slots, json_array_size(tps), slots, JM_MAX_EMOTION_POINTS);
        path_pop(ld, mark);
    } else {
        load_array(ld, doc, "touchpoints", OPTIONAL, JM_MAX_TOUCHPOINTS, (void **)&map->touchpoints,
                   sizeof *map->touchpoints, &map->n_touchpoints, load_touchpoint);
        load_array(ld, doc, "items", OPTIONAL, JM_MAX_ITEMS, (void **)&map->items,
                   sizeof *map->items, &map->n_items, load_item);
    }
    load_states(ld, doc);
    load_theme(ld, doc);
    CHECK_KEYS(ld, doc, keys);
}

/* ---- Handing the diagnostics over -------------------------------------------------------- */

typedef struct diag_order {
    int line, col;
    size_t i;
} diag_order;

static int compare_diags(const void *a, const void *b)
{
    const diag_order *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Copies the collected diagnostics to out in the order of their position in the file. */
static void hand_over(const jm_diags *from, jm_diags *out)
{
    size_t n = jm_diags_count(from);
    diag_order *order = jm_calloc(n ? n : 1, sizeof *order);
    for (size_t i = 0; order && i < n; i++) {
        const jm_diag *d = jm_diags_get(from, i);
        order[i] = (diag_order){d->line, d->column, i};
    }
    /* A list that overflowed ends with a note saying so (diag.c): it stays last. */
    const jm_diag *last = n ? jm_diags_get(from, n - 1) : NULL;
    bool capped = last && last->line == 0 && strncmp(last->message, "too many problems:", 18) == 0;
    if (order)
        qsort(order, capped ? n - 1 : n, sizeof *order, compare_diags);
    for (size_t k = 0; k < n; k++) {
        const jm_diag *d = jm_diags_get(from, order ? order[k].i : k);
        jm_diag_add(out, d->severity, d->file, d->line, d->column, d->path, "%s", d->message);
    }
    jm_free(order);
}

jm_map *jm_load_json(const char *name, const char *data, size_t len, jm_diags *diags)
{
    loader ld = {0};
    ld.file = name ? name : "<input>";
    ld.diags = jm_diags_new();
    jm_buf_append(&ld.path, "", 0);
    json_t *doc = NULL;
    if (!ld.diags || ld.path.failed)
        ld.oom = true;
    else
        doc = parse(&ld, data ? data : "", data ? len : 0);
    if (doc) {
        ld.map = jm_model_new(ld.file);
        if (ld.map)
            ld.map->base_dir = base_dir_of(ld.file);
        if (!ld.map || !ld.map->base_dir)
            ld.oom = true;
        else
            build(&ld, doc);
    }
    bool failed = ld.oom || jm_diags_error_count(ld.diags) > 0;
    size_t errors_before = jm_diags_error_count(diags);
    if (!ld.oom)
        hand_over(ld.diags, diags);
    /* After an allocation failure other messages may be its artefacts: report only that. A
     * failure that left no error behind (one that could not be stored) is one too. */
    if (failed && jm_diags_error_count(diags) == errors_before)
        jm_diag_add(diags, JM_SEVERITY_ERROR, ld.file, 0, 0, NULL, "out of memory");
    json_decref(doc);
    jm_json_pos_free(ld.pos);
    jm_buf_free(&ld.path);
    jm_free(ld.persona_ids.v);
    jm_free(ld.stage_ids.v);
    jm_free(ld.channel_ids.v);
    jm_free(ld.touchpoint_ids.v);
    jm_diags_free(ld.diags);
    if (failed) {
        jm_map_free(ld.map);
        return NULL;
    }
    return ld.map;
}
