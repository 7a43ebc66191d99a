/* CSV spreadsheet exports → the journey model: a header row names the columns, then one
 * touchpoint per row.
 *
 * The reader is a small RFC 4180 state machine (quoted cells with doubled quotes, embedded
 * delimiters and line breaks; CRLF, LF or CR line ends; a UTF-8 BOM skipped). The delimiter
 * is `,`, `;` or TAB, whichever occurs most often outside quotes in the header line (ties:
 * TAB, then `;`, then `,`), or the one an Excel `sep=X` first line names. Leniencies, as in
 * spreadsheet programs: blanks before an opening quote are dropped, and a quote inside an
 * unquoted cell is kept as text. Text after a closing quote is an error, since it means the
 * cell's quotes were not doubled and the columns are likely shifted.
 *
 * Columns are matched case-insensitively, in English or Russian, ignoring a "(…)" suffix
 * (e.g. "Эмоция (-2…+2)"); unknown ones are warnings. Cells are trimmed; rows whose cells are
 * all empty are skipped. Channel cells are matched against the built-in catalogue (ids,
 * aliases, English and Russian names, and common Russian spellings below) and then named as
 * the catalogue names them, as in a JSON model (the lane speaks the map's language whatever
 * the cell said: "web" and "Website" both read "Сайт" on a Russian map); any other text
 * becomes a channel of its own, named as written.
 *
 * Input that is not UTF-8 is refused with the row and column of the first bad byte: a
 * Windows-1251 export decoded as UTF-8 would put garbage on the map.
 *
 * Every diagnostic has an empty JSON path and a message starting "row N: " (N counts the rows
 * after the header, like the spreadsheet's row numbers minus one) or "header row: ": the user
 * wrote a spreadsheet, so line, column and row locate the problem. Columns count characters.
 * Model objects still get the JSON pointer of their equivalent in the JSON model.
 *
 * The record reader is csv_reader.c; the column names and channel spellings csv_columns.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csv_columns.h"
#include "csv_reader.h"
#include "load.h"
#include "model/channels.h"
#include "model/model.h"
#include "model/model_build.h"
#include "util/diag.h"
#include "util/strmap.h"
#include "util/util.h"

#define CSV_MAX_COLUMNS 1000
/* ---- The loader --------------------------------------------------------------------------- */

typedef struct csv_loader {
    const char *file;
    jm_diags *diags;
    jm_map *map;
    csv_reader r;
    size_t errors;                 /* reported by this load (diags may be shared, or NULL) */
    bool failed;                   /* out of memory */
    bool stop;                     /* a limit was exceeded */
    int field_of[CSV_MAX_COLUMNS]; /* header cell → csv_column, -1 ignored */
    size_t n_header;
    jm_builder build;
    jm_strmap stages, channel_texts, ids; /* keys copied */
    size_t row;                           /* data row number, 1 = the first row after the header */
} csv_loader;

