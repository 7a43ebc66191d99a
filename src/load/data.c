/* Survey and analytics data joined to a map (jm_map_join_data_*, `journeymap --data`).
 *
 * The file is read with the CSV input's reader (csv_reader.c: BOM, `,` `;` or tab, RFC 4180,
 * UTF-8 only). The header names the columns (case-insensitively, "(…)" suffixes ignored):
 * touchpoint (the id), persona, emotion or score, n (responses a row stands for), date; every
 * other column whose cells are all numbers is a metric of that name. Everything is read and
 * checked before the map changes, so a file with an error leaves the map as it was.
 *
 * Per touchpoint (and persona) the responses' mean becomes the emotion, and the layout gets
 * the quartiles and n (jm_emotion_stat). The spread is the interquartile range: survey scores
 * are bounded and often skewed, and the quartiles stay on the scale and are not pulled by a
 * few extreme answers, where mean ± 1 s.d. can run off the scale. Rows that are aggregates
 * (n > 1) give a weighted mean and no band: their responses' spread is not in the file. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_columns.h"
#include "csv_reader.h"
#include "load.h"
#include "model/model.h"
#include "model/stats.h"
#include "util/diag.h"
#include "util/util.h"

#define DATA_MAX_COLUMNS 1000
#define DATA_MAX_ROWS 10000000

enum { DC_TOUCHPOINT, DC_PERSONA, DC_EMOTION, DC_SCORE, DC_N, DC_DATE, DC__COUNT };

static const struct {
    const char *slug;
    int column;
} data_columns[] = {
    {"touchpoint", DC_TOUCHPOINT}, {"touchpoint_id", DC_TOUCHPOINT},
    {"persona", DC_PERSONA},       {"persona_id", DC_PERSONA},
    {"emotion", DC_EMOTION},       {"score", DC_SCORE},
    {"rating", DC_SCORE},          {"n", DC_N},
    {"responses", DC_N},           {"date", DC_DATE},
};

typedef struct data_row {
    size_t tp;
    long slot;    /* persona index, -1: every persona */
    double value; /* on the map's scale; NAN: none */
    double weight;
    size_t first_metric; /* into the reader's metric cells */
} data_row;

typedef struct data_reader {
    const char *file;
    jm_map *map;
    const jm_data_options *opts;
    jm_diags *diags;
    size_t errors;
    bool oom;
    csv_reader r;
    int field[DATA_MAX_COLUMNS];  /* header cell → DC_*, or -1 */
    int metric[DATA_MAX_COLUMNS]; /* header cell → metric column index, or -1 */
    char **metric_name;
    bool *metric_numeric;
    size_t n_metrics;
    data_row *rows;
    size_t n_rows, cap_rows;
    double *cells; /* n_metrics a row: NAN where empty */
    size_t n_cells, cap_cells;
    char date_min[11], date_max[11];
    struct tp_id *ids; /* the touchpoints' ids, sorted, for the lookup */
    size_t n_ids;
    size_t n_header, cap_metrics;
} data_reader;

static void diag(data_reader *d, jm_severity sev, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void diag(data_reader *d, jm_severity sev, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(d->diags, sev, d->file, line, col, "", fmt, ap);
    va_end(ap);
    if (sev == JM_SEVERITY_ERROR)
        d->errors++;
}

static void out_of_memory(data_reader *d)
{
    if (!d->oom)
        diag(d, JM_SEVERITY_ERROR, 0, 0, "out of memory");
    d->oom = true;
}

/* ---- Looking up ids ------------------------------------------------------------------------ */

typedef struct tp_id {
    const char *id;
    size_t index;
} tp_id;

static int by_id(const void *a, const void *b)
{
    return strcmp(((const tp_id *)a)->id, ((const tp_id *)b)->id);
}

static bool index_ids(data_reader *d)
{
    const jm_map *m = d->map;
    d->ids = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *d->ids);
    if (!d->ids)
        return false;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        if (m->touchpoints[i].id)
            d->ids[d->n_ids++] = (tp_id){m->touchpoints[i].id, i};
    qsort(d->ids, d->n_ids, sizeof *d->ids, by_id);
    return true;
}

