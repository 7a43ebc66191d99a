/* The lint rules' table (lint_rules.c): ids, default levels and rationales, the model's so that
 * the loaders can check the rule names a map's `lint` key gives; lint/lint.c checks them. */
#ifndef JM_LINT_RULES_H
#define JM_LINT_RULES_H

/* The lint rules (lint_rules.c), in the order of the public table jm_lint_rules. */
typedef enum {
    JM_RULE_EMPTY_STAGE = 0,
    JM_RULE_PAIN_WITHOUT_OPPORTUNITY,
    JM_RULE_LOW_MOMENT_OF_TRUTH,
    JM_RULE_MISSING_OWNER,
    JM_RULE_METRIC_OFF_TARGET,
    JM_RULE_METRIC_WITHOUT_TARGET,
    JM_RULE_PERSONA_WITHOUT_EMOTION,
    JM_RULE_CHANNEL_USED_ONCE,
    JM_RULE_UNUSED_CHANNEL,
    JM_RULE_LONG_THOUGHT,
    JM_RULE_AFTER_WORSE,
    JM_RULE_STAGE_WITHOUT_EMOTION,
    JM_RULE_DUPLICATE_NAME,
    JM_RULE_TOUCHPOINT_WITHOUT_EMOTION,
    JM_RULE_TOUCHPOINT_WITHOUT_ID,
    JM_RULE__COUNT
} jm_rule;
/* The rule with this id, or -1. */
int jm_lint_rule_find(const char *id);
/* "off", "note"... → jm_lint_level, or -1. */
int jm_lint_level_from_name(const char *name);

#endif