static void diag(csv_loader *l, jm_severity sev, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void diag(csv_loader *l, jm_severity sev, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(l->diags, sev, l->file, line, col, "", fmt, ap);
    va_end(ap);
    if (sev == JM_SEVERITY_ERROR)
        l->errors++;
}

static void out_of_memory(csv_loader *l)
{
    if (!l->failed)
        diag(l, JM_SEVERITY_ERROR, 0, 0, "out of memory");
    l->failed = true;
}

/* "row N" or "header row", for messages. */
static const char *row_name(const csv_loader *l, char *buf, size_t n)
{
    if (l->row == 0)
        return "header row";
    snprintf(buf, n, "row %zu", l->row);
    return buf;
}

/* Reads the next record and checks its encoding and quoting; false at the end or on any
 * error. */
static bool next_record(csv_loader *l, size_t max_cells)
{
    int line, col;
    char msg[256], rb[32];
    int rc = jm_csv_next(&l->r, max_cells, &line, &col, msg, sizeof msg);
    if (rc == -2)
        out_of_memory(l);
    else if (rc == -1)
        diag(l, JM_SEVERITY_ERROR, line, col, "%s: %s", row_name(l, rb, sizeof rb), msg);
    return rc > 0;
}

/* An emotion column's "(min…max)" suffix declares the map's scale (a spreadsheet cannot
 * hold a "scale" key); −2…+2 is the default, so a header that names it changes nothing. */
static void header_scale(csv_loader *l, const csv_cell *c, const char *text, const char *paren)
{
    double min, max;
    jm_scale *sc = &l->map->scale;
    if (!jm_csv_parse_range(paren, &min, &max) || (min == -2 && max == 2 && !sc->declared))
        return;
    if (sc->declared && (sc->min != min || sc->max != max)) {
        diag(l, JM_SEVERITY_ERROR, c->line, c->col,
             "header row: \"%s\" declares the scale from %.10g to %.10g, but an earlier column "
             "declared it from %.10g to %.10g; every emotion column uses one scale",
             text, min, max, sc->min, sc->max);
        return;
    }
    sc->declared = true;
    sc->min = min;
    sc->max = max;
    jm_model_src_set(&sc->src, "/scale", c->line, c->col);
    if (!sc->src.path)
        out_of_memory(l);
}

static bool read_header(csv_loader *l)
{
    csv_reader *r = &l->r;
    do {
        if (!next_record(l, CSV_MAX_COLUMNS + 1)) {
            if (!l->errors)
                diag(l, JM_SEVERITY_ERROR, 0, 0,
                     "the file is empty; expected a header row (stage, name, …) and one row per "
                     "touchpoint");
            return false;
        }
    } while (jm_csv_record_is_empty(r));
    if (r->n_cells > CSV_MAX_COLUMNS) {
        diag(l, JM_SEVERITY_ERROR, r->cells[CSV_MAX_COLUMNS].line, r->cells[CSV_MAX_COLUMNS].col,
             "header row: too many columns (the limit is %d)", CSV_MAX_COLUMNS);
        return false;
    }
    bool seen[COL__COUNT] = {false};
    l->n_header = r->n_cells;
    for (size_t i = 0; i < r->n_cells; i++) {
        const csv_cell *c = &r->cells[i];
        const char *text = jm_csv_cell_text(r, i);
        const char *paren = memchr(text, '(', c->len);
        char slug[SLUG_MAX];
        size_t n = jm_csv_slugify(text, paren ? (size_t)(paren - text) : c->len, slug, sizeof slug);
        int field = n ? jm_csv_column_lookup(slug) : -1;
        l->field_of[i] = -1;
        if (c->len == 0)
            continue; /* an unnamed column (e.g. a trailing delimiter) */
        if (field < 0) {
            const char *hint = n ? jm_csv_column_hint(slug) : NULL;
            diag(l, JM_SEVERITY_WARNING, c->line, c->col,
                 "header row: unknown column \"%s\" is ignored%s%s%s", text,
                 hint ? "; did you mean \"" : "", hint ? hint : "", hint ? "\"?" : "");
        } else if (seen[field]) {
            diag(l, JM_SEVERITY_WARNING, c->line, c->col,
                 "header row: a second %s column (\"%s\") is ignored",
                 jm_csv_column_name((csv_column)field), text);
        } else {
            seen[field] = true;
            l->field_of[i] = field;
            if (paren &&
                (field == COL_EMOTION || field == COL_BEFORE_EMOTION || field == COL_AFTER_EMOTION))
                header_scale(l, c, text, paren);
        }
    }
    static const csv_column required[] = {COL_STAGE, COL_NAME};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
        if (seen[required[k]])
            continue;
        char others[256];
        jm_csv_column_synonyms(required[k], others, sizeof others);
        diag(l, JM_SEVERITY_ERROR, r->rec_line, r->rec_col,
             "header row: no \"%s\" column (also accepted: %s)", jm_csv_column_name(required[k]),
             others);
    }
    return l->errors == 0;
}

/* Reports why the builder could not add a stage or a channel (list, named what). */
static void build_failed(csv_loader *l, const csv_cell *c, jm_list list, const char *what)
{
    char rb[32];
    if (l->build.error == JM_BUILD_NO_MEMORY) {
        out_of_memory(l);
        return;
    }
    diag(l, JM_SEVERITY_ERROR, c->line, c->col, "%s: too many %s (the limit is %d)",
         row_name(l, rb, sizeof rb), what, (int)jm_build_limit(list));
    l->stop = true;
}

static long stage_index(csv_loader *l, const char *name, const csv_cell *c)
{
    long found = jm_strmap_get(&l->stages, name);
    if (found >= 0)
        return found;
    jm_stage *st = jm_build_stage(&l->build, c->line, c->col);
    if (!st) {
        build_failed(l, c, JM_LIST_STAGES, "stages");
        return -1;
    }
    size_t index = l->map->n_stages - 1;
    st->name = jm_strdup(name);
    if (!st->name || !jm_strmap_put(&l->stages, name, index)) {
        out_of_memory(l);
        return -1;
    }
    return (long)index;
}

