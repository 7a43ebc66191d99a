/* Mermaid `journey` diagrams → the journey model.
 *
 * Input is a .mmd file, or a Markdown file (.md, .markdown) whose first ```mermaid fenced block
 * holding a journey diagram is used; line numbers stay those of the Markdown file. The grammar
 * is Mermaid's user-journey syntax (keywords are case-insensitive, as in Mermaid's lexer):
 *
 *   ---                                 optional YAML front matter; its top-level `title:` is
 *   title: Text                         a fallback title, other keys (`config:`) are ignored
 *   ---                                 with a warning
 *   journey
 *   title Text
 *   accTitle: Text
 *   accDescr: Text        or            accDescr { lines … }
 *   section Name                        a stage (ids s1, s2, …; a name that comes back is a
 *                                       new stage, as Mermaid draws it)
 *   Task name: 3.5: Actor, Actor        a touchpoint; emotion = score − 3 for those actors
 *   Task name: 5                        no actors: the emotion applies to everybody
 *   %% comment, # comment line, %%{ directive }%% (ignored with one warning)
 *
 * `%%` starts a comment anywhere (Mermaid would draw it as part of an actor's name). `#` starts
 * a comment at the start of a line and in a task's score and actors, as in Mermaid's lexer, but
 * not in a title, section or task name: Mermaid cuts "Ticket #42" to "Ticket", a bug of its
 * own (mermaid-js/mermaid#7105). `<br>` in names becomes a line break. A score is any number
 * from 1 to 5; where Mermaid silently draws something wrong (a score outside 1–5, or not a
 * number), we report an error.
 *
 * Every diagnostic has an empty JSON path: the user wrote Mermaid, so the line and column in
 * their file locate the problem. Columns count characters, not bytes. Model objects still
 * get the JSON pointer of their equivalent in the JSON model (/stages/0, /touchpoints/3,
 * /personas/1) with the line and column of the Mermaid text they come from. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "load_mermaid.h"

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

int jm_mm_column(const char *line, const char *at)
{
    int col = 1;
    for (const char *s = line; s < at; s++)
        if (((unsigned char)*s & 0xC0) != 0x80 && col < 0x7fffffff)
            col++;
    return col;
}

void jm_mm_error_at(mm_parser *p, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jm_diag_addv(p->diags, JM_SEVERITY_ERROR, p->file, line, col, "", fmt, ap);
    va_end(ap);
    p->errors++;
}

/* Notes a piece of Mermaid configuration that journeymap does not use; jm_mm_finish() warns once.
 */
static void ignore_config(mm_parser *p, int line, int col, const char *what, const char *s,
                          size_t n)
{
    if (++p->n_ignored > 4) { /* the warning stays one line */
        if (p->n_ignored == 5)
            jm_buf_puts(&p->ignored, ", …");
        return;
    }
    if (!p->ignored.len) {
        p->ignored_line = line;
        p->ignored_col = col;
    } else {
        jm_buf_puts(&p->ignored, ", ");
    }
    jm_buf_printf(&p->ignored, what, (int)n, s);
    jm_buf_printf(&p->ignored, " (line %d)", line);
}

void jm_mm_out_of_memory(mm_parser *p)
{
    if (!p->failed)
        jm_mm_error_at(p, 0, 0, "out of memory");
    p->failed = true;
}

static bool next_line(const char *data, size_t end, size_t *pos, int *no, mm_line *out)
{
    if (*pos >= end)
        return false;
    const char *s = data + *pos;
    const char *nl = memchr(s, '\n', end - *pos);
    size_t len = nl ? (size_t)(nl - s) : end - *pos;
    *pos += len + (nl ? 1 : 0);
    if (len && s[len - 1] == '\r')
        len--;
    out->text = s;
    out->len = len;
    out->no = ++*no;
    return true;
}

static const char *skip_space(const char *s, const char *e)
{
    while (s < e && is_space(*s))
        s++;
    return s;
}

static const char *trim_end(const char *s, const char *e)
{
    while (e > s && is_space(e[-1]))
        e--;
    return e;
}

