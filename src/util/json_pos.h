/* Line and column of every value in a JSON text, by JSON pointer. jansson reports positions
 * only for syntax errors; semantic errors (unknown stage, duplicate id …) need these. */
#ifndef JM_JSON_POS_H
#define JM_JSON_POS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct jm_json_pos jm_json_pos;

/* Scans a syntactically valid JSON text (a leading UTF-8 BOM is skipped). NULL on allocation
 * failure. Linear in the text's size. */
jm_json_pos *jm_json_pos_new(const char *text, size_t len);
/* Position (1-based, columns counted in characters) of the value at `pointer` (RFC 6901,
 * e.g. "/touchpoints/3/stage"); for an object member's *key* use jm_json_pos_find_key.
 * false when there is no such value. */
bool jm_json_pos_find(const jm_json_pos *pos, const char *pointer, int *line, int *col);
bool jm_json_pos_find_key(const jm_json_pos *pos, const char *pointer, int *line, int *col);
/* Byte range [start, end) of the value at `pointer` in the text given to jm_json_pos_new (a
 * number's text as written, for instance). false when there is no such value. */
bool jm_json_pos_find_span(const jm_json_pos *pos, const char *pointer, size_t *start, size_t *end);
void jm_json_pos_free(jm_json_pos *pos);
/* The JSON pointer of what is being read at byte `offset` of a text that may be invalid from
 * there on (where a parser stopped): the innermost open object or array, plus the member key
 * just read or the index of the element expected next. Caller frees with jm_free; NULL on
 * allocation failure. */
char *jm_json_pos_path_at(const char *text, size_t len, size_t offset);

#endif
