/* Checking a map against the rules a journey-mapping practitioner would apply (jm_lint_map).
 * The rules' ids, levels and rationales are the model's table (model/lint_rules.c); here is one
 * check function per rule, in the same order. Findings are data: nothing is printed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/lint_rules.h"
#include "model/model.h"
#include "util/diag.h"
#include "util/util.h"

struct jm_lint_settings {
    int level[JM_RULE__COUNT]; /* -1 not set */
    double param[JM_RULE__COUNT];
};

struct jm_findings {
    jm_finding *v;
    size_t n, cap;
    bool failed;
};

/* One run of the rules over a map. */
typedef struct linter {
    const jm_map *map;
    jm_findings *out;
    jm_lint_level level[JM_RULE__COUNT];
    double param[JM_RULE__COUNT];
    int rule; /* the rule being checked */
} linter;

/* ---- Settings ------------------------------------------------------------------------------- */

jm_lint_settings *jm_lint_settings_new(void)
{
    jm_lint_settings *s = jm_calloc(1, sizeof *s);
    if (s)
        for (int i = 0; i < JM_RULE__COUNT; i++) {
            s->level[i] = -1;
            s->param[i] = NAN;
        }
    return s;
}

void jm_lint_settings_free(jm_lint_settings *s) { jm_free(s); }

static int unknown_rule(const char *id, size_t len, jm_diags *d)
{
    size_t n;
    const jm_lint_rule *rules = jm_lint_rules(&n);
    const char *ids[JM_RULE__COUNT];
    for (size_t i = 0; i < n; i++)
        ids[i] = rules[i].id;
    char *word = jm_strndup(id, len);
    const char *hint = word ? jm_did_you_mean(word, ids, n) : NULL;
    if (hint)
        jm_diag_add(d, JM_SEVERITY_ERROR, NULL, 0, 0, NULL,
                    "unknown lint rule '%s' (did you mean '%s'?)", word, hint);
    else
        jm_diag_add(d, JM_SEVERITY_ERROR, NULL, 0, 0, NULL,
                    "unknown lint rule '%s' (journeymap lint --list-rules lists them)",
                    word ? word : "");
    jm_free(word);
    return -1;
}

int jm_lint_settings_set(jm_lint_settings *s, const char *spec, jm_diags *d)
{
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!s || !eq) {
        jm_diag_add(d, JM_SEVERITY_ERROR, NULL, 0, 0, NULL,
                    "'%s': a rule setting is ID=LEVEL (off, note, warning, error) or "
                    "ID.PARAM=NUMBER",
                    spec ? spec : "");
        return -1;
    }
    const char *dot = memchr(spec, '.', (size_t)(eq - spec));
    size_t idlen = (size_t)((dot ? dot : eq) - spec);
    const char *value = eq + 1;
    if (!dot && idlen == 3 && strncmp(spec, "all", 3) == 0) {
        int lv = jm_lint_level_from_name(value);
        if (lv < 0)
            goto bad_level;
        for (int i = 0; i < JM_RULE__COUNT; i++)
            s->level[i] = lv;
        return 0;
    }
    char id[64];
    if (idlen >= sizeof id)
        return unknown_rule(spec, idlen, d);
    memcpy(id, spec, idlen);
    id[idlen] = 0;
    int r = jm_lint_rule_find(id);
    if (r < 0)
        return unknown_rule(spec, idlen, d);
    if (!dot) {
        int lv = jm_lint_level_from_name(value);
        if (lv < 0)
            goto bad_level;
        s->level[r] = lv;
        return 0;
    }
    const jm_lint_rule *rule = &jm_lint_rules(NULL)[r];
    size_t plen = (size_t)(eq - dot - 1);
    if (!rule->param || strlen(rule->param) != plen || strncmp(rule->param, dot + 1, plen) != 0) {
        if (rule->param)
            jm_diag_add(d, JM_SEVERITY_ERROR, NULL, 0, 0, NULL,
                        "'%s': rule %s takes one parameter, %s", spec, rule->id, rule->param);
        else
            jm_diag_add(d, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "'%s': rule %s takes no parameter",
                        spec, rule->id);
        return -1;
    }
    char *end;
    double v = strtod(value, &end);
    if (!*value || *end || !isfinite(v) || fabs(v) > JM_MAX_NUMBER) {
        jm_diag_add(d, JM_SEVERITY_ERROR, NULL, 0, 0, NULL, "'%s': %s takes a number", spec,
                    rule->param);
        return -1;
    }
    s->param[r] = v;
    return 0;
