/* The CSV record reader (see csv_reader.h). Leniencies, as in spreadsheet programs: blanks
 * before an opening quote are dropped, and a quote inside an unquoted cell is kept as text.
 * Text after a closing quote is an error (r->err), since it means the cell's quotes were not
 * doubled and the columns are likely shifted. */
#include <stdio.h>
#include <string.h>

#include "csv_reader.h"

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* 1-based character column after advancing from column col over [s, e). */
int jm_csv_column_after(int col, const char *s, const char *e)
{
    for (; s < e; s++)
        if (((unsigned char)*s & 0xC0) != 0x80 && col < 0x7fffffff)
            col++;
    return col;
}

/* Moves over n bytes, keeping line and column (CRLF, LF and a lone CR end a line). */
void jm_csv_advance(csv_reader *r, size_t n)
{
    for (size_t end = r->pos + n; r->pos < end; r->pos++) {
        char c = r->data[r->pos];
        if (c == '\n' || (c == '\r' && (r->pos + 1 >= r->len || r->data[r->pos + 1] != '\n'))) {
            r->line++;
            r->col = 1;
        } else if (((unsigned char)c & 0xC0) != 0x80 && c != '\r') {
            r->col++;
        }
    }
}

static bool is_cell_end(const csv_reader *r, size_t i)
{
    return i >= r->len || r->data[i] == r->delim || r->data[i] == '\n' || r->data[i] == '\r';
}

/* Appends data[from, to) to the text, line ends as "\n". */
static void append_text(csv_reader *r, size_t from, size_t to)
{
    size_t run = from;
    for (size_t i = from; i < to; i++) {
        if (r->data[i] != '\r')
            continue;
        jm_buf_append(&r->text, r->data + run, i - run);
        if (i + 1 >= to || r->data[i + 1] != '\n')
            jm_buf_append(&r->text, "\n", 1);
        run = i + 1;
    }
    jm_buf_append(&r->text, r->data + run, to - run);
}

/* Reads one record, keeping at most max_cells cells. Returns 1, 0 at the end of the input, or
 * -1 with r->err set (bad quoting) or r->text.failed (out of memory). */
int jm_csv_read_record(csv_reader *r, size_t max_cells)
{
    r->n_cells = 0;
    r->extra_cells = 0;
    r->text.len = 0;
    if (r->pos >= r->len)
        return 0;
    r->rec_start = r->pos;
    r->rec_line = r->line;
    r->rec_col = r->col;
    for (;;) {
        int line = r->line, col = r->col;
        size_t off = r->text.len;
        size_t q = r->pos;
        while (q < r->len && (r->data[q] == ' ' || r->data[q] == '\t') && r->data[q] != r->delim)
            q++;
        if (q < r->len && r->data[q] == '"') {
            jm_csv_advance(r, q - r->pos);
            int quote_line = r->line, quote_col = r->col;
            jm_csv_advance(r, 1);
            for (;;) {
                const char *quote = memchr(r->data + r->pos, '"', r->len - r->pos);
                if (!quote) {
                    r->err = CSV_QUOTE_NOT_CLOSED;
                    r->err_line = quote_line;
                    r->err_col = quote_col;
                    return -1;
                }
                size_t at = (size_t)(quote - r->data);
                append_text(r, r->pos, at);
                jm_csv_advance(r, at - r->pos + 1);
                if (r->pos < r->len && r->data[r->pos] == '"') { /* "" is one quote */
                    jm_buf_append(&r->text, "\"", 1);
                    jm_csv_advance(r, 1);
                    continue;
                }
                break;
            }
            while (r->pos < r->len && (r->data[r->pos] == ' ' || r->data[r->pos] == '\t') &&
                   r->data[r->pos] != r->delim)
                jm_csv_advance(r, 1);
            if (!is_cell_end(r, r->pos)) {
                r->err = CSV_TEXT_AFTER_QUOTE;
                r->err_line = r->line;
                r->err_col = r->col;
                r->quote_line = quote_line;
                r->quote_col = quote_col;
                return -1;
            }
        } else {
            size_t end = r->pos;
            while (!is_cell_end(r, end))
                end++;
            append_text(r, r->pos, end);
            jm_csv_advance(r, end - r->pos);
        }
        /* Trim, and keep the cell if there is room for it. */
        size_t s = off, e = r->text.len;
        while (s < e && is_blank(r->text.data[s]))
            s++;
        while (e > s && is_blank(r->text.data[e - 1]))
            e--;
        if (r->n_cells < max_cells) {
            r->text.len = e; /* the trailing blanks go */
            jm_buf_append(&r->text, "", 1);
            csv_cell cell = {s, e - s, line, col};
            if (!r->text.failed && !JM_PUSH(r->cells, r->n_cells, r->cap_cells, cell))
                r->text.failed = true;
        } else {
            r->extra_cells += e > s;
            r->text.len = off;
        }
        if (r->text.failed)
            return -1;
        if (r->pos >= r->len)
            return 1;
        char c = r->data[r->pos];
        jm_csv_advance(r, c == '\r' && r->pos + 1 < r->len && r->data[r->pos + 1] == '\n' ? 2 : 1);
        if (c != r->delim)
            return 1;
    }
}

