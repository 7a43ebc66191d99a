/* The validated journey model every loader builds and the layout reads (as const).
 *
 * Every object remembers where it came from (`src`: JSON pointer, line and column) so later
 * stages can report against the user's file. Strings are owned UTF-8 (NULL when absent).
 * Indexes (stage, channel, persona) are resolved by the loader; ids are kept for output. */
#ifndef JM_MODEL_H
#define JM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journeymap.h"

#define JM_EMOTION_NONE (-99.0) /* "no emotion given" */

/* Limits (documented in README "Limits"); loaders report exceeding them as errors. */
#define JM_MAX_INPUT_BYTES (64u << 20)
#define JM_MAX_DEPTH 64
#define JM_MAX_STRING_BYTES (64u << 10)
#define JM_MAX_STAGES 500
#define JM_MAX_TOUCHPOINTS 100000
#define JM_MAX_PERSONAS 50
#define JM_MAX_CHANNELS 500
#define JM_MAX_ITEMS 100000
#define JM_MAX_METRICS 64 /* per object */
#define JM_MAX_LIST 200   /* entries of goals/needs/opportunities … lists */
/* Touchpoints × personas: each pair is an emotion point per state on the map, and the layout
 * costs about 1 KB a point, so this bounds its memory (some 400 MB in the compare state). */
#define JM_MAX_EMOTION_POINTS 200000
/* Files a model names (jm_named_file): a photo, a theme file, and all of one map's together. */
#define JM_MAX_PHOTO_BYTES (64u << 20)
#define JM_MAX_THEME_FILE_BYTES (1u << 20)
#define JM_MAX_FONT_BYTES (64u << 20) /* one font file (a CJK collection is some 30 MB) */
#define JM_MAX_FONTS 64               /* font files a map's theme adds, folders' files counted */
#define JM_MAX_NAMED_FILES_BYTES (256u << 20)
/* Magnitude of any number in a model: far beyond any real metric, far below where the layout's
 * arithmetic (sums, ratios, scales) could overflow to inf. */
#define JM_MAX_NUMBER 1e15

typedef struct jm_src {
    char *path;    /* JSON pointer, e.g. "/touchpoints/3" */
    int line, col; /* 1-based; 0 unknown */
} jm_src;

/* Where an opportunity stands after a workshop (an action plan): optional, 0 when not given. */
typedef enum {
    JM_STATUS_NONE = 0,
    JM_STATUS_IDEA,
    JM_STATUS_PLANNED,
    JM_STATUS_IN_PROGRESS,
    JM_STATUS_DONE
} jm_status;
typedef enum {
    JM_PRIORITY_NONE = 0,
    JM_PRIORITY_HIGH,
    JM_PRIORITY_MEDIUM,
    JM_PRIORITY_LOW
} jm_priority;
/* The action-plan keys of an opportunity (a point written as an object, or an item). */
typedef struct jm_plan {
    char *owner; /* NULL when not given */
    jm_status status;
    jm_priority priority;
} jm_plan;
/* The model's names of a status and a priority ("in progress", "high"); NULL for NONE. */
const char *jm_status_id(jm_status s);
const char *jm_priority_id(jm_priority p);

typedef struct jm_strlist {
    char **v;
    size_t n;
    bool single;   /* written as one string, not an array (its JSON pointer has no index) */
    jm_plan *plan; /* per point when a point was written as an object (opportunities); else NULL */
} jm_strlist;

typedef struct jm_kv { /* demographics / psychographics row, in key order */
    char *key;
    char *value; /* numbers are formatted as written */
} jm_kv;

typedef enum { JM_BETTER_HIGHER = 0, JM_BETTER_LOWER } jm_better;

typedef struct jm_metric {
    jm_src src;
    char *name;
    double value;
    char *unit;
    bool has_target;
    double target;
    jm_better better;
} jm_metric;

typedef struct jm_metrics {
    jm_metric *v;
    size_t n;
} jm_metrics;

/* A file the model names (a persona photo, a theme file), read whole by the loader once it
 * found a regular file inside the input's folder (SECURITY.md, "Files a model names"). Later
 * stages use these bytes and never open a path a model names, so what was checked is what is
 * drawn. References to one file (50 personas with one photo) share one copy, owned by the map. */
typedef struct jm_named_file {
    char *spec; /* as first written in the model */
    char *name; /* the input's folder joined with spec: the file messages about its content name */
    unsigned char *data;
    size_t len;
    uint64_t dev, ino; /* the file's identity when read, to share one copy */
} jm_named_file;