bad_level:
    jm_diag_add(d, JM_SEVERITY_ERROR, NULL, 0, 0, NULL,
                "'%s': unknown level '%s' (off, note, warning, error)", spec, value);
    return -1;
}

/* ---- Findings ------------------------------------------------------------------------------- */

static void finding(linter *l, const jm_src *src, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void finding(linter *l, const jm_src *src, const char *fmt, ...)
{
    jm_findings *f = l->out;
    if (f->failed)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jm_finding g = {0};
    g.rule = jm_lint_rules(NULL)[l->rule].id; /* static */
    g.level = l->level[l->rule];
    g.file = jm_strdup(l->map->file ? l->map->file : "");
    g.line = src ? src->line : 0;
    g.column = src ? src->col : 0;
    g.path = jm_strdup(src && src->path ? src->path : "");
    g.message = jm_strdup(msg);
    if (!g.file || !g.path || !g.message || !JM_PUSH(f->v, f->n, f->cap, g)) {
        jm_free((char *)g.file);
        jm_free((char *)g.path);
        jm_free((char *)g.message);
        f->failed = true;
    }
}

/* ---- Helpers over the model ----------------------------------------------------------------- */

/* Any emotion on the touchpoint, as written or in a before or after state. */
static bool tp_has_emotion(const jm_touchpoint *t)
{
    return t->base.has_emotion || (t->before.present && t->before.has_emotion) ||
           (t->after.present && t->after.has_emotion);
}

static bool map_has_emotions(const jm_map *m)
{
    for (size_t i = 0; i < m->n_touchpoints; i++)
        if (tp_has_emotion(&m->touchpoints[i]))
            return true;
    return false;
}

static bool stage_has_opportunity(const jm_map *m, size_t stage)
{
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *t = &m->touchpoints[i];
        if (t->stage == stage &&
            (t->base.opportunity.n || t->before.opportunity.n || t->after.opportunity.n))
            return true;
    }
    for (size_t i = 0; i < m->n_items; i++)
        if (m->items[i].stage == stage && m->items[i].lane == JM_LANE_OPPORTUNITIES)
            return true;
    return false;
}

static const char *persona_name(const jm_map *m, size_t slot)
{
    return m->n_personas ? m->personas[slot].name : NULL;
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    bool in = false;
    for (; *s; s++) {
        bool sp = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

/* ---- The rules, one function each ----------------------------------------------------------- */

static void rule_empty_stage(linter *l)
{
    const jm_map *m = l->map;
    for (size_t s = 0; s < m->n_stages; s++) {
        bool any = false;
        for (size_t i = 0; i < m->n_touchpoints && !any; i++)
            any = m->touchpoints[i].stage == s;
        if (!any)
            finding(l, &m->stages[s].src, "stage \"%s\" has no touchpoint", m->stages[s].name);
    }
}

static void rule_pain_without_opportunity(linter *l)
{
    const jm_map *m = l->map;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *t = &m->touchpoints[i];
        if (t->base.pain.n && !stage_has_opportunity(m, t->stage))
            finding(l, &t->src, "pain of \"%s\" with no opportunity in stage \"%s\"", t->name,
                    m->stages[t->stage].name);
    }
    for (size_t i = 0; i < m->n_items; i++) {
        const jm_item *it = &m->items[i];
        if (it->lane == JM_LANE_PAINS && !stage_has_opportunity(m, it->stage))
            finding(l, &it->src, "pain \"%s\" with no opportunity in stage \"%s\"", it->text,
                    m->stages[it->stage].name);
    }
}

/* An emotion on the −2…+2 axis the rule parameters speak of, whatever the map's own scale (a
 * 1…5 map's 2 is −1). */
static double on_axis(const jm_map *m, double e)
{
    double lo = m->scale.min, hi = m->scale.max;
    return hi > lo ? -2 + 4 * (e - lo) / (hi - lo) : e;
}

static void rule_low_moment_of_truth(linter *l)
{
    const jm_map *m = l->map;
    double max = l->param[l->rule];
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *t = &m->touchpoints[i];
        if (!t->moment_of_truth || !t->base.has_emotion || t->base.opportunity.n)
            continue;
        for (size_t p = 0; p < jm_emotion_slots(m); p++) {
            double e = t->base.emotion[p];
            if (e == JM_EMOTION_NONE || on_axis(m, e) > max)
                continue;
            const char *who = persona_name(m, p);
            jm_buf b = {0};
            jm_buf_number(&b, e);
            char *num = jm_buf_take(&b);
            finding(l, &t->src, "moment of truth \"%s\" felt at %s%s%s with no opportunity",
                    t->name, num ? num : "?", who ? " by " : "", who ? who : "");
            jm_free(num);
            break;
        }
    }
}

