/* Files a model names (persona photos, a theme file): the one way they are found, checked and
 * read. A model may come from someone else, so it must not make us read, or quote, any other
 * file, nor hang on one (SECURITY.md, "Files a model names"). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/model.h"
#include "named_file.h"
#include "util/util.h"

/* spec joined to the input's folder unless absolute. NULL when out of memory. */
static char *join(const jm_map *map, const char *spec)
{
    return spec[0] == '/' ? jm_strdup(spec) : jm_asprintf("%s/%s", map->base_dir, spec);
}

/* Whether real (a resolved path) is base (another) or lies in its tree. */
static bool is_inside(const char *real, const char *base)
{
    size_t n = strlen(base);
    return strcmp(base, "/") == 0 ||
           (strncmp(real, base, n) == 0 && (real[n] == '/' || real[n] == '\0'));
}

/* The real path (free() it) of the deepest ancestor of path that resolves; NULL when out of
 * memory. */
static char *resolve_ancestor(const char *path)
{
    char *p = jm_strdup(path), *real = NULL;
    while (p && !(real = realpath(p, NULL))) {
        char *slash = strrchr(p, '/');
        if (!slash || slash == p) {
            real = realpath(slash ? "/" : ".", NULL);
            break;
        }
        *slash = '\0';
    }
    jm_free(p);
    return real;
}

/* Resolves path with every symbolic link and returns the real path (free() it) when it lies
 * inside the input's folder tree, else NULL with the message in *err. A path that does not
 * resolve is placed by its deepest ancestor that does, so that a model cannot tell from the
 * message whether a file outside the folder exists or can be read. */
static char *resolve_inside(const jm_map *map, const char *path, const char *spec, const char *what,
                            char **err)
{
    char *real = realpath(path, NULL); /* malloc'ed by libc */
    int real_err = real ? 0 : errno;
    char *base = realpath(map->base_dir, NULL);
    if (!base) {
        *err = jm_asprintf("cannot resolve the input file's folder: %s", strerror(errno));
        free(real);
        return NULL;
    }
    char *where = real ? real : resolve_ancestor(path);
    bool inside = where && is_inside(where, base);
    if (where != real)
        free(where);
    free(base);
    if (!inside) {
        *err = jm_asprintf("%s \"%s\" is outside the input file's folder", what, spec);
        free(real);
        return NULL;
    }
    if (!real)
        *err = real_err == ENOENT || real_err == ENOTDIR
                   ? jm_asprintf("%s \"%s\" not found", what, spec)
                   : jm_asprintf("cannot open %s \"%s\": %s", what, spec, strerror(real_err));
    return real;
}

/* Reads fd (a regular file of st->st_size bytes) whole. NULL with the message in *err. */
static unsigned char *read_all(int fd, const struct stat *st, size_t max, const char *spec,
                               const char *what, size_t *len, char **err)
{
    if ((uintmax_t)st->st_size > max) {
        *err = jm_asprintf("%s \"%s\" is larger than the limit of %zu bytes", what, spec, max);
        return NULL;
    }
    size_t want = (size_t)st->st_size, got = 0;
    unsigned char *data = jm_malloc(want ? want : 1);
    if (!data)
        return NULL; /* out of memory: *err stays NULL */
    /* Up to the size fstat saw: a file growing meanwhile cannot take more memory. */
    while (got < want) {
        ssize_t n = read(fd, data + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *err = n < 0 ? jm_asprintf("cannot read %s \"%s\": %s", what, spec, strerror(errno))
                         : jm_asprintf("cannot read %s \"%s\": it shrank while being read", what,
                                       spec);
            jm_free(data);
            return NULL;
        }
        got += (size_t)n;
    }
    *len = got;
    return data;
}

/* The file of that identity this map already holds, or NULL. */
static jm_named_file *find_read(const jm_map *map, const struct stat *st)
{
    for (size_t i = 0; i < map->n_files; i++)
        if (map->files[i]->dev == (uint64_t)st->st_dev &&
            map->files[i]->ino == (uint64_t)st->st_ino)
            return map->files[i];
    return NULL;
}

