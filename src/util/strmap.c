/* The string → index map (see strmap.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

static uint64_t str_hash(const char *s)
{
    uint64_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* key's slot, or the free slot where it would go. */
static struct jm_strmap_slot *slot_of(const jm_strmap *m, const char *key)
{
    size_t i = str_hash(key) & (m->cap - 1);
    while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

long jm_strmap_get(const jm_strmap *m, const char *key)
{
    if (!m->cap || !key)
        return -1;
    const struct jm_strmap_slot *s = slot_of(m, key);
    return s->key ? (long)s->index : -1;
}

bool jm_strmap_put(jm_strmap *m, const char *key, size_t index)
{
    if ((m->n + 1) * 2 > m->cap) {
        jm_strmap bigger = {NULL, m->n, m->cap ? m->cap * 2 : 64, m->copy_keys};
        bigger.slots = jm_calloc(bigger.cap, sizeof *bigger.slots);
        if (!bigger.slots)
            return false;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                *slot_of(&bigger, m->slots[i].key) = m->slots[i];
        jm_free(m->slots);
        *m = bigger;
    }
    struct jm_strmap_slot *s = slot_of(m, key);
    if (s->key)
        return true;
    s->key = m->copy_keys ? jm_strdup(key) : key;
    if (!s->key)
        return false;
    s->index = index;
    m->n++;
    return true;
}

static int by_index(const void *a, const void *b)
{
    const struct jm_strmap_slot *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

const char **jm_strmap_keys(const jm_strmap *m)
{
    struct jm_strmap_slot *e = jm_calloc(m->n ? m->n : 1, sizeof *e);
    const char **keys = jm_calloc(m->n ? m->n : 1, sizeof *keys);
    if (e && keys) {
        size_t n = 0;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                e[n++] = m->slots[i];
        qsort(e, n, sizeof *e, by_index);
        for (size_t i = 0; i < n; i++)
            keys[i] = e[i].key;
    } else {
        jm_free(keys);
        keys = NULL;
    }
    jm_free(e);
    return keys;
}

void jm_strmap_free(jm_strmap *m)
{
    if (m->copy_keys)
        for (size_t i = 0; i < m->cap; i++)
            jm_free((char *)m->slots[i].key);
    jm_free(m->slots);
    m->slots = NULL;
    m->n = m->cap = 0;
}