static void rule_missing_owner(linter *l)
{
    const jm_map *m = l->map;
    size_t owned = 0;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        owned += m->touchpoints[i].owner != NULL;
    if (!owned)
        return;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        if (!m->touchpoints[i].owner)
            finding(l, &m->touchpoints[i].src,
                    "touchpoint \"%s\" has no owner (%zu of %zu touchpoints have one)",
                    m->touchpoints[i].name, owned, m->n_touchpoints);
}

/* Every metric of the map, with what it belongs to, for the metric rules. */
typedef void (*metric_fn)(linter *l, const jm_metric *mt, const char *owner_kind,
                          const char *owner);

static void each_metric(linter *l, metric_fn fn)
{
    const jm_map *m = l->map;
    for (size_t s = 0; s < m->n_stages; s++)
        for (size_t k = 0; k < m->stages[s].metrics.n; k++)
            fn(l, &m->stages[s].metrics.v[k], "stage", m->stages[s].name);
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *t = &m->touchpoints[i];
        const jm_tp_state *st[3] = {&t->base, &t->before, &t->after};
        for (int j = 0; j < 3; j++)
            for (size_t k = 0; k < st[j]->metrics.n; k++)
                fn(l, &st[j]->metrics.v[k], "touchpoint", t->name);
    }
}

static void put_value_unit(jm_buf *b, double v, const char *unit)
{
    jm_buf_number(b, v);
    if (unit && *unit)
        jm_buf_printf(b, " %s", unit);
}

static void off_target(linter *l, const jm_metric *mt, const char *kind, const char *owner)
{
    if (!mt->has_target)
        return;
    bool off = mt->better == JM_BETTER_LOWER ? mt->value > mt->target : mt->value < mt->target;
    if (!off)
        return;
    jm_buf b = {0};
    put_value_unit(&b, mt->value, mt->unit);
    jm_buf_puts(&b, mt->better == JM_BETTER_LOWER ? ", target at most " : ", target at least ");
    put_value_unit(&b, mt->target, mt->unit);
    char *t = jm_buf_take(&b);
    finding(l, &mt->src, "metric \"%s\" of %s \"%s\" is off its target: %s", mt->name, kind, owner,
            t ? t : "");
    jm_free(t);
}

static void no_target(linter *l, const jm_metric *mt, const char *kind, const char *owner)
{
    if (!mt->has_target)
        finding(l, &mt->src, "metric \"%s\" of %s \"%s\" has no target", mt->name, kind, owner);
}

static void rule_metric_off_target(linter *l) { each_metric(l, off_target); }
static void rule_metric_without_target(linter *l) { each_metric(l, no_target); }

static bool slot_has_emotion(const jm_tp_state *s, size_t p)
{
    return s->present != false && s->has_emotion && s->emotion[p] != JM_EMOTION_NONE;
}

static void rule_persona_without_emotion(linter *l)
{
    const jm_map *m = l->map;
    for (size_t p = 0; p < m->n_personas; p++) {
        bool any = false;
        for (size_t i = 0; i < m->n_touchpoints && !any; i++) {
            const jm_touchpoint *t = &m->touchpoints[i];
            any = (t->base.has_emotion && t->base.emotion[p] != JM_EMOTION_NONE) ||
                  slot_has_emotion(&t->before, p) || slot_has_emotion(&t->after, p);
        }
        if (!any)
            finding(l, &m->personas[p].src, "persona \"%s\" has no emotion on any touchpoint",
                    m->personas[p].name);
    }
}

static size_t channel_uses(const jm_map *m, size_t ch)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        n += m->touchpoints[i].channel == (long)ch;
    return n;
}

static void rule_channel_used_once(linter *l)
{
    const jm_map *m = l->map;
    if (m->n_touchpoints < 2)
        return;
    for (size_t c = 0; c < m->n_channels; c++) {
        if (channel_uses(m, c) != 1)
            continue;
        for (size_t i = 0; i < m->n_touchpoints; i++)
            if (m->touchpoints[i].channel == (long)c)
                finding(l, &m->touchpoints[i].src,
                        "channel \"%s\" is used by this touchpoint only (\"%s\")",
                        m->channels[c].name, m->touchpoints[i].name);
    }
}

