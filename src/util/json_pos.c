/* Positions of JSON values by pointer.
 *
 * One linear scan records a node per value: its parent, its member key (decoded into a pool) or
 * array index, where it starts and ends, and its line and column. A hash table maps
 * (parent, key or index) to the node, so a lookup walks the pointer one segment at a time and
 * never builds pointer strings. Nesting lives in an explicit stack: no recursion. */
#include "json_pos.h"

#include <stdint.h>
#include <string.h>

#include "util.h"

#define NO_NODE UINT32_MAX
#define FNV_OFFSET 14695981039346656037u
#define FNV_PRIME 1099511628211u

enum { NODE_SCALAR, NODE_OBJECT, NODE_ARRAY };

typedef struct pos_node {
    uint32_t parent;       /* NO_NODE for the root */
    uint32_t index;        /* element of an array: its index */
    uint32_t key, key_len; /* member of an object: its decoded key in the pool */
    uint32_t start, end;   /* bytes of the value in the text */
    int32_t line, col, key_line, key_col;
    uint8_t type;
} pos_node;

struct jm_json_pos {
    pos_node *nodes;
    size_t n, cap;
    char *pool; /* decoded member keys, back to back */
    size_t pool_len, pool_cap;
    uint32_t *table;  /* node index + 1; 0 is an empty slot */
    size_t table_cap; /* a power of two */
};

/* An open object or array while scanning. */
typedef struct frame {
    uint32_t node;
    uint8_t type;
    bool expect_element; /* array: after '[' or ',', an element comes next */
    bool has_key;        /* object: a key was read, its value comes next */
    uint32_t count;      /* array: elements so far */
    uint32_t key, key_len;
    int32_t key_line, key_col;
} frame;

typedef struct scanner {
    const unsigned char *s;
    size_t len, i;
    int32_t line, col; /* of s[i] */
    frame *stack;
    size_t depth, stack_cap;
    jm_json_pos *pos;
    bool failed; /* out of memory */
} scanner;

static void advance(scanner *sc)
{
    unsigned char c = sc->s[sc->i++];
    if (c == '\n') {
        sc->line++;
        sc->col = 1;
    } else if ((c & 0xC0) != 0x80) { /* count characters, not UTF-8 continuation bytes */
        sc->col++;
    }
}

static void put_utf8(char *out, size_t *n, uint32_t cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static uint32_t hex4(const unsigned char *p)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
    }
    return v;
}

/* Decodes the JSON string literal s[from..to) (quotes excluded) to the end of the pool, where
 * it becomes *key / *key_len. A decoded string is never longer than its literal. */
static bool pool_add_key(jm_json_pos *pos, const unsigned char *s, size_t from, size_t to,
                         uint32_t *key, uint32_t *key_len)
{
    if (!jm_grow((void **)&pos->pool, &pos->pool_cap, pos->pool_len + (to - from) + 1, 1))
        return false;
    char *out = pos->pool + pos->pool_len;
    size_t n = 0;
    for (size_t i = from; i < to;) {
        if (s[i] != '\\' || i + 1 >= to) {
            out[n++] = (char)s[i++];
            continue;
        }
        unsigned char e = s[i + 1];
        i += 2;
        switch (e) {
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            if (i + 4 > to)
                break;
            uint32_t cp = hex4(s + i);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= to && s[i] == '\\' && s[i + 1] == 'u') {
                uint32_t lo = hex4(s + i + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            put_utf8(out, &n, cp);
            break;
        }
        default: out[n++] = (char)e; break; /* \" \\ \/ */
        }
    }
    *key = (uint32_t)pos->pool_len;
    *key_len = (uint32_t)n;
    pos->pool_len += n;
    return true;
}

/* Consumes a string literal. false when the text ends inside it. */
static bool skip_string(scanner *sc)
{
    advance(sc); /* the opening quote */
    while (sc->i < sc->len) {
        unsigned char c = sc->s[sc->i];
        if (c == '"') {
            advance(sc);
            return true;
        }
        advance(sc);
        if (c == '\\' && sc->i < sc->len)
            advance(sc);
    }
    return false;
}

