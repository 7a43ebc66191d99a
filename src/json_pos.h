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
void jm_json_pos_free(jm_json_pos *pos);

#endif
