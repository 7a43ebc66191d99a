/* The built-in channel catalogue (channels.c): the channels a map may name without declaring
 * them, with their labels, kind, icon and the other ids people write for them. */
#ifndef JM_CHANNELS_H
#define JM_CHANNELS_H

#include <stddef.h>

#include "model.h"

typedef struct jm_builtin_channel {
    const char *id, *name, *name_ru;
    jm_channel_kind kind;
    const char *icon;
    const char *aliases; /* space-separated alternative ids, e.g. "web site homepage" */
} jm_builtin_channel;
const jm_builtin_channel *jm_builtin_channels(size_t *n);
const jm_builtin_channel *jm_builtin_channel_find(const char *id);

#endif
