/* journeymap — customer journey maps from a text file.
 *
 * The pipeline is one direction: a loader (JSON, Mermaid journey, CSV) builds a validated
 * jm_map; jm_render_* lays it out (pure geometry, text measured with Pango) and draws it with
 * Cairo as PNG, SVG or PDF (or an HTML page around the SVG), or writes the layout as JSON.
 *
 * Ownership: a function named *_new or *_load_* returns an object the caller frees with the
 * matching *_free (every *_free accepts NULL). Pointers returned by getters are borrowed: valid
 * until the object they came from is freed. Strings and bytes the library allocates for the
 * caller (jm_diag_format, jm_map_to_json, jm_render_to_buffer) are freed with jm_free.
 *
 * Errors: no function prints or exits. Functions that can fail take a jm_diags list that the
 * caller owns; they append every error and warning to it and signal failure by their return
 * value (NULL or -1). Allocation failures are reported as "out of memory" errors.
 *
 * A minimal program (examples/render_example.c is a complete one):
 *
 *     jm_diags *d = jm_diags_new();
 *     jm_context *ctx = jm_context_new(NULL, d);
 *     jm_map *map = ctx ? jm_map_load_file(ctx, "bank.json", NULL, d) : NULL;
 *     jm_render_options o;
 *     jm_render_options_init(&o);
 *     if (map && jm_render_to_file(ctx, map, &o, "bank.png", d) == 0) ... ;
 *     for (size_t i = 0; i < jm_diags_count(d); i++) {
 *         char *line = jm_diag_format(jm_diags_get(d, i));
 *         fprintf(stderr, "%s\n", line ? line : "out of memory");
 *         jm_free(line);
 *     }
 *     jm_map_free(map); jm_context_free(ctx); jm_diags_free(d);
 *
 * Build with `pkg-config --cflags --libs journeymap`, or in CMake with find_package(journeymap)
 * and the target journeymap::journeymap.
 *
 * Thread safety: a jm_context is used by one thread at a time. For several threads, give each
 * its own jm_context_clone: the fonts are loaded once and shared read-only, and each clone has
 * its own Pango font map and caches, so clones render at the same time without locking each
 * other (tests/threads/threads.c renders every example from four clones at once, also under
 * ThreadSanitizer). A jm_map is read-only after loading and may be rendered from several
 * threads at once. Calls that act on the whole process say so (jm_set_allocator).
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

/* The library's semantic version, e.g. "0.1.0" (the same as `journeymap --version`). A static
 * string: never freed. */
JM_API const char *jm_version(void);

/* ---- Diagnostics -------------------------------------------------------------------------- */

/* JM_SEVERITY_NOTE: information that is neither wrong nor suspicious (e.g. where survey data
 * replaces a value of the model), only when asked for (jm_data_options.notes). */
typedef enum { JM_SEVERITY_NOTE = 0, JM_SEVERITY_WARNING = 1, JM_SEVERITY_ERROR = 2 } jm_severity;

/* One problem found in an input or while rendering. `file` names the input (NULL or "" when
 * the problem concerns no input, e.g. missing fonts); `line` and `column` are 1-based, 0 when
 * unknown (columns count characters, not bytes); `path` is the JSON pointer of the offending
 * value ("" or NULL for the whole document; "" for Mermaid and CSV inputs, where the line and
 * column say where); `message` says what is wrong and what was expected. All strings belong
 * to the jm_diags list the diagnostic is in. */
typedef struct jm_diag {
    jm_severity severity;
    const char *file;
    int line;
    int column;
    const char *path;
    const char *message;
} jm_diag;

typedef struct jm_diags jm_diags;

/* A list of diagnostics, in the order they were found (a loader hands them over in the order
 * of their position in the file). Returns an empty list, or NULL when out of memory. */
JM_API jm_diags *jm_diags_new(void);
/* Frees the list and every diagnostic in it. NULL is allowed. */
JM_API void jm_diags_free(jm_diags *diags);
/* Number of diagnostics, errors and warnings (0 for NULL). */
JM_API size_t jm_diags_count(const jm_diags *diags);
/* The i-th diagnostic, borrowed: valid until the list changes (a function adds to it, or it
 * is cleared or freed). NULL when i is out of range. */
