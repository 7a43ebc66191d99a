/* Theme: every colour, size and spacing the layout and the backend use. Built-in defaults
 * (theme.c) are overridden by a theme file in data/themes/ and then by the model's `theme`
 * object; keys in JSON are the field names below (colours as "#rrggbb" or "#rrggbbaa"). */
#ifndef JM_THEME_H
#define JM_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "journeymap.h"

typedef struct jm_rgba {
    double r, g, b, a;
} jm_rgba;

typedef struct jm_font_role {
    double size; /* points */
    int weight;  /* 400 regular, 600 semibold */
    bool italic;
} jm_font_role;

#define JM_THEME_PALETTE 8

/* Where a theme key was written, for messages found later (a font family not found). */
typedef struct jm_theme_src {
    char *file;    /* NULL: not set by a file or model */
    int line, col; /* 0 when unknown */
    char *path;    /* JSON pointer of the value */
} jm_theme_src;

/* At least as many as the keys a theme has (theme.c checks it). */
#define JM_THEME_KEYS 80

/* The families a theme chooses: text (font_family), titles, numbers. */
enum { JM_FAMILY_TEXT, JM_FAMILY_TITLES, JM_FAMILY_NUMBERS, JM_FAMILY__COUNT };

typedef struct jm_theme {
    char *name;
    char *font_family; /* fontconfig family list, e.g. "Inter, Noto Sans, Noto Sans Symbols2" */
    /* The map's title and subtitle, stage headers, lane labels and card titles; numbers
     * (metric values and changes, the emotion scale). NULL: font_family. */
    char *font_family_titles, *font_family_numbers;
    jm_theme_src family_src[JM_FAMILY__COUNT];
    /* "fonts": font files and folders as written, relative to fonts_dir (the theme file's
     * folder; NULL for a model's theme object: the model's folder). The loader reads those a
     * model names (map->fonts); the renderer those of a --theme file. */
    char **fonts;
    size_t n_fonts;
    char *fonts_dir;
    jm_theme_src fonts_src; /* where "fonts" was written */
    /* Where each key was last set by a file or the model, by its place in theme.c's table
     * (jm_theme_key_src), for warnings about its value found later (contrast). */
    jm_theme_src key_src[JM_THEME_KEYS];
    /* typography, largest first */
    jm_font_role font_title, font_subtitle, font_stage, font_lane, font_card_title, font_body,
        font_small;
    double line_spacing; /* Pango line spacing factor (1.0 = font's) */
    int max_lines;       /* a text block longer than this ends in an ellipsis */

    /* colours */
    jm_rgba background, text, text_muted, grid, lane_label_fill, lane_label_text, lane_alt_fill,
        card_fill, card_stroke, card_title, card_text, thought_fill, thought_stroke, pain,
        pain_fill, opportunity, opportunity_fill, metric_fill, emotion_neg, emotion_zero,
        emotion_pos, curve, curve_before, guide, line_of_interaction, moment_of_truth, link;
    jm_rgba stage_palette[JM_THEME_PALETTE]; /* stage header fills; text uses stage_text */
    jm_rgba stage_text;
    jm_rgba persona_palette[JM_THEME_PALETTE];
    /* The theme must read in grayscale: personas' curves differ by line style as well as
     * shade, and colours a model gives its personas are ignored. */
    bool monochrome;

    /* spacing (points) */
    double margin;     /* around the whole map */
    double gap;        /* between cards, and between cells' content and grid lines */
    double padding;    /* inside cards */
    double card_width; /* width of a touchpoint card */
    double card_min_height;
    double radius;           /* card corner radius */
    double lane_label_width; /* fixed left column */
    double stage_header_height;
    double emotion_height; /* height of the −2…+2 band of the emotion lane */
    double point_radius;   /* emotion point marker */
    double stroke_width;   /* card borders, grid lines */
    double curve_width;
    double icon_size;
    double header_gap; /* between title block and the grid */
} jm_theme;

/* The built-in default theme (never NULL). Caller frees with jm_theme_free. */
jm_theme *jm_theme_new_default(void);
/* Applies a JSON object of overrides found at JSON pointer `at` ("" for a whole theme file,
 * "/theme" inside a model) in the JSON text `json`. `file` names it in messages. Returns 0, or
 * -1 with errors in diags (each with line, column and JSON path, like a model). Unknown keys
 * are warnings with a "did you mean" hint. */
int jm_theme_apply_json(jm_theme *theme, const char *file, const char *json, size_t len,
                        const char *at, jm_diags *diags);
/* Whether a theme name names a file rather than a built-in theme: it holds a '/' or ends in
 * ".json", in any case. The one rule for the loader, the renderer and --theme. */
bool jm_theme_name_is_file(const char *name);
/* Whether name ends in ".json", in any case. */
bool jm_theme_name_is_json(const char *name);
/* Resolves name ("default", "workshop", "print", or a file: jm_theme_name_is_file) against
 * data_dir/themes and loads it over the defaults. NULL with errors in diags. */
jm_theme *jm_theme_load(const char *data_dir, const char *name_or_path, jm_diags *diags);
jm_theme *jm_theme_copy(const jm_theme *t);
/* Where key (e.g. "card_text", "stage_palette") was last set, borrowed from t; NULL when no
 * file or model set it (a built-in value). */
const jm_theme_src *jm_theme_key_src(const jm_theme *t, const char *key);
/* Records that key was set at file:line:col, JSON pointer path (a model's theme object, whose
 * positions are those of the model's text); false when out of memory or no such key. */
bool jm_theme_set_key_src(jm_theme *t, const char *key, const char *file, int line, int col,
                          const char *path);
/* The family list of one of JM_FAMILY_* (font_family when the theme sets none). Borrowed. */
const char *jm_theme_family(const jm_theme *t, int which);
void jm_theme_free(jm_theme *theme);

/* WCAG 2 contrast ratio of two opaque colours (1…21). */
double jm_contrast_ratio(jm_rgba a, jm_rgba b);
/* Alpha-composites fg over an opaque bg. */
jm_rgba jm_rgba_over(jm_rgba fg, jm_rgba bg);
bool jm_rgba_parse(const char *s, jm_rgba *out);

#endif
