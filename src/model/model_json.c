/* The model written back as a JSON document of format version 1 (`journeymap convert`).
 *
 * Keys come in the order of the contract and only when they have a value; loading the output
 * gives an equal map. Unknown channels are declared, so the output loads without warnings. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util/util.h"

#define WRITER_MAX_DEPTH (JM_MAX_DEPTH + 8)

/* A pretty printer (2-space indent) over a jm_buf. */
typedef struct writer {
    jm_buf b;
    int depth;
    bool first[WRITER_MAX_DEPTH]; /* the container at each depth has no entry yet */
} writer;

static void newline(writer *w)
{
    jm_buf_append(&w->b, "\n", 1);
    for (int i = 0; i < w->depth; i++)
        jm_buf_append(&w->b, "  ", 2);
}

/* Starts an entry: the comma, the line break and, inside an object, the key. */
static void entry(writer *w, const char *key)
{
    if (w->depth > 0) {
        if (!w->first[w->depth])
            jm_buf_append(&w->b, ",", 1);
        newline(w);
    }
    w->first[w->depth] = false;
    if (key) {
        jm_buf_json_string(&w->b, key);
        jm_buf_append(&w->b, ": ", 2);
    }
}

static void begin(writer *w, const char *key, char bracket)
{
    entry(w, key);
    jm_buf_append(&w->b, &bracket, 1);
    if (w->depth + 1 >= WRITER_MAX_DEPTH) {
        w->b.failed = true;
        return;
    }
    w->first[++w->depth] = true;
}

static void finish(writer *w, char bracket)
{
    bool empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty)
        newline(w);
    jm_buf_append(&w->b, &bracket, 1);
}

static void put_string(writer *w, const char *key, const char *s)
{
    if (!s)
        return;
    entry(w, key);
    jm_buf_json_string(&w->b, s);
}

/* The shortest text that reads back as the same double (metric values need every digit). */
static void put_number(writer *w, const char *key, double v)
{
    char s[40];
    if (!isfinite(v) || v == 0)
        v = 0; /* also turns -0 into 0 */
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(s, sizeof s, "%.0f", v);
    } else {
        snprintf(s, sizeof s, "%.15g", v);
        if (strtod(s, NULL) != v)
            snprintf(s, sizeof s, "%.17g", v);
    }
    entry(w, key);
    jm_buf_puts(&w->b, s);
}

static void put_bool(writer *w, const char *key, bool v)
{
    entry(w, key);
    jm_buf_puts(&w->b, v ? "true" : "false");
}

static bool plan_given(const jm_plan *p)
{
    return p && (p->owner || p->status != JM_STATUS_NONE || p->priority != JM_PRIORITY_NONE);
}

static void put_plan(writer *w, const jm_plan *p)
{
    put_string(w, "owner", p->owner);
    put_string(w, "status", jm_status_id(p->status));
    put_string(w, "priority", jm_priority_id(p->priority));
}

/* A point: its text, or an object with its text and action plan. */
static void put_point(writer *w, const char *key, const jm_strlist *l, size_t i)
{
    const jm_plan *p = l->plan ? &l->plan[i] : NULL;
    if (!plan_given(p)) {
        put_string(w, key, l->v[i]);
        return;
    }
    begin(w, key, '{');
    put_string(w, "text", l->v[i]);
    put_plan(w, p);
    finish(w, '}');
}

/* A list of strings; `single_as_string` writes a one-entry list as a plain string. */
static void put_strlist(writer *w, const char *key, const jm_strlist *l, bool single_as_string)
{
    if (!l->n)
        return;
    if (single_as_string && l->n == 1) {
        put_point(w, key, l, 0);
        return;
    }
    begin(w, key, '[');
    for (size_t i = 0; i < l->n; i++)
        put_point(w, NULL, l, i);
    finish(w, ']');
}

