/* The CSV loader's column names and channel spellings: header cells and channel cells are
 * compared as slugs (see jm_csv_slugify), in English or Russian. */
#ifndef JM_CSV_COLUMNS_H
#define JM_CSV_COLUMNS_H

#include <stddef.h>

#include "model/channels.h"
#include "model/model.h"

#define SLUG_MAX 256 /* longer names match nothing in our tables */

typedef enum {
    COL_ID = 0,
    COL_STAGE,
    COL_CHANNEL,
    COL_NAME,
    COL_ACTION,
    COL_DESCRIPTION,
    COL_THOUGHT,
    COL_PAIN,
    COL_OPPORTUNITY,
    COL_EMOTION,
    COL_BEFORE,
    COL_AFTER,
    COL_BEFORE_EMOTION,
    COL_AFTER_EMOTION,
    COL_URL,
    COL_OWNER,
    COL_NOTES,
    COL_MOMENT_OF_TRUTH,
    COL_CONTACT,
    COL_STATUS,
    COL_PRIORITY,
    COL__COUNT
} csv_column;

/* A comparable form of a name: letters lower-cased, each run of ASCII characters other than
 * letters and digits turned into one '_' (none at the ends), other characters kept. Writes at
 * most cap bytes with the NUL; returns the length, or 0 when empty or too long. */
size_t jm_csv_slugify(const char *s, size_t n, char *out, size_t cap);
/* The column a header slug names, -1 when none. */
int jm_csv_column_lookup(const char *slug);
/* A column's canonical name (its first slug). */
const char *jm_csv_column_name(csv_column c);
/* The accepted column name closest to an unknown slug, or NULL (borrowed). */
const char *jm_csv_column_hint(const char *slug);
/* "phase, этап, …": the other accepted names of a column, as one would write them. */
void jm_csv_column_synonyms(csv_column c, char *out, size_t n);
/* The built-in channel a cell names (by id, alias, English or Russian name), or NULL. */
const jm_builtin_channel *jm_csv_builtin_for(const char *slug);

#endif