/* Records a value that starts at (start, line, col) as a child of the innermost frame. */
static uint32_t add_node(scanner *sc, uint8_t type, size_t start, int32_t line, int32_t col)
{
    jm_json_pos *pos = sc->pos;
    if (pos->n >= NO_NODE - 1 ||
        !jm_grow((void **)&pos->nodes, &pos->cap, pos->n + 1, sizeof *pos->nodes)) {
        sc->failed = true;
        return NO_NODE;
    }
    pos_node *nd = &pos->nodes[pos->n];
    memset(nd, 0, sizeof *nd);
    nd->parent = NO_NODE;
    nd->type = type;
    nd->start = nd->end = (uint32_t)start;
    nd->line = line;
    nd->col = col;
    if (sc->depth) {
        frame *f = &sc->stack[sc->depth - 1];
        nd->parent = f->node;
        if (f->type == NODE_ARRAY) {
            nd->index = f->count++;
            f->expect_element = false;
        } else {
            nd->key = f->key;
            nd->key_len = f->key_len;
            nd->key_line = f->key_line;
            nd->key_col = f->key_col;
            f->has_key = false;
        }
    }
    return (uint32_t)pos->n++;
}

/* A byte that ends a bare token (number, true, false, null). NUL is not one: strchr would
 * match the string's terminator, and a NUL in the text must be consumed like any other byte
 * (the scan runs on invalid texts too, to name where a parser stopped). */
static bool ends_token(unsigned char c) { return c != '\0' && strchr(" \t\r\n,:[]{}\"", c); }

/* Scans text[0..len) and records every value. Stops early, without error, where the text is not
 * valid JSON, so that a prefix of an invalid text can be scanned too. */
static void scan(scanner *sc)
{
    while (sc->i < sc->len && !sc->failed) {
        unsigned char c = sc->s[sc->i];
        frame *top = sc->depth ? &sc->stack[sc->depth - 1] : NULL;
        size_t start = sc->i;
        int32_t line = sc->line, col = sc->col;
        if (!top && sc->pos->n) /* text after the top-level value */
            return;
        switch (c) {
        case ' ':
        case '\t':
        case '\r':
        case '\n':
        case ':': advance(sc); break;
        case ',':
            if (top && top->type == NODE_ARRAY)
                top->expect_element = true;
            advance(sc);
            break;
        case '{':
        case '[': {
            uint8_t type = c == '{' ? NODE_OBJECT : NODE_ARRAY;
            uint32_t node = add_node(sc, type, start, line, col);
            if (node == NO_NODE ||
                !jm_grow((void **)&sc->stack, &sc->stack_cap, sc->depth + 1, sizeof *sc->stack)) {
                sc->failed = true;
                return;
            }
            sc->stack[sc->depth++] =
                (frame){.node = node, .type = type, .expect_element = type == NODE_ARRAY};
            advance(sc);
            break;
        }
        case '}':
        case ']':
            if (!top)
                return;
            advance(sc);
            sc->pos->nodes[top->node].end = (uint32_t)sc->i;
            sc->depth--;
            break;
        case '"':
            if (!skip_string(sc))
                return;
            if (top && top->type == NODE_OBJECT && !top->has_key) {
                if (!pool_add_key(sc->pos, sc->s, start + 1, sc->i - 1, &top->key, &top->key_len)) {
                    sc->failed = true;
                    return;
                }
                top->has_key = true;
                top->key_line = line;
                top->key_col = col;
            } else {
                uint32_t node = add_node(sc, NODE_SCALAR, start, line, col);
                if (node != NO_NODE)
                    sc->pos->nodes[node].end = (uint32_t)sc->i;
            }
            break;
        default: { /* number, true, false, null; or any other byte of an invalid text */
            do
                advance(sc);
            while (sc->i < sc->len && !ends_token(sc->s[sc->i]));
            uint32_t node = add_node(sc, NODE_SCALAR, start, line, col);
            if (node != NO_NODE)
                sc->pos->nodes[node].end = (uint32_t)sc->i;
            break;
        }
        }
    }
}

static void scanner_init(scanner *sc, jm_json_pos *pos, const char *text, size_t len)
{
    memset(sc, 0, sizeof *sc);
    sc->s = (const unsigned char *)text;
    sc->len = len;
    sc->line = 1;
    sc->col = 1;
    sc->pos = pos;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        sc->i = 3; /* the BOM is not a character of the first line */
}

/* ---- The table ------------------------------------------------------------------------- */

static uint64_t hash_index(uint32_t parent, uint32_t index)
{
    uint64_t h = ((uint64_t)parent << 32 | index) * 0x9E3779B97F4A7C15u;
    return h ^ (h >> 29);
}