/* Any jansson value (the theme object); depth is bounded by the loader's limit. */
static void put_json(writer *w, const char *key, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *m;
        begin(w, key, '{');
        json_object_foreach((json_t *)v, k, m)
        {
            if (w->b.failed)
                break;
            put_json(w, k, m);
        }
        finish(w, '}');
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *m;
        begin(w, key, '[');
        json_array_foreach(v, i, m)
        {
            if (w->b.failed)
                break;
            put_json(w, NULL, m);
        }
        finish(w, ']');
        break;
    }
    case JSON_STRING: put_string(w, key, json_string_value(v)); break;
    case JSON_INTEGER:
        entry(w, key);
        jm_buf_printf(&w->b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL: put_number(w, key, json_real_value(v)); break;
    case JSON_TRUE: put_bool(w, key, true); break;
    case JSON_FALSE: put_bool(w, key, false); break;
    default:
        entry(w, key);
        jm_buf_puts(&w->b, "null");
        break;
    }
}

static void put_kv(writer *w, const char *key, const jm_kv *kv, size_t n)
{
    if (!n)
        return;
    begin(w, key, '{');
    for (size_t i = 0; i < n; i++)
        put_string(w, kv[i].key, kv[i].value);
    finish(w, '}');
}

static void put_metrics(writer *w, const jm_metrics *m)
{
    if (!m->n)
        return;
    begin(w, "metrics", '[');
    for (size_t i = 0; i < m->n; i++) {
        const jm_metric *x = &m->v[i];
        begin(w, NULL, '{');
        put_string(w, "name", x->name);
        put_number(w, "value", x->value);
        put_string(w, "unit", x->unit);
        if (x->has_target)
            put_number(w, "target", x->target);
        if (x->better == JM_BETTER_LOWER)
            put_string(w, "better", "lower");
        finish(w, '}');
    }
    finish(w, ']');
}

/* One number when every acting persona feels the same (and nobody else has a value), else an
 * object persona id → value. */
static void put_emotion(writer *w, const jm_map *map, const jm_tp_state *st, const bool *actors)
{
    if (!st->has_emotion || !st->emotion)
        return;
    size_t slots = jm_emotion_slots(map);
    bool uniform = true;
    double value = JM_EMOTION_NONE;
    for (size_t s = 0; s < slots; s++) {
        double e = st->emotion[s];
        if (actors && !actors[s])
            uniform = uniform && e == JM_EMOTION_NONE;
        else if (e == JM_EMOTION_NONE || (value != JM_EMOTION_NONE && e != value))
            uniform = false;
        else
            value = e;
    }
    if ((uniform && value != JM_EMOTION_NONE) || !map->n_personas) {
        put_number(w, "emotion", value != JM_EMOTION_NONE ? value : st->emotion[0]);
        return;
    }
    begin(w, "emotion", '{');
    for (size_t s = 0; s < slots; s++)
        if (st->emotion[s] != JM_EMOTION_NONE)
            put_number(w, map->personas[s].id, st->emotion[s]);
    finish(w, '}');
}

/* The fields a state may override, in the contract's order for a state object. */
static void put_state(writer *w, const jm_map *map, const jm_tp_state *st, const bool *actors)
{
    put_string(w, "description", st->description);
    put_strlist(w, "action", &st->action, true);
    put_strlist(w, "thought", &st->thought, true);
    put_strlist(w, "pain", &st->pain, true);
    put_strlist(w, "opportunity", &st->opportunity, true);
    put_emotion(w, map, st, actors);
    put_metrics(w, &st->metrics);
}

static void put_personas(writer *w, const jm_map *map)
{
    if (!map->n_personas)
        return;
    begin(w, "personas", '[');
    for (size_t i = 0; i < map->n_personas; i++) {
        const jm_persona *p = &map->personas[i];
        begin(w, NULL, '{');
        if (p->id && *p->id)
            put_string(w, "id", p->id);
        put_string(w, "name", p->name);
        put_string(w, "photo", p->photo_spec);
        put_string(w, "quote", p->quote);
        put_string(w, "description", p->description);
        put_kv(w, "demographics", p->demographics, p->n_demographics);
        put_kv(w, "psychographics", p->psychographics, p->n_psychographics);
        put_strlist(w, "goals", &p->goals, false);
        put_strlist(w, "needs", &p->needs, false);
        put_strlist(w, "frustrations", &p->frustrations, false);
        put_string(w, "color", p->color);
        finish(w, '}');
    }
    finish(w, ']');
}