/* True when [s, e) starts with the keyword (ASCII, case-insensitive). */
static bool starts_with_kw(const char *s, const char *e, const char *kw)
{
    size_t n = strlen(kw);
    if ((size_t)(e - s) < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(s[i]) != kw[i])
            return false;
    return true;
}

/* Where a trailing `%%` comment (or, with hash, a `#` comment) starts, or e. */
static const char *comment_start(const char *s, const char *e, bool hash)
{
    for (const char *c = s; c < e; c++)
        if ((hash && *c == '#') || (*c == '%' && c + 1 < e && c[1] == '%'))
            return c;
    return e;
}

static bool is_comment(const char *s, const char *e)
{
    return s < e && (*s == '#' || (*s == '%' && s + 1 < e && s[1] == '%'));
}

/* Length of a `<br>`, `<br/>`, `<br />` or `</br>` tag at s, 0 when there is none. */
static size_t br_tag(const char *s, const char *e)
{
    const char *c = s;
    if (c >= e || *c++ != '<')
        return 0;
    if (c < e && *c == '/')
        c++;
    if (e - c < 2 || ascii_lower(c[0]) != 'b' || ascii_lower(c[1]) != 'r')
        return 0;
    c = skip_space(c + 2, e);
    if (c < e && *c == '/')
        c++;
    return c < e && *c == '>' ? (size_t)(c + 1 - s) : 0;
}

char *jm_mm_text_copy(mm_parser *p, const char *s, const char *e, int line, int col)
{
    s = skip_space(s, e);
    e = trim_end(s, e);
    if ((size_t)(e - s) > JM_MAX_STRING_BYTES) {
        jm_mm_error_at(p, line, col, "text is longer than the limit of %u bytes",
                       (unsigned)JM_MAX_STRING_BYTES);
        return NULL;
    }
    char *out = jm_malloc((size_t)(e - s) + 1);
    if (!out) {
        jm_mm_out_of_memory(p);
        return NULL;
    }
    size_t n = 0;
    for (const char *c = s; c < e;) {
        size_t br = *c == '<' ? br_tag(c, e) : 0;
        if (br) {
            out[n++] = '\n';
            c += br;
        } else {
            out[n++] = *c++;
        }
    }
    out[n] = '\0';
    return out;
}

/* ---- Statements --------------------------------------------------------------------------- */

static void replace(char **slot, char *value)
{
    jm_free(*slot); /* the last one wins, as in Mermaid */
    *slot = value;
}

/* A score is a number from 1 to 5 in decimal ("4", "3.5", "2."; Mermaid's parser takes any
 * JavaScript number and draws nonsense outside 1…5). Returns 0 when invalid. Computed as
 * mantissa / 10^k so that "3.1" is the double nearest 3.1. */
static double parse_score(const char *s, const char *e)
{
    double mantissa = 0, scale = 1;
    int digits = 0;
    bool point = false;
    for (const char *c = s; c < e; c++) {
        if (*c >= '0' && *c <= '9') {
            if (++digits > 15)
                return 0;
            mantissa = mantissa * 10 + (*c - '0');
            if (point)
                scale *= 10;
        } else if (*c == '.' && !point) {
            point = true;
        } else {
            return 0;
        }
    }
    double v = mantissa / scale;
    return digits && v >= 1 && v <= 5 ? v : 0;
}

