/* The PDF output: cairo's PDF surface with fixed dates (no timestamps), the map fitted to a
 * named page or on a page of its own size; then /Lang added to the catalogue with the
 * cross-reference table rewritten. */
#include <cairo-pdf.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "draw.h"
#include "util/diag.h"

#define PDF_MAX_AUTO_SIDE 14400.0 /* 200 in: the largest page Acrobat opens */
/* No timestamps in output: every PDF carries this creation and modification date. */
#define PDF_FIXED_DATE "2000-01-01T00:00:00Z"

static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int length)
{
    jm_buf *b = closure;
    jm_buf_append(b, (const char *)data, length);
    return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* The parts of cairo's classic cross-reference table we rewrite. */
typedef struct pdf_entry {
    size_t at;  /* offset of the entry's 10-digit offset field */
    size_t off; /* the object offset it holds */
    long num;   /* object number */
} pdf_entry;

typedef struct pdf_xref {
    size_t xref_at;                /* offset of the "xref" keyword */
    size_t startxref_num, num_end; /* the number after "startxref" */
    pdf_entry *v;                  /* in-use entries */
    size_t n, cap;
    long root, info; /* object numbers from the trailer; -1 none */
} pdf_xref;

static const char *find_in(const char *s, const char *end, const char *what)
{
    size_t wl = strlen(what);
    for (; s + wl <= end; s++)
        if (memcmp(s, what, wl) == 0)
            return s;
    return NULL;
}

static const char *find_last(const char *s, const char *end, const char *what)
{
    size_t wl = strlen(what);
    for (size_t i = (size_t)(end - s) + 1; i-- > wl;)
        if (memcmp(s + i - wl, what, wl) == 0)
            return s + i - wl;
    return NULL;
}

static long trailer_ref(const char *trailer, const char *end, const char *key)
{
    const char *p = find_in(trailer, end, key);
    if (!p)
        return -1;
    char *stop;
    long v = strtol(p + strlen(key), &stop, 10);
    return stop > p + strlen(key) ? v : -1;
}

/* Parses a classic xref table (the kind cairo 1.16 writes). False for anything else, e.g. an
 * xref stream, or when out of memory (*oom). */
static bool pdf_xref_parse(const char *s, size_t n, pdf_xref *x, bool *oom)
{
    const char *sx = find_last(s, s + n, "startxref");
    if (!sx)
        return false;
    const char *p = sx + strlen("startxref");
    while (p < s + n && isspace((unsigned char)*p))
        p++;
    char *stop;
    unsigned long long at = strtoull(p, &stop, 10);
    if (stop == p || at + 4 > (size_t)(sx - s) || memcmp(s + at, "xref", 4) != 0)
        return false;
    x->xref_at = (size_t)at;
    x->startxref_num = (size_t)(p - s);
    x->num_end = (size_t)(stop - s);

    /* Subsections "first count" of 20-byte entries "oooooooooo ggggg n \n". */
    p = s + at + 4;
    for (;;) {
        while (p < sx && isspace((unsigned char)*p))
            p++;
        if (p >= sx || !isdigit((unsigned char)*p))
            break;
        long first = strtol(p, &stop, 10);
        p = stop;
        long count = strtol(p, &stop, 10);
        if (stop == p || count < 0)
            return false;
        p = stop;
        while (p < sx && isspace((unsigned char)*p))
            p++;
        for (long i = 0; i < count; i++, p += 20) {
            if (p + 20 > sx || !isdigit((unsigned char)p[0]) || (p[17] != 'n' && p[17] != 'f'))
                return false;
            if (p[17] != 'n')
                continue;
            pdf_entry e = {(size_t)(p - s), (size_t)strtoull(p, NULL, 10), first + i};
            if (!JM_PUSH(x->v, x->n, x->cap, e)) {
                *oom = true;
                return false;
            }
        }
    }
    const char *trailer = find_in(p, sx, "trailer");
    if (!trailer)
        return false;
    x->root = trailer_ref(trailer, sx, "/Root ");
    x->info = trailer_ref(trailer, sx, "/Info ");
    return x->root >= 0;
}

/* The text of object `num`: from its offset to its "endobj". */
static bool pdf_object(const char *s, const pdf_xref *x, long num, const char **begin,
                       const char **end)
{
    for (size_t i = 0; i < x->n; i++) {
        if (x->v[i].num != num || x->v[i].off >= x->xref_at)
            continue;
        *begin = s + x->v[i].off;
        *end = find_in(*begin, s + x->xref_at, "endobj");
        return *end != NULL;
    }
    return false;
}

typedef struct pdf_insert {
    size_t at; /* inserted before this offset of the original */
    char text[64];
} pdf_insert;

/* Adds /Lang to the catalogue (cairo 1.16 has no API for it) and the "D:" prefix cairo 1.16
 * leaves off the dates it was given, then shifts every object offset in the xref table and
 * startxref. *skipped: the file was not of the expected structure and is left as written.
 * Returns false only when out of memory. */
static bool pdf_finish(jm_buf *pdf, const jm_layout *layout, bool *skipped)
{
    const char *s = pdf->data;
    pdf_xref x = {.root = -1, .info = -1};
    bool oom = false;
    *skipped = false;
    if (!pdf_xref_parse(s, pdf->len, &x, &oom)) {
        jm_free(x.v);
        *skipped = !oom;
        return !oom;
    }

    pdf_insert ins[3];
    size_t n_ins = 0;
    const char *b, *e;
    if (x.info >= 0 && pdf_object(s, &x, x.info, &b, &e)) {
        static const char *const keys[] = {"/CreationDate (", "/ModDate ("};
        for (size_t k = 0; k < 2; k++) {
            const char *p = find_in(b, e, keys[k]);
            if (p && p[strlen(keys[k])] != 'D') {
                ins[n_ins].at = (size_t)(p - s) + strlen(keys[k]);
                snprintf(ins[n_ins++].text, sizeof ins[0].text, "D:");
            }
        }
    }
    const char *lang = layout->map ? jm_nonempty(layout->map->lang) : NULL;
    if (lang && jm_lang_tag_ok(lang)) {
        const char *p = NULL;
        if (pdf_object(s, &x, x.root, &b, &e) && !find_in(b, e, "/Lang"))
            p = find_in(b, e, "/Type /Catalog");
        if (p) {
            ins[n_ins].at = (size_t)(p - s) + strlen("/Type /Catalog");
            snprintf(ins[n_ins++].text, sizeof ins[0].text, "\n   /Lang (%s)", lang);
        } else {
            *skipped = true;
        }
    }
    if (n_ins == 0) {
        jm_free(x.v);
        return true;
    }
    for (size_t i = 1; i < n_ins; i++) /* into file order */
        for (size_t j = i; j > 0 && ins[j].at < ins[j - 1].at; j--) {
            pdf_insert t = ins[j];
            ins[j] = ins[j - 1];
            ins[j - 1] = t;
        }

    jm_buf out = {0};
    size_t from = 0, total = 0;
    for (size_t i = 0; i < n_ins; i++) {
        jm_buf_append(&out, s + from, ins[i].at - from);
        jm_buf_puts(&out, ins[i].text);
        total += strlen(ins[i].text);
        from = ins[i].at;
    }
    jm_buf_append(&out, s + from, x.startxref_num - from);
    jm_buf_printf(&out, "%zu", x.xref_at + total);
    jm_buf_append(&out, s + x.num_end, pdf->len - x.num_end);
    if (out.failed) {
        jm_free(x.v);
        jm_buf_free(&out);
        return false;
    }
    /* The xref table lies after every insertion: it moved by `total`, each object by the
     * insertions before it. The fields are fixed-width, so they are patched in place. */
    for (size_t i = 0; i < x.n; i++) {
        size_t moved = 0;
        for (size_t k = 0; k < n_ins; k++)
            if (ins[k].at <= x.v[i].off)
                moved += strlen(ins[k].text);
        char field[24];
        snprintf(field, sizeof field, "%010zu", x.v[i].off + moved);
        memcpy(out.data + x.v[i].at + total, field, 10);
    }
    jm_free(x.v);
    jm_buf_free(pdf);
    *pdf = out;
    return true;
}

static void pdf_metadata(cairo_surface_t *surface, const jm_layout *layout)
{
    const jm_map *map = layout->map;
    const char *title = map ? jm_nonempty(map->title) : NULL;
    const char *subject = map ? jm_nonempty(map->description) : NULL;
    if (!subject && map)
        subject = jm_nonempty(map->subtitle);
    if (title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    if (subject)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, subject);
    char creator[64];
    snprintf(creator, sizeof creator, "journeymap %s", jm_version());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, creator);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, PDF_FIXED_DATE);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, PDF_FIXED_DATE);
}

