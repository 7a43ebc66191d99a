/* Messages on standard error: whole lines in one write each, and diagnostics with the line of
 * the file they are about. */
#define _GNU_SOURCE /* asprintf, vasprintf */
#include "messages.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether a batch's progress bar may be on the terminal's last line (set before the workers
 * are forked, so that they know too): a message then clears that line first, in the same
 * write, instead of being glued to the bar, which is drawn again after the next result. */
static bool progress_shown;

void messages_clear_progress_line(bool on) { progress_shown = on; }

/* Writes whole lines to standard error in one write(2), so that lines from parallel workers
 * never interleave. */
static void emit(const char *msg, size_t len)
{
    static const char clear_line[] = "\r\033[K";
    char *buf = NULL;
    if (progress_shown && (buf = malloc(len + sizeof clear_line))) {
        memcpy(buf, clear_line, sizeof clear_line - 1);
        memcpy(buf + sizeof clear_line - 1, msg, len);
        msg = buf;
        len += sizeof clear_line - 1;
    }
    for (size_t off = 0; off < len;) {
        ssize_t n = write(STDERR_FILENO, msg + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* nothing more we can do */
        off += (size_t)n;
    }
    free(buf);
}

void report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        emit(s, (size_t)n);
        free(s);
    }
}

/* On a terminal, a message about a line of a file is followed by that line and a caret under
 * the column (columns count characters), like a compiler's. A long line (a minified JSON file
 * is one line) is shown as a window of EXCERPT_WIDTH characters around the column, its cut
 * ends marked with "…". */
static bool show_context;

void messages_show_context(bool on) { show_context = on; }

enum { EXCERPT_WIDTH = 80, EXCERPT_BEFORE = 40 };

/* The character at s (UTF-8; a stray byte counts as one character); returns its length. */
static size_t utf8_char(const unsigned char *s, uint32_t *cp)
{
    int n = s[0] < 0x80             ? 1
            : (s[0] & 0xE0) == 0xC0 ? 2
            : (s[0] & 0xF0) == 0xE0 ? 3
            : (s[0] & 0xF8) == 0xF0 ? 4
                                    : 1;
    uint32_t c = n == 1 ? s[0] : s[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = c << 6 | (s[i] & 0x3F);
    }
    *cp = c;
    return (size_t)n;
}

/* Terminal columns of a character: 0 for combining marks, 2 for East Asian wide characters and
 * emoji, else 1. */
static int char_columns(uint32_t c)
{
    if ((c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
        (c >= 0x200B && c <= 0x200F) || (c >= 0x20D0 && c <= 0x20FF) ||
        (c >= 0xFE00 && c <= 0xFE0F))
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

/* Line `number` of the file (without its end), NULL if there is none. Caller frees. */
static char *read_line(const char *path, int number)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got = -1;
    for (int n = 0; n < number && (got = getline(&line, &cap, f)) >= 0; n++) {
    }
    fclose(f);
    if (got < 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

/* The excerpt of line around column (characters from 1) and the caret under it, indented. */
static char *excerpt(const char *line, int column)
{
    const unsigned char *s = (const unsigned char *)line;
    size_t total = 0; /* characters in the line */
    uint32_t cp;
    for (size_t b = 0; s[b]; b += utf8_char(s + b, &cp))
        total++;
    size_t at = column > 1 ? (size_t)column - 1 : 0; /* the caret's character */
    if (at > total)
        at = total; /* just past the end */
    size_t first = 0, end = total;
    if (total > EXCERPT_WIDTH) {
        first = at > EXCERPT_BEFORE ? at - EXCERPT_BEFORE : 0;
        if (first + EXCERPT_WIDTH > total)
            first = total - EXCERPT_WIDTH;
        end = first + EXCERPT_WIDTH;
    }
    /* Text and caret lines: at most 4 bytes a character, and 2 caret bytes a character. */
    char *out = malloc(32 + 4 * (size_t)EXCERPT_WIDTH + 2 * (size_t)EXCERPT_WIDTH + 16);
    if (!out)
        return NULL;
    char *t = out;
    t += sprintf(t, "    %s", first > 0 ? "…" : "");
    size_t i = 0, b = 0;
    for (; s[b] && i < first; i++)
        b += utf8_char(s + b, &cp);
    for (; s[b] && i < end; i++) {
        size_t n = utf8_char(s + b, &cp);
        if (cp < 0x20 && cp != '\t')
            *t++ = '?'; /* a control character would act on the terminal */
        else
            t += n == 1 && cp == 0xFFFD ? sprintf(t, "?") : sprintf(t, "%.*s", (int)n, s + b);
        b += n;
    }
    t += sprintf(t, "%s\n    %s", end < total ? "…" : "", first > 0 ? " " : "");
    b = 0;
    for (i = 0; s[b] && i < first; i++)
        b += utf8_char(s + b, &cp);
    for (; s[b] && i < at; i++) {
        b += utf8_char(s + b, &cp);
        if (cp == '\t')
            *t++ = '\t';
        else
            for (int w = char_columns(cp); w > 0; w--)
                *t++ = ' ';
    }
    strcpy(t, "^\n");
    return out;
}

static void append_context(char **buf, size_t *len, const jm_diag *g)
{
    if (!show_context || g->line <= 0 || !g->file || !*g->file || strcmp(g->file, "-") == 0)
        return;
    char *line = read_line(g->file, g->line);
    char *ex = line ? excerpt(line, g->column) : NULL;
    char *more;
    if (ex && asprintf(&more, "%.*s%s", (int)*len, *buf, ex) >= 0) {
        free(*buf);
        *buf = more;
        *len = strlen(more);
    }
    free(ex);
    free(line);
}

void print_diags(jm_diags *d)
{
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        const jm_diag *g = jm_diags_get(d, i);
        char *s = jm_diag_format(g);
        if (!s)
            continue;
        char *line;
        if (asprintf(&line, "%s\n", s) >= 0) {
            size_t len = strlen(line);
            append_context(&line, &len, g);
            emit(line, len);
            free(line);
        }
        jm_free(s);
    }
    jm_diags_clear(d);
}