/* The channel a cell names, declared on first use: a built-in one with the catalogue's name,
 * any other with the cell's text as its name. */
static long channel_index(csv_loader *l, const char *text, const csv_cell *c)
{
    jm_map *m = l->map;
    long found = jm_strmap_get(&l->channel_texts, text);
    if (found >= 0)
        return found;
    size_t index;
    char slug[SLUG_MAX];
    size_t n = jm_csv_slugify(text, c->len, slug, sizeof slug);
    const jm_builtin_channel *b = n ? jm_csv_builtin_for(slug) : NULL;
    /* Otherwise an id of our own: the slug, or the text itself when it makes no slug. */
    const char *id = b ? b->id : n ? slug : text;
    for (index = 0; index < m->n_channels && strcmp(m->channels[index].id, id) != 0; index++)
        ;
    if (index == m->n_channels) {
        jm_channel *ch = jm_build_channel(&l->build, id, b ? b->name : text, b);
        if (!ch || !jm_model_src_at(&ch->src, "channels", index, c->line, c->col)) {
            if (ch)
                l->build.error = JM_BUILD_NO_MEMORY;
            build_failed(l, c, JM_LIST_CHANNELS, "channels");
            return -1;
        }
        ch->declared = true;
    }
    if (!jm_strmap_put(&l->channel_texts, text, index)) {
        out_of_memory(l);
        return -1;
    }
    return (long)index;
}

/* 1 yes, 0 no, -1 neither. */
static int parse_yes_no(const char *text, size_t len)
{
    static const char *const yes[] = {"true", "yes", "y", "1", "x", "да", "✓", "✔"};
    static const char *const no[] = {"false", "no", "n", "0", "нет"};
    char slug[SLUG_MAX];
    if (!jm_csv_slugify(text, len, slug, sizeof slug))
        return -1;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcmp(slug, yes[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(slug, no[i]) == 0)
            return 0;
    return -1;
}

/* 1 indirect, 0 direct, -1 neither. */
static int parse_contact(const char *text, size_t len)
{
    static const char *const direct[] = {"direct", "прямой", "прямая", "прямое"};
    static const char *const indirect[] = {"indirect", "косвенный", "косвенная", "косвенное",
                                           "непрямой"};
    char slug[SLUG_MAX];
    if (!jm_csv_slugify(text, len, slug, sizeof slug))
        return -1;
    for (size_t i = 0; i < sizeof direct / sizeof direct[0]; i++)
        if (strcmp(slug, direct[i]) == 0)
            return 0;
    for (size_t i = 0; i < sizeof indirect / sizeof indirect[0]; i++)
        if (strcmp(slug, indirect[i]) == 0)
            return 1;
    return -1;
}

/* The index + 1 of the value a cell names in an action-plan table (each row: the English
 * spelling the JSON model takes, then the Russian one), 0 when none. */
static int parse_plan_value(const char *text, size_t len, const char *const (*table)[2], size_t n)
{
    char slug[SLUG_MAX];
    if (!jm_csv_slugify(text, len, slug, sizeof slug))
        return 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < 2; k++) {
            char want[SLUG_MAX];
            if (jm_csv_slugify(table[i][k], strlen(table[i][k]), want, sizeof want) &&
                strcmp(slug, want) == 0)
                return (int)i + 1;
        }
    return 0;
}

/* An opportunity's status and priority, in jm_status and jm_priority order (1 = first). */
static const char *const plan_statuses[][2] = {{"idea", "идея"},
                                               {"planned", "запланировано"},
                                               {"in progress", "в работе"},
                                               {"done", "готово"}};
static const char *const plan_priorities[][2] = {
    {"high", "высокий"}, {"medium", "средний"}, {"low", "низкий"}};
#define N_OF(a) (sizeof(a) / sizeof(a)[0])

static bool starts_with_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if ((*s | 0x20) != *prefix)
            return false;
    return true;
}

/* A link is one token: no spaces, line breaks or other control characters. */
static bool url_chars_ok(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7F)
            return false;
    return true;
}

static bool copy(csv_loader *l, char **dst, const char *src)
{
    if (!src)
        return true;
    *dst = jm_strdup(src);
    if (!*dst)
        out_of_memory(l);
    return *dst != NULL;
}