static void task(mm_parser *p, const mm_line *ln, const char *s, const char *e, const char *colon)
{
    jm_map *m = p->map;
    int line = ln->no, col = jm_mm_column(ln->text, s);
    const char *name_end = trim_end(s, colon);
    if (name_end == s) {
        jm_mm_error_at(p, line, col, "a task needs a name before the `:` (name: score: actors)");
        return;
    }
    e = comment_start(colon + 1, e, true);
    const char *score_s = skip_space(colon + 1, e);
    const char *colon2 = memchr(score_s, ':', (size_t)(e - score_s));
    const char *score_e = trim_end(score_s, colon2 ? colon2 : e);
    double score = parse_score(score_s, score_e);
    if (!score) {
        int len = (int)(score_e - score_s);
        const char *more = "";
        if (len > 40) { /* keep the message short; cut at a character boundary */
            len = 40;
            while (len > 0 && ((unsigned char)score_s[len] & 0xC0) == 0x80)
                len--;
            more = "…";
        }
        jm_mm_error_at(p, line, jm_mm_column(ln->text, score_s),
                       "score must be a number from 1 to 5, got \"%.*s%s\"", len, score_s, more);
        return;
    }

    if (p->stage < 0) { /* tasks before any section: one stage, named at the end */
        p->stage = p->default_stage = jm_mm_add_stage(p, NULL, line, col);
        if (p->stage < 0)
            return;
    }
    if (jm_build_full(&p->build, JM_LIST_TOUCHPOINTS)) {
        jm_mm_error_at(p, line, col, "too many tasks (the limit is %d)", JM_MAX_TOUCHPOINTS);
        p->too_many = true;
        return;
    }

    uint64_t mask = 0;
    for (const char *a = colon2 ? colon2 + 1 : e; a < e && !p->failed;) {
        const char *comma = memchr(a, ',', (size_t)(e - a));
        const char *a_end = comma ? comma : e;
        const char *as = skip_space(a, a_end), *ae = trim_end(as, a_end);
        if (as < ae) { /* Mermaid keeps empty names ("Task: 5:"); they are nobody */
            long k = jm_mm_persona_index(p, ln, as, ae);
            if (k >= 0)
                mask |= (uint64_t)1 << k;
        }
        a = comma ? comma + 1 : e;
    }
    if (p->failed)
        return;

    char *name = jm_mm_text_copy(p, s, name_end, line, col);
    if (!name)
        return;
    if (!jm_grow((void **)&p->tasks, &p->cap_tasks, m->n_touchpoints + 1, sizeof *p->tasks)) {
        jm_free(name);
        jm_mm_out_of_memory(p);
        return;
    }
    size_t index = m->n_touchpoints;
    p->tasks[index].score = score;
    p->tasks[index].actors = mask;
    jm_touchpoint *tp = jm_build_touchpoint(&p->build, (size_t)p->stage, line, col);
    if (!tp) {
        jm_free(name);
        jm_mm_out_of_memory(p);
        return;
    }
    tp->name = name;
}

static void acc_block_line(mm_parser *p, const char *s, const char *e)
{
    s = skip_space(s, e);
    e = trim_end(s, e);
    if (s == e) /* Mermaid folds blank lines and indentation away */
        return;
    if (p->acc_block.len)
        jm_buf_append(&p->acc_block, "\n", 1);
    jm_buf_append(&p->acc_block, s, (size_t)(e - s));
}

static void statement(mm_parser *p, const mm_line *ln, const char *s);

/* A `%%{name: …}%%` directive starting at s: noted as ignored, by its name. */
static void directive(mm_parser *p, int line, int col, const char *s, const char *e)
{
    const char *n = skip_space(s + 3, e), *ne = n;
    while (ne < e && *ne != ':' && *ne != '}' && !is_space(*ne) && ne - n < 40)
        ne++;
    ignore_config(p, line, col, "%%%%{%.*s}%%%% directive", n, (size_t)(ne - n));
}

/* Feeds a line, or the part of it after `{`, to an open accDescr block. */
static void acc_block_feed(mm_parser *p, const mm_line *ln, const char *s)
{
    const char *e = ln->text + ln->len;
    const char *close = memchr(s, '}', (size_t)(e - s));
    acc_block_line(p, s, close ? close : e);
    if (!close)
        return;
    p->in_acc_block = false;
    if (p->acc_block.failed) {
        jm_mm_out_of_memory(p);
        return;
    }
    if ((size_t)p->acc_block.len > JM_MAX_STRING_BYTES) {
        jm_mm_error_at(p, p->acc_block_line, p->acc_block_col,
                       "text is longer than the limit of %u bytes", (unsigned)JM_MAX_STRING_BYTES);
        jm_buf_free(&p->acc_block);
    } else if (p->acc_block.len > 0) {
        char *text = jm_buf_take(&p->acc_block);
        if (!text) {
            jm_mm_out_of_memory(p);
            return;
        }
        replace(&p->acc_descr, text);
    }
    statement(p, ln, close + 1); /* Mermaid goes on after the `}` */
}

