/* A string → index map (open addressing, FNV-1a), for the ids and names a loader resolves. */
#ifndef JM_STRMAP_H
#define JM_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct jm_strmap_slot {
    const char *key; /* NULL: a free slot */
    size_t index;
};

/* Zero-initialise: {0} borrows its keys (they must outlive the map, e.g. the model's strings);
 * set copy_keys before the first put to keep copies instead. */
typedef struct jm_strmap {
    struct jm_strmap_slot *slots;
    size_t n, cap; /* cap is 0 or a power of two */
    bool copy_keys;
} jm_strmap;

/* The index of key, -1 when absent (or key is NULL). */
long jm_strmap_get(const jm_strmap *m, const char *key);
/* Adds key → index unless key is present (then m is unchanged). false on allocation failure. */
bool jm_strmap_put(jm_strmap *m, const char *key, size_t index);
/* The keys in the order of their indexes (for "did you mean" and lists): a new array of
 * borrowed strings, or NULL on allocation failure. */
const char **jm_strmap_keys(const jm_strmap *m);
/* Frees the slots (and copied keys); m is empty afterwards. */
void jm_strmap_free(jm_strmap *m);

#endif