JM_API const jm_diag *jm_diags_get(const jm_diags *diags, size_t i);
/* Number of errors (0 for NULL). It also counts errors that could not be stored for want of
 * memory, so a failure is never mistaken for success. */
JM_API size_t jm_diags_error_count(const jm_diags *diags);
/* Removes every diagnostic (pointers from jm_diags_get become invalid); the list can be
 * reused. NULL is allowed. */
JM_API void jm_diags_clear(jm_diags *diags);
/* "FILE:LINE:COL: error: PATH: message" (or "warning"), without a trailing newline; an
 * unknown line, column or path is left out, an unknown file reads "<input>". Caller frees
 * with jm_free; NULL when out of memory. Control characters in the path and message are
 * written as \u00XX, so the line is one line and safe to show on a terminal. */
JM_API char *jm_diag_format(const jm_diag *diag);

/* ---- Context ------------------------------------------------------------------------------ */

/* Fonts (a private fontconfig set-up over the bundled fonts), themes and caches. Create once,
 * reuse for every map: that is where batch speed comes from. */
typedef struct jm_context jm_context;

/* data_dir: the folder holding fonts/ and themes/ (NULL: JOURNEYMAP_DATA_DIR, then
 * ../share/journeymap next to the running executable, then the source tree the library was
 * built from, then the data folder of the install prefix it was configured for). The string
 * is copied. Returns a new context, or NULL with an error in diags when the fonts cannot be
 * loaded (or memory runs out). Free with jm_context_free.
 * fontconfig's current configuration (FcConfigGetCurrent), the program's, is neither used nor
 * changed. Pango 1.50 loads it (the system's, by default) with the process's first font map,
 * once, about 10 ms; a program that draws with no other fonts can skip that by making it an
 * empty one first, FcConfigSetCurrent(FcConfigCreate()), as the journeymap program does. */
JM_API jm_context *jm_context_new(const char *data_dir, jm_diags *diags);
/* A new context for another thread, sharing the loaded fonts (read-only) with ctx; it has its
 * own font map, theme and text caches (the first map it renders measures its fonts again), and
 * stays valid after ctx is freed. Call it while no other thread uses ctx. NULL when out of
 * memory. Free with jm_context_free. */
JM_API jm_context *jm_context_clone(const jm_context *ctx);
/* Frees the context (the fonts once no clone uses them), waiting for any font query Pango
 * still runs for it on a thread of its own, so that nothing of it is left when this returns.
 * Maps loaded with it stay valid. NULL is allowed. */
JM_API void jm_context_free(jm_context *ctx);
/* The data folder in use, borrowed: valid until the context is freed. */
JM_API const char *jm_context_data_dir(const jm_context *ctx);
/* Adds fonts to this context, after the bundled ones: path is a font file (.ttf, .otf, .ttc)
 * or a folder, whose font files are added in the order of their names (not its subfolders).
 * A theme then names their families (font_family, font_family_titles, font_family_numbers).
 * A file that is no font is left out with a warning. Only this context has them, and the
 * clones made from it afterwards; the files are read when a map is measured, not copied.
 * Returns the number of fonts added, or -1 with an error in diags (path not found or not
 * readable, out of memory). Call it while no other thread uses ctx. */
JM_API int jm_context_add_font_dir(jm_context *ctx, const char *path, jm_diags *diags);

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

/* Loads and validates a file ("-" is standard input); the kind of input follows opts->kind,
 * or the file name when it is JM_INPUT_AUTO. Returns a new map, or NULL when there is any
 * error (in the input, or reading it); every error and warning goes to diags, so a map can
 * come back with warnings. opts may be NULL (automatic kind, no title). The files a model
 * names (persona photos, a theme file) are read here, once, under the rule in SECURITY.md
 * ("Files a model names"): the map keeps their bytes, and rendering opens no path a model
 * names. A character of the map's text that no font of ctx (bundled, added, or the
 * machine's) has is a warning here, at its field ("no font has U+…"), unless the map's theme
 * adds fonts: jm_render_* reports it then, with them. Free with jm_map_free. */
