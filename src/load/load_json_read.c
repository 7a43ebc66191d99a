/* The JSON loader's state and typed access (see load_json.h): the JSON pointer of the value
 * being checked, reports at its position, the get_* helpers that check a member's type and
 * limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load_json.h"
#include "util/diag.h"

static const char *const type_names[] = {"an object", "an array", "a string", "a number",
                                         "a boolean"};

/* ---- Paths and reports ---------------------------------------------------------------- */

const char *jm_jl_cur_path(const loader *ld) { return ld->path.data ? ld->path.data : ""; }

static void path_check(loader *ld)
{
    if (ld->path.failed)
        ld->oom = true;
}

/* Extends the path by one member key (escaped per RFC 6901); returns the mark to restore. */
size_t jm_jl_path_key(loader *ld, const char *key)
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

size_t jm_jl_path_index(loader *ld, size_t i)
{
    size_t mark = ld->path.len;
    jm_buf_printf(&ld->path, "/%zu", i);
    path_check(ld);
    return mark;
}

void jm_jl_path_pop(loader *ld, size_t mark)
{
    if (ld->path.data && mark <= ld->path.len) {
        ld->path.len = mark;
        ld->path.data[mark] = '\0';
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

__attribute__((format(printf, 4, 5))) void jm_jl_report(loader *ld, jm_severity sev, bool at_key,
                                                        const char *fmt, ...)
{
    int line, col;
    locate(ld, at_key, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(ld->diags, sev, ld->file, line, col, jm_jl_cur_path(ld), fmt, ap);
    va_end(ap);
}

void jm_jl_set_src(loader *ld, jm_src *src)
{
    int line, col;
    locate(ld, false, &line, &col);
    jm_model_src_set(src, jm_jl_cur_path(ld), line, col);
    if (!src->path)
        ld->oom = true;
}

char *jm_jl_dup_or_oom(loader *ld, const char *s)
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
void jm_jl_fail_unknown(loader *ld, bool at_key, const char *what, const char *word,
                        const char *const *names, size_t n, const char *label)
{
    jm_buf b = {0};
    append_choices(&b, word, names, n, label);
    char *suffix = jm_buf_take(&b);
    if (!suffix)
        ld->oom = true;
    jm_jl_report(ld, JM_SEVERITY_ERROR, at_key, "unknown %s \"%s\"%s", what, word,
                 suffix ? suffix : "");
    jm_free(suffix);
}

/* ---- Typed access ------------------------------------------------------------------------ */

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
bool jm_jl_expect(loader *ld, const json_t *v, value_type t)
{
    if (is_type(v, t))
        return true;
    jm_jl_fail(ld, "expected %s, got %s", type_names[t], jm_json_type_name(v));
    return false;
}

/* obj[key] with the path extended to it (restore with jm_jl_path_pop(ld, *mark)). A missing
 * required key is reported at the object. */
json_t *jm_jl_member(loader *ld, const json_t *obj, const char *key, unsigned flags, size_t *mark)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (flags & REQUIRED)
            jm_jl_fail(ld, "missing required key \"%s\"", key);
        return NULL;
    }
    *mark = jm_jl_path_key(ld, key);
    return v;
}

bool jm_jl_string_value(loader *ld, const json_t *v, unsigned flags, char **out)
{
    if (!jm_jl_expect(ld, v, T_STRING))
        return false;
    size_t n = json_string_length(v);
    if (n > JM_MAX_STRING_BYTES) {
        jm_jl_fail(ld, "text too long: %zu bytes (the limit is %u)", n, JM_MAX_STRING_BYTES);
        return false;
    }
    if (n == 0 && (flags & NONEMPTY)) {
        jm_jl_fail(ld, "must not be empty");
        return false;
    }
    jm_free(*out);
    *out = jm_strndup(json_string_value(v), n);
    if (!*out)
        ld->oom = true;
    return *out != NULL;
}

bool jm_jl_get_string(loader *ld, const json_t *obj, const char *key, unsigned flags, char **out)
{
    size_t mark;
    json_t *v = jm_jl_member(ld, obj, key, flags, &mark);
    if (!v)
        return false;
    bool ok = jm_jl_string_value(ld, v, flags, out);
    jm_jl_path_pop(ld, mark);
    return ok;
}

bool jm_jl_get_number(loader *ld, const json_t *obj, const char *key, unsigned flags, double *out)
{
    size_t mark;
    json_t *v = jm_jl_member(ld, obj, key, flags, &mark);
    if (!v)
        return false;
    bool ok = jm_jl_expect(ld, v, T_NUMBER);
    if (ok)
        *out = json_number_value(v);
    jm_jl_path_pop(ld, mark);
    return ok;
}

void jm_jl_get_bool(loader *ld, const json_t *obj, const char *key, bool *out)
{
    size_t mark;
    json_t *v = jm_jl_member(ld, obj, key, OPTIONAL, &mark);
    if (!v)
        return;
    if (jm_jl_expect(ld, v, T_BOOLEAN))
        *out = json_is_true(v);
    jm_jl_path_pop(ld, mark);
}

/* One of names[0..n) as its index; *out unchanged when absent or invalid. */
void jm_jl_get_choice(loader *ld, const json_t *obj, const char *key, const char *const *names,
                      size_t n, int *out)
{
    size_t mark;
    json_t *v = jm_jl_member(ld, obj, key, OPTIONAL, &mark);
    if (!v)
        return;
    if (jm_jl_expect(ld, v, T_STRING)) {
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
            jm_jl_fail(ld, "expected %s, got \"%s\"", list ? list : "", s);
            jm_free(list);
        }
    }
    jm_jl_path_pop(ld, mark);
}