/* One statement starting at s (leading space allowed) and running to the end of the line. */
static void statement(mm_parser *p, const mm_line *ln, const char *s)
{
    const char *e = ln->text + ln->len;
    s = skip_space(s, e);
    if (s == e || p->failed)
        return;
    int line = ln->no, col = jm_mm_column(ln->text, s);
    if (e - s >= 3 && memcmp(s, "%%{", 3) == 0) { /* a directive (one line here) */
        directive(p, line, col, s, e);
        return;
    }
    if (is_comment(s, e))
        return;

    if (starts_with_kw(s, e, "title") && (s + 5 == e || is_space(s[5]))) {
        const char *te = comment_start(s + 5, e, false), *t = skip_space(s + 5, te);
        if (t == te) {
            jm_mm_error_at(p, line, col, "expected a text after `title`");
            return;
        }
        p->title_at = (struct mm_at){line, jm_mm_column(ln->text, t)};
        char *text = jm_mm_text_copy(p, t, te, line, p->title_at.col);
        if (text)
            replace(&p->title, text);
        return;
    }
    if (starts_with_kw(s, e, "section") && (s + 7 == e || is_space(s[7]))) {
        const char *te = comment_start(s + 7, e, false), *t = skip_space(s + 7, te);
        if (t == te) {
            jm_mm_error_at(p, line, col, "expected a name after `section`");
            return;
        }
        int name_col = jm_mm_column(ln->text, t);
        char *name = jm_mm_text_copy(p, t, te, line, name_col);
        if (name)
            p->stage = jm_mm_add_stage(p, name, line, col);
        if (p->stage >= 0 && name) { /* the name's own place, for messages about its text */
            char path[48];
            snprintf(path, sizeof path, "/stages/%ld/name", p->stage);
            if (!jm_build_field(&p->build, path, line, name_col))
                jm_mm_out_of_memory(p);
        }
        return;
    }
    bool acc_title = starts_with_kw(s, e, "acctitle"), acc_descr = starts_with_kw(s, e, "accdescr");
    if (acc_title || acc_descr) {
        const char *t = skip_space(s + 8, e);
        if (t < e && *t == ':') {
            const char *v = skip_space(t + 1, e);
            char *text = jm_mm_text_copy(p, v, e, line, jm_mm_column(ln->text, v));
            if (acc_title)
                p->acc_title_at = (struct mm_at){line, jm_mm_column(ln->text, v)};
            if (text)
                replace(acc_title ? &p->acc_title : &p->acc_descr, text);
            return;
        }
        if (acc_descr && t < e && *t == '{') {
            p->in_acc_block = true;
            p->acc_block_line = line;
            p->acc_block_col = col;
            jm_buf_free(&p->acc_block);
            acc_block_feed(p, ln, t + 1);
            return;
        }
    }
    const char *stop = comment_start(s, e, false);
    const char *colon = memchr(s, ':', (size_t)(stop - s));
    if (!colon) {
        /* A misspelt keyword ("sectoin Payment") gets a hint. */
        static const char *const keywords[] = {"section", "title", "acctitle", "accdescr"};
        static const char *const spelt[] = {"section", "title", "accTitle", "accDescr"};
        char word[16];
        size_t n = 0;
        for (; s + n < e && n + 1 < sizeof word && !is_space(s[n]); n++)
            word[n] = ascii_lower(s[n]);
        word[n] = '\0';
        const char *near = n >= 4 ? jm_did_you_mean(word, keywords, 4) : NULL;
        const char *hint = NULL;
        for (size_t k = 0; near && k < 4; k++)
            if (near == keywords[k])
                hint = spelt[k];
        jm_mm_error_at(
            p, line, col,
            "unexpected text; expected section, task (name: score: actors), title, accTitle, "
            "accDescr or a %%%% comment%s%s%s",
            hint ? "; did you mean `" : "", hint ? hint : "", hint ? "`?" : "");
        return;
    }
    task(p, ln, s, e, colon);
}