JM_API jm_map *jm_map_load_file(jm_context *ctx, const char *path, const jm_load_options *opts,
                                jm_diags *diags);
/* The same from memory: `len` bytes of `data`, which need not end in NUL and are not kept.
 * `name` (NULL: "<input>") is used in messages, to tell the kind of input when opts->kind is
 * JM_INPUT_AUTO, and to resolve relative photo and theme paths. */
JM_API jm_map *jm_map_load_buffer(jm_context *ctx, const char *name, const char *data, size_t len,
                                  const jm_load_options *opts, jm_diags *diags);
/* Frees the map. NULL is allowed. */
JM_API void jm_map_free(jm_map *map);
/* The map title, borrowed: valid until the map is freed. */
JM_API const char *jm_map_title(const jm_map *map);
/* Number of touchpoints (cards) in the map. */
JM_API size_t jm_map_touchpoint_count(const jm_map *map);

/* The files the map was made from besides its input: those its model names (a theme file,
 * persona photos), each once, in the order they were read. A program that re-renders when an
 * input changes (`journeymap watch`) watches these too. jm_map_named_file returns the i-th as
 * the input's folder joined with the name the model gives (symbolic links not resolved),
 * borrowed: valid until the map is freed; NULL when i is out of range. A --theme file given to
 * jm_render_* is not the map's: the caller knows it already. */
JM_API size_t jm_map_named_file_count(const jm_map *map);
JM_API const char *jm_map_named_file(const jm_map *map, size_t i);

/* Checks the theme a render of the map would use, drawing nothing (`journeymap validate`):
 * theme is jm_render_options.theme (NULL: the model's own). Reports to diags what jm_render_*
 * would about it: errors in it, each family it names that no bundled or added font has (a
 * warning at the theme's key), text colours that cannot be read, and the characters no font
 * has when the theme adds fonts. The context takes the theme's fonts, as a render would.
 * Returns 0, or -1 when the theme cannot be used (then rendering fails too). */
JM_API int jm_map_check_theme(jm_context *ctx, const jm_map *map, const char *theme,
                              jm_diags *diags);

/* The model as a JSON document (format version 1) that validates and renders the same map.
 * Caller frees with jm_free; NULL on allocation failure. */
JM_API char *jm_map_to_json(const jm_map *map);

/* ---- Data from responses ------------------------------------------------------------------ */

/* Survey and analytics exports joined to a map before it is drawn (`journeymap --data`): a
 * CSV/TSV file (as the CSV input: a UTF-8 BOM, `,` `;` or tab, RFC 4180 quotes) with a header
 * row and one row per response (or per aggregate); columns:
 *   touchpoint  the touchpoint's id (required);
 *   persona     a persona id (optional; a row without one counts for every persona);
 *   emotion     a value on the map's scale, or
 *   score       a value on the data's scale (score_kind), mapped linearly onto the map's;
 *   n           (optional) how many responses the row stands for: a row of an aggregate;
 *   any other column whose every cell is a number: a metric of that name (its mean).
 * Each touchpoint (and persona) with rows gets the mean as its emotion, with the quartiles,
 * the number of responses and the source in the map for the layout to draw; a metric of the
 * same name takes the mean as its value. Data wins over the model's values. */
typedef enum {
    JM_SCORE_NONE = 0, /* a `score` column is an error: say what scale it is on */
    JM_SCORE_RANGE,    /* score_min…score_max, linearly onto the map's scale */
    JM_SCORE_NPS       /* 0…10: promoters (9–10) the top of the map's scale, passives (7–8)
                        * its midpoint, detractors (0–6) its bottom, so that the mean of a
                        * touchpoint is its Net Promoter Score (−100…100 → bottom…top) */
} jm_score_kind;