typedef struct jm_persona {
    jm_src src;
    char *id; /* "" allowed only when there is one persona */
    char *name;
    const jm_named_file *photo; /* in map->files; NULL when none */
    char *photo_spec;           /* as written in the model */
    char *quote, *description;
    jm_kv *demographics;
    size_t n_demographics;
    jm_kv *psychographics;
    size_t n_psychographics;
    jm_strlist goals, needs, frustrations;
    char *color; /* "#rrggbb" as given, NULL → palette */
} jm_persona;

/* What a change map (jm_diff_change_map) marks on a stage or touchpoint: flags. */
enum {
    JM_MARK_ADDED = 1,
    JM_MARK_REMOVED = 2, /* drawn ghosted */
    JM_MARK_MOVED = 4,
    JM_MARK_CHANGED = 8
};

typedef struct jm_stage {
    jm_src src;
    char *id, *name, *description, *goal;
    bool id_made;    /* the loader numbered it ("s1": Mermaid, CSV); not the user's own */
    unsigned change; /* JM_MARK_ flags, on a change map only */
    jm_strlist questions;
    jm_metrics metrics;
    /* On a change map only: the old version's metrics (the model has no stage states to carry
     * them), drawn before the new ones as "old → new" with the change. */
    jm_metrics old_metrics;
} jm_stage;

typedef enum {
    JM_KIND_ONLINE = 0,
    JM_KIND_OFFLINE,
    JM_KIND_PRODUCT,
    JM_KIND_OTHER
} jm_channel_kind;

typedef struct jm_channel {
    jm_src src; /* path "" for a built-in channel used without declaration */
    char *id, *name;
    jm_channel_kind kind;
    char *icon;                      /* built-in icon name */
    char *color;                     /* NULL → theme */
    bool builtin, declared, unknown; /* unknown: undeclared and not built-in */
} jm_channel;

/* The part of a touchpoint that a state may override. */
typedef struct jm_tp_state {
    bool present; /* for before/after: the object was given */
    jm_src src;
    char *description;
    /* The free-text fields that hold points: each a string or an array of strings in the
     * model, one drawn box a point. */
    jm_strlist action, thought, pain, opportunity;
    /* one value per persona (index = persona index), JM_EMOTION_NONE when absent; when the
     * map has no personas there is one slot */
    double *emotion;
    bool has_emotion;
    jm_metrics metrics;
} jm_tp_state;

/* What joined data (--data) says of one emotion point: the mean is the point (it replaced the
 * emotion in the touchpoint's base state); values in the map's scale. */
typedef struct jm_emotion_stat {
    size_t n; /* responses; 0: no data for this point */
    double mean, q1, q3;
} jm_emotion_stat;

typedef struct jm_touchpoint {
    jm_src src;
    char *id;     /* NULL when not given */
    size_t stage; /* index into map->stages */
    long channel; /* index into map->channels, -1 none */
    char *name;
    jm_tp_state base; /* the fields as written on the touchpoint */
    jm_tp_state before, after;
    bool *actors; /* per persona; NULL = all */
    bool indirect;
    bool moment_of_truth;
    char *url, *owner, *notes;
    const jm_named_file *image; /* a storyboard picture (PNG/JPEG) in map->files; NULL none */
    char *image_spec;           /* as written in the model */
    char *image_alt;            /* its text alternative (SVG, HTML); NULL none */
    size_t order;               /* position in the input array */
    jm_emotion_stat *stat;      /* per emotion slot, from joined data; NULL when none */
    unsigned change;            /* JM_MARK_ flags, on a change map only */
} jm_touchpoint;

/* Canonical lanes, in canonical order. */
typedef enum {
    JM_LANE_STAGES = 0,
    JM_LANE_GOALS,
    JM_LANE_ACTIONS,
    JM_LANE_STORYBOARD,
    JM_LANE_TOUCHPOINTS,
    JM_LANE_EMOTIONS,
    JM_LANE_THOUGHTS,
    JM_LANE_PAINS,
    JM_LANE_OPPORTUNITIES,
    JM_LANE_METRICS,
    JM_LANE_COMPARE,
    JM_LANE_EVIDENCE,
    JM_LANE_FRONTSTAGE,
    JM_LANE_BACKSTAGE,
    JM_LANE_SUPPORT,
    JM_LANE_CUSTOM, /* a declared item lane */
    JM_LANE__COUNT
} jm_lane_type;