/* An array of at most `limit` elements (the path is extended to it; restore with *mark). */
json_t *jm_jl_get_array(loader *ld, const json_t *obj, const char *key, unsigned flags,
                        size_t limit, size_t *mark)
{
    json_t *v = jm_jl_member(ld, obj, key, flags, mark);
    if (!v)
        return NULL;
    if (!jm_jl_expect(ld, v, T_ARRAY)) {
        jm_jl_path_pop(ld, *mark);
        return NULL;
    }
    if (json_array_size(v) > limit) {
        jm_jl_fail(ld, "too many %s: %zu (the limit is %zu)", key, json_array_size(v), limit);
        jm_jl_path_pop(ld, *mark);
        return NULL;
    }
    return v;
}

/* The action-plan keys of an opportunity or an item: owner, status, priority. */
void jm_jl_load_plan(loader *ld, const json_t *obj, jm_plan *plan)
{
    static const char *const statuses[] = {"idea", "planned", "in progress", "done"};
    static const char *const priorities[] = {"high", "medium", "low"};
    int status = -1, priority = -1;
    jm_jl_get_string(ld, obj, "owner", NONEMPTY, &plan->owner);
    jm_jl_get_choice(ld, obj, "status", statuses, 4, &status);
    jm_jl_get_choice(ld, obj, "priority", priorities, 3, &priority);
    plan->status = (jm_status)(status + 1);
    plan->priority = (jm_priority)(priority + 1);
}

/* One point written as an object {"text", "owner", "status", "priority"} (an opportunity):
 * its text in out->v[i] and its plan in out->plan[i], allocated on the first such point. */
static void point_object(loader *ld, const json_t *v, jm_strlist *out, size_t i)
{
    static const char *const point_keys[] = {"text", "owner", "status", "priority"};
    if (!out->plan && !(out->plan = jm_calloc(out->n, sizeof *out->plan))) {
        ld->oom = true;
        return;
    }
    jm_jl_get_string(ld, v, "text", REQUIRED | NONEMPTY, &out->v[i]);
    jm_jl_load_plan(ld, v, &out->plan[i]);
    CHECK_KEYS(ld, v, point_keys);
}

/* One point of a list: a string, or (with_plan) an object. */
static void point_value(loader *ld, const json_t *v, bool with_plan, jm_strlist *out, size_t i)
{
    if (with_plan && json_is_object(v))
        point_object(ld, v, out, i);
    else if (with_plan && !json_is_string(v))
        jm_jl_fail(ld, "expected a string or an object with \"text\", got %s",
                   jm_json_type_name(v));
    else
        jm_jl_string_value(ld, v, OPTIONAL, &out->v[i]);
}