/* A cell of a text-list column: one point (a cell has no separator for several; its line
 * breaks stay line breaks within the point). */
static bool copy_point(csv_loader *l, jm_strlist *dst, const char *src)
{
    if (!src)
        return true;
    dst->v = jm_malloc(sizeof *dst->v);
    if (!dst->v || !copy(l, &dst->v[0], src)) {
        if (!dst->v)
            out_of_memory(l);
        return false;
    }
    dst->n = 1;
    dst->single = true;
    return true;
}

static bool set_emotion(csv_loader *l, jm_tp_state *st, double v)
{
    st->emotion = jm_malloc(sizeof *st->emotion); /* one slot: a CSV map has no personas */
    if (!st->emotion) {
        out_of_memory(l);
        return false;
    }
    st->emotion[0] = v;
    st->has_emotion = true;
    return true;
}

/* The cells of one row, by column; NULL where empty. */
typedef struct csv_row {
    const char *text[COL__COUNT];
    const csv_cell *cell[COL__COUNT];
    double emotion[3]; /* emotion, before_emotion, after_emotion */
    int moment_of_truth, indirect;
    int status, priority; /* of the opportunity: jm_status, jm_priority */
} csv_row;

/* Checks a row's values, in column order; false (with errors) when no touchpoint can be made
 * of it. */
static bool check_row(csv_loader *l, csv_row *row, const char *rb)
{
    const csv_reader *r = &l->r;
    size_t errors = l->errors;
    for (size_t i = 0; i < l->n_header; i++) {
        int f = l->field_of[i];
        const csv_cell *c = i < r->n_cells ? &r->cells[i] : NULL;
        const char *text = f >= 0 ? row->text[f] : NULL;
        if (!text) {
            if (f == COL_STAGE || f == COL_NAME) /* a short row: point at its start */
                diag(l, JM_SEVERITY_ERROR, c ? c->line : r->rec_line, c ? c->col : r->rec_col,
                     "%s: the %s is empty", rb, jm_csv_column_name((csv_column)f));
            continue;
        }
        if (c->len > JM_MAX_STRING_BYTES) {
            diag(l, JM_SEVERITY_ERROR, c->line, c->col,
                 "%s: the %s is longer than the limit of %u bytes", rb,
                 jm_csv_column_name((csv_column)f), (unsigned)JM_MAX_STRING_BYTES);
            continue;
        }
        long first_row;
        switch (f) {
        case COL_EMOTION:
        case COL_BEFORE_EMOTION:
        case COL_AFTER_EMOTION: {
            double *v = &row->emotion[f == COL_EMOTION ? 0 : f == COL_BEFORE_EMOTION ? 1 : 2];
            if (!jm_csv_parse_number(text, v) || !jm_emotion_in_scale(l->map, *v)) {
                *v = JM_EMOTION_NONE;
                char range[80];
                jm_scale_range_text(l->map, range, sizeof range);
                diag(l, JM_SEVERITY_ERROR, c->line, c->col,
                     "%s: %s must be a number %s, got \"%s\"", rb,
                     jm_csv_column_name((csv_column)f), range, text);
            }
            break;
        }
        case COL_MOMENT_OF_TRUTH:
            row->moment_of_truth = parse_yes_no(text, c->len);
            if (row->moment_of_truth < 0)
                diag(l, JM_SEVERITY_ERROR, c->line, c->col,
                     "%s: moment_of_truth must be yes or no, got \"%s\"", rb, text);
            break;
        case COL_CONTACT:
            row->indirect = parse_contact(text, c->len);
            if (row->indirect < 0)
                diag(l, JM_SEVERITY_ERROR, c->line, c->col,
                     "%s: contact must be \"direct\" or \"indirect\", got \"%s\"", rb, text);
            break;
        case COL_STATUS:
        case COL_PRIORITY: {
            bool is_status = f == COL_STATUS;
            int *v = is_status ? &row->status : &row->priority;
            *v = is_status ? parse_plan_value(text, c->len, plan_statuses, N_OF(plan_statuses))
                           : parse_plan_value(text, c->len, plan_priorities, N_OF(plan_priorities));
            if (!*v)
                diag(l, JM_SEVERITY_ERROR, c->line, c->col, "%s: %s must be %s, got \"%s\"", rb,
                     is_status ? "status" : "priority",
                     is_status ? "\"idea\", \"planned\", \"in progress\" or \"done\""
                               : "\"high\", \"medium\" or \"low\"",
                     text);
            else if (!row->text[COL_OPPORTUNITY]) /* the model keeps them with an opportunity */
                diag(l, JM_SEVERITY_ERROR, c->line, c->col,
                     "%s: %s is the opportunity's, but the row has no opportunity", rb,
                     is_status ? "status" : "priority");
            break;
        }
        case COL_URL:
            if (!starts_with_nocase(text, "http://") && !starts_with_nocase(text, "https://"))
                diag(l, JM_SEVERITY_ERROR, c->line, c->col,
                     "%s: url must start with http:// or https://, got \"%s\"", rb, text);
            else if (!url_chars_ok(text)) /* as the JSON model demands */
                diag(l, JM_SEVERITY_ERROR, c->line, c->col,
                     "%s: url must not contain spaces or control characters, got \"%s\"", rb, text);
            break;
        case COL_ID:
            first_row = jm_strmap_get(&l->ids, text);
            if (first_row >= 0)
                diag(l, JM_SEVERITY_ERROR, c->line, c->col,
                     "%s: duplicate id \"%s\" (first used on row %ld)", rb, text, first_row);
            else if (!jm_strmap_put(&l->ids, text, l->row))
                out_of_memory(l);
            break;
        default: break;
        }
    }
    return l->errors == errors;
}

