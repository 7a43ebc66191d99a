/* The loaders (one file each: load_json.c, load_mermaid.c, load_csv.c) and the data join
 * (data.c). jm_map_load_buffer (api.c) picks a loader by the input's kind. */
#ifndef JM_LOAD_H
#define JM_LOAD_H

#include <stddef.h>

#include "journeymap.h"
#include "model/model.h"

/* Each returns the map (caller frees), or NULL with errors in diags. */
jm_map *jm_load_json(const char *name, const char *data, size_t len, jm_diags *diags);
jm_map *jm_load_mermaid(const char *name, const char *data, size_t len, const jm_load_options *opts,
                        jm_diags *diags);
jm_map *jm_load_csv(const char *name, const char *data, size_t len, const jm_load_options *opts,
                    jm_diags *diags);

/* Joins a data file to the map (data.c); see jm_map_join_data_buffer. */
int jm_load_data(jm_map *map, const char *name, const char *data, size_t len,
                 const jm_data_options *opts, jm_diags *diags);

#endif
