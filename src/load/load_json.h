/* The JSON loader's own header, shared by its files only (jm_load_json is in the public one):
 *   load_json.c           the raw text, the parse, the document walk, the diagnostics' hand-over
 *   load_json_read.c      the loader's state: JSON pointer, reports, typed access
 *   load_json_frame.c     the map's frame: header, personas, stages, channels, lanes
 *   load_json_settings.c  what the frame is read against: emotion scale, state labels, theme
 *   load_json_cards.c     what sits in the frame: touchpoints (with before/after) and lane items
 *   load_json_lint.c      the map's settings of the lint rules
 * Functions named jm_jl_* report at the loader's current JSON pointer (path) and set ld->oom on
 * an allocation failure; none of them frees what it stored in the map on error (the map is
 * freed whole when loading fails). */
#ifndef JM_LOAD_JSON_H
#define JM_LOAD_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"
#include "model/model_build.h"
#include "util/json_pos.h"
#include "util/json_type.h"
#include "util/strmap.h"
#include "util/util.h"

/* Flags of the get_* helpers. */
enum { OPTIONAL = 0, REQUIRED = 1, NONEMPTY = 2 };

typedef enum { T_OBJECT, T_ARRAY, T_STRING, T_NUMBER, T_BOOLEAN } value_type;

typedef struct loader {
    const char *file;
    const char *text; /* the input without its BOM */
    size_t len;
    jm_json_pos *pos;
    jm_diags *diags; /* collected here; handed over sorted by position */
    jm_map *map;
    jm_buf path; /* JSON pointer of the value being checked */
    bool oom;
    jm_strmap persona_ids, stage_ids, channel_ids, touchpoint_ids; /* keys borrowed from map */
    jm_builder build; /* for the channels touchpoints name without declaring them */
    bool channel_limit_reported;
} loader;

/* ---- load_json_read.c -------------------------------------------------------------------- */

/* The current JSON pointer (borrowed, "" at the top). */
const char *jm_jl_cur_path(const loader *ld);
/* Extend the path by one member key (escaped per RFC 6901) or array index; return the mark
 * that jm_jl_path_pop restores. */
size_t jm_jl_path_key(loader *ld, const char *key);
size_t jm_jl_path_index(loader *ld, size_t i);
void jm_jl_path_pop(loader *ld, size_t mark);

/* A diagnostic at the current path's value (or its key when at_key); a value that is not
 * there (a missing member) is reported at the nearest enclosing one. */
__attribute__((format(printf, 4, 5))) void jm_jl_report(loader *ld, jm_severity sev, bool at_key,
                                                        const char *fmt, ...);
#define jm_jl_fail(ld, ...) jm_jl_report((ld), JM_SEVERITY_ERROR, false, __VA_ARGS__)
/* Reports `unknown <what> "word"` at the current value (or key) with a "did you mean" hint
 * over names, else " (label: a, b, …)" when label is given. */
void jm_jl_fail_unknown(loader *ld, bool at_key, const char *what, const char *word,
                        const char *const *names, size_t n, const char *label);

/* The current path and its position into *src. */
void jm_jl_set_src(loader *ld, jm_src *src);
/* A copy of s (NULL and ld->oom when out of memory). */
char *jm_jl_dup_or_oom(loader *ld, const char *s);

/* Reports a wrong type at the current path. */
bool jm_jl_expect(loader *ld, const json_t *v, value_type t);
/* obj[key] with the path extended to it (restore with jm_jl_path_pop(ld, *mark)). A missing
 * required key is reported at the object. */
json_t *jm_jl_member(loader *ld, const json_t *obj, const char *key, unsigned flags, size_t *mark);
/* The string v (at the current path) into *out, replacing what was there. */
bool jm_jl_string_value(loader *ld, const json_t *v, unsigned flags, char **out);
/* obj[key] into *out; false when absent or invalid (reported). */
bool jm_jl_get_string(loader *ld, const json_t *obj, const char *key, unsigned flags, char **out);
bool jm_jl_get_number(loader *ld, const json_t *obj, const char *key, unsigned flags, double *out);
void jm_jl_get_bool(loader *ld, const json_t *obj, const char *key, bool *out);
/* One of names[0..n) as its index; *out unchanged when absent or invalid. */
void jm_jl_get_choice(loader *ld, const json_t *obj, const char *key, const char *const *names,
                      size_t n, int *out);