typedef struct jm_data_options {
    jm_score_kind score_kind;
    double score_min, score_max; /* JM_SCORE_RANGE */
    size_t min_n;                /* a point from fewer responses is drawn greyed; default 5 */
    const char *date; /* stamped in the legend ("data: FILE, N responses, DATE"); NULL: the
                       * earliest and latest of a `date` column, else none (never the file's
                       * time, so that the same inputs give the same bytes) */
    int notes;        /* non-zero: a JM_SEVERITY_NOTE for every value of the model the data
                       * replaces */
} jm_data_options;

/* Sets the defaults: no score scale, min_n 5, no date, no notes. */
JM_API void jm_data_options_init(jm_data_options *opts);

/* Joins the data file at path (or `len` bytes of `data` named `name`) to map (see above);
 * opts may be NULL (the defaults). Call it before rendering, while no other thread uses the
 * map; it may be called again for more files. Returns 0, or -1 with errors in diags (the file
 * cannot be read, is not UTF-8 text, has no touchpoint column, a value off its scale), in
 * which case the map is left as it was (when memory runs out, part of the data may be joined). Rows
 * naming a touchpoint (or persona) the map does not have are warnings at their line, and count for
 * nothing. */
JM_API int jm_map_join_data_file(jm_map *map, const char *path, const jm_data_options *opts,
                                 jm_diags *diags);
JM_API int jm_map_join_data_buffer(jm_map *map, const char *name, const char *data, size_t len,
                                   const jm_data_options *opts, jm_diags *diags);

/* ---- Rendering ---------------------------------------------------------------------------- */

/* JM_FORMAT_HTML: one self-contained page (the SVG inline, zoom and pan, each card's details
 * on hover, focus and tap; no network request) that a person opens in a browser. */
typedef enum {
    JM_FORMAT_PNG = 0,
    JM_FORMAT_SVG,
    JM_FORMAT_PDF,
    JM_FORMAT_JSON,
    JM_FORMAT_HTML
} jm_format;
typedef enum { JM_STATE_AUTO = 0, JM_STATE_BEFORE, JM_STATE_AFTER, JM_STATE_COMPARE } jm_state;
/* How the map is arranged. DETAIL: every touchpoint has a card-wide column of its own, so
 * everything about it (action, card, emotion, pain, KPI) lines up under it. OVERVIEW, for
 * dense maps: the stages are the columns; inside a stage each lane's boxes share a few
 * card-wide columns, each tied to its touchpoint by the touchpoint's number (1..n in time
 * order) on its card and on the boxes. AUTO: OVERVIEW when the map has more than 5
 * touchpoints a stage on average, else DETAIL. */
typedef enum { JM_LAYOUT_AUTO = 0, JM_LAYOUT_DETAIL, JM_LAYOUT_OVERVIEW } jm_layout_kind;
typedef enum {
    JM_PAGE_AUTO = 0,
    JM_PAGE_A4,
    JM_PAGE_A3,
    JM_PAGE_A2,
    JM_PAGE_LETTER,
    JM_PAGE_TABLOID,
    JM_PAGE_A1,
    JM_PAGE_A0
} jm_page;

/* jm_render_options.pages: as many pages as keep every text at 7 pt or more. */
#define JM_PAGES_AUTO (-1)

