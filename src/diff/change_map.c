/* The change map (jm_diff_change_map): the new map as a model of its own, with what a diff
 * found marked on it, drawn like a map in the compare state.
 *
 * It is built through the JSON model: the new map written as JSON, each touchpoint given the
 * old version as its `before` state and the new one as its `after` state (emotions and
 * metrics), the removed touchpoints (and the stages and channels only they need) copied in from
 * the old map, then loaded like any model and marked (JM_MARK_ flags). So the layout draws it
 * with what it already knows: both emotion curves (the old one dashed), metrics with their
 * change, and the marks on cards and stage headers. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "diff_private.h"
#include "load/load.h"
#include "model/model.h"
#include "util/diag.h"
#include "util/util.h"

/* A parsed copy of a map's JSON model, or NULL when out of memory. */
static json_t *model_doc(const jm_map *m)
{
    char *text = jm_map_to_json(m);
    json_error_t err;
    json_t *doc =
        text ? json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err)
             : NULL;
    jm_free(text);
    return doc;
}

/* The emotions of state st of touchpoint tp (in map m) for the personas of the new map
 * (slot_n2o maps new slots to m's), as the model writes them: a number without personas, an
 * object by persona id, NULL when there is none. */
static json_t *emotions(const jm_map *nm, const jm_map *m, const jm_tp_state *st,
                        const long *slot_n2o, bool from_old, bool *failed)
{
    if (!st->has_emotion)
        return NULL;
    if (!nm->n_personas) {
        long j = from_old ? slot_n2o[0] : 0;
        if (j < 0 || st->emotion[j] == JM_EMOTION_NONE)
            return NULL;
        json_t *v = json_real(st->emotion[j]);
        *failed |= v == NULL;
        return v;
    }
    json_t *o = json_object();
    if (!o) {
        *failed = true;
        return NULL;
    }
    for (size_t p = 0; p < nm->n_personas; p++) {
        long j = from_old ? slot_n2o[p] : (long)p;
        if (j < 0 || (size_t)j >= jm_emotion_slots(m) || st->emotion[j] == JM_EMOTION_NONE)
            continue;
        if (json_object_set_new(o, nm->personas[p].id, json_real(st->emotion[j])) != 0)
            *failed = true;
    }
    if (!json_object_size(o)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A state object holding an emotion (may be NULL) and the metrics array (borrowed, may be
 * NULL); NULL when it would be empty. */
static json_t *state_of(json_t *emotion, json_t *metrics, bool *failed)
{
    if (!emotion && !metrics)
        return NULL;
    json_t *s = json_object();
    if (!s) {
        json_decref(emotion);
        *failed = true;
        return NULL;
    }
    if (emotion && json_object_set_new(s, "emotion", emotion) != 0)
        *failed = true;
    if (metrics && json_object_set(s, "metrics", metrics) != 0)
        *failed = true;
    return s;
}

/* Turns touchpoint object tp into its change-map form: before (old) and after (new), the
 * emotions and metrics of the touchpoint itself moved into them. */
static void set_states(json_t *tp, json_t *before, json_t *after, bool *failed)
{
    json_object_del(tp, "before");
    json_object_del(tp, "after");
    json_object_del(tp, "emotion");
    json_object_del(tp, "metrics");
    if (before && json_object_set_new(tp, "before", before) != 0)
        *failed = true;
    if (after && json_object_set_new(tp, "after", after) != 0)
        *failed = true;
}

/* The id of the new map's object paired with old index j, or NULL. */
static long inverse(const long *n2o, size_t n, long j)
{
    for (size_t i = 0; i < n; i++)
        if (n2o[i] == j)
            return (long)i;
    return -1;
}

/* An id not used by any stage of stages: id itself, or id-old, id-old2 ... Caller frees. */
static char *free_stage_id(json_t *stages, const char *id)
{
    for (int k = 0; k < 1000; k++) {
        char *cand = k == 0   ? jm_strdup(id)
                     : k == 1 ? jm_asprintf("%s-old", id)
                              : jm_asprintf("%s-old%d", id, k);
        if (!cand)
            return NULL;
        bool used = false;
        size_t i;
        json_t *s;
        json_array_foreach(stages, i, s)
        {
            const char *sid = json_string_value(json_object_get(s, "id"));
            used |= sid && strcmp(sid, cand) == 0;
        }
        if (!used)
            return cand;
        jm_free(cand);
    }
    return NULL;
}

/* Where the old map's stage j is in the change map: the id of its partner, or of the stage
 * copied in for it (inserted after the partner of the nearest earlier paired stage). The
 * copied stages' ids are kept in old_ids[j]. */
static const char *stage_for(const jm_diff *d, const jm_map *om, const jm_map *nm, json_t *doc,
                             json_t *odoc, size_t j, char **old_ids, bool *failed)
{
    long i = d->stage_o2n[j];
    if (i >= 0)
        return nm->stages[i].id;
    if (old_ids[j])
        return old_ids[j];
    json_t *stages = json_object_get(doc, "stages");
    json_t *copy = json_deep_copy(json_array_get(json_object_get(odoc, "stages"), j));
    char *id = copy ? free_stage_id(stages, om->stages[j].id) : NULL;
    if (!id || json_object_set_new(copy, "id", json_string(id)) != 0) {
        json_decref(copy);
        jm_free(id);
        *failed = true;
        return NULL;
    }
    /* after the stage that follows the nearest earlier old stage in the change map */
    size_t at = 0;
    for (long k = (long)j - 1; k >= 0; k--) {
        const char *prev = d->stage_o2n[k] >= 0 ? nm->stages[d->stage_o2n[k]].id : old_ids[k];
        if (!prev)
            continue;
        size_t n;
        json_t *s;
        json_array_foreach(stages, n, s)
        {
            const char *sid = json_string_value(json_object_get(s, "id"));
            if (sid && strcmp(sid, prev) == 0)
                at = n + 1;
        }
        break;
    }
    if (json_array_insert_new(stages, at, copy) != 0)
        *failed = true;
    old_ids[j] = id;
    return id;
}

/* The channel id a removed touchpoint of the old map uses in the change map: its partner's, or
 * its own (a declared one copied in). */
static const char *channel_for(const jm_diff *d, const jm_map *om, const jm_map *nm, json_t *doc,
                               json_t *odoc, long ch, bool *failed)
{
    long i = inverse(d->channel_n2o, nm->n_channels, ch);
    if (i >= 0)
        return nm->channels[i].id;
    const jm_channel *c = &om->channels[ch];
    if (c->declared) {
        json_t *channels = json_object_get(doc, "channels");
        if (!channels) {
            channels = json_array();
            if (!channels || json_object_set_new(doc, "channels", channels) != 0) {
                *failed = true;
                return c->id;
            }
        }
        bool present = false;
        size_t n;
        json_t *s;
        json_array_foreach(channels, n, s)
        {
            const char *sid = json_string_value(json_object_get(s, "id"));
            present |= sid && strcmp(sid, c->id) == 0;
        }
        /* declared channels come first in the model, in their order */
        json_t *decl = json_array_get(json_object_get(odoc, "channels"), (size_t)ch);
        if (!present && json_array_append(channels, decl) != 0)
            *failed = true;
    }
    return c->id;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The old and the new version of each touchpoint as its two states. */
static void add_versions(const jm_diff *d, const jm_map *om, const jm_map *nm, json_t *doc,
                         json_t *odoc, bool *failed)
{
    json_t *tps = json_object_get(doc, "touchpoints");
    json_t *otps = json_object_get(odoc, "touchpoints");
    for (size_t i = 0; i < nm->n_touchpoints; i++) {
        json_t *tp = json_array_get(tps, i);
        const jm_touchpoint *n = &nm->touchpoints[i];
        json_t *after = state_of(emotions(nm, nm, &n->base, d->slot_n2o, false, failed),
                                 json_object_get(tp, "metrics"), failed);
        json_t *before = NULL;
        long j = d->tp_n2o[i];
        if (j >= 0)
            before = state_of(emotions(nm, om, &om->touchpoints[j].base, d->slot_n2o, true, failed),
                              json_object_get(json_array_get(otps, (size_t)j), "metrics"), failed);
        set_states(tp, before, after, failed);
    }
}

/* The old map's touchpoints the new one does not have, copied in at the end. */
static void add_removed(const jm_diff *d, const jm_map *om, const jm_map *nm, json_t *doc,
                        json_t *odoc, char **old_ids, bool *failed)
{
    json_t *tps = json_object_get(doc, "touchpoints");
    json_t *otps = json_object_get(odoc, "touchpoints");
    for (size_t j = 0; j < om->n_touchpoints && !*failed; j++) {
        if (d->tp_o2n[j] >= 0)
            continue;
        const jm_touchpoint *o = &om->touchpoints[j];
        json_t *tp = json_deep_copy(json_array_get(otps, j));
        if (!tp) {
            *failed = true;
            break;
        }
        const char *stage = stage_for(d, om, nm, doc, odoc, o->stage, old_ids, failed);
        if (stage && json_object_set_new(tp, "stage", json_string(stage)) != 0)
            *failed = true;
        if (o->channel >= 0) {
            const char *ch = channel_for(d, om, nm, doc, odoc, o->channel, failed);
            if (json_object_set_new(tp, "channel", json_string(ch)) != 0)
                *failed = true;
        }
        /* a ghost: its name on its card and its old emotions; its texts are the old map's */
        static const char *const texts[] = {"description", "action", "thought", "pain",
                                            "opportunity"};
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
            json_object_del(tp, texts[k]);
        /* its actors, as personas of the new map */
        json_object_del(tp, "actors");
        if (o->actors && nm->n_personas) {
            json_t *actors = json_array();
            for (size_t p = 0; actors && p < nm->n_personas; p++) {
                long q = d->slot_n2o[p];
                if (q >= 0 && o->actors[q])
                    json_array_append_new(actors, json_string(nm->personas[p].id));
            }
            if (!actors || json_object_set_new(tp, "actors", actors) != 0)
                *failed = true;
        }
        json_t *before = state_of(emotions(nm, om, &o->base, d->slot_n2o, true, failed),
                                  json_object_get(tp, "metrics"), failed);
        set_states(tp, before, NULL, failed);
        if (json_array_append_new(tps, tp) != 0)
            *failed = true;
    }
}

/* A copy of metrics into *out (empty before); false when out of memory (what was copied stays
 * in *out, for the map's free). */
static bool copy_metrics(const jm_metrics *from, jm_metrics *out)
{
    if (!from->n)
        return true;
    out->v = jm_calloc(from->n, sizeof *out->v);
    if (!out->v)
        return false;
    for (size_t k = 0; k < from->n; out->n = ++k) {
        const jm_metric *f = &from->v[k];
        jm_metric *t = &out->v[k];
        *t = *f;
        t->src.path = f->src.path ? jm_strdup(f->src.path) : NULL;
        t->name = jm_strdup(f->name);
        t->unit = f->unit ? jm_strdup(f->unit) : NULL;
        if ((f->src.path && !t->src.path) || !t->name || (f->unit && !t->unit)) {
            out->n = k + 1;
            return false;
        }
    }
    return true;
}

/* Each stage the two maps share gets the old version's metrics, which the layout draws as
 * "old → new" like a touchpoint's (a stage has no states in the model to carry them). */
static bool add_old_stage_metrics(const jm_diff *d, const jm_map *om, const jm_map *nm, jm_map *m)
{
    for (size_t s = 0; s < m->n_stages; s++) {
        long i = -1;
        for (size_t k = 0; k < nm->n_stages && i < 0; k++)
            if (strcmp(nm->stages[k].id, m->stages[s].id) == 0)
                i = (long)k;
        long j = i >= 0 ? inverse(d->stage_o2n, om->n_stages, i) : -1;
        if (j >= 0 && !copy_metrics(&om->stages[j].metrics, &m->stages[s].old_metrics))
            return false;
    }
    return true;
}

/* The two versions' names as the states' labels, and a subtitle saying what is compared. */
static void label_versions(const jm_map *om, const jm_map *nm, json_t *doc, bool *failed)
{
    bool ru = nm->lang && strcmp(nm->lang, "ru") == 0;
    const char *on = base_name(om->file ? om->file : "old");
    const char *nn = base_name(nm->file ? nm->file : "new");
    if (strcmp(on, nn) == 0) {
        on = ru ? "Было" : "Old";
        nn = ru ? "Стало" : "New";
    }
    json_t *states = json_pack("{s{ss}s{ss}}", "before", "label", on, "after", "label", nn);
    char *sub = jm_asprintf(ru ? "Изменения: %s \u2192 %s" : "Changes: %s \u2192 %s", on, nn);
    /* json_object_set_new takes the value even when it fails */
    if (json_object_set_new(doc, "states", states) != 0 || !sub ||
        json_object_set_new(doc, "subtitle", json_string(sub)) != 0)
        *failed = true;
    jm_free(sub);
}

jm_map *jm_diff_change_map(const jm_diff *d, const jm_map *old_map, const jm_map *new_map,
                           jm_diags *diags)
{
    if (!d || !old_map || !new_map || !d->tp_n2o || !d->stage_o2n)
        return NULL;
    json_t *doc = model_doc(new_map), *odoc = model_doc(old_map);
    char **old_ids = jm_calloc(old_map->n_stages + 1, sizeof *old_ids);
    bool failed = !doc || !odoc || !old_ids;
    if (!failed) {
        add_versions(d, old_map, new_map, doc, odoc, &failed);
        add_removed(d, old_map, new_map, doc, odoc, old_ids, &failed);
        label_versions(old_map, new_map, doc, &failed);
    }
    char *text = failed ? NULL : json_dumps(doc, JSON_COMPACT);
    jm_map *m = text ? jm_load_json(new_map->file ? new_map->file : "<change map>", text,
                                    strlen(text), diags)
                     : NULL;
    if (!text)
        jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "out of memory");
    if (m) {
        /* marks: the new map's objects keep their places; the copied-in ones come after */
        m->change_map = true;
        for (size_t i = 0; i < new_map->n_touchpoints && i < m->n_touchpoints; i++)
            m->touchpoints[i].change = d->tp_mark[i];
        for (size_t i = new_map->n_touchpoints; i < m->n_touchpoints; i++)
            m->touchpoints[i].change = JM_MARK_REMOVED;
        for (size_t s = 0; s < m->n_stages; s++) {
            long i = -1;
            for (size_t k = 0; k < new_map->n_stages && i < 0; k++)
                if (strcmp(new_map->stages[k].id, m->stages[s].id) == 0)
                    i = (long)k;
            m->stages[s].change = i >= 0 ? d->stage_mark[i] : JM_MARK_REMOVED;
        }
        if (!add_old_stage_metrics(d, old_map, new_map, m)) {
            jm_map_free(m);
            m = NULL;
            jm_diag_add(diags, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "out of memory");
        }
    }
    for (size_t j = 0; old_ids && j < old_map->n_stages; j++)
        jm_free(old_ids[j]);
    jm_free(old_ids);
    jm_free(text);
    json_decref(doc);
    json_decref(odoc);
    return m;
}