const char *jm_csv_cell_text(const csv_reader *r, size_t i)
{
    return r->text.data + r->cells[i].off;
}

bool jm_csv_record_is_empty(const csv_reader *r)
{
    for (size_t i = 0; i < r->n_cells; i++)
        if (r->cells[i].len)
            return false;
    return r->extra_cells == 0;
}

/* The delimiter: the most frequent of TAB ; , outside quotes on the header line. */
char jm_csv_detect_delimiter(const char *s, size_t n)
{
    size_t tabs = 0, semis = 0, commas = 0;
    bool quoted = false;
    for (size_t i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted)
            tabs += s[i] == '\t', semis += s[i] == ';', commas += s[i] == ',';
    }
    if (tabs >= semis && tabs >= commas && tabs > 0)
        return '\t';
    return semis >= commas && semis > 0 ? ';' : ',';
}

/* ---- Numbers in cells --------------------------------------------------------------------- */

bool jm_csv_scan_number(const char **p, double *out)
{
    const char *s = *p;
    bool neg = false;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    else if (strncmp(s, "\xE2\x88\x92", 3) == 0) { /* − U+2212 */
        neg = true;
        s += 3;
    }
    double mantissa = 0, scale = 1;
    int digits = 0;
    bool point = false;
    for (;; s++) {
        if (*s >= '0' && *s <= '9') {
            if (++digits > 15)
                return false;
            mantissa = mantissa * 10 + (*s - '0');
            if (point)
                scale *= 10;
        } else if ((*s == '.' || *s == ',') && !point && digits && s[1] >= '0' && s[1] <= '9') {
            point = true;
        } else {
            break;
        }
    }
    if (!digits)
        return false;
    double v = mantissa / scale;
    *out = neg && v != 0 ? -v : v;
    *p = s;
    return true;
}

bool jm_csv_parse_number(const char *s, double *out) { return jm_csv_scan_number(&s, out) && !*s; }

bool jm_csv_parse_range(const char *s, double *min, double *max)
{
    static const char *const before[] = {"from ", "\u043E\u0442 "}; /* "от " */
    static const char *const between[] = {"\u2026", "...", "..", "\u2013",
                                          "\u2014", "-",   "to", "\u0434\u043E"}; /* "до" */
    if (*s++ != '(')
        return false;
    while (*s == ' ')
        s++;
    for (size_t i = 0; i < sizeof before / sizeof before[0]; i++)
        if (strncmp(s, before[i], strlen(before[i])) == 0)
            s += strlen(before[i]);
    if (!jm_csv_scan_number(&s, min))
        return false;
    while (*s == ' ')
        s++;
    size_t k = 0;
    while (k < sizeof between / sizeof between[0] &&
           strncmp(s, between[k], strlen(between[k])) != 0)
        k++;
    if (k == sizeof between / sizeof between[0])
        return false;
    s += strlen(between[k]);
    while (*s == ' ')
        s++;
    if (!jm_csv_scan_number(&s, max))
        return false;
    while (*s == ' ')
        s++;
    return s[0] == ')' && s[1] == '\0' && *min < *max;
}

