/* A batch's progress bar and summary line on standard error. */
#ifndef JM_CLI_PROGRESS_H
#define JM_CLI_PROGRESS_H

#include <stddef.h>

/* Seconds on a monotonic clock, for timing the batch. */
double now(void);

/* Draws the bar over the terminal's last line: done of total, and whether any failed. */
void progress(size_t done, size_t total, size_t failed);

/* How many of the n maps were rendered, in how long since t0 (a value of now()). */
void progress_summary(size_t n, size_t failed, double t0);

#endif
