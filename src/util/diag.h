/* Diagnostics (diag.c): the list behind the public jm_diags, filled by every stage. All
 * strings are copied. */
#ifndef JM_DIAG_H
#define JM_DIAG_H

#include <stdarg.h>

#include "journeymap.h"

void jm_diag_add(jm_diags *d, jm_severity sev, const char *file, int line, int col,
                 const char *path, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void jm_diag_addv(jm_diags *d, jm_severity sev, const char *file, int line, int col,
                  const char *path, const char *fmt, va_list ap);

#endif
