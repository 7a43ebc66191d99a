/* Files a model names (named_file.c): photos, theme and font files, confined to the input's
 * folder and read once. */
#ifndef JM_NAMED_FILE_H
#define JM_NAMED_FILE_H

#include <stddef.h>

#include "model/model.h"

/* The one way to a file a model names: spec, relative to the input's folder
 * (map->base_dir) unless absolute, must resolve, every symbolic link followed, to a regular
 * file inside that folder's tree, of at most max bytes. It is opened once (a link swapped in
 * since is refused, a FIFO does not block) and read whole into map->files, one copy for every
 * reference to the same file. Returns it (borrowed from map), or NULL with the message in *err
 * (caller frees; what names the file, as "photo"), or with *err NULL when out of memory.
 * Messages never quote the file's content. */
const jm_named_file *jm_named_file_read(jm_map *map, const char *spec, const char *what, size_t max,
                                        char **err);

/* The font files spec names, relative to the input's folder: spec itself, or the .ttf, .otf
 * and .ttc files of the folder it names (sorted by name), each "spec/NAME", under the same
 * rule as jm_named_file_read (the folder must resolve inside the input's folder). Returns the
 * number of specs in *specs (caller frees each and the array), or -1 with the message in *err
 * (NULL when out of memory). */
int jm_named_font_specs(const jm_map *map, const char *spec, char ***specs, char **err);

#endif
