/* The JSON loader: checks the raw text (size, UTF-8, nesting), parses it with jansson, then
 * validates every rule of the journey model (spec section 2) while it builds the jm_map.
 *
 * Every problem is reported, not just the first, each at the line and column of the offending
 * value (found with json_pos) and with its JSON pointer. The loader collects them in a list of
 * its own and hands them over sorted by position, so they read top to bottom like a compiler's.
 * Nesting is bounded by JM_MAX_DEPTH before jansson sees the text, so no recursion here can
 * grow with the input.
 *
 * This file checks the raw text and walks the document; the members are read in
 * load_json_frame.c and load_json_cards.c over the helpers of load_json_read.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "load_json.h"
#include "util/diag.h"

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

/* ---- Value checks --------------------------------------------------------------------- */

/* Refuses a string our outputs could not carry (see jm_text_allowed); at_key: s is the key of
 * the current path. */
static void check_text(loader *ld, const char *s, size_t n, bool at_key)
{
    uint32_t cp;
    if (!jm_text_allowed(s, n, NULL, &cp))
        jm_jl_report(ld, JM_SEVERITY_ERROR, at_key, "U+%04X is not allowed in text (%s)",
                     (unsigned)cp, jm_text_refused_kind(cp));
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
            char *text = jm_jl_number_as_written(ld, v);
            jm_jl_fail(ld, "number out of range: got %s (the limit is ±1e15)", text ? text : "");
            jm_free(text);
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            size_t m = jm_jl_path_index(ld, i);
            check_values(ld, json_array_get(v, i));
            jm_jl_path_pop(ld, m);
        }
    } else if (json_is_object(v)) {
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)v, key, member)
        {
            size_t m = jm_jl_path_key(ld, key);
            check_text(ld, key, strlen(key), true);
            check_values(ld, member);
            jm_jl_path_pop(ld, m);
        }
    }
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

#define ANY_VALUE "a value (object, array, string, number, true, false or null)"

/* The token text[start, end) as a message shows it: quoted unless it is a string already, cut
 * when long (never inside a UTF-8 sequence). */
static void show_token(const loader *ld, size_t start, size_t end, char *shown, size_t size)
{
    const char *text = ld->text;
    size_t n = end - start < 40 ? end - start : 40;
    while (n > 0 && n < end - start && ((unsigned char)text[start + n] & 0xC0) == 0x80)
        n--;
    char first_char = start < ld->len ? text[start] : '\0'; /* start is len with no token */
    const char *quote = first_char == '"' ? "" : "'";
    snprintf(shown, size, "%s%.*s%s%s", quote, (int)n, text + start, n < end - start ? "…" : "",
             quote);
}

/* The message for input that ends too early (jansson's words w), and where it points. */
static void eof_message(const loader *ld, const char *w, size_t *at, size_t *path_at, char *msg,
                        size_t size)
{
    const char *text = ld->text;
    bool unterminated;
    size_t last = last_token(text, ld->len, &unterminated);
    if (unterminated) {
        *at = *path_at = last;
        snprintf(msg, size, "unterminated string: the input ends before its closing quote");
        return;
    }
    const char *expected = starts_with(w, "'}'")         ? "',' or '}'"
                           : starts_with(w, "']'")       ? "',' or ']'"
                           : starts_with(w, "':'")       ? "':'"
                           : starts_with(w, "string or") ? "a key or '}'"
                                                         : ANY_VALUE;
    *at = *path_at = ld->len; /* just past the last visible character */
    while (*at > 0 && is_space(text[*at - 1]))
        (*at)--;
    snprintf(msg, size, "unexpected end of input, expected %s (is the file truncated?)", expected);
}

/* Reports a jansson parse error in words of what was expected, at the start of the offending
 * token, with the JSON pointer of the place where parsing stopped. */
static void syntax_error(loader *ld, const json_error_t *err)
{
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
    char shown[80];
    show_token(ld, start, end, shown, sizeof shown);
    char first_char = start < ld->len ? text[start] : '\0'; /* start is len with no token */
    size_t prev = start; /* the last character before the token, to spot trailing commas */
    while (prev > 0 && is_space(text[prev - 1]))
        prev--;
    bool after_comma = prev > 0 && text[prev - 1] == ',';
    char close = first_char;

    size_t at = start, path_at = start;
    char msg[256];
    if (at_eof) {
        eof_message(ld, w, &at, &path_at, msg, sizeof msg);
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
            snprintf(msg, sizeof msg, "expected %s, got %s", ANY_VALUE, shown);
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
                       jm_json_type_name(doc));
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
    static const char *const keys[] = {
        "$schema",  "journeymap", "title",    "subtitle",    "description", "lang",   "persona",
        "personas", "stages",     "channels", "touchpoints", "items",       "states", "lanes",
        "theme",    "scale",      "footer",   "logo",        "logo_alt",    "lint"};
    jm_map *map = ld->map;
    check_values(ld, doc);
    jm_jl_load_header(ld, doc);
    jm_jl_load_scale(ld, doc);
    jm_jl_load_personas(ld, doc);
    jm_jl_load_stages(ld, doc);
    jm_jl_load_channels(ld, doc);
    jm_jl_load_lanes(ld, doc);
    /* Checked before the touchpoints are loaded: that is where the memory would go. Items are
     * skipped too, since they name touchpoints that were not loaded. */
    json_t *tps = json_object_get(doc, "touchpoints");
    size_t slots = jm_emotion_slots(map);
    if (json_is_array(tps) && json_array_size(tps) <= JM_MAX_TOUCHPOINTS &&
        json_array_size(tps) * slots > JM_MAX_EMOTION_POINTS) {
        size_t mark = jm_jl_path_key(ld, "touchpoints");
        jm_jl_fail(
            ld,
            "too many touchpoints for %zu personas: %zu × %zu emotion points (the limit is %d; "
            "split the map, or draw it for fewer personas)",
            slots, json_array_size(tps), slots, JM_MAX_EMOTION_POINTS);
        jm_jl_path_pop(ld, mark);
    } else {
        jm_jl_load_array(ld, doc, "touchpoints", OPTIONAL, JM_MAX_TOUCHPOINTS,
                         (void **)&map->touchpoints, sizeof *map->touchpoints, &map->n_touchpoints,
                         jm_jl_load_touchpoint);
        jm_jl_load_array(ld, doc, "items", OPTIONAL, JM_MAX_ITEMS, (void **)&map->items,
                         sizeof *map->items, &map->n_items, jm_jl_load_item);
    }
    jm_jl_load_states(ld, doc);
    jm_jl_load_theme(ld, doc);
    jm_jl_load_lint(ld, doc);
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
    if (!failed && ld.map) { /* for the checks made right after loading (src/api.c) */
        ld.map->pos = ld.pos;
        ld.pos = NULL;
    }
    jm_json_pos_free(ld.pos);
    jm_buf_free(&ld.path);
    jm_strmap_free(&ld.persona_ids);
    jm_strmap_free(&ld.stage_ids);
    jm_strmap_free(&ld.channel_ids);
    jm_strmap_free(&ld.touchpoint_ids);
    jm_diags_free(ld.diags);
    if (failed) {
        jm_map_free(ld.map);
        return NULL;
    }
    return ld.map;
}