typedef struct jm_render_options {
    jm_format format;
    jm_state state;    /* AUTO: compare when any touchpoint has before/after, else as is */
    const char *theme; /* NULL: the model's theme, else "default"; a name or a .json path
                        * (a file is read at every render, so an edit shows at the next) */
    double scale;      /* PNG pixels per point. 0 (the default): 2, or the largest scale that
                        * keeps the PNG within 32767 px a side and 300 megapixels, with a
                        * warning; a scale given that does not fit is an error */
    jm_page page;      /* PDF page size (landscape, scaled to fit, centred; see pages) */
    /* SVG: the start of every id in the document (glyph outlines, clip paths, title). NULL:
     * "jm" and 8 hex digits of a hash of the document and "-", so that maps inlined in one
     * HTML page never share an id and the same input and options give the same bytes. Else
     * an ASCII XML name: a letter or '_', then letters, digits, '_', '-' or '.'; at most 64
     * characters. The string is not kept. */
    const char *svg_id_prefix;
    jm_layout_kind layout; /* AUTO (the default), DETAIL or OVERVIEW */
    /* A line under the map (e.g. "Confidential — Version 3, 2026-12"), UTF-8, in place of the
     * model's `footer`; NULL: the model's. "" draws none. The string is not kept. */
    const char *footer;
    /* PDF on several pages of size `page` (A4 when JM_PAGE_AUTO), landscape: 0 (the default)
     * one page; JM_PAGES_AUTO as many pages as keep every text at 7 pt or more; N at most N
     * pages, the text as large as they allow. The map is split at stage boundaries (between
     * touchpoint columns when one stage is wider than a page, at lane boundaries when the map
     * is taller); every page repeats the title line, the stage headers and the lane labels,
     * and says "page k of n"; the first page also carries the subtitle, legend and persona
     * cards. */
    int pages;
    /* PDF poster: JM_PAGE_AUTO (the default) none; else the map fitted to this size (JM_PAGE_A0
     * …) and tiled over sheets of size `page` (A4 when JM_PAGE_AUTO; portrait or landscape,
     * whichever needs fewer) with an overlap of about 1 cm, crop marks, alignment ticks and
     * sheet names ("B3": column letter, row number). Only the part the map covers is printed.
     * Takes precedence over pages. Text under 6 pt on any page or sheet is reported as a
     * warning naming the option that fixes it. */
    jm_page poster;
    /* Lint findings to mark on the map (jm_lint_map's for this very map; NULL, the default:
     * none): a numbered marker on each element a finding is about (or on the nearest drawn
     * object that holds it), and every finding listed by number, level, rule and position in
     * a panel under the map. Borrowed for the call only. */
    const struct jm_findings *findings;
    /* A blank canvas for a workshop's sticky notes: 0 (the default) the map; 1 its title,
     * stages and lanes (the model's lanes list; without one, the lanes its content fills, or
     * when it has no touchpoints Actions, Touchpoints, Thoughts, Emotions, Pains and
     * Opportunities), each lane with a question in small grey type ("What does the customer
     * do?", in the map's language) over empty cells, the emotion lane with its empty scale.
     * Laid out at the size of the poster, else of the page, else A1 (landscape), with its type
     * scaled for a wall, so that a cell holds one or two 76 mm sticky notes; a warning says
     * when cells come out smaller than a note on that paper. Touchpoints, items, the legend
     * and persona cards are not drawn. */
    int blank;
} jm_render_options;

/* Sets the defaults: PNG, JM_STATE_AUTO, the model's theme, scale 0 (2, lowered to fit),
 * JM_PAGE_AUTO, ids from the document's hash, JM_LAYOUT_AUTO, one page, no poster, the map
 * (not blank). Call it before setting fields, so that fields added later get their defaults
 * too. */
JM_API void jm_render_options_init(jm_render_options *opts);

/* Lays out and renders the map into a new buffer of *len bytes (an image, or the layout JSON
 * text: do not count on a terminating NUL) that the caller frees with jm_free. opts may be NULL
 * (the defaults). Returns 0, or -1 with errors in diags (an unknown or invalid theme, out of
 * memory) and *data NULL, *len 0. The context's theme cache is updated, so a context must
 * not render in two threads at once (use jm_context_clone); the map is only read. */
JM_API int jm_render_to_buffer(jm_context *ctx, const jm_map *map, const jm_render_options *opts,
                               unsigned char **data, size_t *len, jm_diags *diags);
/* Renders to a file atomically: a temporary file in the same folder (`.NAME.jm-PID-XXXXXX`,
 * mode 0666 less the umask) renamed into place only when complete, so a failure never leaves a
 * partial file nor harms an existing one; a file that replaces another is flushed to disk
 * first. Safe from several threads (each with its own context). The format is opts->format
 * (see jm_format_from_path). Returns 0, or -1 with errors in diags (those of
 * jm_render_to_buffer, or the folder not writable, the disk full). */
JM_API int jm_render_to_file(jm_context *ctx, const jm_map *map, const jm_render_options *opts,
                             const char *path, jm_diags *diags);