static void rule_unused_channel(linter *l)
{
    const jm_map *m = l->map;
    for (size_t c = 0; c < m->n_channels; c++)
        if (m->channels[c].declared && channel_uses(m, c) == 0)
            finding(l, &m->channels[c].src, "channel \"%s\" is declared and never used",
                    m->channels[c].name);
}

static void long_thoughts(linter *l, const jm_touchpoint *t, const jm_tp_state *s)
{
    double max = l->param[l->rule];
    for (size_t k = 0; k < s->thought.n; k++) {
        size_t w = count_words(s->thought.v[k]);
        if ((double)w > max)
            finding(l, &t->src, "thought of \"%s\" has %zu words (at most %g)", t->name, w, max);
    }
}

static void rule_long_thought(linter *l)
{
    const jm_map *m = l->map;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *t = &m->touchpoints[i];
        long_thoughts(l, t, &t->base);
        long_thoughts(l, t, &t->before);
        long_thoughts(l, t, &t->after);
    }
}

static void rule_after_worse(linter *l)
{
    const jm_map *m = l->map;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *t = &m->touchpoints[i];
        if (!t->before.present || !t->after.present)
            continue;
        jm_tp_view b, a;
        jm_tp_view_get(m, t, JM_STATE_BEFORE, &b);
        jm_tp_view_get(m, t, JM_STATE_AFTER, &a);
        for (size_t p = 0; b.has_emotion && a.has_emotion && p < jm_emotion_slots(m); p++) {
            double eb = b.emotion[p], ea = a.emotion[p];
            if (eb == JM_EMOTION_NONE || ea == JM_EMOTION_NONE || ea >= eb)
                continue;
            const char *who = persona_name(m, p);
            jm_buf nb = {0};
            jm_buf_number(&nb, eb);
            jm_buf_puts(&nb, " before, ");
            jm_buf_number(&nb, ea);
            jm_buf_puts(&nb, " after");
            char *txt = jm_buf_take(&nb);
            finding(l, &t->after.src, "after state of \"%s\" feels worse than before%s%s: %s",
                    t->name, who ? " for " : "", who ? who : "", txt ? txt : "");
            jm_free(txt);
        }
        for (size_t k = 0; k < a.metrics->n; k++) {
            const jm_metric *ma = &a.metrics->v[k];
            for (size_t j = 0; j < b.metrics->n; j++) {
                const jm_metric *mb = &b.metrics->v[j];
                if (strcmp(ma->name, mb->name) != 0)
                    continue;
                bool worse =
                    ma->better == JM_BETTER_LOWER ? ma->value > mb->value : ma->value < mb->value;
                if (worse) {
                    jm_buf nb = {0};
                    jm_buf_number(&nb, mb->value);
                    jm_buf_puts(&nb, " before, ");
                    jm_buf_number(&nb, ma->value);
                    jm_buf_puts(&nb, " after");
                    char *txt = jm_buf_take(&nb);
                    finding(l, &ma->src, "metric \"%s\" of \"%s\" is worse after than before: %s",
                            ma->name, t->name, txt ? txt : "");
                    jm_free(txt);
                }
                break;
            }
        }
    }
}

static void rule_stage_without_emotion(linter *l)
{
    const jm_map *m = l->map;
    if (!map_has_emotions(m))
        return;
    for (size_t s = 0; s < m->n_stages; s++) {
        bool tps = false, any = false;
        for (size_t i = 0; i < m->n_touchpoints && !any; i++)
            if (m->touchpoints[i].stage == s) {
                tps = true;
                any = tp_has_emotion(&m->touchpoints[i]);
            }
        if (tps && !any) /* an empty stage is empty-stage's */
            finding(l, &m->stages[s].src, "no touchpoint of stage \"%s\" has an emotion",
                    m->stages[s].name);
    }
}

static void rule_duplicate_name(linter *l)
{
    const jm_map *m = l->map;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *t = &m->touchpoints[i];
        for (size_t j = 0; j < i; j++) {
            const jm_touchpoint *u = &m->touchpoints[j];
            if (u->stage == t->stage && strcmp(u->name, t->name) == 0) {
                finding(l, &t->src, "touchpoint \"%s\" has the name of another in stage \"%s\"",
                        t->name, m->stages[t->stage].name);
                break;
            }
        }
    }
}