/* ---- Front matter, preamble, Markdown ------------------------------------------------------ */

static bool is_fence_line(const mm_line *ln, const char *mark)
{
    const char *e = trim_end(ln->text, ln->text + ln->len);
    return (size_t)(e - ln->text) == strlen(mark) && memcmp(ln->text, mark, strlen(mark)) == 0;
}

/* The value of a top-level `title:` in YAML front matter, unquoted; NULL when the line is
 * something else. Only what Mermaid's front matter holds in practice is understood. */
static char *front_matter_title(mm_parser *p, const mm_line *ln, int *col)
{
    const char *s = ln->text, *e = ln->text + ln->len;
    if (e - s < 5 || memcmp(s, "title", 5) != 0) /* YAML keys are case-sensitive */
        return NULL;
    const char *v = skip_space(s + 5, e);
    if (v == e || *v != ':')
        return NULL;
    v = skip_space(v + 1, e);
    e = trim_end(v, e);
    *col = jm_mm_column(ln->text, v);
    if (e - v >= 2 && (*v == '"' || *v == '\'') && e[-1] == *v) {
        char q = *v++;
        e--;
        (*col)++;
        /* YAML: '' in single quotes, \" and \\ in double quotes. */
        char *out = jm_malloc((size_t)(e - v) + 1);
        if (!out) {
            jm_mm_out_of_memory(p);
            return NULL;
        }
        size_t n = 0;
        for (const char *c = v; c < e; c++) {
            if ((q == '\'' && *c == '\'' && c + 1 < e && c[1] == '\'') ||
                (q == '"' && *c == '\\' && c + 1 < e))
                c++;
            out[n++] = *c;
        }
        out[n] = '\0';
        return out;
    }
    for (const char *c = v; c < e; c++) /* an unquoted value ends at " #" */
        if (*c == '#' && c > v && is_space(c[-1])) {
            e = trim_end(v, c);
            break;
        }
    return v < e ? jm_mm_text_copy(p, v, e, ln->no, jm_mm_column(ln->text, v)) : NULL;
}

/* Notes a top-level front matter key other than `title` (`config:`, `displayMode:`) as
 * ignored. */
static void front_matter_key(mm_parser *p, const mm_line *ln)
{
    const char *s = ln->text, *e = ln->text + ln->len, *k = s;
    if (s == e || is_space(*s) || *s == '#' || *s == '-')
        return;
    while (k < e && *k != ':' && !is_space(*k) && k - s < 40)
        k++;
    if (k < e && *k == ':' && !(k - s == 5 && memcmp(s, "title", 5) == 0))
        ignore_config(p, ln->no, 1, "front matter `%.*s`", s, (size_t)(k - s));
}

/* Skips front matter, blank lines and comments before the `journey` keyword. Returns false
 * with an error when front matter is not closed; *found is false when only that is left. */
static bool preamble(mm_parser *p, const char *data, size_t end, size_t *pos, int *no,
                     mm_line *first, bool *found, bool keep_title)
{
    mm_line ln;
    *found = false;
    size_t save_pos = *pos;
    int save_no = *no;
    if (next_line(data, end, pos, no, &ln) && is_fence_line(&ln, "---")) {
        int open_line = ln.no;
        bool closed = false;
        while (!closed && next_line(data, end, pos, no, &ln)) {
            closed = is_fence_line(&ln, "---");
            if (!closed && keep_title) {
                int col = 0;
                char *t = front_matter_title(p, &ln, &col);
                if (t) {
                    replace(&p->fm_title, t);
                    p->fm_title_at = (struct mm_at){ln.no, col};
                } else
                    front_matter_key(p, &ln);
            }
        }
        if (!closed) {
            if (keep_title)
                jm_mm_error_at(p, open_line, 1,
                               "the front matter is not closed (expected a `---` line)");
            return false;
        }
    } else {
        *pos = save_pos;
        *no = save_no;
    }
    bool in_directive = false;
    while (next_line(data, end, pos, no, &ln)) {
        const char *s = skip_space(ln.text, ln.text + ln.len), *e = ln.text + ln.len;
        if (in_directive || (e - s >= 3 && memcmp(s, "%%{", 3) == 0)) {
            /* %%{init: …}%% directives may span lines */
            if (!in_directive && keep_title)
                directive(p, ln.no, jm_mm_column(ln.text, s), s, e);
            bool closes = false;
            for (const char *c = s; c + 2 < e && !closes; c++)
                closes = c[0] == '}' && c[1] == '%' && c[2] == '%';
            in_directive = !closes;
            continue;
        }
        if (s == e || is_comment(s, e))
            continue;
        *first = ln;
        *found = true;
        return true;
    }
    return true;
}