static void add_touchpoint(csv_loader *l, const csv_row *row, const char *rb)
{
    jm_map *m = l->map;
    const csv_reader *r = &l->r;
    if (jm_build_full(&l->build, JM_LIST_TOUCHPOINTS)) {
        diag(l, JM_SEVERITY_ERROR, r->rec_line, r->rec_col,
             "%s: too many rows (the limit is %d touchpoints)", rb, JM_MAX_TOUCHPOINTS);
        l->stop = true;
        return;
    }
    long stage = stage_index(l, row->text[COL_STAGE], row->cell[COL_STAGE]);
    long channel = -1;
    if (stage >= 0 && row->text[COL_CHANNEL])
        channel = channel_index(l, row->text[COL_CHANNEL], row->cell[COL_CHANNEL]);
    if (stage < 0 || (row->text[COL_CHANNEL] && channel < 0))
        return;
    jm_touchpoint *tp = jm_build_touchpoint(&l->build, (size_t)stage, r->rec_line, r->rec_col);
    if (!tp) {
        out_of_memory(l);
        return;
    }
    tp->channel = channel;
    tp->moment_of_truth = row->moment_of_truth > 0;
    tp->indirect = row->indirect > 0;
    jm_tp_state *base = &tp->base;
    bool ok = copy(l, &tp->name, row->text[COL_NAME]) && copy(l, &tp->id, row->text[COL_ID]) &&
              copy_point(l, &base->action, row->text[COL_ACTION]) &&
              copy(l, &base->description, row->text[COL_DESCRIPTION]) &&
              copy_point(l, &base->thought, row->text[COL_THOUGHT]) &&
              copy_point(l, &base->pain, row->text[COL_PAIN]) &&
              copy_point(l, &base->opportunity, row->text[COL_OPPORTUNITY]) &&
              copy(l, &tp->url, row->text[COL_URL]) && copy(l, &tp->owner, row->text[COL_OWNER]) &&
              copy(l, &tp->notes, row->text[COL_NOTES]);
    if (ok && (row->status || row->priority)) {
        base->opportunity.plan = jm_calloc(1, sizeof *base->opportunity.plan);
        if (!base->opportunity.plan) {
            out_of_memory(l);
            ok = false;
        } else {
            base->opportunity.plan->status = (jm_status)row->status;
            base->opportunity.plan->priority = (jm_priority)row->priority;
        }
    }
    /* Each drawn text's cell, for messages about its text (the touchpoint is at the row). */
    static const struct {
        csv_column column;
        const char *field;
    } texts[] = {
        {COL_NAME, "name"},       {COL_ACTION, "action"}, {COL_DESCRIPTION, "description"},
        {COL_THOUGHT, "thought"}, {COL_PAIN, "pain"},     {COL_OPPORTUNITY, "opportunity"}};
    for (size_t k = 0; ok && k < sizeof texts / sizeof texts[0]; k++) {
        const csv_cell *c = row->cell[texts[k].column];
        if (!c)
            continue;
        char path[64];
        snprintf(path, sizeof path, "%s/%s", tp->src.path, texts[k].field);
        if (!jm_build_field(&l->build, path, c->line, c->col)) {
            out_of_memory(l);
            ok = false;
        }
    }
    if (ok && row->emotion[0] != JM_EMOTION_NONE)
        ok = set_emotion(l, base, row->emotion[0]);
    jm_tp_state *states[2] = {&tp->before, &tp->after};
    for (int k = 0; k < 2 && ok; k++) {
        const char *text = row->text[k ? COL_AFTER : COL_BEFORE];
        double emotion = row->emotion[k + 1];
        if (!text && emotion == JM_EMOTION_NONE)
            continue;
        states[k]->present = true;
        m->has_states = true;
        const csv_cell *at = row->cell[text ? (k ? COL_AFTER : COL_BEFORE)
                                            : (k ? COL_AFTER_EMOTION : COL_BEFORE_EMOTION)];
        char path[64];
        snprintf(path, sizeof path, "/touchpoints/%zu/%s", tp->order, k ? "after" : "before");
        jm_model_src_set(&states[k]->src, path, at->line, at->col);
        ok = states[k]->src.path && copy(l, &states[k]->description, text) &&
             (emotion == JM_EMOTION_NONE || set_emotion(l, states[k], emotion));
        if (!states[k]->src.path)
            out_of_memory(l);
    }
}