/* The format a file name's extension asks for (".png", ".svg", ".pdf", ".json", ".html" or
 * ".htm", in any case), as a jm_format; -1 when the extension is none of these. */
JM_API int jm_format_from_path(const char *path);
/* A format's name, which is also its file extension without the dot ("png"), static; NULL
 * when format is not a jm_format. The formats are numbered from 0 without gaps, so a list of
 * them ends at the first NULL. */
JM_API const char *jm_format_name(int format);
/* The format with this name (in any case), as a jm_format; -1 when there is none. */
JM_API int jm_format_from_name(const char *name);

/* ---- Comparing two maps (journeymap diff) ------------------------------------------------- */

/* What happened to an object or a field between an old and a new map. */
typedef enum {
    JM_CHANGE_ADDED = 0, /* in the new map only */
    JM_CHANGE_REMOVED,   /* in the old map only */
    JM_CHANGE_RENAMED,   /* matched by id, another name */
    JM_CHANGE_MOVED,     /* a touchpoint or item in another stage or channel, a stage in another
                          * place of the order */
    JM_CHANGE_CHANGED    /* a field's value */
} jm_change_kind;

/* Where a changed object is in one of the two inputs: line and column 1-based (0 when the
 * object is not in that input, or its position is unknown), path its JSON pointer ("" for the
 * map itself). Strings belong to the jm_diff. */
typedef struct jm_place {
    int line;
    int column;
    const char *path;
} jm_place;

/* One change. Strings belong to the jm_diff; NULL where the change has none.
 *  object    "map", "persona", "stage", "channel", "touchpoint" or "item"
 *  key       the object's id, or its name when it has none (an item: its text)
 *  name      the object's name to show (the new one, or the old one when removed)
 *  field     what changed: "title", "name", "stage", "channel", "order", "description",
 *            "emotion", "metric", "metric target", "owner"... (fields of a before or after
 *            state start with "before." or "after."); NULL for an added or removed object
 *  detail    for "emotion" the persona's id ("" when the map has none); for metrics the
 *            metric's name
 *  old_value, new_value  the values as text (numbers as %.10g); NULL when absent
 *  has_numbers           old_number and new_number hold both values (emotions, metrics)
 *  direction +1 better, -1 worse, 0 neither: emotions (higher is better) and metrics (by the
 *            metric's `better`)
 *  old_place, new_place  the object in each input
 *  message   the change as one sentence, without positions */
typedef struct jm_change {
    jm_change_kind kind;
    const char *object;
    const char *key;
    const char *name;
    const char *field;
    const char *detail;
    const char *old_value, *new_value;
    int has_numbers;
    double old_number, new_number;
    int direction;
    jm_place old_place, new_place;
    const char *message;
} jm_change;

/* The changes from one map to another, in a stable order (docs/diff.md): the map's own fields,
 * then personas, stages, channels, touchpoints and items; within a kind the new map's objects
 * in its order, then the removed ones in the old map's order; within an object its fields in a
 * fixed order. Objects are matched by id, then the ones left by name (docs/diff.md says
 * exactly how). */
typedef struct jm_diff jm_diff;

/* Compares two loaded maps (of any input kinds). Returns a new diff (free with jm_diff_free),
 * or NULL when out of memory. The maps are only read and may be freed afterwards. */
JM_API jm_diff *jm_diff_new(const jm_map *old_map, const jm_map *new_map);
JM_API void jm_diff_free(jm_diff *diff);
/* Number of changes: 0 when the maps are the same as far as the comparison sees. */
JM_API size_t jm_diff_count(const jm_diff *diff);
/* The i-th change, borrowed (valid until the diff is freed); NULL when out of range. */
JM_API const jm_change *jm_diff_get(const jm_diff *diff, size_t i);
/* The file names the two maps were loaded from, borrowed. */
JM_API const char *jm_diff_old_file(const jm_diff *diff);
JM_API const char *jm_diff_new_file(const jm_diff *diff);
/* The change map: the new map with what changed marked on it, a map of its own to render
 * with jm_render_* (it draws in the compare state). Each touchpoint's old version is its
 * `before` state and its new version its `after` state (emotions and metrics: both emotion
 * curves, the old one dashed, and the metrics' changes); touchpoints and stages the new map
 * lost are copied in and drawn faintly; cards and stage headers say "New", "Removed",
 * "Moved" or "Changed"; the legend lists the kinds of change; the subtitle names the two
 * files. The touchpoints' own before and after states are not shown. diff must be the
 * comparison of old_map with new_map. Returns a new map (free with jm_map_free), or NULL with
 * errors in diags. */
