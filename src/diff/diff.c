/* What changed between two maps (jm_diff_new): objects paired by match.c, then compared field by
 * field. A pure function of the two models: it reads them as const and returns the changes as
 * data; the program decides how to show them. */
#include <stdio.h>
#include <string.h>

#include "diff_private.h"
#include "match.h"
#include "model/model.h"
#include "util/util.h"

/* The two maps being compared, and where the current object's marks go. */
typedef struct cmp {
    jm_diff *d;
    const jm_map *om, *nm;
    unsigned *mark; /* the object's JM_MARK_ flags, or NULL */
} cmp;

const char *jm_change_kind_name(jm_change_kind kind)
{
    static const char *const names[] = {"added", "removed", "renamed", "moved", "changed"};
    return (unsigned)kind < 5 ? names[kind] : "changed";
}

/* ---- Recording changes ---------------------------------------------------------------------- */

typedef struct change_in {
    jm_change_kind kind;
    const char *object, *key, *name, *field, *detail;
    const char *old_value, *new_value;
    bool numbers;
    double old_number, new_number;
    int direction;
    const jm_src *os, *ns;
} change_in;

static char *dup_or_null(const char *s, bool *failed)
{
    if (!s)
        return NULL;
    char *c = jm_strdup(s);
    if (!c)
        *failed = true;
    return c;
}

static void place_set(jm_place *p, const jm_src *s, bool *failed)
{
    p->line = s ? s->line : 0;
    p->column = s ? s->col : 0;
    p->path = dup_or_null(s ? (s->path ? s->path : "") : "", failed);
}

static void change_free(jm_change *c)
{
    jm_free((char *)c->object);
    jm_free((char *)c->key);
    jm_free((char *)c->name);
    jm_free((char *)c->field);
    jm_free((char *)c->detail);
    jm_free((char *)c->old_value);
    jm_free((char *)c->new_value);
    jm_free((char *)c->old_place.path);
    jm_free((char *)c->new_place.path);
    jm_free((char *)c->message);
}

