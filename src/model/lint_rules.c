/* The lint rules as the model knows them: id, default level, rationale, parameter. The checks
 * themselves are in src/lint/lint.c, one function per row of this table. */
#include <string.h>

#include "lint_rules.h"
#include "model.h"

static const jm_lint_rule rules[JM_RULE__COUNT] = {
    [JM_RULE_EMPTY_STAGE] = {"empty-stage", JM_LINT_WARNING,
                             "A stage with no touchpoint is a gap in the research, or not part of "
                             "this journey.",
                             NULL, 0},
    [JM_RULE_PAIN_WITHOUT_OPPORTUNITY] = {"pain-without-opportunity", JM_LINT_WARNING,
                                          "A pain with no opportunity in its stage is a problem "
                                          "the map records and nobody is asked to solve.",
                                          NULL, 0},
    [JM_RULE_LOW_MOMENT_OF_TRUTH] = {"low-moment-of-truth", JM_LINT_WARNING,
                                     "A moment of truth felt at -1 or below decides the "
                                     "customer's verdict badly: it needs an opportunity.",
                                     "max_emotion", -1},
    [JM_RULE_MISSING_OWNER] = {"missing-owner", JM_LINT_WARNING,
                               "When the map names owners, a touchpoint without one has nobody "
                               "accountable for it.",
                               NULL, 0},
    [JM_RULE_METRIC_OFF_TARGET] = {"metric-off-target", JM_LINT_WARNING,
                                   "A metric on the wrong side of its target (by its `better`) "
                                   "is a known problem to act on.",
                                   NULL, 0},
    [JM_RULE_METRIC_WITHOUT_TARGET] = {"metric-without-target", JM_LINT_NOTE,
                                       "A metric without a target cannot tell good from bad.", NULL,
                                       0},
    [JM_RULE_PERSONA_WITHOUT_EMOTION] = {"persona-without-emotion", JM_LINT_WARNING,
                                         "A persona with no emotion anywhere has no curve: the "
                                         "map says nothing of how they feel.",
                                         NULL, 0},
    [JM_RULE_CHANNEL_USED_ONCE] = {"channel-used-once", JM_LINT_NOTE,
                                   "A channel one touchpoint uses is often a misspelling or one "
                                   "to merge with another.",
                                   NULL, 0},
    [JM_RULE_UNUSED_CHANNEL] = {"unused-channel", JM_LINT_WARNING,
                                "A declared channel no touchpoint uses is a left-over.", NULL, 0},
    [JM_RULE_LONG_THOUGHT] = {"long-thought", JM_LINT_WARNING,
                              "A thought is what the customer thinks, in their words: past a "
                              "sentence it reads like a report and crowds the card.",
                              "max_words", 25},
    [JM_RULE_AFTER_WORSE] = {"after-worse-than-before", JM_LINT_WARNING,
                             "An after (future) state that feels or measures worse than before "
                             "is a redesign that makes things worse.",
                             NULL, 0},
    [JM_RULE_STAGE_WITHOUT_EMOTION] = {"stage-without-emotion", JM_LINT_WARNING,
                                       "When the map draws emotions, a stage without any breaks "
                                       "the curve where nothing was observed.",
                                       NULL, 0},
    [JM_RULE_DUPLICATE_NAME] = {"duplicate-name", JM_LINT_WARNING,
                                "Two touchpoints of one stage with one name cannot be told "
                                "apart, on the map or by diff.",
                                NULL, 0},
    [JM_RULE_TOUCHPOINT_WITHOUT_EMOTION] = {"touchpoint-without-emotion", JM_LINT_NOTE,
                                            "When the map draws emotions, a touchpoint without "
                                            "one is a point nobody asked about.",
                                            NULL, 0},
    [JM_RULE_TOUCHPOINT_WITHOUT_ID] = {"touchpoint-without-id", JM_LINT_OFF,
                                       "Without ids diff matches touchpoints by name, so a "
                                       "rename reads as one removed and one added.",
                                       NULL, 0},
};

const jm_lint_rule *jm_lint_rules(size_t *n)
{
    if (n)
        *n = JM_RULE__COUNT;
    return rules;
}

int jm_lint_rule_find(const char *id)
{
    for (int i = 0; i < JM_RULE__COUNT; i++)
        if (strcmp(rules[i].id, id) == 0)
            return i;
    return -1;
}

static const char *const level_names[] = {"off", "note", "warning", "error"};

const char *jm_lint_level_name(jm_lint_level level)
{
    return (unsigned)level < 4 ? level_names[level] : "off";
}

int jm_lint_level_from_name(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(level_names[i], name) == 0)
            return i;
    return -1;
}
