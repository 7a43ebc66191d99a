/* Building a map element by element (see model_build.h). */
#include <string.h>

#include "channels.h"
#include "model_build.h"
#include "util/util.h"

jm_builder jm_builder_for(jm_map *map)
{
    jm_builder b = {
        map, {map->n_stages, map->n_personas, map->n_channels, map->n_touchpoints}, JM_BUILD_OK};
    return b;
}

size_t jm_build_limit(jm_list list)
{
    static const size_t limits[] = {JM_MAX_STAGES, JM_MAX_PERSONAS, JM_MAX_CHANNELS,
                                    JM_MAX_TOUCHPOINTS};
    return limits[list];
}

static size_t *count_of(const jm_builder *b, jm_list list)
{
    jm_map *m = b->map;
    size_t *counts[] = {&m->n_stages, &m->n_personas, &m->n_channels, &m->n_touchpoints};
    return counts[list];
}

bool jm_build_full(const jm_builder *b, jm_list list)
{
    return *count_of(b, list) >= jm_build_limit(list);
}

/* A zeroed new element of a list (counted), or NULL with b->error set. */
static void *add(jm_builder *b, jm_list list)
{
    jm_map *m = b->map;
    void **arrays[] = {(void **)&m->stages, (void **)&m->personas, (void **)&m->channels,
                       (void **)&m->touchpoints};
    static const size_t sizes[] = {sizeof *m->stages, sizeof *m->personas, sizeof *m->channels,
                                   sizeof *m->touchpoints};
    size_t *n = count_of(b, list);
    if (jm_build_full(b, list)) {
        b->error = JM_BUILD_LIMIT;
        return NULL;
    }
    if (!jm_grow(arrays[list], &b->cap[list], *n + 1, sizes[list])) {
        b->error = JM_BUILD_NO_MEMORY;
        return NULL;
    }
    char *element = (char *)*arrays[list] + *n * sizes[list];
    memset(element, 0, sizes[list]);
    ++*n;
    b->error = JM_BUILD_OK;
    return element;
}

/* The element's source "/kind/index" at line:col; false (b->error set) when out of memory. */
static bool src_at(jm_builder *b, jm_src *src, const char *kind, size_t index, int line, int col)
{
    if (jm_model_src_at(src, kind, index, line, col))
        return true;
    b->error = JM_BUILD_NO_MEMORY;
    return false;
}

jm_stage *jm_build_stage(jm_builder *b, int line, int col)
{
    jm_stage *st = add(b, JM_LIST_STAGES);
    if (!st)
        return NULL;
    size_t index = b->map->n_stages - 1;
    st->id = jm_asprintf("s%zu", index + 1);
    st->id_made = true; /* numbered here, not the user's (diff pairs such stages by name) */
    if (!st->id) {
        b->error = JM_BUILD_NO_MEMORY;
        return NULL;
    }
    return src_at(b, &st->src, "stages", index, line, col) ? st : NULL;
}

jm_persona *jm_build_persona(jm_builder *b, int line, int col)
{
    jm_persona *ps = add(b, JM_LIST_PERSONAS);
    if (!ps)
        return NULL;
    return src_at(b, &ps->src, "personas", b->map->n_personas - 1, line, col) ? ps : NULL;
}

jm_touchpoint *jm_build_touchpoint(jm_builder *b, size_t stage, int line, int col)
{
    jm_touchpoint *tp = add(b, JM_LIST_TOUCHPOINTS);
    if (!tp)
        return NULL;
    tp->order = b->map->n_touchpoints - 1;
    tp->stage = stage;
    tp->channel = -1;
    return src_at(b, &tp->src, "touchpoints", tp->order, line, col) ? tp : NULL;
}

jm_channel *jm_build_channel(jm_builder *b, const char *id, const char *name,
                             const jm_builtin_channel *builtin)
{
    jm_channel *c = add(b, JM_LIST_CHANNELS);
    if (!c)
        return NULL;
    c->id = jm_strdup(id);
    c->name = jm_strdup(name);
    c->kind = builtin ? builtin->kind : JM_KIND_OTHER;
    c->icon = builtin ? jm_strdup(builtin->icon) : NULL;
    c->builtin = builtin != NULL;
    if (!c->id || !c->name || (builtin && !c->icon)) {
        b->error = JM_BUILD_NO_MEMORY;
        return NULL;
    }
    return c;
}

bool jm_build_field(jm_builder *b, const char *path, int line, int col)
{
    jm_map *m = b->map;
    char *copy = jm_strdup(path);
    if (!copy || !jm_grow((void **)&m->field_srcs, &m->cap_field_srcs, m->n_field_srcs + 1,
                          sizeof *m->field_srcs)) {
        jm_free(copy);
        b->error = JM_BUILD_NO_MEMORY;
        return false;
    }
    m->field_srcs[m->n_field_srcs++] = (struct jm_field_src){copy, line, col};
    return true;
}
