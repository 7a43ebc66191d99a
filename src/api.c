/* The public entry points: load (dispatching on the input kind), render to memory or to a
 * file atomically. */
#define _GNU_SOURCE /* getrandom */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "context/context.h"
#include "context/shared_faces.h"
#include "layout/layout.h"
#include "layout/missing_glyphs.h"
#include "load/load.h"
#include "model/model.h"
#include "render/render.h"
#include "theme/contrast.h"
#include "theme/theme.h"
#include "util/diag.h"
#include "util/util.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static jm_input_kind kind_from_name(const char *name)
{
    if (ends_with(name, ".mmd") || ends_with(name, ".md") || ends_with(name, ".mermaid"))
        return JM_INPUT_MERMAID;
    if (ends_with(name, ".csv") || ends_with(name, ".tsv"))
        return JM_INPUT_CSV;
    return JM_INPUT_JSON;
}

jm_map *jm_map_load_buffer(jm_context *ctx, const char *name, const char *data, size_t len,
                           const jm_load_options *opts, jm_diags *diags)
{
    (void)ctx;
    jm_load_options def = {JM_INPUT_AUTO, NULL};
    if (!opts)
        opts = &def;
    if (!name)
        name = "<input>";
    if (len > JM_MAX_INPUT_BYTES) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, name, 0, 0, NULL,
                    "input is %zu bytes, over the limit of %u bytes", len, JM_MAX_INPUT_BYTES);
        return NULL;
    }
    jm_input_kind kind = opts->kind != JM_INPUT_AUTO ? opts->kind : kind_from_name(name);
    jm_map *m = kind == JM_INPUT_MERMAID ? jm_load_mermaid(name, data, len, opts, diags)
                : kind == JM_INPUT_CSV   ? jm_load_csv(name, data, len, opts, diags)
                                         : jm_load_json(name, data, len, diags);
    if (m && jm_diags_error_count(diags)) {
        jm_map_free(m);
        return NULL;
    }
    /* Characters no font has, now, so that validate reports them too; a map whose theme adds
     * fonts is checked when rendered, with them. */
    if (m && ctx && m->n_fonts == 0)
        jm_fallback_check_map(ctx, m, diags);
    if (m)
        jm_map_drop_positions(m);
    return m;
}

jm_map *jm_map_load_file(jm_context *ctx, const char *path, const jm_load_options *opts,
                         jm_diags *diags)
{
    char *data, *err;
    size_t len;
    if (jm_read_file(path, JM_MAX_INPUT_BYTES, &data, &len, &err) != 0) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, path, 0, 0, NULL, "%s", err ? err : "cannot read");
        jm_free(err);
        return NULL;
    }
    jm_map *m = jm_map_load_buffer(ctx, path, data, len, opts, diags);
    jm_free(data);
    return m;
}

int jm_map_join_data_buffer(jm_map *map, const char *name, const char *data, size_t len,
                            const jm_data_options *opts, jm_diags *diags)
{
    return jm_load_data(map, name, data, len, opts, diags);
}

int jm_map_join_data_file(jm_map *map, const char *path, const jm_data_options *opts,
                          jm_diags *diags)
{
    char *data, *err;
    size_t len;
    if (jm_read_file(path, JM_MAX_INPUT_BYTES, &data, &len, &err) != 0) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, path, 0, 0, NULL, "%s", err ? err : "cannot read");
        jm_free(err);
        return -1;
    }
    int rc = jm_load_data(map, path, data, len, opts, diags);
    jm_free(data);
    return rc;
}

const char *jm_map_title(const jm_map *m) { return m->title; }
size_t jm_map_touchpoint_count(const jm_map *m) { return m->n_touchpoints; }
size_t jm_map_named_file_count(const jm_map *m) { return m->n_files; }

const char *jm_map_named_file(const jm_map *m, size_t i)
{
    return i < m->n_files ? m->files[i]->name : NULL;
}

void jm_render_options_init(jm_render_options *o)
{
    memset(o, 0, sizeof *o);
    o->format = JM_FORMAT_PNG;
    o->state = JM_STATE_AUTO;
    o->scale = 0; /* automatic */
    o->page = JM_PAGE_AUTO;
    o->layout = JM_LAYOUT_AUTO;
    o->pages = 0; /* one page */
    o->poster = JM_PAGE_AUTO;
    o->blank = 0; /* the map */
}

int jm_format_from_path(const char *path) { return jm_render_format_from_path(path); }

const char *jm_format_name(int format) { return jm_render_format_name(format); }

int jm_format_from_name(const char *name) { return jm_render_format_from_name(name); }

/* A built-in theme, kept in the context for the next map, or the --theme file, read again
 * every time: it may have been edited since (a long-lived host, `journeymap watch`), and reading
 * a small file is cheap next to a render. */
