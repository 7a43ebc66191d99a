/* Building a map element by element, for the loaders that meet its stages, personas, channels
 * and touchpoints one at a time (Mermaid, CSV; the JSON loader's channels named on first use):
 * each list's limit, the growth of its array, a zeroed element with its generated id and its
 * source position. One implementation, so the three loaders agree on ids, limits and sources.
 *
 * An add returns the new element (already counted in the map), or NULL with b->error set: a
 * list at its limit leaves the map as it was; out of memory may leave the element counted but
 * partly filled, for jm_map_free (the load fails then). */
#ifndef JM_MODEL_BUILD_H
#define JM_MODEL_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "channels.h"
#include "model.h"

typedef enum { JM_LIST_STAGES, JM_LIST_PERSONAS, JM_LIST_CHANNELS, JM_LIST_TOUCHPOINTS } jm_list;

typedef enum { JM_BUILD_OK, JM_BUILD_LIMIT, JM_BUILD_NO_MEMORY } jm_build_error;

typedef struct jm_builder {
    jm_map *map;          /* borrowed */
    size_t cap[4];        /* allocated slots of each jm_list (0: as many as counted) */
    jm_build_error error; /* why the last add returned NULL */
} jm_builder;

/* A builder appending to map, whose lists were allocated with exactly their counts. */
jm_builder jm_builder_for(jm_map *map);

/* The limit of a list (JM_MAX_STAGES…), and whether it is reached. */
size_t jm_build_limit(jm_list list);
bool jm_build_full(const jm_builder *b, jm_list list);

/* A stage with the id "s<N>" (N counts from 1; id_made), at "/stages/<N-1>" line:col; the name is
 * the caller's to set. */
jm_stage *jm_build_stage(jm_builder *b, int line, int col);
/* A persona at "/personas/<i>" line:col; id and name are the caller's to set. */
jm_persona *jm_build_persona(jm_builder *b, int line, int col);
/* A touchpoint of stage, without a channel, in order of adding, at "/touchpoints/<i>". */
jm_touchpoint *jm_build_touchpoint(jm_builder *b, size_t stage, int line, int col);
/* A channel with copies of id and name; a built-in one (builtin not NULL) takes its kind and
 * icon from the catalogue, any other is of kind "other" without an icon. Its source and its
 * declared/unknown flags are the caller's to set. */
jm_channel *jm_build_channel(jm_builder *b, const char *id, const char *name,
                             const jm_builtin_channel *builtin);

/* Records where the text field at the JSON pointer `path` ("/title", "/touchpoints/3/thought")
 * starts, when that is not where its object starts (jm_map_field_position finds it). False
 * (b->error set) when out of memory. */
bool jm_build_field(jm_builder *b, const char *path, int line, int col);

#endif
