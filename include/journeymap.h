/* journeymap — customer journey maps from a text file.
 *
 * The pipeline is one direction: a loader (JSON, Mermaid journey, CSV) builds a validated
 * jm_map; jm_render_* lays it out (pure geometry, text measured with Pango) and draws it with
 * Cairo as PNG, SVG or PDF, or writes the layout as JSON.
 *
 * Ownership: a function named *_new or *_load_* returns an object the caller frees with the
 * matching *_free (every *_free accepts NULL). Pointers returned by getters are borrowed: valid
 * until the object they came from is freed. No function prints or exits; problems go into a
 * jm_diags list that the caller owns.
 *
 * Thread safety: a jm_context may be shared by threads only if each thread uses its own
 * jm_context_clone (fonts are loaded once and shared read-only). A jm_map is read-only after
 * loading and may be rendered from several threads at once.
 */
#ifndef JOURNEYMAP_H
#define JOURNEYMAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define JM_API
#elif defined(__GNUC__)
#define JM_API __attribute__((visibility("default")))
#else
#define JM_API
#endif

/* The library's semantic version, e.g. "0.1.0". Static string. */
JM_API const char *jm_version(void);

/* ---- Diagnostics -------------------------------------------------------------------------- */

typedef enum { JM_SEVERITY_WARNING = 1, JM_SEVERITY_ERROR = 2 } jm_severity;

/* One problem found in an input or while rendering. `line` and `column` are 1-based, 0 when
 * unknown; `path` is the JSON pointer of the offending value ("" for the whole document). */
typedef struct jm_diag {
    jm_severity severity;
    const char *file;
    int line;
    int column;
    const char *path;
    const char *message;
} jm_diag;

typedef struct jm_diags jm_diags;

JM_API jm_diags *jm_diags_new(void);
JM_API void jm_diags_free(jm_diags *diags);
JM_API size_t jm_diags_count(const jm_diags *diags);
/* Borrowed; NULL when i is out of range. */
JM_API const jm_diag *jm_diags_get(const jm_diags *diags, size_t i);
JM_API size_t jm_diags_error_count(const jm_diags *diags);
JM_API void jm_diags_clear(jm_diags *diags);
/* "FILE:LINE:COL: error: PATH: message" (no trailing newline). Caller frees with jm_free. */
JM_API char *jm_diag_format(const jm_diag *diag);

/* ---- Context ------------------------------------------------------------------------------ */

/* Fonts (a private fontconfig set-up over the bundled fonts), themes and caches. Create once,
 * reuse for every map: that is where batch speed comes from. */
typedef struct jm_context jm_context;

/* data_dir: the folder holding fonts/ and themes/ (NULL: JOURNEYMAP_DATA_DIR, then the build
 * tree, then the install prefix). Returns NULL and adds an error to diags when fonts cannot
 * be loaded. */
JM_API jm_context *jm_context_new(const char *data_dir, jm_diags *diags);
/* A context for another thread sharing the loaded fonts. */
JM_API jm_context *jm_context_clone(const jm_context *ctx);
JM_API void jm_context_free(jm_context *ctx);
/* Borrowed: the data folder in use. */
JM_API const char *jm_context_data_dir(const jm_context *ctx);

/* ---- Loading ------------------------------------------------------------------------------ */

typedef enum {
    JM_INPUT_AUTO = 0, /* from the file name: .mmd/.md → Mermaid, .csv/.tsv → CSV, else JSON */
    JM_INPUT_JSON,
    JM_INPUT_MERMAID,
    JM_INPUT_CSV
} jm_input_kind;

typedef struct jm_load_options {
    jm_input_kind kind;
    const char *title; /* CSV (and Mermaid without a title): map title; NULL → file name */
} jm_load_options;

/* A validated journey model. */
typedef struct jm_map jm_map;

/* Loads and validates a file ("-" is standard input). Returns NULL when there is any error;
 * every error and warning goes to diags. opts may be NULL. */
JM_API jm_map *jm_map_load_file(jm_context *ctx, const char *path, const jm_load_options *opts,
                                jm_diags *diags);
/* The same from memory; `name` is used in messages and to resolve relative photo paths. */
JM_API jm_map *jm_map_load_buffer(jm_context *ctx, const char *name, const char *data,
                                  size_t len, const jm_load_options *opts, jm_diags *diags);
JM_API void jm_map_free(jm_map *map);
/* Borrowed: the map title. */
JM_API const char *jm_map_title(const jm_map *map);
JM_API size_t jm_map_touchpoint_count(const jm_map *map);

/* The model as a JSON document (format version 1) that validates and renders the same map.
 * Caller frees with jm_free; NULL on allocation failure. */
JM_API char *jm_map_to_json(const jm_map *map);

/* ---- Rendering ---------------------------------------------------------------------------- */

typedef enum { JM_FORMAT_PNG = 0, JM_FORMAT_SVG, JM_FORMAT_PDF, JM_FORMAT_JSON } jm_format;
typedef enum { JM_STATE_AUTO = 0, JM_STATE_BEFORE, JM_STATE_AFTER, JM_STATE_COMPARE } jm_state;
typedef enum {
    JM_PAGE_AUTO = 0,
    JM_PAGE_A4,
    JM_PAGE_A3,
    JM_PAGE_A2,
    JM_PAGE_LETTER,
    JM_PAGE_TABLOID
} jm_page;

typedef struct jm_render_options {
    jm_format format;
    jm_state state;    /* AUTO: compare when any touchpoint has before/after, else as is */
    const char *theme; /* NULL: the model's theme, else "default"; a name or a .json path */
    double scale;      /* PNG pixels per point; default 2 */
    jm_page page;      /* PDF page size (landscape, scaled to fit, centred) */
} jm_render_options;

JM_API void jm_render_options_init(jm_render_options *opts);

/* Renders into a memory buffer the caller frees with jm_free. Returns 0, or -1 with errors
 * in diags. */
JM_API int jm_render_to_buffer(jm_context *ctx, const jm_map *map, const jm_render_options *opts,
                               unsigned char **data, size_t *len, jm_diags *diags);
/* Renders to a file atomically: a temporary file in the same folder renamed into place only
 * when complete, so a failure never leaves a partial file nor harms an existing one. */
JM_API int jm_render_to_file(jm_context *ctx, const jm_map *map, const jm_render_options *opts,
                             const char *path, jm_diags *diags);
/* Writes len bytes to path the same atomic way (`file` names the input in messages). */
JM_API int jm_write_file_atomic(const char *path, const void *data, size_t len, const char *file,
                                jm_diags *diags);
/* The temporary file this process is writing right now ("" when none), so that a signal
 * handler can remove it before exiting. Not thread-safe; meant for the CLI. */
JM_API const char *jm_pending_temp_file(void);
/* Format from a file extension (".png", ".svg", ".pdf", ".json"); -1 when unknown. */
JM_API int jm_format_from_path(const char *path);

/* ---- Memory ------------------------------------------------------------------------------- */

/* Replaces the allocator used by the library (not by Cairo/Pango). Call before anything else.
 * Tests use it to make allocations fail. NULL arguments restore the C library's. */
JM_API void jm_set_allocator(void *(*malloc_fn)(size_t), void *(*realloc_fn)(void *, size_t),
                             void (*free_fn)(void *));
JM_API void jm_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
