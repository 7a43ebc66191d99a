/* The commands that draw nothing, and loading an input for every command. Each command returns
 * the program's exit status. */
#ifndef JM_CLI_COMMANDS_H
#define JM_CLI_COMMANDS_H

#include <stddef.h>

#include "journeymap.h"
#include "options.h"

/* Loads input ("-": standard input, of the kind --from says) as a map with the --data files
 * joined to it (notes: say where the data replaces a value of the model), or NULL with why in d. */
jm_map *load_input(jm_context *ctx, const opts *o, const char *input, jm_diags *d, bool notes);

/* Checks every input and prints each problem; draws nothing. */
int cmd_validate(jm_context *ctx, const opts *o, char **inputs, size_t n);

/* Writes the one input as a JSON model to -o (default: standard output). */
int cmd_convert(jm_context *ctx, const opts *o, char **inputs, size_t n);

#endif