/* Draws every sheet as a page: its pieces of the map, then its own marks. */
static bool pdf_draw_sheets(cairo_surface_t *surface, const jm_sheets *sh, const jm_layout *l,
                            const jm_photo *photos, cairo_status_t *st)
{
    cairo_t *cr = cairo_create(surface);
    bool drawn = true;
    for (size_t i = 0; i < sh->n && drawn; i++) {
        const jm_sheet *s = &sh->v[i];
        for (size_t k = 0; k < s->n_pieces && drawn; k++)
            drawn = jm_draw_piece(cr, l, photos, &s->piece[k]);
        if (drawn && s->marks && s->marks->n) {
            jm_canvas cv = {.cr = cr};
            drawn = jm_draw_layout(&cv, s->marks, NULL);
        }
        if (i + 1 < sh->n)
            cairo_show_page(cr);
    }
    *st = cairo_status(cr);
    cairo_destroy(cr);
    return drawn;
}

static int pdf_write(const jm_render_job *job, jm_buf *out, jm_diags *diags)
{
    const jm_layout *l = job->layout;
    jm_sheets *sh = jm_sheets_new(l, job->opts, diags);
    if (!sh)
        return -1;
    if (sh->w > PDF_MAX_AUTO_SIDE || sh->h > PDF_MAX_AUTO_SIDE) {
        char sw[32], shh[32];
        jm_render_num(sw, sizeof sw, sh->w);
        jm_render_num(shh, sizeof shh, sh->h);
        jm_diag_add(diags, JM_SEVERITY_WARNING, jm_render_file(l), 0, 0, "",
                    "the PDF page is %s×%s pt, larger than the %.0f pt (200 in) some "
                    "viewers open; --page A2 (or another size) fits the map on a page, "
                    "--pages auto splits it over pages",
                    sw, shh, PDF_MAX_AUTO_SIDE);
    }
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(buf_write, out, sh->w, sh->h);
    pdf_metadata(surface, l);
    if (!jm_render_surface_ok(job, surface, diags)) {
        jm_sheets_free(sh);
        return -1;
    }
    cairo_status_t st;
    bool drawn = pdf_draw_sheets(surface, sh, l, job->photos, &st);
    jm_sheets_free(sh);
    if (drawn && st == CAIRO_STATUS_SUCCESS) {
        cairo_surface_finish(surface);
        st = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    if (jm_render_written(job, drawn, st, out, diags) != 0)
        return -1;
    bool skipped;
    if (!pdf_finish(out, l, &skipped))
        return jm_render_cannot_write(job, "out of memory", diags);
    if (skipped)
        jm_diag_add(diags, JM_SEVERITY_WARNING, jm_render_file(l), 0, 0, "",
                    "the PDF from cairo has an unexpected structure: its language is "
                    "not set");
    return 0;
}

/* A JPEG photo goes in as its file's bytes when it is not far larger than drawn. */
const jm_output_format jm_output_pdf = {
    .format = JM_FORMAT_PDF,
    .name = "PDF",
    .extension = ".pdf",
    .draws = true,
    .photos = {.embed_jpeg = true, .embed_turned_jpeg = true},
    .write = pdf_write,
};