static bool is_journey_kw(const char *s, const char *e)
{
    return starts_with_kw(s, e, "journey") &&
           (s + 7 == e || is_space(s[7]) || s[7] == '%' || s[7] == '#');
}

typedef struct md_fence {
    char mark; /* '`' or '~' */
    size_t n;  /* its length */
} md_fence;

/* A CommonMark code fence (up to 3 spaces of indent, 3+ backticks or tildes); *info set to
 * the info string. */
static bool md_fence_line(const mm_line *ln, md_fence *f, const char **info)
{
    const char *s = ln->text, *e = ln->text + ln->len;
    int indent = 0;
    while (s < e && *s == ' ' && indent < 4) {
        s++;
        indent++;
    }
    if (indent > 3 || s == e || (*s != '`' && *s != '~'))
        return false;
    const char *c = s;
    while (c < e && *c == *s)
        c++;
    if (c - s < 3)
        return false;
    f->mark = *s;
    f->n = (size_t)(c - s);
    *info = c;
    return true;
}

/* Finds the first ```mermaid block whose diagram is a journey: *start and *end delimit its lines
 * and *line_before is the line number before its first line. */
static bool md_find_journey(mm_parser *p, const char *data, size_t len, size_t *start, size_t *end,
                            int *line_before)
{
    size_t pos = 0;
    int no = 0;
    mm_line ln;
    while (next_line(data, len, &pos, &no, &ln)) {
        md_fence open, close;
        const char *info;
        if (!md_fence_line(&ln, &open, &info))
            continue;
        const char *e = ln.text + ln.len;
        info = skip_space(info, e);
        bool mermaid = starts_with_kw(info, e, "mermaid") &&
                       (info + 7 == e || is_space(info[7]) || info[7] == '{');
        size_t content = pos, content_end = len;
        int content_line = no;
        while (next_line(data, len, &pos, &no, &ln)) {
            const char *rest;
            if (md_fence_line(&ln, &close, &rest) && close.mark == open.mark && close.n >= open.n &&
                skip_space(rest, ln.text + ln.len) == ln.text + ln.len) {
                content_end = (size_t)(ln.text - data);
                break;
            }
        }
        if (!mermaid)
            continue;
        size_t bpos = content;
        int bno = content_line;
        bool found;
        if (preamble(p, data, content_end, &bpos, &bno, &ln, &found, false) && found &&
            is_journey_kw(ln.text, ln.text + ln.len)) {
            *start = content;
            *end = content_end;
            *line_before = content_line;
            return true;
        }
    }
    return false;
}