static jm_theme *named_theme(jm_context *ctx, const jm_map *m, const char *name, jm_diags *diags)
{
    if (name && jm_theme_name_is_file(name))
        return jm_theme_load(jm_context_data_dir(ctx), name, diags);
    const char *key = name ? name : "default";
    const jm_theme *kept = jm_context_theme(ctx, key);
    if (kept) {
        jm_theme *t = jm_theme_copy(kept);
        if (!t)
            jm_diag_add(diags, JM_SEVERITY_ERROR, m->file, 0, 0, NULL, "out of memory");
        return t;
    }
    jm_theme *t = jm_theme_load(jm_context_data_dir(ctx), name, diags);
    if (t)
        jm_context_theme_put(ctx, key, t);
    return t;
}

/* The model's theme file, from the bytes its loader read: the renderer never opens a path a
 * model names. */
static jm_theme *model_theme_file(const jm_map *m, jm_diags *diags)
{
    const jm_named_file *f = m->theme_file;
    jm_theme *t = jm_theme_new_default();
    if (!t) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, m->file, 0, 0, NULL, "out of memory");
    } else if (jm_theme_apply_json(t, f->name, (const char *)f->data, f->len, "", diags) != 0) {
        jm_theme_free(t);
        t = NULL;
    }
    return t;
}

/* A growing list of font paths. */
typedef struct font_list {
    char **v;
    size_t n;
    bool oom;
} font_list;

static void font_list_add(font_list *l, const char *path)
{
    char **grown = l->oom ? NULL : jm_realloc(l->v, (l->n + 1) * sizeof *grown);
    if (grown)
        l->v = grown;
    if (!grown || !(l->v[l->n] = jm_strdup(path)))
        l->oom = true;
    else
        l->n++;
}

/* The font files of a --theme file's "fonts" (relative to its folder; the person running us
 * chose the file, as with --theme itself). -1 when one cannot be read. */
static int option_theme_fonts(const jm_theme *t, font_list *out, jm_diags *diags)
{
    int rc = 0;
    for (size_t i = 0; i < t->n_fonts && !out->oom; i++) {
        const char *spec = t->fonts[i];
        char *path = spec[0] == '/' || !t->fonts_dir ? jm_strdup(spec)
                                                     : jm_asprintf("%s/%s", t->fonts_dir, spec);
        char *where = t->fonts_src.path ? jm_asprintf("%s/%zu", t->fonts_src.path, i) : NULL;
        jm_diag_at at = {t->fonts_src.file, t->fonts_src.line, t->fonts_src.col, where};
        char **files = NULL;
        size_t n = 0;
        if (!path)
            out->oom = true;
        else if (jm_font_files(path, &at, &files, &n, diags) != 0)
            rc = -1;
        for (size_t k = 0; k < n; k++) {
            font_list_add(out, files[k]);
            jm_free(files[k]);
        }
        jm_free(files);
        jm_free(where);
        jm_free(path);
    }
    return rc;
}

/* Makes the context's fonts the bundled ones, its font folders', the option theme's
 * (opt_fonts) and those the model's theme names, read with the model: each made a path of
 * the process (jm_font_bytes_path), since the renderer opens no path a model names. */
static int use_fonts(jm_context *ctx, const jm_map *m, bool option_theme, font_list *l,
                     jm_diags *diags)
{
    for (size_t i = 0; i < m->n_fonts && !l->oom; i++) {
        if (option_theme && m->fonts[i].from_theme_file)
            continue; /* the model's theme file is not used */
        const jm_named_file *f = m->fonts[i].file;
        const char *path = jm_font_bytes_path(f->data, f->len);
        if (!path) {
            jm_diag_add(diags, JM_SEVERITY_ERROR, f->name, 0, 0, NULL,
                        "cannot keep the font in memory");
            return -1;
        }
        font_list_add(l, path);
    }
    if (l->oom) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, m->file, 0, 0, NULL, "out of memory");
        return -1;
    }
    return jm_context_use_fonts(ctx, (const char *const *)l->v, l->n, diags);
}

/* Warns of each family a theme names that no font of the context's has (the next one in its
 * list is used then, or the bundled Inter), where the theme names it. */