static void put_stages(writer *w, const jm_map *map)
{
    begin(w, "stages", '[');
    for (size_t i = 0; i < map->n_stages; i++) {
        const jm_stage *s = &map->stages[i];
        begin(w, NULL, '{');
        put_string(w, "id", s->id);
        put_string(w, "name", s->name);
        put_string(w, "description", s->description);
        put_string(w, "goal", s->goal);
        put_strlist(w, "questions", &s->questions, false);
        put_metrics(w, &s->metrics);
        finish(w, '}');
    }
    finish(w, ']');
}

/* The channels up to the last one that must be declared (declared ones come first, unknown
 * ones are declared now); built-ins used after it need no entry. Writing the built-ins before
 * an unknown channel too keeps the order of the channel lanes. */
static void put_channels(writer *w, const jm_map *map)
{
    static const char *const kinds[] = {"online", "offline", "product", "other"};
    size_t n = 0;
    for (size_t i = 0; i < map->n_channels; i++)
        if (map->channels[i].declared || map->channels[i].unknown)
            n = i + 1;
    if (!n)
        return;
    begin(w, "channels", '[');
    for (size_t i = 0; i < n; i++) {
        const jm_channel *c = &map->channels[i];
        begin(w, NULL, '{');
        put_string(w, "id", c->id);
        put_string(w, "name", c->name);
        put_string(w, "kind", kinds[c->kind <= JM_KIND_OTHER ? c->kind : JM_KIND_OTHER]);
        put_string(w, "icon", c->icon);
        put_string(w, "color", c->color);
        finish(w, '}');
    }
    finish(w, ']');
}

static void put_touchpoints(writer *w, const jm_map *map)
{
    if (!map->n_touchpoints)
        return;
    begin(w, "touchpoints", '[');
    for (size_t i = 0; i < map->n_touchpoints; i++) {
        const jm_touchpoint *t = &map->touchpoints[i];
        begin(w, NULL, '{');
        put_string(w, "id", t->id);
        put_string(w, "stage", map->stages[t->stage].id);
        if (t->channel >= 0)
            put_string(w, "channel", map->channels[t->channel].id);
        put_string(w, "name", t->name);
        put_strlist(w, "action", &t->base.action, true);
        put_string(w, "description", t->base.description);
        put_strlist(w, "thought", &t->base.thought, true);
        put_strlist(w, "pain", &t->base.pain, true);
        put_strlist(w, "opportunity", &t->base.opportunity, true);
        put_emotion(w, map, &t->base, t->actors);
        if (t->actors && map->n_personas) {
            begin(w, "actors", '[');
            for (size_t p = 0; p < map->n_personas; p++)
                if (t->actors[p])
                    put_string(w, NULL, map->personas[p].id);
            finish(w, ']');
        }
        if (t->indirect)
            put_string(w, "contact", "indirect");
        if (t->moment_of_truth)
            put_bool(w, "moment_of_truth", true);
        put_metrics(w, &t->base.metrics);
        const jm_tp_state *states[2] = {&t->before, &t->after};
        for (int k = 0; k < 2; k++) {
            if (!states[k]->present)
                continue;
            begin(w, k == 0 ? "before" : "after", '{');
            put_state(w, map, states[k], t->actors);
            finish(w, '}');
        }
        put_string(w, "url", t->url);
        put_string(w, "owner", t->owner);
        put_string(w, "image", t->image_spec);
        put_string(w, "image_alt", t->image_alt);
        put_string(w, "notes", t->notes);
        finish(w, '}');
    }
    finish(w, ']');
}

static const char *lane_id(const jm_map *map, jm_lane_type type, long custom)
{
    if (type == JM_LANE_CUSTOM && custom >= 0 && (size_t)custom < map->n_custom_lanes)
        return map->custom_lanes[custom].id;
    return jm_lane_type_id(type);
}

static void put_items(writer *w, const jm_map *map)
{
    if (!map->n_items)
        return;
    begin(w, "items", '[');
    for (size_t i = 0; i < map->n_items; i++) {
        const jm_item *it = &map->items[i];
        begin(w, NULL, '{');
        put_string(w, "lane", lane_id(map, it->lane, it->custom));
        put_string(w, "stage", map->stages[it->stage].id);
        put_string(w, "text", it->text);
        if (it->touchpoint >= 0)
            put_string(w, "touchpoint", map->touchpoints[it->touchpoint].id);
        put_plan(w, &it->plan);
        finish(w, '}');
    }
    finish(w, ']');
}

