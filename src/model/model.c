/* Model allocation and release, lane ids, and the per-state view of a touchpoint. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lint_rules.h"
#include "model.h"
#include "util/json_pos.h"
#include "util/util.h"

jm_map *jm_model_new(const char *file)
{
    jm_map *m = jm_calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->file = jm_strdup(file ? file : "<input>");
    if (!m->file) {
        jm_free(m);
        return NULL;
    }
    jm_scale_reset(&m->scale);
    return m;
}

char *jm_model_default_title(const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (n == 0 || strcmp(file, "-") == 0)
        return jm_strdup("Journey");
    return jm_strndup(base, n);
}

const char *jm_guess_lang(const char *text, size_t len)
{
    size_t cyr = 0, lat = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            lat++;
        else if (c == 0xD0 || c == 0xD1) /* a lead byte of U+0400…U+047F */
            cyr++;
    }
    return cyr > lat ? "ru" : "en";
}

void jm_model_src_set(jm_src *src, const char *path, int line, int col)
{
    jm_free(src->path);
    src->path = jm_strdup(path);
    src->line = line;
    src->col = col;
}

bool jm_model_src_at(jm_src *src, const char *kind, size_t index, int line, int col)
{
    char path[64];
    snprintf(path, sizeof path, "/%s/%zu", kind, index);
    jm_model_src_set(src, path, line, col);
    return src->path != NULL;
}

static void strlist_free(jm_strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        jm_free(l->v[i]);
        if (l->plan)
            jm_free(l->plan[i].owner);
    }
    jm_free(l->v);
    jm_free(l->plan);
}

const char *jm_status_id(jm_status s)
{
    static const char *const ids[] = {NULL, "idea", "planned", "in progress", "done"};
    return (unsigned)s < sizeof ids / sizeof *ids ? ids[s] : NULL;
}

const char *jm_priority_id(jm_priority p)
{
    static const char *const ids[] = {NULL, "high", "medium", "low"};
    return (unsigned)p < sizeof ids / sizeof *ids ? ids[p] : NULL;
}

static void metrics_free(jm_metrics *m)
{
    for (size_t i = 0; i < m->n; i++) {
        jm_free(m->v[i].src.path);
        jm_free(m->v[i].name);
        jm_free(m->v[i].unit);
    }
    jm_free(m->v);
}

static void kv_free(jm_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        jm_free(kv[i].key);
        jm_free(kv[i].value);
    }
    jm_free(kv);
}

static void tp_state_free(jm_tp_state *s)
{
    jm_free(s->src.path);
    jm_free(s->description);
    strlist_free(&s->action);
    strlist_free(&s->thought);
    strlist_free(&s->pain);
    strlist_free(&s->opportunity);
    jm_free(s->emotion);
    metrics_free(&s->metrics);
}

static void lane_free(jm_lane *l)
{
    jm_free(l->src.path);
    jm_free(l->id);
    jm_free(l->name);
}

static void persona_free(jm_persona *p)
{
    jm_free(p->src.path);
    jm_free(p->id);
    jm_free(p->name);
    jm_free(p->photo_spec);
    jm_free(p->quote);
    jm_free(p->description);
    kv_free(p->demographics, p->n_demographics);
    kv_free(p->psychographics, p->n_psychographics);
    strlist_free(&p->goals);
    strlist_free(&p->needs);
    strlist_free(&p->frustrations);
    jm_free(p->color);
}

static void touchpoint_free(jm_touchpoint *t)
{
    jm_free(t->src.path);
    jm_free(t->id);
    jm_free(t->name);
    tp_state_free(&t->base);
    tp_state_free(&t->before);
    tp_state_free(&t->after);
    jm_free(t->actors);
    jm_free(t->url);
    jm_free(t->owner);
    jm_free(t->image_spec);
    jm_free(t->image_alt);
    jm_free(t->notes);
    jm_free(t->stat);
}