static long find_tp(const data_reader *d, const char *id)
{
    tp_id key = {id, 0};
    const tp_id *f = bsearch(&key, d->ids, d->n_ids, sizeof *d->ids, by_id);
    return f ? (long)f->index : -1;
}

static long find_persona(const jm_map *m, const char *id)
{
    for (size_t i = 0; i < m->n_personas; i++)
        if (m->personas[i].id && strcmp(m->personas[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* ---- Reading ------------------------------------------------------------------------------- */

static bool next_record(data_reader *d, size_t max_cells, size_t row)
{
    int line, col;
    char msg[256];
    int rc = jm_csv_next(&d->r, max_cells, &line, &col, msg, sizeof msg);
    if (rc == -2)
        out_of_memory(d);
    else if (rc == -1 && row)
        diag(d, JM_SEVERITY_ERROR, line, col, "row %zu: %s", row, msg);
    else if (rc == -1)
        diag(d, JM_SEVERITY_ERROR, line, col, "header row: %s", msg);
    return rc > 0;
}

static const char *scale_hint = "(--data-scale 1..5, 0..10 or nps)";

static bool read_header(data_reader *d)
{
    csv_reader *r = &d->r;
    do {
        if (!next_record(d, DATA_MAX_COLUMNS + 1, 0)) {
            if (!d->errors)
                diag(d, JM_SEVERITY_ERROR, 0, 0,
                     "the file is empty; expected a header row (touchpoint, emotion or score, "
                     "metrics…) and one row per response");
            return false;
        }
    } while (jm_csv_record_is_empty(r));
    if (r->n_cells > DATA_MAX_COLUMNS) {
        diag(d, JM_SEVERITY_ERROR, r->cells[DATA_MAX_COLUMNS].line, r->cells[DATA_MAX_COLUMNS].col,
             "header row: too many columns (the limit is %d)", DATA_MAX_COLUMNS);
        return false;
    }
    bool seen[DC__COUNT] = {false};
    d->n_header = r->n_cells;
    for (size_t i = 0; i < r->n_cells; i++) {
        const csv_cell *c = &r->cells[i];
        const char *text = jm_csv_cell_text(r, i);
        const char *paren = memchr(text, '(', c->len);
        char slug[256];
        size_t n = jm_csv_slugify(text, paren ? (size_t)(paren - text) : c->len, slug, sizeof slug);
        d->field[i] = d->metric[i] = -1;
        if (!n)
            continue;
        int f = -1;
        for (size_t k = 0; k < sizeof data_columns / sizeof data_columns[0]; k++)
            if (strcmp(data_columns[k].slug, slug) == 0)
                f = data_columns[k].column;
        if (f >= 0 && seen[f]) {
            diag(d, JM_SEVERITY_WARNING, c->line, c->col,
                 "header row: a second %s column (\"%s\") is ignored", slug, text);
        } else if (f >= 0) {
            seen[f] = true;
            d->field[i] = f;
        } else {
            char *name = jm_strdup(text);
            if (!name || !JM_PUSH(d->metric_name, d->n_metrics, d->cap_metrics, name)) {
                jm_free(name);
                out_of_memory(d);
                return false;
            }
            d->metric[i] = (int)(d->n_metrics - 1);
        }
    }
    d->metric_numeric = jm_calloc(d->n_metrics ? d->n_metrics : 1, sizeof *d->metric_numeric);
    if (!d->metric_numeric) {
        out_of_memory(d);
        return false;
    }
    for (size_t k = 0; k < d->n_metrics; k++)
        d->metric_numeric[k] = true;
    if (!seen[DC_TOUCHPOINT])
        diag(d, JM_SEVERITY_ERROR, r->rec_line, r->rec_col,
             "header row: no \"touchpoint\" column (the id of the touchpoint each row is about)");
    for (size_t i = 0; i < r->n_cells; i++) {
        const csv_cell *c = &r->cells[i];
        if (d->field[i] == DC_SCORE && seen[DC_EMOTION])
            diag(d, JM_SEVERITY_ERROR, c->line, c->col,
                 "header row: both an emotion and a score column; give one of them");
        else if (d->field[i] == DC_SCORE && d->opts->score_kind == JM_SCORE_NONE)
            diag(d, JM_SEVERITY_ERROR, c->line, c->col,
                 "header row: a score column needs the scale it is on %s", scale_hint);
        else if (d->field[i] == DC_PERSONA && d->map->n_personas == 0)
            diag(d, JM_SEVERITY_WARNING, c->line, c->col,
                 "header row: the map has no personas; the persona column is ignored");
    }
    return d->errors == 0;
}

/* A value cell onto the map's scale; false (with an error) when it is not one. */
static bool read_value(data_reader *d, int field, const csv_cell *c, const char *text, size_t row,
                       double *out)
{
    const jm_data_options *o = d->opts;
    const jm_scale *sc = &d->map->scale;
    double v;
    if (field == DC_EMOTION) {
        if (!jm_csv_parse_number(text, &v) || !jm_emotion_in_scale(d->map, v)) {
            char range[80];
            jm_scale_range_text(d->map, range, sizeof range);
            diag(d, JM_SEVERITY_ERROR, c->line, c->col,
                 "row %zu: emotion must be a number %s (the map's scale), got \"%s\"", row, range,
                 text);
            return false;
        }
        *out = v;
        return true;
    }
    double lo = o->score_kind == JM_SCORE_NPS ? 0 : o->score_min;
    double hi = o->score_kind == JM_SCORE_NPS ? 10 : o->score_max;
    if (!jm_csv_parse_number(text, &v) || v < lo || v > hi) {
        diag(d, JM_SEVERITY_ERROR, c->line, c->col,
             "row %zu: score must be a number from %.10g to %.10g%s, got \"%s\"", row, lo, hi,
             o->score_kind == JM_SCORE_NPS ? " (NPS)" : "", text);
        return false;
    }
    double t =
        o->score_kind == JM_SCORE_NPS ? (jm_stats_nps_weight(v) + 1) / 2 : (v - lo) / (hi - lo);
    *out = sc->min + t * (sc->max - sc->min);
    return true;
}

/* The YYYY-MM-DD a date cell starts with, for the period the data covers. */
static void note_date(data_reader *d, const char *text)
{
    static const char pattern[] = "dddd-dd-dd";
    for (size_t i = 0; i < 10; i++)
        if (pattern[i] == 'd' ? !(text[i] >= '0' && text[i] <= '9') : text[i] != '-')
            return;
    if (!d->date_min[0] || strncmp(text, d->date_min, 10) < 0)
        memcpy(d->date_min, text, 10);
    if (!d->date_max[0] || strncmp(text, d->date_max, 10) > 0)
        memcpy(d->date_max, text, 10);
}

static void read_row(data_reader *d, size_t row)
{
    const csv_reader *r = &d->r;
    const jm_map *m = d->map;
    data_row dr = {0, -1, NAN, 1, d->n_cells};
    const char *tp_text = NULL;
    const csv_cell *tp_cell = NULL;
    bool ok = true;
    for (size_t k = 0; k < d->n_metrics; k++)
        if (!JM_PUSH(d->cells, d->n_cells, d->cap_cells, NAN)) {
            out_of_memory(d);
            return;
        }
    for (size_t i = 0; i < r->n_cells; i++) {
        const csv_cell *c = &r->cells[i];
        const char *text = jm_csv_cell_text(r, i);
        if (!c->len)
            continue;
        double v;
        switch (d->field[i]) {
        case DC_TOUCHPOINT:
            tp_text = text;
            tp_cell = c;
            break;
        case DC_PERSONA:
            if (m->n_personas) {
                dr.slot = find_persona(m, text);
                if (dr.slot < 0) {
                    diag(d, JM_SEVERITY_WARNING, c->line, c->col,
                         "row %zu: unknown persona \"%s\"; the row is left out", row, text);
                    ok = false;
                }
            }
            break;
        case DC_EMOTION:
        case DC_SCORE: ok = read_value(d, d->field[i], c, text, row, &dr.value) && ok; break;
        case DC_N:
            if (!jm_csv_parse_number(text, &v) || v < 1 || v != floor(v) || v > 1e9) {
                diag(d, JM_SEVERITY_ERROR, c->line, c->col,
                     "row %zu: n must be a whole number of responses from 1, got \"%s\"", row,
                     text);
                ok = false;
            } else {
                dr.weight = v;
            }
            break;
        case DC_DATE: note_date(d, text); break;
        default:
            if (d->metric[i] < 0)
                break;
            if (jm_csv_parse_number(text, &v) && fabs(v) <= JM_MAX_NUMBER)
                d->cells[dr.first_metric + (size_t)d->metric[i]] = v;
            else
                d->metric_numeric[d->metric[i]] = false; /* a text column: not a metric */
        }
    }
    if (!tp_text) {
        diag(d, JM_SEVERITY_WARNING, r->rec_line, r->rec_col,
             "row %zu: no touchpoint; the row is left out", row);
        return;
    }
    long tp = find_tp(d, tp_text);
    if (tp < 0) {
        diag(d, JM_SEVERITY_WARNING, tp_cell->line, tp_cell->col,
             "row %zu: the map has no touchpoint with the id \"%s\"; the row is left out", row,
             tp_text);
        return;
    }
    dr.tp = (size_t)tp;
    if (ok && !JM_PUSH(d->rows, d->n_rows, d->cap_rows, dr))
        out_of_memory(d);
}

/* ---- Joining ------------------------------------------------------------------------------- */

/* The emotion statistic of the rows of touchpoint tp for persona slot (-1: rows without a
 * persona); n 0 when there are none. */
static jm_emotion_stat group_stat(data_reader *d, size_t tp, long slot, double *buf)
{
    jm_emotion_stat st = {0, 0, 0, 0};
    size_t k = 0;
    double wsum = 0, sum = 0;
    bool aggregate = false;
    for (size_t i = 0; i < d->n_rows; i++) {
        const data_row *r = &d->rows[i];
        if (r->tp != tp || r->slot != slot || isnan(r->value))
            continue;
        buf[k++] = r->value;
        wsum += r->weight;
        sum += r->value * r->weight;
        aggregate |= r->weight != 1;
    }
    if (!k)
        return st;
    jm_summary s = jm_stats_summary(buf, k);
    st.n = (size_t)wsum;
    st.mean = aggregate ? sum / wsum : s.mean;
    st.q1 = aggregate ? st.mean : s.q1; /* no band: the responses' spread is not in the file */
    st.q3 = aggregate ? st.mean : s.q3;
    return st;
}

static void set_point(data_reader *d, jm_touchpoint *tp, size_t slot, jm_emotion_stat st)
{
    jm_map *m = d->map;
    size_t slots = jm_emotion_slots(m);
    if (!tp->stat && !(tp->stat = jm_calloc(slots, sizeof *tp->stat))) {
        out_of_memory(d);
        return;
    }
    jm_tp_state *b = &tp->base;
    if (!b->emotion) {
        if (!(b->emotion = jm_malloc(slots * sizeof *b->emotion))) {
            out_of_memory(d);
            return;
        }
        for (size_t s = 0; s < slots; s++)
            b->emotion[s] = JM_EMOTION_NONE;
    }
    double old = b->emotion[slot];
    if (d->opts->notes && old != JM_EMOTION_NONE && fabs(old - st.mean) > 1e-9) {
        char path[96];
        snprintf(path, sizeof path, "%s/emotion", tp->src.path ? tp->src.path : "");
        jm_diag_add(d->diags, JM_SEVERITY_NOTE, m->file, tp->src.line, tp->src.col, path,
                    "%s%s%s: the data (%s, n = %zu) gives %.3g, the model %.3g; the data's is "
                    "drawn",
                    tp->id, m->n_personas > 1 ? " for " : "",
                    m->n_personas > 1 ? m->personas[slot].id : "", d->file, st.n, st.mean, old);
    }
    b->emotion[slot] = st.mean;
    b->has_emotion = true;
    tp->stat[slot] = st;
}

static void set_metric(data_reader *d, jm_touchpoint *tp, const char *name, double v)
{
    jm_metrics *ms = &tp->base.metrics;
    for (size_t k = 0; k < ms->n; k++) {
        jm_metric *mt = &ms->v[k];
        if (strcmp(mt->name, name) != 0)
            continue;
        if (d->opts->notes && fabs(mt->value - v) > 1e-9 * fmax(1, fabs(v)))
            jm_diag_add(d->diags, JM_SEVERITY_NOTE, d->map->file, mt->src.line, mt->src.col,
                        mt->src.path,
                        "%s: %s: the data (%s) gives %.6g, the model %.6g; the data's is drawn",
                        tp->id, name, d->file, v, mt->value);
        mt->value = v;
        return;
    }
    if (ms->n >= JM_MAX_METRICS) {
        diag(d, JM_SEVERITY_WARNING, 0, 0,
             "touchpoint \"%s\" has the most metrics a touchpoint may have (%d); \"%s\" is left "
             "out",
             tp->id, JM_MAX_METRICS, name);
        return;
    }
    jm_metric *nv = jm_realloc(ms->v, (ms->n + 1) * sizeof *ms->v);
    if (!nv) {
        out_of_memory(d);
        return;
    }
    ms->v = nv;
    jm_metric *mt = &ms->v[ms->n];
    memset(mt, 0, sizeof *mt);
    mt->name = jm_strdup(name);
    mt->value = v;
    char path[96];
    snprintf(path, sizeof path, "%s/metrics/%zu", tp->src.path ? tp->src.path : "", ms->n);
    jm_model_src_set(&mt->src, path, tp->src.line, tp->src.col);
    if (!mt->name || !mt->src.path) {
        jm_free(mt->name);
        jm_free(mt->src.path);
        out_of_memory(d);
        return;
    }
    ms->n++;
}

/* A mean as a metric shows it: three significant digits (19.7, not 19.6667). */
static double three_digits(double v)
{
    if (v == 0 || !isfinite(v))
        return 0;
    double p = pow(10, 2 - floor(log10(fabs(v))));
    return round(v * p) / p;
}

static void join(data_reader *d)
{
    jm_map *m = d->map;
    size_t slots = jm_emotion_slots(m);
    double *buf = jm_calloc(d->n_rows ? d->n_rows : 1, sizeof *buf);
    bool *has = jm_calloc(m->n_touchpoints ? m->n_touchpoints : 1, sizeof *has);
    if (!buf || !has) {
        out_of_memory(d);
        goto done;
    }
    for (size_t i = 0; i < d->n_rows; i++)
        has[d->rows[i].tp] = true;
    for (size_t t = 0; t < m->n_touchpoints && !d->oom; t++) {
        if (!has[t])
            continue;
        jm_touchpoint *tp = &m->touchpoints[t];
        jm_emotion_stat all = group_stat(d, t, -1, buf);
        for (size_t s = 0; s < slots; s++) {
            jm_emotion_stat own = m->n_personas ? group_stat(d, t, (long)s, buf) : all;
            bool takes_part = !tp->actors || !m->n_personas || tp->actors[s];
            if (own.n)
                set_point(d, tp, s, own);
            else if (all.n && takes_part)
                set_point(d, tp, s, all);
        }
        for (size_t k = 0; k < d->n_metrics; k++) {
            if (!d->metric_numeric[k])
                continue;
            double sum = 0, wsum = 0;
            for (size_t i = 0; i < d->n_rows; i++) {
                double v = d->cells[d->rows[i].first_metric + k];
                if (d->rows[i].tp == t && !isnan(v)) {
                    sum += v * d->rows[i].weight;
                    wsum += d->rows[i].weight;
                }
            }
            if (wsum > 0)
                set_metric(d, tp, d->metric_name[k], three_digits(sum / wsum));
        }
    }
done:
    jm_free(buf);
    jm_free(has);
}

static bool add_source(data_reader *d, size_t responses)
{
    jm_map *m = d->map;
    const char *base = strrchr(d->file, '/');
    char *date = NULL;
    if (d->opts->date && *d->opts->date)
        date = jm_strdup(d->opts->date);
    else if (d->date_min[0] && strcmp(d->date_min, d->date_max) != 0)
        date = jm_asprintf("%s\u2026%s", d->date_min, d->date_max);
    else if (d->date_min[0])
        date = jm_strdup(d->date_min);
    struct jm_data_source src = {jm_strdup(base ? base + 1 : d->file), responses, date};
    struct jm_data_source *v =
        jm_realloc(m->data_sources, (m->n_data_sources + 1) * sizeof *m->data_sources);
    if (!src.name || (!date && (d->opts->date || d->date_min[0])) || !v) {
        jm_free(src.name);
        jm_free(date);
        if (v)
            m->data_sources = v;
        return false;
    }
    m->data_sources = v;
    m->data_sources[m->n_data_sources++] = src;
    return true;
}

void jm_data_options_init(jm_data_options *o)
{
    memset(o, 0, sizeof *o);
    o->min_n = 5;
}

int jm_load_data(jm_map *map, const char *name, const char *data, size_t len,
                 const jm_data_options *opts, jm_diags *diags)
{
    jm_data_options def;
    jm_data_options_init(&def);
    data_reader d = {
        .file = name ? name : "<data>", .map = map, .opts = opts ? opts : &def, .diags = diags};
    if (len > JM_MAX_INPUT_BYTES) {
        diag(&d, JM_SEVERITY_ERROR, 0, 0, "the data file is larger than the limit of %u bytes",
             (unsigned)JM_MAX_INPUT_BYTES);
        return -1;
    }
    if (d.opts->score_kind == JM_SCORE_RANGE && !(d.opts->score_min < d.opts->score_max)) {
        diag(&d, JM_SEVERITY_ERROR, 0, 0, "the score scale's min must be below its max");
        return -1;
    }
    if (!jm_csv_open(&d.r, data, len)) {
        diag(&d, JM_SEVERITY_ERROR, 1, 1,
             "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\"");
        return -1;
    }
    size_t responses = 0;
    if (!index_ids(&d)) {
        out_of_memory(&d);
    } else if (read_header(&d)) {
        for (size_t row = 1; !d.oom && row <= DATA_MAX_ROWS; row++) {
            if (!next_record(&d, d.n_header, row))
                break;
            if (!jm_csv_record_is_empty(&d.r))
                read_row(&d, row);
        }
    }
    if (!d.errors) {
        for (size_t i = 0; i < d.n_rows; i++)
            responses += (size_t)d.rows[i].weight;
        join(&d);
        if (!d.oom && !add_source(&d, responses))
            out_of_memory(&d);
        map->data_min_n = d.opts->min_n;
    }
    jm_csv_close(&d.r);
    for (size_t k = 0; k < d.n_metrics; k++)
        jm_free(d.metric_name[k]);
    jm_free(d.metric_name);
    jm_free(d.metric_numeric);
    jm_free(d.rows);
    jm_free(d.cells);
    jm_free(d.ids);
    return d.errors ? -1 : 0;
}