typedef struct jm_item {
    jm_src src;
    jm_lane_type lane;
    long custom; /* index into map->custom_lanes when lane == JM_LANE_CUSTOM, else -1 */
    size_t stage;
    char *text;
    long touchpoint; /* index, -1 none */
    jm_plan plan;
} jm_item;

/* The emotion scale a map declares ("scale"), or the default −2…+2. Values stay in the
 * model as written, in the scale's units; the layout maps them onto its −2…+2 axis
 * (jm_emotion_axis). */
typedef struct jm_scale_label {
    jm_src src;
    double value;
    char *text;
} jm_scale_label;

typedef struct jm_scale {
    jm_src src;    /* path NULL when not declared */
    bool declared; /* written in the model (model → JSON writes it back) */
    double min, max;
    jm_scale_label *labels; /* in ascending value order */
    size_t n_labels;
} jm_scale;

#define JM_SCALE_MAX_LABELS 101

typedef struct jm_lane {
    jm_src src;
    jm_lane_type type;
    char *id;   /* canonical id ("actions") or the custom id */
    char *name; /* NULL → theme's default label */
} jm_lane;

struct jm_map {
    char *file;     /* as given to the loader (for messages) */
    char *base_dir; /* folder of the input, for photos */
    char *title, *subtitle, *lang;
    char *description;         /* Mermaid accDescr; document subject */
    char *footer;              /* a line under the map ("Confidential — Version 3"); NULL none */
    const jm_named_file *logo; /* a PNG or JPEG in the header, in files; NULL none */
    char *logo_spec;           /* as written in the model */
    char *logo_alt;            /* its text alternative (SVG, HTML); NULL none */
    int logo_w, logo_h;        /* its stored size in pixels, from its header */
    jm_persona *personas;
    size_t n_personas;
    jm_stage *stages;
    size_t n_stages;
    jm_channel *channels; /* declared ones first, then built-ins/unknowns as first used */
    size_t n_channels;
    jm_touchpoint *touchpoints;
    size_t n_touchpoints;
    jm_item *items;
    size_t n_items;
    char *state_label[2]; /* before, after; NULL → "Before"/"After" */
    jm_lane *lanes;       /* explicit lane order; NULL/0 → default */
    size_t n_lanes;
    bool lanes_explicit;
    jm_lane *custom_lanes; /* declared custom item lanes (also in lanes when explicit) */
    size_t n_custom_lanes;
    char *theme_name;                /* theme: "name" (a built-in theme or a file) */
    const jm_named_file *theme_file; /* in files when theme_name names a file */
    char *theme_json;                /* theme: {...} overrides, serialised */
    /* Font files the model's theme names ("fonts" of its theme file or theme object), read
     * with the model, in order; from_theme_file: named by the theme file (not used when the
     * renderer is given another theme). */
    struct jm_map_font {
        const jm_named_file *file; /* in files */
        bool from_theme_file;
    } * fonts;
    size_t n_fonts;
    /* Where the model's theme object sets font_family, font_family_titles and
     * font_family_numbers (a family not found is reported there). */
    jm_src theme_family_src[3];
    /* Where the model's theme object sets each of its keys ("/theme/card_text"), for warnings
     * about their values (contrast). */
    jm_src *theme_key_src;
    size_t n_theme_key_src;
    jm_named_file **files; /* every file the model names, each once */
    /* The JSON input's positions of every value, kept from the loader until the checks that
     * follow loading are done (src/api.c frees it), so that they can point at a field; NULL
     * after, and for other inputs. */
    struct jm_json_pos *pos;
    /* Mermaid and CSV inputs: where text fields start that are not where their object starts
     * (a task's thought in its CSV cell, a section's name after the keyword), kept like pos. */
    struct jm_field_src {
        char *path; /* JSON pointer, e.g. "/touchpoints/3/thought" */
        int line, col;
    } * field_srcs;
    size_t n_field_srcs, cap_field_srcs;
    size_t n_files;
    bool has_states; /* any touchpoint has before or after */
    jm_scale scale;  /* of every emotion value; −2…+2 unless declared */
    /* Data files joined to the map (jm_map_join_data_*), in order, for the legend. */
    struct jm_data_source {
        char *name; /* the file's name without its folder */
        size_t responses;
        char *date; /* NULL: none */
    } * data_sources;
    size_t n_data_sources;
    size_t data_min_n; /* points from fewer responses are drawn greyed */
    bool change_map;   /* made by jm_diff_change_map: states are the two versions */
    /* The model's `lint` key: one setting per rule (jm_lint_rules order), NULL when absent. */
    struct jm_lint_setting *lint;
};

