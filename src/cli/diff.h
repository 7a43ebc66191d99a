/* journeymap diff OLD NEW: the changes between two versions of a map. */
#ifndef JM_CLI_DIFF_H
#define JM_CLI_DIFF_H

#include <stddef.h>

#include "journeymap.h"
#include "options.h"

/* The checks of diff's options and its two inputs. */
int diff_check(opts *o, size_t n);

/* Prints the changes from inputs[0] to inputs[1]; returns 0 same, 1 different, 2 trouble. */
int cmd_diff(jm_context *ctx, const opts *o, char **inputs);

#endif
