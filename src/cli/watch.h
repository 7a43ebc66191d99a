/* journeymap watch: render, then render again whenever an input or a file it is made from
 * changes, until interrupted. */
#ifndef JM_CLI_WATCH_H
#define JM_CLI_WATCH_H

#include <stddef.h>

#include "journeymap.h"
#include "options.h"

/* Renders every input to its output (see output_path), then watches them and the files their
 * models name (and a --theme file), rendering an input again after it or one of those changed.
 * Returns the program's exit status: 0 when ended by SIGINT, SIGTERM or SIGHUP, 1 when it
 * cannot watch (no inotify in this build, or the system refuses). */
int cmd_watch(jm_context *ctx, const opts *o, char **inputs, size_t n);

/* The checks of watch's options beyond render's: files to watch and to write, not standard
 * input or output. */
int options_check_watch(const opts *o, char **inputs, size_t n);

#endif
