/* journeymap render: every input in this process or in -j forked workers. */
#ifndef JM_CLI_BATCH_H
#define JM_CLI_BATCH_H

#include <stddef.h>

#include "journeymap.h"
#include "options.h"

/* Renders every input to its output (see output_path); returns the program's exit status. */
int render_batch(jm_context *ctx, const opts *o, char **inputs, size_t n);

#endif
