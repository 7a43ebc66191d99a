/* The model's "lint" key: the map's own settings of the lint rules (jm_lint_map applies them
 * over the rules' defaults; the command line's --rule overrides them).
 *
 *   "lint": {"pain-without-opportunity": "error",
 *            "long-thought": {"level": "note", "max_words": 30},
 *            "all": "warning"}
 *
 * A rule's value is its level, or an object with its level and/or its parameter. "all" sets
 * the level of every rule the object does not name, whatever the order of the keys. Unknown
 * rules, levels and parameters are errors, as on the command line: a setting that is not
 * applied would pass a check the team believes is made. */
#include <math.h>
#include <string.h>

#include "load_json.h"
#include "model/lint_rules.h"

/* Keys of the "lint" object besides the rule ids (model/lint_rules.c), and of a rule's
 * object besides its parameter. */
static const char *const group_keys[] = {"all"};
static const char *const setting_keys[] = {"level"};

/* A level name at the current path into *level; false after reporting. */
static bool level_value(loader *ld, const json_t *v, int *level)
{
    if (!jm_jl_expect(ld, v, T_STRING))
        return false;
    int lv = jm_lint_level_from_name(json_string_value(v));
    if (lv < 0) {
        static const char *const names[] = {"off", "note", "warning", "error"};
        const char *hint = jm_did_you_mean(json_string_value(v), names, 4);
        if (hint)
            jm_jl_fail(ld, "unknown lint level \"%s\" (did you mean \"%s\"?)", json_string_value(v),
                       hint);
        else
            jm_jl_fail(ld, "unknown lint level \"%s\" (off, note, warning or error)",
                       json_string_value(v));
        return false;
    }
    *level = lv;
    return true;
}

/* {"level": LEVEL, PARAM: NUMBER} of rule r at the current path. */
static void load_setting_object(loader *ld, const json_t *obj, int r, jm_lint_setting *s)
{
    const jm_lint_rule *rule = &jm_lint_rules(NULL)[r];
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t mark = jm_jl_path_key(ld, key);
        if (strcmp(key, setting_keys[0]) == 0) {
            level_value(ld, v, &s->level);
        } else if (rule->param && strcmp(key, rule->param) == 0) {
            if (jm_jl_expect(ld, v, T_NUMBER))
                s->param = json_number_value(v);
        } else if (rule->param) {
            jm_jl_report(ld, JM_SEVERITY_ERROR, true,
                         "unknown key \"%s\" (rule %s takes \"level\" and \"%s\")", key, rule->id,
                         rule->param);
        } else {
            jm_jl_report(ld, JM_SEVERITY_ERROR, true,
                         "unknown key \"%s\" (rule %s takes \"level\" only: it has no parameter)",
                         key, rule->id);
        }
        jm_jl_path_pop(ld, mark);
    }
}

void jm_jl_load_lint(loader *ld, const json_t *doc)
{
    size_t mark;
    json_t *obj = jm_jl_member(ld, doc, "lint", OPTIONAL, &mark);
    if (!obj)
        return;
    if (!jm_jl_expect(ld, obj, T_OBJECT)) {
        jm_jl_path_pop(ld, mark);
        return;
    }
    size_t n_rules;
    const jm_lint_rule *rules = jm_lint_rules(&n_rules);
    jm_lint_setting *set = jm_calloc(n_rules, sizeof *set);
    if (!set) {
        ld->oom = true;
        jm_jl_path_pop(ld, mark);
        return;
    }
    ld->map->lint = set;
    for (size_t r = 0; r < n_rules; r++) {
        set[r].level = -1;
        set[r].param = NAN;
    }
    /* "all" first: the rules named set their own level over it. */
    json_t *all = json_object_get(obj, group_keys[0]);
    if (all) {
        size_t m2 = jm_jl_path_key(ld, group_keys[0]);
        int level;
        if (level_value(ld, all, &level))
            for (size_t r = 0; r < n_rules; r++) {
                set[r].level = level;
                jm_jl_set_src(ld, &set[r].src);
            }
        jm_jl_path_pop(ld, m2);
    }
    const char *ids[JM_RULE__COUNT + 1];
    for (size_t r = 0; r < n_rules; r++)
        ids[r] = rules[r].id;
    ids[n_rules] = group_keys[0];
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, group_keys[0]) == 0)
            continue;
        size_t m2 = jm_jl_path_key(ld, key);
        int r = jm_lint_rule_find(key);
        if (r < 0) {
            const char *hint = jm_did_you_mean(key, ids, n_rules + 1);
            if (hint)
                jm_jl_report(ld, JM_SEVERITY_ERROR, true,
                             "unknown lint rule \"%s\" (did you mean \"%s\"?)", key, hint);
            else
                jm_jl_report(ld, JM_SEVERITY_ERROR, true,
                             "unknown lint rule \"%s\" (journeymap lint --list-rules lists them)",
                             key);
        } else if (json_is_object(v)) {
            jm_lint_setting s = {.level = set[r].level, .param = NAN};
            load_setting_object(ld, v, r, &s);
            set[r].level = s.level;
            set[r].param = s.param;
            jm_jl_set_src(ld, &set[r].src);
        } else if (json_is_string(v)) {
            if (level_value(ld, v, &set[r].level))
                jm_jl_set_src(ld, &set[r].src);
        } else {
            jm_jl_fail(ld,
                       "expected a level (\"off\", \"note\", \"warning\" or \"error\") or an "
                       "object {\"level\"%s%s%s}, got %s",
                       rules[r].param ? ", \"" : "", rules[r].param ? rules[r].param : "",
                       rules[r].param ? "\"" : "", jm_json_type_name(v));
        }
        jm_jl_path_pop(ld, m2);
    }
    jm_jl_path_pop(ld, mark);
}