static void check_families(const jm_context *ctx, const jm_map *m, const jm_theme *t,
                           jm_diags *diags)
{
    for (int i = 0; i < JM_FAMILY__COUNT; i++) {
        const jm_theme_src *src = &t->family_src[i];
        const char *list = i == JM_FAMILY_TEXT     ? t->font_family
                           : i == JM_FAMILY_TITLES ? t->font_family_titles
                                                   : t->font_family_numbers;
        if (!src->path || !list)
            continue; /* the built-in families, all bundled */
        int line = src->line, col = src->col;
        const char *path = src->path;
        if (m->theme_json && src->file && m->file && strcmp(src->file, m->file) == 0 &&
            m->theme_family_src[i].path) { /* set by the model's theme object */
            line = m->theme_family_src[i].line;
            col = m->theme_family_src[i].col;
            path = m->theme_family_src[i].path;
        }
        char **families = g_strsplit(list, ",", -1);
        for (char **f = families; *f; f++) {
            g_strstrip(*f);
            if (**f && !jm_context_has_family(ctx, *f))
                jm_diag_add(diags, JM_SEVERITY_WARNING, src->file, line, col, path,
                            "no font of family \"%s\" among the bundled fonts and those "
                            "added (--font-dir, the theme's \"fonts\"); %s",
                            *f,
                            f[1] ? "the next family of the list is used"
                                 : "the bundled Inter is used where no family of the list is");
        }
        g_strfreev(families);
    }
}

/* The option's theme, else the model's (a built-in name or the file its loader read), then the
 * model's theme object on top; the context's fonts made those it names. */
static jm_theme *resolve_theme(jm_context *ctx, const jm_map *m, const char *opt_theme,
                               jm_diags *diags)
{
    jm_theme *t;
    font_list fonts = {0};
    if (opt_theme) {
        t = named_theme(ctx, m, opt_theme, diags);
        if (t && option_theme_fonts(t, &fonts, diags) != 0) {
            jm_theme_free(t);
            t = NULL;
        }
    } else if (m->theme_file) {
        t = model_theme_file(m, diags);
    } else if (m->theme_name && jm_theme_name_is_file(m->theme_name)) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, m->file, 0, 0, "/theme",
                    "theme file \"%s\" was not read with the model", m->theme_name);
        return NULL;
    } else {
        t = named_theme(ctx, m, m->theme_name, diags);
    }
    if (t && m->theme_json &&
        jm_theme_apply_json(t, m->file, m->theme_json, strlen(m->theme_json), "", diags) != 0) {
        jm_theme_free(t);
        t = NULL;
    }
    /* The object's keys are where the model's text has them, not in its serialised copy. */
    for (size_t i = 0; t && i < m->n_theme_key_src; i++) {
        const jm_src *s = &m->theme_key_src[i];
        if (strncmp(s->path, "/theme/", 7) == 0)
            jm_theme_set_key_src(t, s->path + 7, m->file, s->line, s->col, s->path);
    }
    if (t && use_fonts(ctx, m, opt_theme != NULL, &fonts, diags) != 0) {
        jm_theme_free(t);
        t = NULL;
    }
    if (t && m->n_fonts) /* not checked when loaded: the theme's fonts may have them */
        jm_fallback_check_map(ctx, m, diags);
    if (t)
        check_families(ctx, m, t, diags);
    for (size_t i = 0; i < fonts.n; i++)
        jm_free(fonts.v[i]);
    jm_free(fonts.v);
    /* Text that cannot be read is a warning against where the colours came from (the built-in
     * themes pass: tests/unit/test_theme.c). */
    if (t) {
        const char *file = m->theme_json                                   ? m->file
                           : opt_theme && jm_theme_name_is_file(opt_theme) ? opt_theme
                           : !opt_theme && m->theme_file                   ? m->theme_file->name
                                                                           : m->file;
        jm_theme_check_contrast(t, file, m->theme_json ? "/theme" : NULL, diags);
    }
    return t;
}

int jm_map_check_theme(jm_context *ctx, const jm_map *m, const char *theme, jm_diags *diags)
{
    jm_theme *t = resolve_theme(ctx, m, theme, diags);
    jm_theme_free(t);
    return t ? 0 : -1;
}

int jm_render_to_buffer(jm_context *ctx, const jm_map *m, const jm_render_options *opts,
                        unsigned char **data, size_t *len, jm_diags *diags)
{
    jm_render_options def;
    if (!opts) {
        jm_render_options_init(&def);
        opts = &def;
    }
    *data = NULL;
    *len = 0;
    jm_theme *theme = resolve_theme(ctx, m, opts->theme, diags);
    if (!theme)
        return -1;
    if (opts->footer && (!jm_utf8_valid(opts->footer, strlen(opts->footer), NULL) ||
                         strlen(opts->footer) > JM_MAX_STRING_BYTES)) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, m->file, 0, 0, NULL,
                    "the footer is not UTF-8 text of at most %u bytes", JM_MAX_STRING_BYTES);
        jm_theme_free(theme);
        return -1;
    }
    /* A blank canvas is made for the paper it is printed on: the poster, else the one page
     * (pages of a canvas split an A1 one). */
    jm_layout_options lopts = {opts->state,
                               opts->layout,
                               opts->footer,
                               opts->findings,
                               opts->blank != 0,
                               opts->poster != JM_PAGE_AUTO ? opts->poster
                               : opts->pages == 0           ? opts->page
                                                            : JM_PAGE_AUTO};
    jm_layout *lo = jm_layout_new(ctx, m, theme, &lopts, diags);
    jm_theme_free(theme);
    if (!lo)
        return -1;
    jm_render_options o = *opts;
    if (!(o.scale > 0))
        o.scale = 0; /* automatic: the default, lowered to fit the PNG limits */
    int rc = jm_render_layout_opts(ctx, lo, &o, data, len, diags);
    jm_layout_free(lo);
    return rc;
}

