/* Writing the reports of diff and lint (text_out.h). */
#define _GNU_SOURCE /* open_memstream */
#include "text_out.h"

#include <stdlib.h>
#include <string.h>

#include "output_write.h"

FILE *report_open(report_buf *r)
{
    r->data = NULL;
    r->len = 0;
    r->f = open_memstream(&r->data, &r->len);
    return r->f;
}

int report_write(report_buf *r, const char *path)
{
    int failed = ferror(r->f);
    failed |= fclose(r->f) != 0;
    int rc = -1;
    if (failed || !r->data)
        fprintf(stderr, "journeymap: error: out of memory\n");
    else if (!path || strcmp(path, "-") == 0)
        rc = write_stdout((const unsigned char *)r->data, r->len);
    else
        rc = write_output(path, r->data, r->len, path, OUTPUT_DURABLE);
    free(r->data);
    r->data = NULL;
    return rc;
}

void out_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04X", c);
        else
            fputc(c, f);
    }
}

void out_position(FILE *f, const char *file, int line, int column)
{
    out_text(f, file && *file ? file : "<input>");
    if (line > 0) {
        fprintf(f, ":%d", line);
        if (column > 0)
            fprintf(f, ":%d", column);
    }
}

void out_json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
    }
    fputc('"', f);
}

void out_json_number(FILE *f, double v)
{
    if (v != v)
        v = 0;
    if (v == 0)
        v = 0; /* no -0 */
    char buf[32];
    snprintf(buf, sizeof buf, "%.10g", v);
    fputs(strcmp(buf, "-0") == 0 ? "0" : buf, f);
}
