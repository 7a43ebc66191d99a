/* The diff as diff.c builds it and change_map.c reads it: the changes, and how the objects of
 * the two maps were paired. */
#ifndef JM_DIFF_PRIVATE_H
#define JM_DIFF_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "journeymap.h"

struct jm_diff {
    jm_change *v;
    size_t n, cap;
    bool failed;
    char *old_file, *new_file;
    /* pairings: index of the partner in the other map, -1 none */
    long *stage_n2o, *stage_o2n;
    long *tp_n2o, *tp_o2n;
    long *persona_n2o;
    long *channel_n2o;
    long *slot_n2o; /* emotion slots: new -> old */
    /* JM_MARK_ flags of each object of the new map (model.h) */
    unsigned *stage_mark, *tp_mark;
};

#endif
