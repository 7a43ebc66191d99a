/* Messages on standard error, safe to write from parallel workers. */
#ifndef JM_CLI_MESSAGES_H
#define JM_CLI_MESSAGES_H

#include <stdbool.h>

#include "journeymap.h"

/* Whether a batch's progress bar may be on the terminal's last line: each message then clears
 * that line first. Set before the workers are forked, so that they know too. */
void messages_clear_progress_line(bool on);

/* Whether a diagnostic about a line of a file is followed by that line and a caret under its
 * column (for a terminal). */
void messages_show_context(bool on);

/* Writes the formatted text (whole lines) to standard error in one write(2). */
void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints every diagnostic in d, then empties d. */
void print_diags(jm_diags *d);

#endif