JM_API jm_map *jm_diff_change_map(const jm_diff *diff, const jm_map *old_map, const jm_map *new_map,
                                  jm_diags *diags);
/* A change kind's name: "added", "removed", "renamed", "moved", "changed". Static string. */
JM_API const char *jm_change_kind_name(jm_change_kind kind);

/* ---- Checking a map (journeymap lint) ----------------------------------------------------- */

typedef enum { JM_LINT_OFF = 0, JM_LINT_NOTE, JM_LINT_WARNING, JM_LINT_ERROR } jm_lint_level;

/* A rule: its id, the level it has unless set otherwise, the one-line rationale, and its
 * parameter when it takes one (a name such as "max_words" and its default). Static. */
typedef struct jm_lint_rule {
    const char *id;
    jm_lint_level level;
    const char *summary;
    const char *param;
    double param_default;
} jm_lint_rule;

/* Every rule, in the order findings of one position are listed; *n is set to their number. */
JM_API const jm_lint_rule *jm_lint_rules(size_t *n);
/* "off", "note", "warning", "error". Static string. */
JM_API const char *jm_lint_level_name(jm_lint_level level);

/* Settings given by the caller (the command line): they override the defaults and the model's
 * own `lint` key. */
typedef struct jm_lint_settings jm_lint_settings;
JM_API jm_lint_settings *jm_lint_settings_new(void); /* NULL when out of memory */
JM_API void jm_lint_settings_free(jm_lint_settings *settings);
/* Applies "ID=LEVEL" (LEVEL off, note, warning or error; ID may be "all") or "ID.PARAM=NUMBER"
 * (e.g. "long-thought.max_words=30"). Returns 0, or -1 with an error in diags naming what is
 * wrong (with a "did you mean" for a misspelt rule). */
JM_API int jm_lint_settings_set(jm_lint_settings *settings, const char *spec, jm_diags *diags);

/* One finding. Strings belong to the jm_findings list. */
typedef struct jm_finding {
    const char *rule;
    jm_lint_level level;
    const char *file;
    int line;
    int column;
    const char *path;
    const char *message;
} jm_finding;

typedef struct jm_findings jm_findings;

/* Checks a map with every rule not turned off (defaults, then the model's `lint` key, then
 * settings, which may be NULL). Findings are sorted by position (line, column), then by rule.
 * Returns a new list (free with jm_findings_free), or NULL when out of memory. */
JM_API jm_findings *jm_lint_map(const jm_map *map, const jm_lint_settings *settings);
JM_API void jm_findings_free(jm_findings *findings);
JM_API size_t jm_findings_count(const jm_findings *findings);
/* The i-th finding, borrowed; NULL when out of range. */
JM_API const jm_finding *jm_findings_get(const jm_findings *findings, size_t i);

/* ---- Memory ------------------------------------------------------------------------------- */

/* Replaces the allocator used by the library (not by Cairo/Pango). Call before anything else,
 * and restore it only when every object and buffer of the library has been freed: memory is
 * freed with the allocator in use at that moment. Tests use it to count allocations and to
 * make them fail. NULL arguments restore the C library's. Not thread-safe. */
JM_API void jm_set_allocator(void *(*malloc_fn)(size_t), void *(*realloc_fn)(void *, size_t),
                             void (*free_fn)(void *));
/* Frees memory the library returned to the caller (jm_diag_format, jm_map_to_json,
 * jm_render_to_buffer). NULL is allowed. */
JM_API void jm_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
