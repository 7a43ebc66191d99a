/* Writing the reports of diff and lint: text lines, JSON values, and the whole report to
 * standard output at once. */
#ifndef JM_CLI_TEXT_OUT_H
#define JM_CLI_TEXT_OUT_H

#include <stdio.h>

/* A report being written in memory (open_memstream), so that standard output gets it whole or
 * not at all. report_open returns NULL when out of memory. */
typedef struct report_buf {
    FILE *f;
    char *data;
    size_t len;
} report_buf;
FILE *report_open(report_buf *r);
/* Closes the stream and writes the report to path (NULL or "-": standard output). Returns 0,
 * or -1 with why on standard error. */
int report_write(report_buf *r, const char *path);

/* s on one line: control characters as \u00XX, as jm_diag_format does. */
void out_text(FILE *f, const char *s);
/* "FILE:LINE:COL" with the parts that are known. */
void out_position(FILE *f, const char *file, int line, int column);
/* s as a JSON string literal; null for NULL. */
void out_json_string(FILE *f, const char *s);
/* v as a JSON number, %.10g, never "-0". */
void out_json_number(FILE *f, double v);

#endif