/* ---- Opening, and a record with its checks ------------------------------------------------ */

bool jm_csv_open(csv_reader *r, const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    *r = (csv_reader){.data = data, .len = len, .line = 1, .col = 1};
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return false;
    size_t start = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t bad;
    r->bad_byte = jm_utf8_valid(data + start, len - start, &bad) ? len : start + bad;
    uint32_t cp;
    if (!jm_text_allowed(data + start, r->bad_byte - start, &bad, &cp)) {
        r->bad_byte = start + bad;
        r->bad_cp = cp; /* a NUL keeps its own message: it says the file is not text */
    }
    r->pos = start;
    while (r->pos < len && (data[r->pos] == '\n' || data[r->pos] == '\r'))
        jm_csv_advance(r, 1);
    const char *s = data + r->pos;
    size_t left = len - r->pos;
    if (left >= 5 && memcmp(s, "sep=", 4) == 0 && s[4] && strchr(",;\t", s[4]) &&
        (left == 5 || s[5] == '\n' || s[5] == '\r')) { /* Excel's delimiter hint */
        r->delim = s[4];
        jm_csv_advance(r, 5);
    } else {
        r->delim = jm_csv_detect_delimiter(s, left);
    }
    return true;
}

void jm_csv_close(csv_reader *r)
{
    jm_buf_free(&r->text);
    jm_free(r->cells);
    r->cells = NULL;
}

/* A byte that is not UTF-8 text in the record just read: its position and message. */
static bool bad_text(const csv_reader *r, int *line, int *col, char *msg, size_t n)
{
    if (r->bad_byte >= r->pos)
        return false;
    *line = r->rec_line;
    size_t line_start = r->rec_start;
    int col0 = r->rec_col;
    for (size_t i = r->rec_start; i < r->bad_byte; i++)
        if (r->data[i] == '\n' || (r->data[i] == '\r' && r->data[i + 1] != '\n')) {
            ++*line;
            line_start = i + 1;
            col0 = 1;
        }
    *col = jm_csv_column_after(col0, r->data + line_start, r->data + r->bad_byte);
    unsigned char byte = (unsigned char)r->data[r->bad_byte];
    if (byte == 0)
        snprintf(msg, n, "a NUL byte: this is not UTF-8 text; save the file as \"CSV UTF-8\"");
    else if (r->bad_cp)
        snprintf(msg, n, "U+%04X is not allowed in text (%s)", (unsigned)r->bad_cp,
                 jm_text_refused_kind(r->bad_cp));
    else
        snprintf(msg, n,
                 "not valid UTF-8 (byte 0x%02X); save the file as \"CSV UTF-8\" — a "
                 "Windows-1251 export is not supported",
                 byte);
    return true;
}

int jm_csv_next(csv_reader *r, size_t max_cells, int *line, int *col, char *msg, size_t n)
{
    int rc = jm_csv_read_record(r, max_cells);
    if (rc < 0 && r->text.failed)
        return -2;
    if (rc != 0 && bad_text(r, line, col, msg, n)) /* bad bytes explain bad quoting */
        return -1;
    if (rc >= 0)
        return rc;
    *line = r->err_line;
    *col = r->err_col;
    if (r->err == CSV_QUOTE_NOT_CLOSED)
        snprintf(msg, n, "the quoted cell is not closed (a \" is missing)");
    else if (r->quote_line == r->err_line)
        snprintf(msg, n,
                 "text after the closing quote (a \" inside a quoted cell must be doubled: "
                 "\"\")");
    else /* over several lines, the likely mistake is a closing quote missing up there */
        snprintf(msg, n,
                 "text after a quote that closes the cell opened at line %d, column %d; is a "
                 "closing \" missing there?",
                 r->quote_line, r->quote_col);
    return -1;
}
