/* Where each input's output goes, and the checks on those names before a batch starts. */
#ifndef JM_CLI_OUTPUT_NAMES_H
#define JM_CLI_OUTPUT_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

/* Whether a and b are the same file (never when either is "-"). */
bool same_file(const char *a, const char *b);

/* The output file of input: -o, else DIR/<input name without extension>.<ext> (-d), else next
 * to the input; "-" for standard output. Caller frees; NULL when out of memory. */
char *output_path(const opts *o, const char *input, int format);

/* Prints every collision among the batch's outputs (and between an output and another input);
 * returns how many were found. */
size_t find_output_collisions(const opts *o, char **inputs, size_t n, int format);

/* Removes, from each folder this run writes into, the temporary files a killed run of this
 * program left there (see output_remove_stale_temps), and says so unless -q. */
void remove_stale_temps(const opts *o, char **inputs, size_t n, int format);

#endif