void jm_map_free(jm_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_personas; i++)
        persona_free(&m->personas[i]);
    jm_free(m->personas);
    for (size_t i = 0; i < m->n_stages; i++) {
        jm_stage *s = &m->stages[i];
        jm_free(s->src.path);
        jm_free(s->id);
        jm_free(s->name);
        jm_free(s->description);
        jm_free(s->goal);
        strlist_free(&s->questions);
        metrics_free(&s->metrics);
        metrics_free(&s->old_metrics);
    }
    jm_free(m->stages);
    for (size_t i = 0; i < m->n_channels; i++) {
        jm_channel *c = &m->channels[i];
        jm_free(c->src.path);
        jm_free(c->id);
        jm_free(c->name);
        jm_free(c->icon);
        jm_free(c->color);
    }
    jm_free(m->channels);
    for (size_t i = 0; i < m->n_touchpoints; i++)
        touchpoint_free(&m->touchpoints[i]);
    jm_free(m->touchpoints);
    for (size_t i = 0; i < m->n_items; i++) {
        jm_free(m->items[i].src.path);
        jm_free(m->items[i].text);
        jm_free(m->items[i].plan.owner);
    }
    jm_free(m->items);
    for (size_t i = 0; i < m->n_lanes; i++)
        lane_free(&m->lanes[i]);
    jm_free(m->lanes);
    for (size_t i = 0; i < m->n_custom_lanes; i++)
        lane_free(&m->custom_lanes[i]);
    jm_free(m->custom_lanes);
    jm_free(m->state_label[0]);
    jm_free(m->state_label[1]);
    jm_free(m->file);
    jm_free(m->base_dir);
    jm_free(m->title);
    jm_free(m->subtitle);
    jm_free(m->footer);
    jm_free(m->logo_spec);
    jm_free(m->logo_alt);
    jm_free(m->lang);
    jm_free(m->description);
    jm_free(m->theme_name);
    jm_free(m->theme_json);
    jm_map_drop_positions(m);
    jm_free(m->fonts);
    for (int i = 0; i < 3; i++)
        jm_free(m->theme_family_src[i].path);
    for (size_t i = 0; i < m->n_theme_key_src; i++)
        jm_free(m->theme_key_src[i].path);
    jm_free(m->theme_key_src);
    for (size_t i = 0; i < m->n_files; i++) {
        jm_free(m->files[i]->spec);
        jm_free(m->files[i]->name);
        jm_free(m->files[i]->data);
        jm_free(m->files[i]);
    }
    jm_free(m->files);
    jm_scale_reset(&m->scale);
    for (size_t i = 0; i < m->n_data_sources; i++) {
        jm_free(m->data_sources[i].name);
        jm_free(m->data_sources[i].date);
    }
    jm_free(m->data_sources);
    if (m->lint)
        for (size_t i = 0; i < JM_RULE__COUNT; i++)
            jm_free(m->lint[i].src.path);
    jm_free(m->lint);
    jm_free(m);
}

/* Stages, touchpoints, emotions and before/after are drawn from the model's stages and
 * touchpoints; the other lanes also hold the items that name them. */
static const jm_lane_info lanes[JM_LANE__COUNT] = {
    [JM_LANE_STAGES] = {"stages", "Stages", "Этапы", NULL, false, NULL, NULL},
    [JM_LANE_GOALS] = {"goals", "Goals & questions", "Цели и вопросы", "goal", true,
                       "What do they want to achieve? What do they ask?",
                       "Чего клиент хочет добиться? О чём спрашивает?"},
    [JM_LANE_ACTIONS] = {"actions", "Actions", "Действия", "persona", true,
                         "What does the customer do?", "Что делает клиент?"},
    [JM_LANE_STORYBOARD] = {"storyboard", "Storyboard", "Раскадровка", NULL, false,
                            "Sketch the moment", "Нарисуйте этот момент"},
    [JM_LANE_TOUCHPOINTS] = {"touchpoints", "Touchpoints", "Точки контакта", NULL, false,
                             "Where do they meet us? Channel, place, person",
                             "Где клиент встречается с нами? Канал, место, человек"},
    [JM_LANE_EMOTIONS] = {"emotions", "Emotions", "Эмоции", "moment_of_truth", false,
                          "How do they feel?", "Что клиент чувствует?"},
    [JM_LANE_THOUGHTS] = {"thoughts", "Thoughts", "Мысли", "thought", true, "What do they think?",
                          "О чём клиент думает?"},
    [JM_LANE_PAINS] = {"pains", "Pains", "Боли", "pain", true, "What goes wrong? What annoys them?",
                       "Что идёт не так? Что раздражает?"},
    [JM_LANE_OPPORTUNITIES] = {"opportunities", "Opportunities", "Возможности", "opportunity", true,
                               "How could we do better?", "Как сделать лучше?"},
    [JM_LANE_METRICS] = {"metrics", "KPIs", "Метрики", "metric", true, "How do we measure it?",
                         "Как мы это измеряем?"},
    [JM_LANE_COMPARE] = {"compare", "Before / after", "До / после", NULL, false,
                         "What changes, before and after?", "Что меняется: до и после?"},
    [JM_LANE_EVIDENCE] = {"evidence", "Evidence", "Материальные свидетельства", NULL, true,
                          "What do they see and keep? Emails, receipts, screens",
                          "Что клиент видит и получает? Письма, чеки, экраны"},
    [JM_LANE_FRONTSTAGE] = {"frontstage", "Frontstage", "Фронт-офис", NULL, true,
                            "What do our people do in front of the customer?",
                            "Что делают сотрудники на виду у клиента?"},
    [JM_LANE_BACKSTAGE] = {"backstage", "Backstage", "Бэк-офис", NULL, true,
                           "What happens behind the scenes?", "Что происходит за кулисами?"},
    [JM_LANE_SUPPORT] = {"support", "Support processes", "Поддерживающие процессы", NULL, true,
                         "Which systems and processes support it?",
                         "Какие системы и процессы это поддерживают?"},
    [JM_LANE_CUSTOM] = {"custom", "", "", NULL, true, NULL, NULL},
};

