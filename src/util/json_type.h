/* A JSON value's type in words, for the messages of the loaders and the theme reader. */
#ifndef JM_JSON_TYPE_H
#define JM_JSON_TYPE_H

#include <jansson.h>

/* "an object", "an array", "a string", "a number", "a boolean" or "null" (static). */
const char *jm_json_type_name(const json_t *v);

#endif
