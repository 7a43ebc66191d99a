/* The Mermaid loader's own header, shared by its files only (jm_load_mermaid is in load.h):
 *   load_mermaid.c        the text: lines, front matter, Markdown fences, statements, the entry
 *   load_mermaid_model.c  the model the statements build: stages, personas from actor names,
 *                         and the finish (emotions per actor, titles, description)
 * Functions named jm_mm_* report with the parser's file at a line and column (no JSON path: the
 * user wrote Mermaid) and count the errors. */
#ifndef JM_LOAD_MERMAID_H
#define JM_LOAD_MERMAID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "load.h"
#include "model/model.h"
#include "model/model_build.h"
#include "util/diag.h"
#include "util/util.h"

/* Actors per task are kept as a bit mask until every persona is known. */
_Static_assert(JM_MAX_PERSONAS <= 64, "actor masks are 64-bit");

typedef struct mm_line {
    const char *text; /* start of the line */
    size_t len;       /* without the line break (and a trailing \r) */
    int no;           /* 1-based line number in the input file */
} mm_line;

typedef struct mm_task {
    double score;
    uint64_t actors; /* bit k: persona k takes part */
} mm_task;

typedef struct mm_parser {
    const char *file;
    jm_diags *diags;
    jm_map *map;
    bool failed; /* out of memory: stop at once */
    jm_builder build;
    mm_task *tasks; /* per touchpoint until the end, when the emotion slots are known */
    size_t cap_tasks;
    size_t errors;      /* errors reported by this load (diags may be shared, or NULL) */
    long stage;         /* current stage index, -1 before the first section or task */
    long default_stage; /* the stage holding tasks written before any section, -1 none */
    bool too_many;      /* a limit was exceeded: stop adding objects */
    bool persona_limit_reported;
    char *title, *fm_title, *acc_title, *acc_descr; /* as written in the diagram */
    struct mm_at {
        int line, col;
    } title_at, fm_title_at, acc_title_at; /* where those titles start */
    jm_buf acc_block;                      /* the lines of an open accDescr { … } block */
    bool in_acc_block;
    int acc_block_line, acc_block_col;
    jm_buf ignored; /* Mermaid configuration skipped, for one warning: "…, …" */
    int ignored_line, ignored_col;
    size_t n_ignored;
} mm_parser;

static inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* ---- load_mermaid.c ----------------------------------------------------------------------- */

/* 1-based column of `at` on the line starting at `line`, counting UTF-8 characters. */
int jm_mm_column(const char *line, const char *at);
void jm_mm_error_at(mm_parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reports running out of memory once and stops the parse (p->failed). */
void jm_mm_out_of_memory(mm_parser *p);
/* A trimmed copy of [s, e) with <br> tags turned into line breaks; NULL with an error when the
 * text is too long or memory runs out. */
char *jm_mm_text_copy(mm_parser *p, const char *s, const char *e, int line, int col);

/* ---- load_mermaid_model.c ----------------------------------------------------------------- */

/* Adds a stage named `name` (taken over, also on failure); its index, -1 when it cannot be
 * added (reported). */
long jm_mm_add_stage(mm_parser *p, char *name, int line, int col);
/* Index of the persona named [s, e) on line ln (added when new), -1 when it cannot be added. */
long jm_mm_persona_index(mm_parser *p, const mm_line *ln, const char *s, const char *e);
/* Emotions and actors once the personas are known; title, description and language. */
void jm_mm_finish(mm_parser *p, const jm_load_options *opts, const char *text, size_t len);

#endif
