/* Pairing the objects of an old and a new map (diff.c), on its own so unit tests reach it.
 *
 * The rule (docs/diff.md): first every object whose id is the user's own is paired with the
 * object of the other map that has the same id. The objects left are paired by name (spaces
 * at the ends dropped, runs of spaces as one, ASCII letters in either case): first with an
 * object of the same group (for touchpoints: a stage that was itself paired), then with any;
 * in both passes each takes the first unpaired object of the old map in its order. */
#ifndef JM_DIFF_MATCH_H
#define JM_DIFF_MATCH_H

#include <stdbool.h>
#include <stddef.h>

typedef struct jm_match_key {
    const char *id;   /* NULL when the object has none, or the loader made it up */
    const char *name; /* NULL: matched by id only */
    long group;       /* the same number in both maps means the same group; -1 none */
} jm_match_key;

/* Fills new_to_old[n_new] and old_to_new[n_old] with the index of the partner, or -1. */
void jm_match(const jm_match_key *old_keys, size_t n_old, const jm_match_key *new_keys,
              size_t n_new, long *new_to_old, long *old_to_new);

/* Whether two names are the same under the rule above. */
bool jm_match_same_name(const char *a, const char *b);

/* The positions, in the new order, of the paired objects that moved: those outside a longest
 * run of pairs whose old order is kept. moved[n_new] is set true for them. False when out of
 * memory. */
bool jm_match_moved(const long *new_to_old, size_t n_new, bool *moved);

#endif