/* A rule's setting in the model's `lint` key (lint_rules.c holds the rules). */
typedef struct jm_lint_setting {
    jm_src src;   /* where it is set; path NULL when not set */
    int level;    /* jm_lint_level, -1 when not set */
    double param; /* the rule's parameter, NAN when not set */
} jm_lint_setting;

/* Where the text field at the JSON pointer `path` starts in the input, while the loader's
 * positions are kept (until jm_map_drop_positions): a JSON model's key, or a Mermaid or CSV
 * field's jm_build_field. False when not known. */
bool jm_map_field_position(const jm_map *m, const char *path, int *line, int *col);
/* Frees the loader's positions (pos and field_srcs) once the checks that follow loading are
 * done. */
void jm_map_drop_positions(jm_map *m);

/* Allocation and release of the model (model.c). */
jm_map *jm_model_new(const char *file);
void jm_model_src_set(jm_src *src, const char *path, int line, int col);
/* Sets src to the JSON pointer "/kind/index" of an object a loader made (the pointer the model
 * written as JSON gives it). False when out of memory. */
bool jm_model_src_at(jm_src *src, const char *kind, size_t index, int line, int col);
/* For inputs without a title of their own (CSV, Mermaid): the file name without folder and
 * extension, "Journey" for standard input ("-"). Caller frees; NULL when out of memory. */
char *jm_model_default_title(const char *file);
/* The language of a text, for inputs that cannot name it: "ru" when Cyrillic letters
 * outnumber Latin ones, else "en". Static string. */
const char *jm_guess_lang(const char *text, size_t len);

/* What the code knows of a canonical lane: one row per jm_lane_type (model.c). A new lane is a
 * JM_LANE_ value, its row here, and its row in layout/lanes.c's table (ARCHITECTURE.md). */
typedef struct jm_lane_info {
    const char *id;                /* in the JSON model: "goals" */
    const char *name_en, *name_ru; /* default label, by the map's language */
    const char *icon;              /* beside the label (icons.c), or NULL */
    bool takes_items;              /* the model's items may be put in it */
    /* The question a blank canvas (jm_layout_options.blank) prints under the label for the
     * sticky notes of a workshop, by the map's language; NULL: none (stages, custom lanes). */
    const char *prompt_en, *prompt_ru;
} jm_lane_info;
/* The lane's row (static); JM_LANE_CUSTOM's for JM_LANE_CUSTOM and any value out of range. */
const jm_lane_info *jm_lane_info_of(jm_lane_type t);
const char *jm_lane_type_id(jm_lane_type t);
int jm_lane_type_from_id(const char *id); /* -1 when not canonical */

/* What a touchpoint shows in one state (BEFORE or AFTER; COMPARE and AUTO show the base):
 * the state's fields, falling back to the touchpoint's own. Pointers are borrowed. */
typedef struct jm_tp_view {
    const char *description;
    const jm_strlist *action, *thought, *pain, *opportunity;
    const double *emotion; /* per persona (or one slot); JM_EMOTION_NONE where absent */
    bool has_emotion;
    const jm_metrics *metrics;
} jm_tp_view;
void jm_tp_view_get(const jm_map *map, const jm_touchpoint *tp, jm_state state, jm_tp_view *out);
/* Number of emotion slots: n_personas, or 1 when the map has none. */
size_t jm_emotion_slots(const jm_map *map);
/* An emotion value in the map's scale → the −2…+2 axis the layout draws (min → −2, the
 * midpoint → 0, max → +2), clamped to it. The identity for the default scale. */
double jm_emotion_axis(const jm_map *map, double v);
/* True when v lies on the map's scale (min ≤ v ≤ max). */
bool jm_emotion_in_scale(const jm_map *map, double v);
/* The label the scale gives the value v exactly, or NULL (borrowed). */
const char *jm_scale_label_of(const jm_map *map, double v);
/* "from -2 to 2", "from 1 to 5", for messages: writes at most n bytes. */
void jm_scale_range_text(const jm_map *map, char *out, size_t n);
/* Frees the scale's labels and resets it to the default −2…+2. */
void jm_scale_reset(jm_scale *scale);

#endif