static void read_row(csv_loader *l)
{
    csv_reader *r = &l->r;
    if (jm_csv_record_is_empty(r))
        return;
    char rb[32];
    row_name(l, rb, sizeof rb);
    if (r->extra_cells)
        diag(l, JM_SEVERITY_WARNING, r->rec_line, r->rec_col,
             "%s: %zu more cell%s than the header row has, ignored (does a cell with a \"%s\" "
             "need quotes?)",
             rb, r->extra_cells, r->extra_cells == 1 ? "" : "s",
             r->delim == '\t'  ? "\\t"
             : r->delim == ';' ? ";"
                               : ",");
    csv_row row = {{NULL}, {NULL}, {JM_EMOTION_NONE, JM_EMOTION_NONE, JM_EMOTION_NONE}, 0, 0, 0, 0};
    for (size_t i = 0; i < r->n_cells; i++) {
        int f = l->field_of[i];
        if (f >= 0 && r->cells[i].len) {
            row.text[f] = jm_csv_cell_text(r, i);
            row.cell[f] = &r->cells[i];
        }
    }
    if (check_row(l, &row, rb))
        add_touchpoint(l, &row, rb);
}

jm_map *jm_load_csv(const char *name, const char *data, size_t len, const jm_load_options *opts,
                    jm_diags *diags)
{
    csv_loader l = {.file = name ? name : "<input>", .diags = diags};
    l.stages.copy_keys = l.channel_texts.copy_keys = l.ids.copy_keys = true;
    csv_reader *r = &l.r;
    if (len > JM_MAX_INPUT_BYTES) {
        diag(&l, JM_SEVERITY_ERROR, 0, 0, "input is larger than the limit of %u bytes",
             (unsigned)JM_MAX_INPUT_BYTES);
        return NULL;
    }
    if (!jm_csv_open(r, data, len)) {
        diag(&l, JM_SEVERITY_ERROR, 1, 1,
             "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\"");
        return NULL;
    }
    size_t start = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* after the BOM */

    l.map = jm_model_new(l.file);
    if (!l.map) {
        out_of_memory(&l);
        goto done;
    }
    l.build = jm_builder_for(l.map);
    if (read_header(&l)) {
        while (!l.failed && !l.stop) {
            l.row++;
            if (!next_record(&l, l.n_header))
                break;
            read_row(&l);
        }
        if (l.errors == 0 && l.map->n_stages == 0)
            diag(&l, JM_SEVERITY_ERROR, 0, 0, "there are no touchpoint rows after the header row");
    }
    if (l.errors == 0) {
        jm_map *m = l.map;
        m->title = opts && opts->title && *opts->title ? jm_strdup(opts->title)
                                                       : jm_model_default_title(l.file);
        m->lang = jm_strdup(jm_guess_lang(data + start, len - start));
        if (!m->title || !m->lang)
            out_of_memory(&l);
    }

done:
    jm_buf_free(&r->text);
    jm_free(r->cells);
    jm_strmap_free(&l.stages);
    jm_strmap_free(&l.channel_texts);
    jm_strmap_free(&l.ids);
    if (l.errors) {
        jm_map_free(l.map);
        return NULL;
    }
    return l.map;
}
