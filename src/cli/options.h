/* The command line's options: the usage text, parsing, and the checks that need them all. */
#ifndef JM_CLI_OPTIONS_H
#define JM_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "journeymap.h"

/* The program's exit statuses. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* Returned by the option functions when the program goes on (any other value is the exit
 * status to stop with). */
enum { OPTIONS_GO_ON = -1 };

/* lint's report formats (-f), in the order of lint_formats in options.c */
enum { LINT_TEXT = 0, LINT_JSON, LINT_SARIF };

typedef struct opts {
    const char *command; /* argv[1] */
    const char *out, *dir, *title;
    int format;         /* -1: from -o, else png */
    int lint_format;    /* lint: LINT_TEXT, LINT_JSON or LINT_SARIF */
    bool json;          /* diff --json */
    bool list_rules;    /* lint --list-rules */
    const char **rules; /* lint --rule ID=LEVEL..., in the order given (n_rules) */
    size_t n_rules;
    jm_render_options render;
    jm_input_kind from;
    long jobs;
    bool quiet;
    const char *font_dirs[16]; /* --font-dir, in order */
    size_t n_font_dirs;
    const char **data; /* --data FILE..., joined to every input in this order */
    size_t n_data;
    jm_data_options data_opts;
    /* template: --stages (a number or names), --lanes (ids or names), --lang; NULL: not given */
    const char *stages, *lanes, *lang;
} opts;

/* The text of --help. */
extern const char usage_text[];

/* Prints "journeymap: " fmt (with arg) and a pointer to --help on standard error. */
void usage_error(const char *fmt, const char *arg);

/* Parses the options after the command argv[1] into o, and points inputs at the n INPUTs
 * (at least one). Prints what is wrong (or --help) itself. */
int options_parse(int argc, char **argv, opts *o, char ***inputs, size_t *n);
/* Frees what options_parse allocated. */
void options_free(opts *o);

/* The checks of render's options against each other and the n inputs: -o or -d, the format
 * from -o's extension (set in o->format), -d an existing folder. */
int options_check_render(opts *o, size_t n);

/* template's checks: no INPUT, -o given (and the format from it), as render's. */
int options_check_template(opts *o, char **inputs, size_t n);

#endif