static uint64_t hash_key_start(uint32_t parent) { return (FNV_OFFSET ^ parent) * FNV_PRIME; }

static uint64_t hash_byte(uint64_t h, unsigned char c) { return (h ^ c) * FNV_PRIME; }

static uint64_t node_hash(const jm_json_pos *pos, const pos_node *nd)
{
    if (pos->nodes[nd->parent].type == NODE_ARRAY)
        return hash_index(nd->parent, nd->index);
    uint64_t h = hash_key_start(nd->parent);
    for (uint32_t k = 0; k < nd->key_len; k++)
        h = hash_byte(h, (unsigned char)pos->pool[nd->key + k]);
    return h;
}

static bool build_table(jm_json_pos *pos)
{
    size_t cap = 16;
    while (cap < pos->n * 2)
        cap *= 2;
    pos->table = jm_calloc(cap, sizeof *pos->table);
    if (!pos->table)
        return false;
    pos->table_cap = cap;
    for (size_t i = 0; i < pos->n; i++) {
        if (pos->nodes[i].parent == NO_NODE)
            continue;
        size_t slot = (size_t)node_hash(pos, &pos->nodes[i]) & (cap - 1);
        while (pos->table[slot])
            slot = (slot + 1) & (cap - 1);
        pos->table[slot] = (uint32_t)i + 1;
    }
    return true;
}

/* Decodes the next character of an RFC 6901 reference token ("~0" is '~', "~1" is '/'). */
static unsigned char token_next(const char **p, const char *end)
{
    char c = *(*p)++;
    if (c == '~' && *p < end) {
        c = **p == '1' ? '/' : '~';
        (*p)++;
    }
    return (unsigned char)c;
}

/* The child of `parent` named by the reference token tok[0..n), or NO_NODE. */
static uint32_t child(const jm_json_pos *pos, uint32_t parent, const char *tok, size_t n)
{
    uint64_t h;
    uint32_t index = 0;
    bool array = pos->nodes[parent].type == NODE_ARRAY;
    if (pos->nodes[parent].type == NODE_SCALAR)
        return NO_NODE;
    if (array) {
        if (n == 0 || n > 10 || (n > 1 && tok[0] == '0'))
            return NO_NODE;
        uint64_t v = 0;
        for (size_t k = 0; k < n; k++) {
            if (tok[k] < '0' || tok[k] > '9')
                return NO_NODE;
            v = v * 10 + (uint64_t)(tok[k] - '0');
        }
        if (v >= NO_NODE)
            return NO_NODE;
        index = (uint32_t)v;
        h = hash_index(parent, index);
    } else {
        h = hash_key_start(parent);
        for (const char *p = tok, *end = tok + n; p < end;)
            h = hash_byte(h, token_next(&p, end));
    }
    for (size_t slot = (size_t)h & (pos->table_cap - 1);;
         slot = (slot + 1) & (pos->table_cap - 1)) {
        uint32_t e = pos->table[slot];
        if (!e)
            return NO_NODE;
        const pos_node *nd = &pos->nodes[e - 1];
        if (nd->parent != parent)
            continue;
        if (array) {
            if (nd->index == index)
                return e - 1;
            continue;
        }
        const char *p = tok, *end = tok + n;
        uint32_t k = 0;
        while (p < end && k < nd->key_len &&
               token_next(&p, end) == (unsigned char)pos->pool[nd->key + k])
            k++;
        if (p == end && k == nd->key_len)
            return e - 1;
    }
}

static const pos_node *lookup(const jm_json_pos *pos, const char *pointer)
{
    if (!pos || !pos->n || !pointer || (*pointer && *pointer != '/'))
        return NULL;
    uint32_t node = 0; /* the root is the first value scanned */
    for (const char *p = pointer; *p && node != NO_NODE;) {
        const char *tok = p + 1;
        const char *end = strchr(tok, '/');
        if (!end)
            end = tok + strlen(tok);
        node = child(pos, node, tok, (size_t)(end - tok));
        p = end;
    }
    return node == NO_NODE ? NULL : &pos->nodes[node];
}

/* ---- Public ------------------------------------------------------------------------------ */

