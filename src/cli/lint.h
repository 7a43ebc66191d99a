/* journeymap lint INPUT...: maps checked against journey-mapping rules. */
#ifndef JM_CLI_LINT_H
#define JM_CLI_LINT_H

#include <stddef.h>

#include "journeymap.h"
#include "options.h"

/* The checks of lint's options for n inputs (-o: one input, a drawn format from the name);
 * with --list-rules, the list (then the exit status). */
int lint_check(opts *o, size_t n);

/* --list-rules: every rule, its default level and rationale, on standard output. */
int lint_list_rules(const opts *o);

/* Prints the findings of every input, and with -o draws the one input with its findings marked;
 * returns 0 none at error level, 1 some, 2 trouble. */
int cmd_lint(jm_context *ctx, const opts *o, char **inputs, size_t n);

#endif
