/* Small shared helpers: the allocator hook, growable buffers, UTF-8, reading files. The
 * diagnostics list is diag.h. */
#ifndef JM_UTIL_H
#define JM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journeymap.h"

void *jm_malloc(size_t n);
void *jm_calloc(size_t count, size_t size); /* checks count*size overflow */
void *jm_realloc(void *p, size_t n);
char *jm_strdup(const char *s);
char *jm_strndup(const char *s, size_t n);
char *jm_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *items (of item_size bytes, *cap slots) to hold at least need items. false on OOM. */
bool jm_grow(void **items, size_t *cap, size_t need, size_t item_size);
#define JM_PUSH(arr, count, cap, value)                                                            \
    (jm_grow((void **)&(arr), &(cap), (count) + 1, sizeof *(arr))                                  \
         ? ((arr)[(count)++] = (value), true)                                                      \
         : false)

typedef struct jm_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len, cap;
    bool failed; /* an allocation failed; further appends are ignored */
} jm_buf;

void jm_buf_append(jm_buf *b, const char *s, size_t n);
void jm_buf_puts(jm_buf *b, const char *s);
void jm_buf_printf(jm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as XML/HTML text or attribute value: & < > " ' escaped, control characters XML 1.0
 * cannot hold dropped (tab, newline and carriage return kept). */
void jm_buf_xml(jm_buf *b, const char *s);
/* Appends s as a JSON string literal (quotes included). */
void jm_buf_json_string(jm_buf *b, const char *s);
/* Appends a number the way every output of ours writes numbers: %.10g style, no "-0", NaN → 0. */
void jm_buf_number(jm_buf *b, double v);
/* Appends v in decimal (no printf: the SVG writers' ids are on a hot path). */
void jm_buf_uint(jm_buf *b, size_t v);
/* Returns the data (caller frees with jm_free) or NULL if any append failed. */
char *jm_buf_take(jm_buf *b);
void jm_buf_free(jm_buf *b);

/* UTF-8: true when s[0..n) is valid UTF-8 (no overlongs, no surrogates). On false, *bad is
 * set to the offset of the first invalid byte. */
bool jm_utf8_valid(const char *s, size_t n, size_t *bad);
/* Text our outputs can carry: false at the first character of valid UTF-8 s[0..n) that XML 1.0
 * forbids (a control character other than tab, line feed and carriage return) or that is a
 * Unicode non-character (U+FDD0…U+FDEF, U+nFFFE, U+nFFFF), with its offset in *bad and its
 * code point in *cp. What such a character would do to an SVG is make it unreadable. */
bool jm_text_allowed(const char *s, size_t n, size_t *bad, uint32_t *cp);
/* Describes a character jm_text_allowed refused: "a control character" or "a Unicode
 * non-character". Static string. */
const char *jm_text_refused_kind(uint32_t cp);
/* Levenshtein distance, capped; used for "did you mean" hints. */
size_t jm_edit_distance(const char *a, const char *b);
/* The closest of candidates[0..n) to word if close enough, else NULL. */
const char *jm_did_you_mean(const char *word, const char *const *candidates, size_t n);

/* Reads a whole file ("-" is standard input) up to max bytes. Returns 0, or -1 with errno-style
 * message in *err (caller frees). */
int jm_read_file(const char *path, size_t max, char **data, size_t *len, char **err);

#endif