jm_json_pos *jm_json_pos_new(const char *text, size_t len)
{
    if (len >= UINT32_MAX) /* offsets are stored in 32 bits; inputs are far smaller */
        return NULL;
    jm_json_pos *pos = jm_calloc(1, sizeof *pos);
    if (!pos)
        return NULL;
    scanner sc;
    scanner_init(&sc, pos, text, len);
    scan(&sc);
    bool ok = !sc.failed && build_table(pos);
    jm_free(sc.stack);
    if (!ok) {
        jm_json_pos_free(pos);
        return NULL;
    }
    return pos;
}

bool jm_json_pos_find(const jm_json_pos *pos, const char *pointer, int *line, int *col)
{
    const pos_node *nd = lookup(pos, pointer);
    if (!nd)
        return false;
    *line = nd->line;
    *col = nd->col;
    return true;
}

bool jm_json_pos_find_key(const jm_json_pos *pos, const char *pointer, int *line, int *col)
{
    const pos_node *nd = lookup(pos, pointer);
    if (!nd || nd->parent == NO_NODE || pos->nodes[nd->parent].type != NODE_OBJECT)
        return false;
    *line = nd->key_line;
    *col = nd->key_col;
    return true;
}

bool jm_json_pos_find_span(const jm_json_pos *pos, const char *pointer, size_t *start, size_t *end)
{
    const pos_node *nd = lookup(pos, pointer);
    if (!nd)
        return false;
    *start = nd->start;
    *end = nd->end;
    return true;
}

void jm_json_pos_free(jm_json_pos *pos)
{
    if (!pos)
        return;
    jm_free(pos->nodes);
    jm_free(pos->pool);
    jm_free(pos->table);
    jm_free(pos);
}

/* Appends one RFC 6901 reference token. */
static void append_token(jm_buf *b, const char *s, size_t n)
{
    jm_buf_append(b, "/", 1);
    const char *run = s;
    for (const char *p = s; p < s + n; p++) {
        if (*p == '~' || *p == '/') {
            jm_buf_append(b, run, (size_t)(p - run));
            jm_buf_puts(b, *p == '~' ? "~0" : "~1");
            run = p + 1;
        }
    }
    jm_buf_append(b, run, (size_t)(s + n - run));
}

/* The pointer of node `nd` (the chain of parents is at most as long as the scan's stack). */
static void append_node_path(jm_buf *b, const jm_json_pos *pos, uint32_t nd)
{
    if (nd == NO_NODE || pos->nodes[nd].parent == NO_NODE)
        return;
    /* Collect the chain root-first without recursion: count, then fill from the end. */
    size_t depth = 0;
    for (uint32_t k = nd; pos->nodes[k].parent != NO_NODE; k = pos->nodes[k].parent)
        depth++;
    uint32_t *chain = jm_calloc(depth, sizeof *chain);
    if (!chain) {
        b->failed = true;
        return;
    }
    size_t i = depth;
    for (uint32_t k = nd; pos->nodes[k].parent != NO_NODE; k = pos->nodes[k].parent)
        chain[--i] = k;
    for (i = 0; i < depth; i++) {
        const pos_node *n = &pos->nodes[chain[i]];
        if (pos->nodes[n->parent].type == NODE_ARRAY)
            jm_buf_printf(b, "/%u", (unsigned)n->index);
        else if (n->key_len) /* no key at all: a member where a text is invalid ("{ {") */
            append_token(b, pos->pool + n->key, n->key_len);
        else
            append_token(b, "", 0);
    }
    jm_free(chain);
}

char *jm_json_pos_path_at(const char *text, size_t len, size_t offset)
{
    jm_json_pos pos = {0};
    scanner sc;
    scanner_init(&sc, &pos, text, offset < len ? offset : len);
    scan(&sc);
    jm_buf b = {0};
    jm_buf_append(&b, "", 0);
    if (sc.failed) {
        b.failed = true;
    } else if (sc.depth) {
        const frame *top = &sc.stack[sc.depth - 1];
        append_node_path(&b, &pos, top->node);
        if (top->type == NODE_OBJECT && top->has_key)
            append_token(&b, pos.pool + top->key, top->key_len);
        else if (top->type == NODE_ARRAY && top->expect_element)
            jm_buf_printf(&b, "/%u", (unsigned)top->count);
    }
    jm_free(sc.stack);
    jm_free(pos.nodes);
    jm_free(pos.pool);
    return jm_buf_take(&b);
}