const jm_lane_info *jm_lane_info_of(jm_lane_type t)
{
    return &lanes[(unsigned)t < JM_LANE__COUNT ? t : JM_LANE_CUSTOM];
}

const char *jm_lane_type_id(jm_lane_type t) { return jm_lane_info_of(t)->id; }

int jm_lane_type_from_id(const char *id)
{
    for (int i = 0; i < JM_LANE_CUSTOM; i++)
        if (strcmp(lanes[i].id, id) == 0)
            return i;
    return -1;
}

size_t jm_emotion_slots(const jm_map *map) { return map->n_personas ? map->n_personas : 1; }

void jm_scale_reset(jm_scale *scale)
{
    for (size_t i = 0; i < scale->n_labels; i++) {
        jm_free(scale->labels[i].src.path);
        jm_free(scale->labels[i].text);
    }
    jm_free(scale->labels);
    jm_free(scale->src.path);
    *scale = (jm_scale){.min = -2, .max = 2};
}

double jm_emotion_axis(const jm_map *map, double v)
{
    const jm_scale *s = &map->scale;
    if (s->min == -2 && s->max == 2) /* the default: the value itself, to the last bit */
        return fmax(-2, fmin(2, v));
    double a = s->max > s->min ? -2 + 4 * (v - s->min) / (s->max - s->min) : 0;
    return isfinite(a) ? fmax(-2, fmin(2, a)) : 0;
}

bool jm_emotion_in_scale(const jm_map *map, double v)
{
    return v >= map->scale.min && v <= map->scale.max;
}

const char *jm_scale_label_of(const jm_map *map, double v)
{
    for (size_t i = 0; i < map->scale.n_labels; i++)
        if (map->scale.labels[i].value == v)
            return map->scale.labels[i].text;
    return NULL;
}

void jm_scale_range_text(const jm_map *map, char *out, size_t n)
{
    snprintf(out, n, "from %.10g to %.10g", map->scale.min, map->scale.max);
}

void jm_tp_view_get(const jm_map *map, const jm_touchpoint *tp, jm_state state, jm_tp_view *v)
{
    (void)map;
    const jm_tp_state *b = &tp->base;
    /* COMPARE shows the touchpoint as written; its states appear in their own lanes. */
    const jm_tp_state *s = state == JM_STATE_BEFORE  ? &tp->before
                           : state == JM_STATE_AFTER ? &tp->after
                                                     : b;
    if (!s->present)
        s = b;
    v->description = s->description ? s->description : b->description;
    v->action = s->action.n ? &s->action : &b->action;
    v->thought = s->thought.n ? &s->thought : &b->thought;
    v->pain = s->pain.n ? &s->pain : &b->pain;
    v->opportunity = s->opportunity.n ? &s->opportunity : &b->opportunity;
    if (s->has_emotion) {
        v->emotion = s->emotion;
        v->has_emotion = true;
    } else {
        v->emotion = b->emotion;
        v->has_emotion = b->has_emotion;
    }
    v->metrics = s->metrics.n ? &s->metrics : &b->metrics;
}

bool jm_map_field_position(const jm_map *m, const char *path, int *line, int *col)
{
    if (m->pos)
        return jm_json_pos_find_key(m->pos, path, line, col);
    for (size_t i = 0; i < m->n_field_srcs; i++)
        if (strcmp(m->field_srcs[i].path, path) == 0) {
            *line = m->field_srcs[i].line;
            *col = m->field_srcs[i].col;
            return true;
        }
    return false;
}

void jm_map_drop_positions(jm_map *m)
{
    jm_json_pos_free(m->pos);
    m->pos = NULL;
    for (size_t i = 0; i < m->n_field_srcs; i++)
        jm_free(m->field_srcs[i].path);
    jm_free(m->field_srcs);
    m->field_srcs = NULL;
    m->n_field_srcs = m->cap_field_srcs = 0;
}