/* DIR/.NAME.jm-PID-XXXXXX, created with O_EXCL and mode 0666 so that the kernel applies the
 * umask (reading the umask means setting it, a race with every other thread creating a file).
 * NAME is cut short when the temporary name would pass the folder's limit, so that any valid
 * output name can be written. The program's writer (src/cli/output_file.c) names its files
 * the same way, and removes those a killed process left. Returns the descriptor, or -1. */
static int create_temp_file(const char *path, char **tmp_out)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    int dirlen = slash ? (int)(slash - path) + 1 : 0;
    char *dir = jm_asprintf("%.*s", dirlen ? dirlen : 1, dirlen ? path : ".");
    long name_max = dir ? pathconf(dir, _PC_NAME_MAX) : -1;
    jm_free(dir);
    size_t max = name_max > 32 ? (size_t)name_max : 255;
    char tail[48];
    int fixed = snprintf(tail, sizeof tail, ".jm-%ld-", (long)getpid()) + 1 + 6;
    size_t keep = strlen(name);
    if ((size_t)fixed + keep > max) {
        keep = max > (size_t)fixed ? max - (size_t)fixed : 0;
        while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
            keep--; /* not inside a UTF-8 character */
    }
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int tries = 0; tries < 100; tries++) {
        unsigned char r[6];
        if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            for (size_t i = 0; i < sizeof r; i++)
                r[i] =
                    (unsigned char)((unsigned long)ts.tv_nsec >> (i * 5) ^ (unsigned)tries * 31u);
        }
        char rand6[7];
        for (size_t i = 0; i < sizeof r; i++)
            rand6[i] = chars[r[i] % (sizeof chars - 1)];
        rand6[6] = '\0';
        char *tmp = jm_asprintf("%.*s.%.*s%s%s", dirlen, path, (int)keep, name, tail, rand6);
        if (!tmp) {
            errno = ENOMEM;
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp_out = tmp;
            return fd;
        }
        int err = errno;
        jm_free(tmp);
        errno = err;
        if (err != EEXIST)
            return -1;
    }
    return -1;
}

/* Writes data to path through a temporary file in the same folder, renamed into place only
 * when complete: a failed write never leaves a partial file nor harms an existing one. Only a
 * file that replaces another is flushed to disk before the rename, so that a power failure
 * leaves the old file or the new one; a new file is left to the system's writeback, as fsync
 * per file cost a batch of small maps 1.5 to 4 ms a map. */
static int write_file_atomic(const char *path, const void *data, size_t len, const char *file,
                             jm_diags *diags)
{
    char *tmp = NULL;
    int fd = create_temp_file(path, &tmp);
    if (fd < 0) {
        jm_diag_add(diags, JM_SEVERITY_ERROR, file, 0, 0, NULL, "cannot write %s: %s", path,
                    strerror(errno));
        return -1;
    }
    flock(fd, LOCK_EX | LOCK_NB); /* the program's clean-up leaves a locked file alone */
    size_t off = 0;
    int err = 0;
    while (off < len) {
        ssize_t n = write(fd, (const char *)data + off, len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        off += (size_t)n;
    }
    struct stat st;
    bool replaces = lstat(path, &st) == 0;
    if (!err && replaces && fsync(fd) != 0 && errno != EINVAL)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        unlink(tmp);
        jm_diag_add(diags, JM_SEVERITY_ERROR, file, 0, 0, NULL, "cannot write %s: %s", path,
                    strerror(err));
    }
    jm_free(tmp);
    return err ? -1 : 0;
}

int jm_render_to_file(jm_context *ctx, const jm_map *m, const jm_render_options *opts,
                      const char *path, jm_diags *diags)
{
    unsigned char *data;
    size_t len;
    if (jm_render_to_buffer(ctx, m, opts, &data, &len, diags) != 0)
        return -1;
    int rc = write_file_atomic(path, data, len, m->file, diags);
    jm_free(data);
    return rc;
}