void jm_jl_get_points(loader *ld, const json_t *obj, const char *key, bool allow_single,
                      bool with_plan, jm_strlist *out)
{
    size_t mark;
    json_t *v = jm_jl_member(ld, obj, key, OPTIONAL, &mark);
    if (!v)
        return;
    if (allow_single && (json_is_string(v) || (with_plan && json_is_object(v)))) {
        out->v = jm_calloc(1, sizeof *out->v);
        if (!out->v) {
            ld->oom = true;
        } else {
            out->n = 1;
            out->single = true;
            point_value(ld, v, with_plan, out, 0);
        }
    } else if (!json_is_array(v)) {
        jm_jl_fail(ld, "expected %s, got %s",
                   with_plan      ? "a string, an object or an array of them"
                   : allow_single ? "a string or an array of strings"
                                  : "an array of strings",
                   jm_json_type_name(v));
    } else if (json_array_size(v) > JM_MAX_LIST) {
        jm_jl_fail(ld, "too many entries: %zu (the limit is %d)", json_array_size(v), JM_MAX_LIST);
    } else if (json_array_size(v) > 0) {
        size_t n = json_array_size(v);
        out->v = jm_calloc(n, sizeof *out->v);
        if (!out->v) {
            ld->oom = true;
        } else {
            out->n = n;
            for (size_t i = 0; i < n; i++) {
                size_t m = jm_jl_path_index(ld, i);
                point_value(ld, json_array_get(v, i), with_plan, out, i);
                jm_jl_path_pop(ld, m);
            }
        }
    }
    jm_jl_path_pop(ld, mark);
}

void jm_jl_get_strlist(loader *ld, const json_t *obj, const char *key, bool allow_single,
                       jm_strlist *out)
{
    jm_jl_get_points(ld, obj, key, allow_single, false, out);
}

/* Warns about every key of obj not in allowed, with a "did you mean" hint. */
void jm_jl_check_keys(loader *ld, const json_t *obj, const char *const *allowed, size_t n)
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
        size_t mark = jm_jl_path_key(ld, key);
        if (hint)
            jm_jl_report(ld, JM_SEVERITY_WARNING, true, "unknown key \"%s\" (did you mean \"%s\"?)",
                         key, hint);
        else
            jm_jl_report(ld, JM_SEVERITY_WARNING, true, "unknown key \"%s\"", key);
        jm_jl_path_pop(ld, mark);
    }
}

/* Calls load(ld, element, items, i) for each object of the array obj[key], allocating *items
 * (zeroed, so a partly loaded model can be freed) and setting *count. Elements that are not
 * objects are reported. Returns the array, or NULL when absent or invalid. */
json_t *jm_jl_load_array(loader *ld, const json_t *obj, const char *key, unsigned flags,
                         size_t limit, void **items, size_t item_size, size_t *count,
                         element_loader load)
{
    size_t mark;
    json_t *arr = jm_jl_get_array(ld, obj, key, flags, limit, &mark);
    if (!arr)
        return NULL;
    size_t n = json_array_size(arr);
    *items = jm_calloc(n ? n : 1, item_size);
    if (!*items) {
        ld->oom = true;
        jm_jl_path_pop(ld, mark);
        return NULL;
    }
    *count = n;
    for (size_t i = 0; i < n; i++) {
        size_t m = jm_jl_path_index(ld, i);
        json_t *el = json_array_get(arr, i);
        if (jm_jl_expect(ld, el, T_OBJECT))
            load(ld, el, *items, i);
        jm_jl_path_pop(ld, m);
    }
    jm_jl_path_pop(ld, mark);
    return arr;
}

/* The number at the current path as written in the file ("2.0000001", not what %g makes of
 * it): a new string, NULL when out of memory. */
char *jm_jl_number_as_written(loader *ld, const json_t *v)
{
    size_t start, end;
    char *s = jm_json_pos_find_span(ld->pos, jm_jl_cur_path(ld), &start, &end)
                  ? jm_strndup(ld->text + start, end - start)
                  : jm_asprintf("%.17g", json_number_value(v));
    if (!s)
        ld->oom = true;
    return s;
}
