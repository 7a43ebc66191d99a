/* journeymap template: a blank canvas for sticky notes from --stages and --lanes alone. */
#ifndef JM_CLI_TEMPLATE_H
#define JM_CLI_TEMPLATE_H

#include "journeymap.h"
#include "options.h"

/* Draws the canvas of o's stages, lanes, language and title to o->out; returns the program's
 * exit status. */
int cmd_template(jm_context *ctx, const opts *o);

#endif
