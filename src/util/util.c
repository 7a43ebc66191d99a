#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *(*alloc_malloc)(size_t) = malloc;
static void *(*alloc_realloc)(void *, size_t) = realloc;
static void (*alloc_free)(void *) = free;

/* jansson allocates through these while a replaced allocator is in place, so that it also
 * governs the parse trees of models and themes (the allocation-failure test relies on it). */
static void *json_alloc(size_t n) { return alloc_malloc(n ? n : 1); }
static void json_release(void *p)
{
    if (p)
        alloc_free(p);
}

void jm_set_allocator(void *(*malloc_fn)(size_t), void *(*realloc_fn)(void *, size_t),
                      void (*free_fn)(void *))
{
    alloc_malloc = malloc_fn ? malloc_fn : malloc;
    alloc_realloc = realloc_fn ? realloc_fn : realloc;
    alloc_free = free_fn ? free_fn : free;
    /* jansson's allocator is process-wide: it is routed through ours only while ours is
     * replaced, so a program that never calls this keeps its own jansson set-up. */
    if (malloc_fn || realloc_fn || free_fn)
        json_set_alloc_funcs(json_alloc, json_release);
    else
        json_set_alloc_funcs(malloc, free);
}

void *jm_malloc(size_t n) { return alloc_malloc(n ? n : 1); }

void *jm_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = jm_malloc(count * size);
    if (p)
        memset(p, 0, count * size > 0 ? count * size : 1);
    return p;
}

void *jm_realloc(void *p, size_t n) { return alloc_realloc(p, n ? n : 1); }

void jm_free(void *p)
{
    if (p)
        alloc_free(p);
}

char *jm_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = jm_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *jm_strdup(const char *s) { return s ? jm_strndup(s, strlen(s)) : NULL; }

char *jm_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = jm_malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

bool jm_grow(void **items, size_t *cap, size_t need, size_t item_size)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / item_size)
            return false;
        ncap *= 2;
    }
    void *p = jm_realloc(*items, ncap * item_size);
    if (!p)
        return false;
    *items = p;
    *cap = ncap;
    return true;
}

void jm_buf_append(jm_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (!jm_grow((void **)&b->data, &b->cap, b->len + n + 1, 1)) {
        b->failed = true;
        return;
    }
    if (n) /* s may be NULL then: an empty buffer's data, as the SVG text layer passes it */
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void jm_buf_puts(jm_buf *b, const char *s) { jm_buf_append(b, s, strlen(s)); }

void jm_buf_xml(jm_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': jm_buf_puts(b, "&amp;"); break;
        case '<': jm_buf_puts(b, "&lt;"); break;
        case '>': jm_buf_puts(b, "&gt;"); break;
        case '"': jm_buf_puts(b, "&quot;"); break;
        case '\'': jm_buf_puts(b, "&apos;"); break;
        case '\t':
        case '\n':
        case '\r': jm_buf_append(b, s, 1); break;
        default:
            if ((unsigned char)*s >= 0x20) /* XML 1.0 has no other control characters */
                jm_buf_append(b, s, 1);
        }
    }
}

void jm_buf_printf(jm_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        jm_buf_append(b, small, (size_t)n);
        return;
    }
    char *big = jm_malloc((size_t)n + 1);
    if (!big) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    jm_buf_append(b, big, (size_t)n);
    jm_free(big);
}

void jm_buf_json_string(jm_buf *b, const char *s)
{
    jm_buf_append(b, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *esc = NULL;
        char tmp[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(tmp, sizeof tmp, "\\u%04x", c);
                esc = tmp;
            }
        }
        if (esc) {
            jm_buf_append(b, run, (size_t)(s - run));
            jm_buf_puts(b, esc);
            run = s + 1;
        }
    }
    jm_buf_append(b, run, (size_t)(s - run));
    jm_buf_append(b, "\"", 1);
}

void jm_buf_number(jm_buf *b, double v)
{
    if (!isfinite(v))
        v = 0;
    /* Round to 1/1000 pt so that last-bit differences never reach the output. */
    double r = round(v * 1000.0) / 1000.0;
    if (r == 0)
        r = 0; /* no "-0" */
    if (fabs(r) < 1e7) {
        /* At most 7 + 3 significant digits: exactly what "%.10g" prints, without printf. */
        char tmp[24], *p = tmp + sizeof tmp;
        long long m = llround(fabs(r) * 1000.0);
        int frac = (int)(m % 1000);
        m /= 1000;
        size_t fl = 0;
        char fd[3];
        if (frac) {
            fd[0] = (char)('0' + frac / 100), fd[1] = (char)('0' + frac / 10 % 10),
            fd[2] = (char)('0' + frac % 10);
            fl = 3;
            while (fd[fl - 1] == '0')
                fl--;
        }
        p -= fl;
        memcpy(p, fd, fl);
        if (fl)
            *--p = '.';
        do
            *--p = (char)('0' + m % 10);
        while (m /= 10);
        if (r < 0)
            *--p = '-';
        jm_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
        return;
    }
    jm_buf_printf(b, "%.10g", r);
}

void jm_buf_uint(jm_buf *b, size_t v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    jm_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

char *jm_buf_take(jm_buf *b)
{
    if (b->failed) {
        jm_buf_free(b);
        return NULL;
    }
    if (!b->data) {
        b->data = jm_malloc(1);
        if (!b->data)
            return NULL;
        b->data[0] = '\0';
    }
    char *d = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void jm_buf_free(jm_buf *b)
{
    jm_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

bool jm_utf8_valid(const char *str, size_t n, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else
            goto invalid;
        if (i + len > n)
            goto invalid;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto invalid;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto invalid;
        i += len;
    }
    return true;
invalid:
    if (bad)
        *bad = i;
    return false;
}

bool jm_text_allowed(const char *str, size_t n, size_t *bad, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < n;) {
        uint32_t c = s[i];
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + len > n)
            len = n - i;
        if (len > 1) {
            c &= 0x3F >> (len - 1);
            for (size_t k = 1; k < len; k++)
                c = (c << 6) | (s[i + k] & 0x3F);
        }
        bool control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
        bool nonchar = (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
        if (control || nonchar) {
            if (bad)
                *bad = i;
            if (cp)
                *cp = c;
            return false;
        }
        i += len;
    }
    return true;
}

const char *jm_text_refused_kind(uint32_t cp)
{
    return cp < 0x20 ? "a control character" : "a Unicode non-character";
}

size_t jm_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 64;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

const char *jm_did_you_mean(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t d = jm_edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    size_t len = strlen(word);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    return best_d <= limit ? best : NULL;
}

int jm_read_file(const char *path, size_t max, char **data, size_t *len, char **err)
{
    *data = NULL;
    *len = 0;
    *err = NULL;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        *err = jm_asprintf("cannot open: %s", strerror(errno));
        return -1;
    }
    jm_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            *err = jm_asprintf("input is larger than the limit of %zu bytes", max);
            break;
        }
        jm_buf_append(&b, chunk, n);
        if (b.failed) {
            *err = jm_strdup("out of memory reading the input");
            break;
        }
    }
    if (!*err && ferror(f))
        *err = jm_asprintf("cannot read: %s", strerror(errno));
    if (f != stdin)
        fclose(f);
    if (*err) {
        jm_buf_free(&b);
        return -1;
    }
    *len = b.len;
    *data = jm_buf_take(&b);
    if (!*data) {
        *err = jm_strdup("out of memory reading the input");
        return -1;
    }
    return 0;
}
