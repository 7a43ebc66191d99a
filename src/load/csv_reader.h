/* The CSV loader's record reader: a small RFC 4180 state machine over the whole input (quoted
 * cells with doubled quotes, embedded delimiters and line breaks; CRLF, LF or CR line ends).
 * Cells are trimmed and NUL-terminated in the reader's text buffer; every cell keeps the line
 * and (character) column where it starts. */
#ifndef JM_CSV_READER_H
#define JM_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

typedef struct csv_cell {
    size_t off, len; /* into the reader's text buffer, trimmed */
    int line, col;   /* where the cell starts in the file */
} csv_cell;

typedef struct csv_reader {
    const char *data;
    size_t len, pos;
    char delim;
    int line, col; /* of data[pos] */
    jm_buf text;   /* the current record's cells, each NUL-terminated */
    csv_cell *cells;
    size_t n_cells, cap_cells;
    size_t extra_cells; /* non-empty cells beyond max_cells */
    int rec_line, rec_col;
    size_t rec_start;
    /* set when read_record fails on bad quoting */
    enum { CSV_QUOTE_NOT_CLOSED = 1, CSV_TEXT_AFTER_QUOTE } err;
    int err_line, err_col, quote_line, quote_col;
    size_t bad_byte; /* offset of the first byte that is not UTF-8 text; len when none */
    uint32_t bad_cp; /* non-zero: bad_byte starts this character, valid UTF-8 but refused */
} csv_reader;

/* Starts reading data (len bytes): skips a UTF-8 BOM and leading line ends, takes the
 * delimiter from an Excel "sep=X" first line or else the header line (jm_csv_detect_delimiter),
 * and finds the first byte that is not UTF-8 text (reported by jm_csv_next with the record it
 * is in). false when the input is UTF-16, which gets no further. */
bool jm_csv_open(csv_reader *r, const char *data, size_t len);
/* Reads the next record (at most max_cells cells) and checks its encoding and quoting: 1, 0
 * at the end, -2 out of memory, or -1 with the problem's line, column and message (what
 * follows "row N: ") in msg. */
int jm_csv_next(csv_reader *r, size_t max_cells, int *line, int *col, char *msg, size_t n);
/* Frees the reader's buffers. */
void jm_csv_close(csv_reader *r);

/* Moves over n bytes, keeping line and column (CRLF, LF and a lone CR end a line). */
void jm_csv_advance(csv_reader *r, size_t n);
/* Reads one record, keeping at most max_cells cells. Returns 1, 0 at the end of the input, or
 * -1 with r->err set (bad quoting) or r->text.failed (out of memory). */
int jm_csv_read_record(csv_reader *r, size_t max_cells);
/* Cell i of the record just read (borrowed until the next record). */
const char *jm_csv_cell_text(const csv_reader *r, size_t i);
/* No cell of the record has text. */
bool jm_csv_record_is_empty(const csv_reader *r);
/* The delimiter: the most frequent of TAB ; , outside quotes on the first line of s. */
char jm_csv_detect_delimiter(const char *s, size_t n);
/* 1-based character column after advancing from column col over [s, e). */
int jm_csv_column_after(int col, const char *s, const char *e);

/* A decimal number at *p (a decimal point or comma, an ASCII or Unicode minus, at most 15
 * digits), moving *p past it; computed as mantissa / 10^k so that "0.1" is the double nearest
 * 0.1. false when there is none. jm_csv_parse_number: a cell that is one such number. */
bool jm_csv_scan_number(const char **p, double *out);
bool jm_csv_parse_number(const char *s, double *out);
/* A range in a header's "(…)" suffix: "(1…5)", "(0..10)", "(1-5)", "(1 – 5)", "(1 to 5)",
 * "(от 1 до 5)", with min < max. false when s is none of these. */
bool jm_csv_parse_range(const char *s, double *min, double *max);

#endif
