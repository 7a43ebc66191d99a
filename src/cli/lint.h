/* journeymap lint INPUT...: maps checked against journey-mapping rules. */
#ifndef JM_CLI_LINT_H
#define JM_CLI_LINT_H

#include <stddef.h>

#include "journeymap.h"
#include "options.h"

/* The checks of lint's options; with --list-rules, the list (then the exit status). */
int lint_check(const opts *o);

/* --list-rules: every rule, its default level and rationale, on standard output. */
int lint_list_rules(const opts *o);

/* Prints the findings of every input; returns 0 none at error level, 1 some, 2 trouble. */
int cmd_lint(jm_context *ctx, const opts *o, char **inputs, size_t n);

#endif