/* A value in a message: quoted, cut at 40 characters (whole UTF-8 sequences). */
static void put_value(jm_buf *b, const char *v)
{
    if (!v) {
        jm_buf_puts(b, "(none)");
        return;
    }
    size_t chars = 0, i = 0;
    while (v[i] && chars < 40) {
        i++;
        while ((v[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    jm_buf_puts(b, "\"");
    jm_buf_append(b, v, i);
    jm_buf_puts(b, v[i] ? "…\"" : "\"");
}

static void put_number(jm_buf *b, double v, const char *unit)
{
    jm_buf_number(b, v);
    if (unit && *unit)
        jm_buf_printf(b, " %s", unit);
}

static void add_change(cmp *c, const change_in *in, const char *message)
{
    jm_diff *d = c->d;
    if (d->failed)
        return;
    jm_change ch = {0};
    bool *f = &d->failed;
    ch.kind = in->kind;
    ch.object = dup_or_null(in->object, f);
    ch.key = dup_or_null(in->key ? in->key : "", f);
    ch.name = dup_or_null(in->name, f);
    ch.field = dup_or_null(in->field, f);
    ch.detail = dup_or_null(in->detail, f);
    ch.old_value = dup_or_null(in->old_value, f);
    ch.new_value = dup_or_null(in->new_value, f);
    ch.has_numbers = in->numbers;
    ch.old_number = in->old_number;
    ch.new_number = in->new_number;
    ch.direction = in->direction;
    place_set(&ch.old_place, in->os, f);
    place_set(&ch.new_place, in->ns, f);
    ch.message = dup_or_null(message, f);
    if (!message || d->failed || !JM_PUSH(d->v, d->n, d->cap, ch)) {
        d->failed = true;
        change_free(&ch);
    } else if (c->mark && (in->kind == JM_CHANGE_MOVED || in->kind == JM_CHANGE_CHANGED ||
                           in->kind == JM_CHANGE_RENAMED)) {
        *c->mark |= in->kind == JM_CHANGE_MOVED ? JM_MARK_MOVED : JM_MARK_CHANGED;
    }
}

/* ---- Describing objects --------------------------------------------------------------------- */

static const char *str_or_empty(const char *s) { return s ? s : ""; }

static void put_object(jm_buf *b, const char *object, const char *name)
{
    jm_buf_printf(b, "%s ", object);
    put_value(b, name);
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_list(const jm_strlist *a, const jm_strlist *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

/* A list as one text, its points separated by " / "; NULL when empty. Caller frees. */
static char *list_text(const jm_strlist *l, bool *failed)
{
    if (!l->n)
        return NULL;
    jm_buf b = {0};
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            jm_buf_puts(&b, " / ");
        jm_buf_puts(&b, l->v[i]);
    }
    char *s = jm_buf_take(&b);
    if (!s)
        *failed = true;
    return s;
}

/* The object a change is about: what the message and the change's key fields name. */
typedef struct subject {
    const char *object, *key, *name;
    const jm_src *os, *ns;
} subject;

static void text_change(cmp *c, const subject *s, const char *field, const char *ov, const char *nv)
{
    if (same_str(ov, nv))
        return;
    jm_buf b = {0};
    put_object(&b, s->object, s->name);
    jm_buf_printf(&b, ": %s ", field);
    if (!ov) {
        jm_buf_puts(&b, "added: ");
        put_value(&b, nv);
    } else if (!nv) {
        jm_buf_puts(&b, "removed (was ");
        put_value(&b, ov);
        jm_buf_puts(&b, ")");
    } else {
        put_value(&b, ov);
        jm_buf_puts(&b, " -> ");
        put_value(&b, nv);
    }
    char *msg = jm_buf_take(&b);
    change_in in = {JM_CHANGE_CHANGED,
                    s->object,
                    s->key,
                    s->name,
                    field,
                    NULL,
                    ov,
                    nv,
                    false,
                    0,
                    0,
                    0,
                    s->os,
                    s->ns};
    add_change(c, &in, msg);
    jm_free(msg);
}

static void list_change(cmp *c, const subject *s, const char *field, const jm_strlist *o,
                        const jm_strlist *n)
{
    if (same_list(o, n))
        return;
    char *ov = list_text(o, &c->d->failed), *nv = list_text(n, &c->d->failed);
    text_change(c, s, field, ov, nv);
    jm_free(ov);
    jm_free(nv);
}

static void flag_change(cmp *c, const subject *s, const char *field, bool o, bool n)
{
    if (o != n)
        text_change(c, s, field, o ? "true" : "false", n ? "true" : "false");
}

/* ---- Numbers: emotions and metrics ---------------------------------------------------------- */

static char *number_text(double v, const char *unit, bool *failed)
{
    jm_buf b = {0};
    put_number(&b, v, unit);
    char *s = jm_buf_take(&b);
    if (!s)
        *failed = true;
    return s;
}

/* A number that changed, was added or was removed (has_o/has_n). better: +1 when a higher
 * value is better, -1 when lower is, 0 when neither. */
static void number_change(cmp *c, const subject *s, const char *field, const char *detail,
                          const char *what, bool has_o, double o, bool has_n, double n,
                          const char *unit, int better)
{
    if (!has_o && !has_n)
        return;
    if (has_o && has_n && o == n)
        return;
    bool *f = &c->d->failed;
    char *ov = has_o ? number_text(o, unit, f) : NULL, *nv = has_n ? number_text(n, unit, f) : NULL;
    int dir = has_o && has_n ? (n > o ? better : -better) : 0;
    jm_buf b = {0};
    put_object(&b, s->object, s->name);
    jm_buf_printf(&b, ": %s", what);
    if (!has_o)
        jm_buf_printf(&b, " added: %s", str_or_empty(nv));
    else if (!has_n)
        jm_buf_printf(&b, " removed (was %s)", str_or_empty(ov));
    else {
        jm_buf_printf(&b, " %s -> %s", str_or_empty(ov), str_or_empty(nv));
        if (dir)
            jm_buf_printf(&b, ", %s", dir > 0 ? "better" : "worse");
    }
    char *msg = jm_buf_take(&b);
    change_in in = {JM_CHANGE_CHANGED, s->object,     s->key,        s->name, field, detail, ov, nv,
                    has_o && has_n,    has_o ? o : 0, has_n ? n : 0, dir,     s->os, s->ns};
    add_change(c, &in, msg);
    jm_free(msg);
    jm_free(ov);
    jm_free(nv);
}

static void metrics_change(cmp *c, const subject *s, const char *prefix, const jm_metrics *om,
                           const jm_metrics *nm)
{
    char field[48], tfield[48];
    snprintf(field, sizeof field, "%smetric", prefix);
    snprintf(tfield, sizeof tfield, "%smetric target", prefix);
    bool *used = jm_calloc(om->n ? om->n : 1, sizeof *used);
    if (!used) {
        c->d->failed = true;
        return;
    }
    for (size_t i = 0; i < nm->n; i++) {
        const jm_metric *n = &nm->v[i];
        const jm_metric *o = NULL;
        for (size_t j = 0; j < om->n && !o; j++)
            if (!used[j] && jm_match_same_name(om->v[j].name, n->name)) {
                used[j] = true;
                o = &om->v[j];
            }
        int better = n->better == JM_BETTER_LOWER ? -1 : 1;
        jm_buf w = {0};
        jm_buf_puts(&w, "metric ");
        put_value(&w, n->name);
        char *what = jm_buf_take(&w);
        if (!what) {
            c->d->failed = true;
            break;
        }
        subject ms = *s;
        ms.ns = &n->src;
        if (o)
            ms.os = &o->src;
        number_change(c, &ms, field, n->name, what, o != NULL, o ? o->value : 0, true, n->value,
                      n->unit, better);
        if (o) {
            char *tw = jm_asprintf("%s target", what);
            if (tw)
                number_change(c, &ms, tfield, n->name, tw, o->has_target, o->target, n->has_target,
                              n->target, n->unit, 0);
            else
                c->d->failed = true;
            jm_free(tw);
        }
        jm_free(what);
    }
    for (size_t j = 0; j < om->n; j++) {
        if (used[j])
            continue;
        const jm_metric *o = &om->v[j];
        jm_buf w = {0};
        jm_buf_puts(&w, "metric ");
        put_value(&w, o->name);
        char *what = jm_buf_take(&w);
        subject ms = *s;
        ms.os = &o->src;
        if (what)
            number_change(c, &ms, field, o->name, what, true, o->value, false, 0, o->unit, 0);
        else
            c->d->failed = true;
        jm_free(what);
    }
    jm_free(used);
}

/* ---- Objects added, removed, renamed -------------------------------------------------------- */

static void object_added(cmp *c, const char *object, const char *key, const char *name,
                         const jm_src *ns, const char *where)
{
    jm_buf b = {0};
    put_object(&b, object, name);
    jm_buf_puts(&b, " added");
    if (where)
        jm_buf_printf(&b, " %s", where);
    char *msg = jm_buf_take(&b);
    change_in in = {JM_CHANGE_ADDED, object, key, name, NULL, NULL, NULL, NULL,
                    false,           0,      0,   0,    NULL, ns};
    add_change(c, &in, msg);
    jm_free(msg);
}

static void object_removed(cmp *c, const char *object, const char *key, const char *name,
                           const jm_src *os, const char *where)
{
    jm_buf b = {0};
    put_object(&b, object, name);
    jm_buf_puts(&b, " removed");
    if (where)
        jm_buf_printf(&b, " %s", where);
    char *msg = jm_buf_take(&b);
    change_in in = {
        JM_CHANGE_REMOVED, object, key, name, NULL, NULL, NULL, NULL, false, 0, 0, 0, os, NULL};
    add_change(c, &in, msg);
    jm_free(msg);
}

static void renamed(cmp *c, const subject *s, const char *old_name, const char *new_name)
{
    if (same_str(old_name, new_name))
        return;
    jm_buf b = {0};
    jm_buf_printf(&b, "%s ", s->object);
    put_value(&b, old_name);
    jm_buf_puts(&b, " renamed ");
    put_value(&b, new_name);
    char *msg = jm_buf_take(&b);
    change_in in = {JM_CHANGE_RENAMED, s->object, s->key, new_name, "name", NULL,  old_name,
                    new_name,          false,     0,      0,        0,      s->os, s->ns};
    add_change(c, &in, msg);
    jm_free(msg);
}

/* "in stage "Order"": where an added or removed touchpoint or item is. */
static char *in_stage(const jm_map *m, size_t stage)
{
    jm_buf b = {0};
    jm_buf_puts(&b, "in stage ");
    put_value(&b, stage < m->n_stages ? m->stages[stage].name : NULL);
    return jm_buf_take(&b);
}

/* ---- Map, personas, stages, channels -------------------------------------------------------- */

static const char *user_id(const char *id, bool made) { return made ? NULL : id; }

static bool match_all(size_t n_old, size_t n_new, long **n2o, long **o2n)
{
    *n2o = jm_calloc(n_new ? n_new : 1, sizeof **n2o);
    *o2n = jm_calloc(n_old ? n_old : 1, sizeof **o2n);
    return *n2o && *o2n;
}

static void compare_map(cmp *c)
{
    jm_src top = {(char *)"", 0, 0};
    subject s = {"map", "", c->nm->title, &top, &top};
    text_change(c, &s, "title", c->om->title, c->nm->title);
    text_change(c, &s, "subtitle", c->om->subtitle, c->nm->subtitle);
}

static bool compare_personas(cmp *c)
{
    const jm_map *om = c->om, *nm = c->nm;
    jm_match_key *ok = jm_calloc(om->n_personas + 1, sizeof *ok);
    jm_match_key *nk = jm_calloc(nm->n_personas + 1, sizeof *nk);
    long *o2n = NULL;
    bool ok_all = ok && nk && match_all(om->n_personas, nm->n_personas, &c->d->persona_n2o, &o2n);
    if (ok_all) {
        for (size_t j = 0; j < om->n_personas; j++)
            ok[j] = (jm_match_key){om->personas[j].id, om->personas[j].name, -1};
        for (size_t i = 0; i < nm->n_personas; i++)
            nk[i] = (jm_match_key){nm->personas[i].id, nm->personas[i].name, -1};
        jm_match(ok, om->n_personas, nk, nm->n_personas, c->d->persona_n2o, o2n);
        for (size_t i = 0; i < nm->n_personas; i++) {
            const jm_persona *n = &nm->personas[i];
            long j = c->d->persona_n2o[i];
            if (j < 0) {
                object_added(c, "persona", n->id, n->name, &n->src, NULL);
                continue;
            }
            const jm_persona *o = &om->personas[j];
            subject s = {"persona", n->id, n->name, &o->src, &n->src};
            renamed(c, &s, o->name, n->name);
            text_change(c, &s, "quote", o->quote, n->quote);
            text_change(c, &s, "description", o->description, n->description);
            list_change(c, &s, "goals", &o->goals, &n->goals);
            list_change(c, &s, "needs", &o->needs, &n->needs);
            list_change(c, &s, "frustrations", &o->frustrations, &n->frustrations);
        }
        for (size_t j = 0; j < om->n_personas; j++)
            if (o2n[j] < 0)
                object_removed(c, "persona", om->personas[j].id, om->personas[j].name,
                               &om->personas[j].src, NULL);
    }
    /* Emotion slots: a map without personas has one, which stands for the only persona of
     * the other map if it has one. */
    size_t ns = jm_emotion_slots(nm), os = jm_emotion_slots(om);
    c->d->slot_n2o = jm_calloc(ns, sizeof *c->d->slot_n2o);
    if (ok_all && c->d->slot_n2o) {
        for (size_t i = 0; i < ns; i++)
            c->d->slot_n2o[i] = nm->n_personas && om->n_personas ? c->d->persona_n2o[i]
                                : ns == 1 && os == 1             ? 0
                                                                 : -1;
    }
    jm_free(ok);
    jm_free(nk);
    jm_free(o2n);
    return ok_all && c->d->slot_n2o;
}

static bool compare_stages(cmp *c)
{
    const jm_map *om = c->om, *nm = c->nm;
    jm_match_key *ok = jm_calloc(om->n_stages + 1, sizeof *ok);
    jm_match_key *nk = jm_calloc(nm->n_stages + 1, sizeof *nk);
    bool *moved = jm_calloc(nm->n_stages + 1, sizeof *moved);
    bool ok_all = ok && nk && moved &&
                  match_all(om->n_stages, nm->n_stages, &c->d->stage_n2o, &c->d->stage_o2n);
    if (ok_all) {
        for (size_t j = 0; j < om->n_stages; j++) {
            const jm_stage *s = &om->stages[j];
            ok[j] = (jm_match_key){user_id(s->id, s->id_made), s->name, -1};
        }
        for (size_t i = 0; i < nm->n_stages; i++) {
            const jm_stage *s = &nm->stages[i];
            nk[i] = (jm_match_key){user_id(s->id, s->id_made), s->name, -1};
        }
        jm_match(ok, om->n_stages, nk, nm->n_stages, c->d->stage_n2o, c->d->stage_o2n);
        c->d->stage_mark = jm_calloc(nm->n_stages + 1, sizeof *c->d->stage_mark);
        ok_all = c->d->stage_mark != NULL;
    }
    if (ok_all)
        ok_all = jm_match_moved(c->d->stage_n2o, nm->n_stages, moved);
    if (ok_all) {
        for (size_t i = 0; i < nm->n_stages; i++) {
            const jm_stage *n = &nm->stages[i];
            const char *key = n->id_made ? n->name : n->id;
            long j = c->d->stage_n2o[i];
            if (j < 0) {
                object_added(c, "stage", key, n->name, &n->src, NULL);
                c->d->stage_mark[i] = JM_MARK_ADDED;
                continue;
            }
            c->mark = &c->d->stage_mark[i];
            const jm_stage *o = &om->stages[j];
            subject s = {"stage", key, n->name, &o->src, &n->src};
            renamed(c, &s, o->name, n->name);
            if (moved[i]) {
                char ov[24], nv[24];
                snprintf(ov, sizeof ov, "%ld", j + 1);
                snprintf(nv, sizeof nv, "%zu", i + 1);
                jm_buf b = {0};
                put_object(&b, "stage", n->name);
                jm_buf_printf(&b, " moved from position %s to %s", ov, nv);
                char *msg = jm_buf_take(&b);
                change_in in = {
                    JM_CHANGE_MOVED, "stage",         key, n->name, "order", NULL, ov, nv, true,
                    (double)(j + 1), (double)(i + 1), 0,   &o->src, &n->src};
                add_change(c, &in, msg);
                jm_free(msg);
            }
            text_change(c, &s, "description", o->description, n->description);
            text_change(c, &s, "goal", o->goal, n->goal);
            list_change(c, &s, "questions", &o->questions, &n->questions);
            metrics_change(c, &s, "", &o->metrics, &n->metrics);
            c->mark = NULL;
        }
        for (size_t j = 0; j < om->n_stages; j++) {
            const jm_stage *o = &om->stages[j];
            if (c->d->stage_o2n[j] < 0)
                object_removed(c, "stage", o->id_made ? o->name : o->id, o->name, &o->src, NULL);
        }
    }
    jm_free(ok);
    jm_free(nk);
    jm_free(moved);
    return ok_all;
}

static const char *const kind_names[] = {"online", "offline", "product", "other"};

/* Channels are compared when a map declares them; the built-in ones a map only uses are
 * compared through the touchpoints that use them. */
static bool compare_channels(cmp *c)
{
    const jm_map *om = c->om, *nm = c->nm;
    jm_match_key *ok = jm_calloc(om->n_channels + 1, sizeof *ok);
    jm_match_key *nk = jm_calloc(nm->n_channels + 1, sizeof *nk);
    long *o2n = NULL;
    bool ok_all = ok && nk && match_all(om->n_channels, nm->n_channels, &c->d->channel_n2o, &o2n);
    if (ok_all) {
        for (size_t j = 0; j < om->n_channels; j++)
            ok[j] = (jm_match_key){om->channels[j].id, om->channels[j].name, -1};
        for (size_t i = 0; i < nm->n_channels; i++)
            nk[i] = (jm_match_key){nm->channels[i].id, nm->channels[i].name, -1};
        jm_match(ok, om->n_channels, nk, nm->n_channels, c->d->channel_n2o, o2n);
        for (size_t i = 0; i < nm->n_channels; i++) {
            const jm_channel *n = &nm->channels[i];
            long j = c->d->channel_n2o[i];
            if (j < 0) {
                if (n->declared)
                    object_added(c, "channel", n->id, n->name, &n->src, NULL);
                continue;
            }
            const jm_channel *o = &om->channels[j];
            if (!o->declared && !n->declared)
                continue;
            subject s = {"channel", n->id, n->name, &o->src, &n->src};
            renamed(c, &s, o->name, n->name);
            if (o->kind != n->kind)
                text_change(c, &s, "kind", kind_names[o->kind & 3], kind_names[n->kind & 3]);
        }
        for (size_t j = 0; j < om->n_channels; j++)
            if (o2n[j] < 0 && om->channels[j].declared)
                object_removed(c, "channel", om->channels[j].id, om->channels[j].name,
                               &om->channels[j].src, NULL);
    }
    jm_free(ok);
    jm_free(nk);
    jm_free(o2n);
    return ok_all;
}

/* ---- Touchpoints ---------------------------------------------------------------------------- */

static const char *persona_label(const jm_map *m, size_t slot)
{
    return m->n_personas ? m->personas[slot].name : NULL;
}

static void emotions_change(cmp *c, const subject *s, const char *prefix, const jm_tp_state *o,
                            const jm_tp_state *n)
{
    char field[32];
    snprintf(field, sizeof field, "%semotion", prefix);
    size_t ns = jm_emotion_slots(c->nm);
    for (size_t i = 0; i < ns; i++) {
        long j = c->d->slot_n2o[i];
        if (j < 0)
            continue;
        bool has_o = o->has_emotion && o->emotion[j] != JM_EMOTION_NONE;
        bool has_n = n->has_emotion && n->emotion[i] != JM_EMOTION_NONE;
        const char *pname = persona_label(c->nm, i);
        char *what = pname ? jm_asprintf("emotion of %s", pname) : jm_strdup("emotion");
        if (!what) {
            c->d->failed = true;
            return;
        }
        number_change(c, s, field, c->nm->n_personas ? c->nm->personas[i].id : "", what, has_o,
                      has_o ? o->emotion[j] : 0, has_n, has_n ? n->emotion[i] : 0, NULL, 1);
        jm_free(what);
    }
}

static void state_change(cmp *c, const subject *s, const char *prefix, const jm_tp_state *o,
                         const jm_tp_state *n)
{
    char f[32];
#define FIELD(name) (snprintf(f, sizeof f, "%s%s", prefix, name), f)
    if (*prefix && o->present != n->present) {
        text_change(c, s, prefix[0] == 'b' ? "before" : "after", o->present ? "given" : NULL,
                    n->present ? "given" : NULL);
    }
    text_change(c, s, FIELD("description"), o->description, n->description);
    list_change(c, s, FIELD("action"), &o->action, &n->action);
    list_change(c, s, FIELD("thought"), &o->thought, &n->thought);
    list_change(c, s, FIELD("pain"), &o->pain, &n->pain);
    list_change(c, s, FIELD("opportunity"), &o->opportunity, &n->opportunity);
#undef FIELD
    emotions_change(c, s, prefix, o, n);
    metrics_change(c, s, prefix, &o->metrics, &n->metrics);
}

static const char *channel_name(const jm_map *m, long ch)
{
    return ch >= 0 ? m->channels[ch].name : NULL;
}

static void moved_change(cmp *c, const subject *s, const char *field, const char *ov,
                         const char *nv)
{
    jm_buf b = {0};
    put_object(&b, s->object, s->name);
    jm_buf_printf(&b, " moved from %s ", field);
    put_value(&b, ov);
    jm_buf_puts(&b, " to ");
    put_value(&b, nv);
    char *msg = jm_buf_take(&b);
    change_in in = {JM_CHANGE_MOVED, s->object, s->key, s->name, field, NULL, ov, nv,
                    false,           0,         0,      0,       s->os, s->ns};
    add_change(c, &in, msg);
    jm_free(msg);
}

static void compare_touchpoint(cmp *c, const jm_touchpoint *o, const jm_touchpoint *n)
{
    const char *key = n->id ? n->id : n->name;
    subject s = {"touchpoint", key, n->name, &o->src, &n->src};
    renamed(c, &s, o->name, n->name);
    if (c->d->stage_n2o[n->stage] != (long)o->stage)
        moved_change(c, &s, "stage", c->om->stages[o->stage].name, c->nm->stages[n->stage].name);
    const char *och = o->channel >= 0 ? c->om->channels[o->channel].id : NULL;
    const char *nch = n->channel >= 0 ? c->nm->channels[n->channel].id : NULL;
    bool same_channel = (o->channel < 0 && n->channel < 0) ||
                        (n->channel >= 0 && c->d->channel_n2o[n->channel] == o->channel);
    if (!same_channel) {
        if (och && nch)
            moved_change(c, &s, "channel", channel_name(c->om, o->channel),
                         channel_name(c->nm, n->channel));
        else
            text_change(c, &s, "channel", channel_name(c->om, o->channel),
                        channel_name(c->nm, n->channel));
    }
    state_change(c, &s, "", &o->base, &n->base);
    flag_change(c, &s, "moment_of_truth", o->moment_of_truth, n->moment_of_truth);
    flag_change(c, &s, "indirect", o->indirect, n->indirect);
    text_change(c, &s, "owner", o->owner, n->owner);
    text_change(c, &s, "url", o->url, n->url);
    text_change(c, &s, "notes", o->notes, n->notes);
    state_change(c, &s, "before.", &o->before, &n->before);
    state_change(c, &s, "after.", &o->after, &n->after);
}

static bool compare_touchpoints(cmp *c)
{
    const jm_map *om = c->om, *nm = c->nm;
    jm_match_key *ok = jm_calloc(om->n_touchpoints + 1, sizeof *ok);
    jm_match_key *nk = jm_calloc(nm->n_touchpoints + 1, sizeof *nk);
    bool ok_all =
        ok && nk && match_all(om->n_touchpoints, nm->n_touchpoints, &c->d->tp_n2o, &c->d->tp_o2n);
    long *n2o = c->d->tp_n2o, *o2n = c->d->tp_o2n;
    if (ok_all) {
        c->d->tp_mark = jm_calloc(nm->n_touchpoints + 1, sizeof *c->d->tp_mark);
        ok_all = c->d->tp_mark != NULL;
    }
    if (ok_all) {
        /* group: the old stage's index, so that a pair in paired stages comes first */
        for (size_t j = 0; j < om->n_touchpoints; j++)
            ok[j] = (jm_match_key){om->touchpoints[j].id, om->touchpoints[j].name,
                                   (long)om->touchpoints[j].stage};
        for (size_t i = 0; i < nm->n_touchpoints; i++)
            nk[i] = (jm_match_key){nm->touchpoints[i].id, nm->touchpoints[i].name,
                                   c->d->stage_n2o[nm->touchpoints[i].stage]};
        jm_match(ok, om->n_touchpoints, nk, nm->n_touchpoints, n2o, o2n);
        for (size_t i = 0; i < nm->n_touchpoints && !c->d->failed; i++) {
            const jm_touchpoint *n = &nm->touchpoints[i];
            if (n2o[i] >= 0) {
                c->mark = &c->d->tp_mark[i];
                compare_touchpoint(c, &om->touchpoints[n2o[i]], n);
                c->mark = NULL;
                continue;
            }
            c->d->tp_mark[i] = JM_MARK_ADDED;
            char *where = in_stage(nm, n->stage);
            object_added(c, "touchpoint", n->id ? n->id : n->name, n->name, &n->src, where);
            jm_free(where);
        }
        for (size_t j = 0; j < om->n_touchpoints; j++) {
            const jm_touchpoint *o = &om->touchpoints[j];
            if (o2n[j] >= 0)
                continue;
            char *where = in_stage(om, o->stage);
            jm_buf b = {0};
            jm_buf_printf(&b, "(was %s)", str_or_empty(where));
            char *w = jm_buf_take(&b);
            object_removed(c, "touchpoint", o->id ? o->id : o->name, o->name, &o->src, w);
            jm_free(w);
            jm_free(where);
        }
    }
    jm_free(ok);
    jm_free(nk);
    return ok_all;
}

/* ---- Items (evidence, frontstage, custom lanes ...) ----------------------------------------- */

static const char *item_lane(const jm_map *m, const jm_item *it)
{
    return it->lane == JM_LANE_CUSTOM && it->custom >= 0 ? m->custom_lanes[it->custom].id
                                                         : jm_lane_type_id(it->lane);
}

/* Items have no id nor name: an item pairs with one of the same lane and text, in a paired
 * stage first. */
static bool compare_items(cmp *c)
{
    const jm_map *om = c->om, *nm = c->nm;
    long *n2o = jm_calloc(nm->n_items + 1, sizeof *n2o);
    bool *used = jm_calloc(om->n_items + 1, sizeof *used);
    if (!n2o || !used) {
        jm_free(n2o);
        jm_free(used);
        return false;
    }
    for (size_t i = 0; i < nm->n_items; i++)
        n2o[i] = -1;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nm->n_items; i++) {
            const jm_item *n = &nm->items[i];
            for (size_t j = 0; j < om->n_items && n2o[i] < 0; j++) {
                const jm_item *o = &om->items[j];
                if (used[j] || strcmp(item_lane(om, o), item_lane(nm, n)) != 0 ||
                    strcmp(o->text, n->text) != 0)
                    continue;
                if (pass == 0 && c->d->stage_n2o[n->stage] != (long)o->stage)
                    continue;
                used[j] = true;
                n2o[i] = (long)j;
            }
        }
    for (size_t i = 0; i < nm->n_items; i++) {
        const jm_item *n = &nm->items[i];
        if (n2o[i] < 0) {
            char *st = in_stage(nm, n->stage);
            char *where = st ? jm_asprintf("to lane %s %s", item_lane(nm, n), st) : NULL;
            object_added(c, "item", n->text, n->text, &n->src, where);
            jm_free(where);
            jm_free(st);
        } else if (c->d->stage_n2o[n->stage] != (long)om->items[n2o[i]].stage) {
            const jm_item *o = &om->items[n2o[i]];
            subject s = {"item", n->text, n->text, &o->src, &n->src};
            moved_change(c, &s, "stage", om->stages[o->stage].name, nm->stages[n->stage].name);
        }
    }
    for (size_t j = 0; j < om->n_items; j++) {
        if (used[j])
            continue;
        const jm_item *o = &om->items[j];
        char *st = in_stage(om, o->stage);
        char *w = st ? jm_asprintf("(was in lane %s %s)", item_lane(om, o), st) : NULL;
        object_removed(c, "item", o->text, o->text, &o->src, w);
        jm_free(w);
        jm_free(st);
    }
    jm_free(n2o);
    jm_free(used);
    return true;
}

/* ---- The public functions ------------------------------------------------------------------- */

jm_diff *jm_diff_new(const jm_map *old_map, const jm_map *new_map)
{
    if (!old_map || !new_map)
        return NULL;
    jm_diff *d = jm_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    cmp c = {d, old_map, new_map, NULL};
    d->old_file = jm_strdup(str_or_empty(old_map->file));
    d->new_file = jm_strdup(str_or_empty(new_map->file));
    bool ok = d->old_file && d->new_file;
    if (ok) {
        compare_map(&c);
        ok = compare_personas(&c) && compare_stages(&c) && compare_channels(&c) &&
             compare_touchpoints(&c) && compare_items(&c);
    }
    if (!ok || d->failed) {
        jm_diff_free(d);
        return NULL;
    }
    return d;
}

void jm_diff_free(jm_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        change_free(&d->v[i]);
    jm_free(d->v);
    jm_free(d->old_file);
    jm_free(d->new_file);
    jm_free(d->stage_n2o);
    jm_free(d->stage_o2n);
    jm_free(d->persona_n2o);
    jm_free(d->channel_n2o);
    jm_free(d->slot_n2o);
    jm_free(d->tp_n2o);
    jm_free(d->tp_o2n);
    jm_free(d->tp_mark);
    jm_free(d->stage_mark);
    jm_free(d);
}

size_t jm_diff_count(const jm_diff *d) { return d ? d->n : 0; }

const jm_change *jm_diff_get(const jm_diff *d, size_t i) { return d && i < d->n ? &d->v[i] : NULL; }

const char *jm_diff_old_file(const jm_diff *d) { return d ? d->old_file : NULL; }
const char *jm_diff_new_file(const jm_diff *d) { return d ? d->new_file : NULL; }