static void put_states(writer *w, const jm_map *map)
{
    static const char *const keys[] = {"before", "after"};
    if (!map->state_label[0] && !map->state_label[1])
        return;
    begin(w, "states", '{');
    for (int k = 0; k < 2; k++) {
        if (!map->state_label[k])
            continue;
        begin(w, keys[k], '{');
        put_string(w, "label", map->state_label[k]);
        finish(w, '}');
    }
    finish(w, '}');
}

static void put_lanes(writer *w, const jm_map *map)
{
    if (!map->lanes_explicit)
        return;
    begin(w, "lanes", '[');
    for (size_t i = 0; i < map->n_lanes; i++) {
        const jm_lane *l = &map->lanes[i];
        if (l->type == JM_LANE_CUSTOM || l->name) { /* a custom lane needs its declaration */
            begin(w, NULL, '{');
            put_string(w, "id", l->id);
            put_string(w, "name", l->name);
            finish(w, '}');
        } else {
            put_string(w, NULL, l->id);
        }
    }
    finish(w, ']');
}

/* "scale": {"min", "max", "labels": {value: text}} when the map declares one. */
static void put_scale(writer *w, const jm_map *map)
{
    const jm_scale *s = &map->scale;
    if (!s->declared)
        return;
    begin(w, "scale", '{');
    put_number(w, "min", s->min);
    put_number(w, "max", s->max);
    if (s->n_labels) {
        begin(w, "labels", '{');
        for (size_t i = 0; i < s->n_labels; i++) {
            char key[40];
            double v = s->labels[i].value == 0 ? 0 : s->labels[i].value; /* no "-0" */
            snprintf(key, sizeof key, "%.17g", v);
            for (int prec = 1; prec < 17; prec++) { /* the shortest text that reads back */
                char k[40];
                snprintf(k, sizeof k, "%.*g", prec, v);
                if (strtod(k, NULL) == v) {
                    memcpy(key, k, sizeof key);
                    break;
                }
            }
            put_string(w, key, s->labels[i].text);
        }
        finish(w, '}');
    }
    finish(w, '}');
}

/* "lint": each rule the map sets, as a level or as {"level", PARAM} ("all" comes back as
 * every rule's level). */
static void put_lint(writer *w, const jm_map *map)
{
    if (!map->lint)
        return;
    size_t n;
    const jm_lint_rule *rules = jm_lint_rules(&n);
    begin(w, "lint", '{');
    for (size_t r = 0; r < n; r++) {
        const jm_lint_setting *s = &map->lint[r];
        const char *level = s->level >= 0 ? jm_lint_level_name((jm_lint_level)s->level) : NULL;
        if (isnan(s->param)) {
            put_string(w, rules[r].id, level);
        } else {
            begin(w, rules[r].id, '{');
            put_string(w, "level", level);
            put_number(w, rules[r].param, s->param);
            finish(w, '}');
        }
    }
    finish(w, '}');
}

/* A theme name or file as written, else the theme object. false when it cannot be read back. */
static bool put_theme(writer *w, const jm_map *map)
{
    if (map->theme_name) {
        put_string(w, "theme", map->theme_name);
        return true;
    }
    if (!map->theme_json)
        return true;
    json_t *theme = json_loads(map->theme_json, JSON_DECODE_ANY, NULL);
    if (!theme)
        return false;
    put_json(w, "theme", theme);
    json_decref(theme);
    return true;
}

char *jm_map_to_json(const jm_map *map)
{
    writer w = {0};
    begin(&w, NULL, '{');
    put_number(&w, "journeymap", 1);
    put_string(&w, "title", map->title);
    put_string(&w, "subtitle", map->subtitle);
    put_string(&w, "description", map->description);
    put_string(&w, "lang", map->lang);
    put_scale(&w, map);
    put_string(&w, "footer", map->footer);
    put_string(&w, "logo", map->logo_spec);
    put_string(&w, "logo_alt", map->logo_alt);
    put_personas(&w, map);
    put_stages(&w, map);
    put_channels(&w, map);
    put_touchpoints(&w, map);
    put_items(&w, map);
    put_states(&w, map);
    put_lanes(&w, map);
    put_lint(&w, map);
    if (!put_theme(&w, map))
        w.b.failed = true;
    finish(&w, '}');
    jm_buf_append(&w.b, "\n", 1);
    return jm_buf_take(&w.b);
}