static bool has_extension(const char *name, const char *ext)
{
    size_t n = strlen(name), k = strlen(ext);
    if (n <= k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (ascii_lower(name[n - k + i]) != ext[i])
            return false;
    return true;
}

static void parser_free(mm_parser *p)
{
    jm_free(p->tasks);
    jm_free(p->title);
    jm_free(p->fm_title);
    jm_free(p->acc_title);
    jm_free(p->acc_descr);
    jm_buf_free(&p->acc_block);
    jm_buf_free(&p->ignored);
}

/* ---- Entry point -------------------------------------------------------------------------- */

static bool check_text(mm_parser *p, const char *data, size_t start, size_t end, int line_before)
{
    size_t bad = 0, refused;
    uint32_t cp = 0;
    bool valid = jm_utf8_valid(data + start, end - start, &bad);
    /* Before the first bad byte: a NUL (the file is not text) or a character no output of ours
     * can carry. */
    if (!jm_text_allowed(data + start, valid ? end - start : bad, &refused, &cp))
        bad = refused;
    else if (valid)
        return true;
    else
        cp = 0;
    bad += start;
    int line = line_before + 1;
    size_t line_start = start;
    for (size_t i = start; i < bad; i++)
        if (data[i] == '\n') {
            line++;
            line_start = i + 1;
        }
    int col = jm_mm_column(data + line_start, data + bad);
    if (data[bad] == '\0')
        jm_mm_error_at(p, line, col, "not UTF-8 text (a NUL byte); save the file as UTF-8");
    else if (cp)
        jm_mm_error_at(p, line, col, "U+%04X is not allowed in text (%s)", (unsigned)cp,
                       jm_text_refused_kind(cp));
    else
        jm_mm_error_at(p, line, col, "not valid UTF-8 (byte 0x%02X); save the file as UTF-8",
                       (unsigned char)data[bad]);
    return false;
}

jm_map *jm_load_mermaid(const char *name, const char *data, size_t len, const jm_load_options *opts,
                        jm_diags *diags)
{
    mm_parser p = {
        .file = name ? name : "<input>", .diags = diags, .stage = -1, .default_stage = -1};
    if (len > JM_MAX_INPUT_BYTES) {
        jm_mm_error_at(&p, 0, 0, "input is larger than the limit of %u bytes",
                       (unsigned)JM_MAX_INPUT_BYTES);
        return NULL;
    }
    size_t start = 0, end = len;
    int line_before = 0;
    if (has_extension(p.file, ".md") || has_extension(p.file, ".markdown")) {
        if (!md_find_journey(&p, data, len, &start, &end, &line_before)) {
            jm_mm_error_at(&p, 0, 0,
                           "no ```mermaid block with a `journey` diagram in this Markdown file");
            return NULL;
        }
    } else if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        start = 3; /* the BOM is not a character of line 1 */
    }
    if (!check_text(&p, data, start, end, line_before))
        return NULL;

    p.map = jm_model_new(p.file);
    if (!p.map) {
        jm_mm_out_of_memory(&p);
        return NULL;
    }
    p.build = jm_builder_for(p.map);
    size_t pos = start;
    int no = line_before;
    mm_line ln;
    bool found;
    if (!preamble(&p, data, end, &pos, &no, &ln, &found, true))
        goto fail;
    if (!found) {
        jm_mm_error_at(&p, 0, 0, "the input is empty; expected a Mermaid `journey` diagram");
        goto fail;
    }
    const char *kw = skip_space(ln.text, ln.text + ln.len);
    int kw_line = ln.no, kw_col = jm_mm_column(ln.text, kw);
    if (!is_journey_kw(kw, ln.text + ln.len)) {
        jm_mm_error_at(&p, kw_line, kw_col, "expected a Mermaid `journey` diagram");
        goto fail;
    }
    statement(&p, &ln, kw + 7);
    while (!p.failed && !p.too_many && next_line(data, end, &pos, &no, &ln)) {
        if (p.in_acc_block)
            acc_block_feed(&p, &ln, ln.text);
        else
            statement(&p, &ln, ln.text);
    }
    if (p.in_acc_block)
        jm_mm_error_at(&p, p.acc_block_line, p.acc_block_col,
                       "the accDescr { block is not closed (expected `}`)");
    if (p.map->n_stages == 0 && p.errors == 0)
        jm_mm_error_at(&p, kw_line, kw_col, "the journey has no sections");
    if (p.errors == 0)
        jm_mm_finish(&p, opts, data + start, end - start);
    if (p.errors > 0)
        goto fail;
    parser_free(&p);
    return p.map;

fail:
    parser_free(&p);
    jm_map_free(p.map);
    return NULL;
}