/* An array of at most `limit` elements (the path is extended to it; restore with *mark). */
json_t *jm_jl_get_array(loader *ld, const json_t *obj, const char *key, unsigned flags,
                        size_t limit, size_t *mark);
/* A list of strings; allow_single also accepts one string. */
/* A list of points; with_plan also accepts objects {"text", "owner", "status", "priority"}
 * (an opportunity's action plan) in place of strings. */
void jm_jl_get_points(loader *ld, const json_t *obj, const char *key, bool allow_single,
                      bool with_plan, jm_strlist *out);
/* The action-plan keys of obj (owner, status, priority). */
void jm_jl_load_plan(loader *ld, const json_t *obj, jm_plan *plan);
/* A PNG or JPEG file the model names at the current pointer (load_json_frame.c); `what` names
 * it in messages ("photo", "image"). NULL after reporting why. */
const jm_named_file *jm_jl_read_picture(loader *ld, const char *spec, const char *what);
/* The model's "logo" (load_json_frame.c). */
void jm_jl_load_logo(loader *ld, const json_t *doc);
void jm_jl_get_strlist(loader *ld, const json_t *obj, const char *key, bool allow_single,
                       jm_strlist *out);

/* Warns about every key of obj not in allowed, with a "did you mean" hint. */
void jm_jl_check_keys(loader *ld, const json_t *obj, const char *const *allowed, size_t n);
#define CHECK_KEYS(ld, obj, allowed)                                                               \
    jm_jl_check_keys((ld), (obj), (allowed), sizeof(allowed) / sizeof *(allowed))

/* Calls load(ld, element, items, i) for each object of the array obj[key], allocating *items
 * (zeroed, so a partly loaded model can be freed) and setting *count. Elements that are not
 * objects are reported. Returns the array, or NULL when absent or invalid. */
typedef void (*element_loader)(loader *ld, const json_t *element, void *items, size_t i);
json_t *jm_jl_load_array(loader *ld, const json_t *obj, const char *key, unsigned flags,
                         size_t limit, void **items, size_t item_size, size_t *count,
                         element_loader load);

/* The number at the current path as written in the file ("2.0000001", not what %g makes of
 * it): a new string, NULL when out of memory. */
char *jm_jl_number_as_written(loader *ld, const json_t *v);

/* ---- load_json_frame.c: each reads its member of the document ---------------------------- */

void jm_jl_load_header(loader *ld, const json_t *doc);
void jm_jl_load_personas(loader *ld, const json_t *doc);
void jm_jl_load_stages(loader *ld, const json_t *doc);
void jm_jl_load_channels(loader *ld, const json_t *doc);
void jm_jl_load_lanes(loader *ld, const json_t *doc);

/* ---- load_json_settings.c: the settings the frame and the cards are read against --------- */

/* "scale": {"min", "max", "labels": {"value": "text"}}, before the touchpoints: their
 * emotions are checked against it. */
void jm_jl_load_scale(loader *ld, const json_t *doc);
void jm_jl_load_states(loader *ld, const json_t *doc);
void jm_jl_load_theme(loader *ld, const json_t *doc);

/* ---- load_json_lint.c -------------------------------------------------------------------- */

/* "lint": the map's settings of the lint rules, into map->lint. */
void jm_jl_load_lint(loader *ld, const json_t *doc);
/* "metrics" of obj (a stage, a touchpoint or a state). */
void jm_jl_get_metrics(loader *ld, const json_t *obj, jm_metrics *out);

/* The index an id at the current path names, -1 when unknown (reported; for a persona at the
 * key when at_key). A channel used but not declared is appended on first use. */
long jm_jl_resolve_persona(loader *ld, const char *id, bool at_key);
long jm_jl_resolve_stage(loader *ld, const char *id);
long jm_jl_resolve_channel(loader *ld, const char *id);

/* Canonical lanes that hold items (the others are drawn from stages, touchpoints, emotions). */
bool jm_jl_item_lane(int t);
/* The lane of lanes[0..n) with this id, -1 when none. */
long jm_jl_find_lane(const jm_lane *lanes, size_t n, const char *id);
/* Reports an unknown lane id with a hint over the canonical and the declared custom lanes. */
void jm_jl_fail_unknown_lane(loader *ld, const char *id, bool items_only);

/* ---- load_json_cards.c: element loaders for jm_jl_load_array ----------------------------- */

void jm_jl_load_touchpoint(loader *ld, const json_t *obj, void *items, size_t i);
void jm_jl_load_item(loader *ld, const json_t *obj, void *items, size_t i);

#endif