/* Adds a file read from path to map->files. NULL when out of memory (nothing is kept then). */
static jm_named_file *keep(jm_map *map, const char *spec, const char *path, const struct stat *st,
                           unsigned char *data, size_t len)
{
    jm_named_file **grown = jm_realloc(map->files, (map->n_files + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    map->files = grown;
    jm_named_file *f = jm_calloc(1, sizeof *f);
    if (!f || !(f->spec = jm_strdup(spec)) || !(f->name = jm_strdup(path))) {
        if (f)
            jm_free(f->spec);
        jm_free(f);
        return NULL;
    }
    f->data = data;
    f->len = len;
    f->dev = (uint64_t)st->st_dev;
    f->ino = (uint64_t)st->st_ino;
    map->files[map->n_files++] = f;
    return f;
}

const jm_named_file *jm_named_file_read(jm_map *map, const char *spec, const char *what, size_t max,
                                        char **err)
{
    *err = NULL;
    char *path = join(map, spec);
    if (!path)
        return NULL;
    char *real = resolve_inside(map, path, spec, what, err);
    if (!real) {
        jm_free(path);
        return NULL;
    }
    /* The real path has no link left: O_NOFOLLOW refuses one swapped in since, and O_NONBLOCK
     * keeps a FIFO from blocking the open (fstat then refuses anything not a regular file). */
    int fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    free(real);
    struct stat st;
    jm_named_file *f = NULL;
    size_t total = 0;
    for (size_t i = 0; i < map->n_files; i++)
        total += map->files[i]->len;
    if (fd < 0) {
        *err = jm_asprintf("cannot open %s \"%s\": %s", what, spec, strerror(errno));
    } else if (fstat(fd, &st) != 0) {
        *err = jm_asprintf("cannot read %s \"%s\": %s", what, spec, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        *err = jm_asprintf("%s \"%s\" is not a regular file", what, spec);
    } else if (!(f = find_read(map, &st))) {
        size_t len = 0;
        unsigned char *data = NULL;
        if ((uintmax_t)st.st_size > JM_MAX_NAMED_FILES_BYTES - total)
            *err = jm_asprintf("%s \"%s\" would take the files this map names over the limit of "
                               "%u bytes together",
                               what, spec, JM_MAX_NAMED_FILES_BYTES);
        else if ((data = read_all(fd, &st, max, spec, what, &len, err)) &&
                 !(f = keep(map, spec, path, &st, data, len)))
            jm_free(data);
    }
    if (fd >= 0)
        close(fd);
    jm_free(path);
    return f;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_font_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return name[0] != '.' && dot &&
           (strcasecmp(dot, ".ttf") == 0 || strcasecmp(dot, ".otf") == 0 ||
            strcasecmp(dot, ".ttc") == 0);
}

int jm_named_font_specs(const jm_map *map, const char *spec, char ***specs, char **err)
{
    *err = NULL;
    *specs = NULL;
    char *path = join(map, spec);
    char *real = path ? resolve_inside(map, path, spec, "font", err) : NULL;
    jm_free(path);
    if (!real)
        return -1;
    struct stat st;
    DIR *d = NULL;
    if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(real); /* a file: jm_named_file_read checks the rest */
        char **one = jm_calloc(1, sizeof *one);
        if (!one || !(one[0] = jm_strdup(spec))) {
            jm_free(one);
            return -1;
        }
        *specs = one;
        return 1;
    }
    d = opendir(real);
    free(real);
    if (!d) {
        *err = jm_asprintf("cannot read font folder \"%s\": %s", spec, strerror(errno));
        return -1;
    }
    char **v = NULL;
    size_t n = 0;
    bool oom = false;
    struct dirent *e;
    while (!oom && (e = readdir(d))) {
        if (!is_font_name(e->d_name))
            continue;
        if (n == JM_MAX_FONTS) {
            *err = jm_asprintf("font folder \"%s\" holds more than %d fonts", spec, JM_MAX_FONTS);
            break;
        }
        char **grown = jm_realloc(v, (n + 1) * sizeof *v);
        if (!grown || !(grown[n] = jm_asprintf(
                            "%s%s%s", spec, spec[strlen(spec) - 1] == '/' ? "" : "/", e->d_name))) {
            if (grown)
                v = grown;
            oom = true;
            break;
        }
        v = grown;
        n++;
    }
    closedir(d);
    if (oom || *err) {
        for (size_t i = 0; i < n; i++)
            jm_free(v[i]);
        jm_free(v);
        return -1;
    }
    if (n)
        qsort(v, n, sizeof *v, cmp_str); /* the order of fonts never depends on the folder's */
    *specs = v;
    return (int)n;
}
