/* The JSON loader's cards (see load_json.h): touchpoints with their before/after states,
 * emotions and actors, and the items of the item lanes. */
#include <string.h>
#include <strings.h>

#include "load_json.h"

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
/* ---- Touchpoints ------------------------------------------------------------------------- */

/* An emotion value at the current path. */
static bool emotion_value(loader *ld, const json_t *v, double *out)
{
    const jm_scale *sc = &ld->map->scale;
    if (!json_is_number(v)) {
        jm_jl_fail(ld, "expected an emotion from %.10g to %.10g, got %s", sc->min, sc->max,
                   jm_json_type_name(v));
        return false;
    }
    double e = json_number_value(v);
    if (!jm_emotion_in_scale(ld->map, e)) {
        char *text = jm_jl_number_as_written(ld, v);
        jm_jl_fail(ld, "emotion must be between %.10g and %.10g, got %s%s", sc->min, sc->max,
                   text ? text : "", sc->declared ? " (the map's \"scale\")" : "");
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
    json_t *v = jm_jl_member(ld, obj, "emotion", OPTIONAL, &mark);
    if (!v)
        return;
    double e;
    if (json_is_object(v)) {
        const char *id;
        json_t *val;
        json_object_foreach(v, id, val)
        {
            size_t m = jm_jl_path_key(ld, id);
            long p = jm_jl_resolve_persona(ld, id, true); /* the key names the persona */
            if (p >= 0 && emotion_value(ld, val, &e)) {
                st->emotion[p] = e;
                st->has_emotion = true;
            }
            jm_jl_path_pop(ld, m);
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
        jm_jl_fail(ld,
                   "expected an emotion from %.10g to %.10g or an object of persona id → emotion, "
                   "got %s",
                   ld->map->scale.min, ld->map->scale.max, jm_json_type_name(v));
    }
    jm_jl_path_pop(ld, mark);
}

/* The fields a state may override, read from obj (the touchpoint or its before/after). */
static void load_state_fields(loader *ld, const json_t *obj, jm_tp_state *st, const bool *actors)
{
    jm_jl_get_string(ld, obj, "description", OPTIONAL, &st->description);
    jm_jl_get_strlist(ld, obj, "action", true, &st->action);
    jm_jl_get_strlist(ld, obj, "thought", true, &st->thought);
    jm_jl_get_strlist(ld, obj, "pain", true, &st->pain);
    jm_jl_get_points(ld, obj, "opportunity", true, true, &st->opportunity);
    load_emotion(ld, obj, st, actors);
    jm_jl_get_metrics(ld, obj, &st->metrics);
}

static void load_state(loader *ld, const json_t *tp, const char *key, jm_tp_state *st,
                       const bool *actors)
{
    static const char *const keys[] = {"description", "action",  "thought", "pain",
                                       "opportunity", "emotion", "metrics"};
    size_t mark;
    json_t *obj = jm_jl_member(ld, tp, key, OPTIONAL, &mark);
    if (!obj)
        return;
    if (jm_jl_expect(ld, obj, T_OBJECT)) {
        st->present = true;
        ld->map->has_states = true;
        jm_jl_set_src(ld, &st->src);
        load_state_fields(ld, obj, st, actors);
        CHECK_KEYS(ld, obj, keys);
    }
    jm_jl_path_pop(ld, mark);
}

/* "actors": persona ids; NULL (everyone) when absent or when the map has no personas. */
static void load_actors(loader *ld, const json_t *obj, jm_touchpoint *t)
{
    size_t mark;
    json_t *arr = jm_jl_get_array(ld, obj, "actors", OPTIONAL, JM_MAX_PERSONAS, &mark);
    if (!arr)
        return;
    size_t n = ld->map->n_personas;
    if (n) {
        t->actors = jm_calloc(n, sizeof *t->actors);
        if (!t->actors)
            ld->oom = true;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        size_t m = jm_jl_path_index(ld, i);
        json_t *v = json_array_get(arr, i);
        if (jm_jl_expect(ld, v, T_STRING)) {
            long p = jm_jl_resolve_persona(ld, json_string_value(v), false);
            if (p >= 0 && t->actors)
                t->actors[p] = true;
        }
        jm_jl_path_pop(ld, m);
    }
    jm_jl_path_pop(ld, mark);
}

void jm_jl_load_touchpoint(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {
        "id",     "stage",       "channel", "name",   "action",  "description",     "thought",
        "pain",   "opportunity", "emotion", "actors", "contact", "moment_of_truth", "metrics",
        "before", "after",       "url",     "owner",  "notes",   "image",           "image_alt"};
    static const char *const contacts[] = {"direct", "indirect"};
    jm_touchpoint *t = (jm_touchpoint *)items + i;
    jm_jl_set_src(ld, &t->src);
    t->order = i;
    t->channel = -1;
    size_t mark;
    if (jm_jl_get_string(ld, obj, "id", NONEMPTY, &t->id)) {
        long first = jm_strmap_get(&ld->touchpoint_ids, t->id);
        if (first >= 0) {
            mark = jm_jl_path_key(ld, "id");
            jm_jl_fail(ld, "duplicate touchpoint id \"%s\" (first defined at line %d)", t->id,
                       ld->map->touchpoints[first].src.line);
            jm_jl_path_pop(ld, mark);
        } else if (!jm_strmap_put(&ld->touchpoint_ids, t->id, i)) {
            ld->oom = true;
        }
    }
    char *ref = NULL;
    if (jm_jl_get_string(ld, obj, "stage", REQUIRED | NONEMPTY, &ref)) {
        mark = jm_jl_path_key(ld, "stage");
        long s = jm_jl_resolve_stage(ld, ref);
        t->stage = s >= 0 ? (size_t)s : 0;
        jm_jl_path_pop(ld, mark);
    }
    jm_free(ref);
    ref = NULL;
    if (jm_jl_get_string(ld, obj, "channel", NONEMPTY, &ref)) {
        mark = jm_jl_path_key(ld, "channel");
        t->channel = jm_jl_resolve_channel(ld, ref);
        jm_jl_path_pop(ld, mark);
    }
    jm_free(ref);
    jm_jl_get_string(ld, obj, "name", REQUIRED | NONEMPTY, &t->name);
    load_actors(ld, obj, t);
    load_state_fields(ld, obj, &t->base, t->actors);
    int contact = 0;
    jm_jl_get_choice(ld, obj, "contact", contacts, 2, &contact);
    t->indirect = contact == 1;
    jm_jl_get_bool(ld, obj, "moment_of_truth", &t->moment_of_truth);
    load_state(ld, obj, "before", &t->before, t->actors);
    load_state(ld, obj, "after", &t->after, t->actors);
    if (jm_jl_get_string(ld, obj, "url", OPTIONAL, &t->url) && !valid_url(t->url)) {
        mark = jm_jl_path_key(ld, "url");
        jm_jl_fail(ld, "expected an http:// or https:// link, got \"%s\"", t->url);
        jm_jl_path_pop(ld, mark);
    }
    jm_jl_get_string(ld, obj, "owner", OPTIONAL, &t->owner);
    jm_jl_get_string(ld, obj, "notes", OPTIONAL, &t->notes);
    if (jm_jl_get_string(ld, obj, "image", NONEMPTY, &t->image_spec)) {
        mark = jm_jl_path_key(ld, "image");
        t->image = jm_jl_read_picture(ld, t->image_spec, "image");
        jm_jl_path_pop(ld, mark);
    }
    jm_jl_get_string(ld, obj, "image_alt", OPTIONAL, &t->image_alt);
    CHECK_KEYS(ld, obj, keys);
}

/* ---- Items ------------------------------------------------------------------------------- */

static void resolve_item_lane(loader *ld, const char *id, jm_item *it)
{
    const jm_map *map = ld->map;
    int t = jm_lane_type_from_id(id);
    long custom = jm_jl_find_lane(map->custom_lanes, map->n_custom_lanes, id);
    if (jm_jl_item_lane(t)) {
        it->lane = (jm_lane_type)t;
        if (map->lanes_explicit && jm_jl_find_lane(map->lanes, map->n_lanes, id) < 0)
            jm_jl_report(ld, JM_SEVERITY_WARNING, false,
                         "lane \"%s\" is not listed in \"lanes\", so this item is not drawn", id);
    } else if (t >= 0) {
        jm_jl_fail(ld, "lane \"%s\" cannot hold items", id);
    } else if (custom >= 0) {
        it->lane = JM_LANE_CUSTOM;
        it->custom = custom;
    } else {
        jm_jl_fail_unknown_lane(ld, id, true);
    }
}

void jm_jl_load_item(loader *ld, const json_t *obj, void *items, size_t i)
{
    static const char *const keys[] = {"lane",  "stage",  "text",    "touchpoint",
                                       "owner", "status", "priority"};
    jm_map *map = ld->map;
    jm_item *it = (jm_item *)items + i;
    jm_jl_set_src(ld, &it->src);
    it->custom = -1;
    it->touchpoint = -1;
    long stage = -1;
    char *ref = NULL;
    size_t mark;
    if (jm_jl_get_string(ld, obj, "lane", REQUIRED | NONEMPTY, &ref)) {
        mark = jm_jl_path_key(ld, "lane");
        resolve_item_lane(ld, ref, it);
        jm_jl_path_pop(ld, mark);
    }
    jm_free(ref);
    ref = NULL;
    if (jm_jl_get_string(ld, obj, "stage", REQUIRED | NONEMPTY, &ref)) {
        mark = jm_jl_path_key(ld, "stage");
        stage = jm_jl_resolve_stage(ld, ref);
        it->stage = stage >= 0 ? (size_t)stage : 0;
        jm_jl_path_pop(ld, mark);
    }
    jm_free(ref);
    ref = NULL;
    jm_jl_get_string(ld, obj, "text", REQUIRED | NONEMPTY, &it->text);
    jm_jl_load_plan(ld, obj, &it->plan);
    if (jm_jl_get_string(ld, obj, "touchpoint", NONEMPTY, &ref)) {
        mark = jm_jl_path_key(ld, "touchpoint");
        long tp = jm_strmap_get(&ld->touchpoint_ids, ref);
        if (tp < 0) {
            const char **ids = jm_strmap_keys(&ld->touchpoint_ids);
            if (!ids)
                ld->oom = true;
            jm_jl_fail_unknown(ld, false, "touchpoint", ref, ids, ids ? ld->touchpoint_ids.n : 0,
                               NULL);
            jm_free(ids);
        } else if (stage >= 0 && map->touchpoints[tp].stage != (size_t)stage) {
            jm_jl_fail(ld, "touchpoint \"%s\" is in stage \"%s\", not in this item's stage \"%s\"",
                       ref, map->stages[map->touchpoints[tp].stage].id, map->stages[stage].id);
        } else {
            it->touchpoint = tp;
        }
        jm_jl_path_pop(ld, mark);
    }
    jm_free(ref);
    CHECK_KEYS(ld, obj, keys);
}