static void rule_touchpoint_without_emotion(linter *l)
{
    const jm_map *m = l->map;
    if (!map_has_emotions(m))
        return;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *t = &m->touchpoints[i];
        if (!tp_has_emotion(t) && !t->indirect)
            finding(l, &t->src, "touchpoint \"%s\" has no emotion", t->name);
    }
}

static void rule_touchpoint_without_id(linter *l)
{
    const jm_map *m = l->map;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        if (!m->touchpoints[i].id)
            finding(l, &m->touchpoints[i].src, "touchpoint \"%s\" has no id",
                    m->touchpoints[i].name);
}

/* One check a rule, in the order of the rule table (model/lint_rules.c). */
static void (*const checks[JM_RULE__COUNT])(linter *) = {
    [JM_RULE_EMPTY_STAGE] = rule_empty_stage,
    [JM_RULE_PAIN_WITHOUT_OPPORTUNITY] = rule_pain_without_opportunity,
    [JM_RULE_LOW_MOMENT_OF_TRUTH] = rule_low_moment_of_truth,
    [JM_RULE_MISSING_OWNER] = rule_missing_owner,
    [JM_RULE_METRIC_OFF_TARGET] = rule_metric_off_target,
    [JM_RULE_METRIC_WITHOUT_TARGET] = rule_metric_without_target,
    [JM_RULE_PERSONA_WITHOUT_EMOTION] = rule_persona_without_emotion,
    [JM_RULE_CHANNEL_USED_ONCE] = rule_channel_used_once,
    [JM_RULE_UNUSED_CHANNEL] = rule_unused_channel,
    [JM_RULE_LONG_THOUGHT] = rule_long_thought,
    [JM_RULE_AFTER_WORSE] = rule_after_worse,
    [JM_RULE_STAGE_WITHOUT_EMOTION] = rule_stage_without_emotion,
    [JM_RULE_DUPLICATE_NAME] = rule_duplicate_name,
    [JM_RULE_TOUCHPOINT_WITHOUT_EMOTION] = rule_touchpoint_without_emotion,
    [JM_RULE_TOUCHPOINT_WITHOUT_ID] = rule_touchpoint_without_id,
};

/* ---- Running them --------------------------------------------------------------------------- */

static int by_position(const void *a, const void *b)
{
    const jm_finding *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    int rx = jm_lint_rule_find(x->rule), ry = jm_lint_rule_find(y->rule);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x->message, y->message);
}

jm_findings *jm_lint_map(const jm_map *map, const jm_lint_settings *settings)
{
    jm_findings *f = jm_calloc(1, sizeof *f);
    if (!f || !map)
        return f;
    linter l = {map, f, {0}, {0}, 0};
    const jm_lint_rule *rules = jm_lint_rules(NULL);
    for (int r = 0; r < JM_RULE__COUNT; r++) {
        l.level[r] = rules[r].level;
        l.param[r] = rules[r].param_default;
        if (map->lint && map->lint[r].level >= 0)
            l.level[r] = (jm_lint_level)map->lint[r].level;
        if (map->lint && !isnan(map->lint[r].param))
            l.param[r] = map->lint[r].param;
        if (settings && settings->level[r] >= 0)
            l.level[r] = (jm_lint_level)settings->level[r];
        if (settings && !isnan(settings->param[r]))
            l.param[r] = settings->param[r];
    }
    for (l.rule = 0; l.rule < JM_RULE__COUNT && !f->failed; l.rule++)
        if (l.level[l.rule] != JM_LINT_OFF)
            checks[l.rule](&l);
    if (f->failed) {
        jm_findings_free(f);
        return NULL;
    }
    /* the same order whatever the order of the rules: by position, then rule */
    if (f->n > 1)
        qsort(f->v, f->n, sizeof *f->v, by_position);
    return f;
}

void jm_findings_free(jm_findings *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        jm_free((char *)f->v[i].file);
        jm_free((char *)f->v[i].path);
        jm_free((char *)f->v[i].message);
    }
    jm_free(f->v);
    jm_free(f);
}

size_t jm_findings_count(const jm_findings *f) { return f ? f->n : 0; }

const jm_finding *jm_findings_get(const jm_findings *f, size_t i)
{
    return f && i < f->n ? &f->v[i] : NULL;
}
