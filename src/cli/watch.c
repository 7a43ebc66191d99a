/* journeymap watch: renders its inputs, then renders one again whenever it, or a file it is
 * made from (the theme file and photos its model names: jm_map_named_file; a --theme file;
 * the --data files joined to it), changes, until interrupted.
 *
 * inotify watches the folders of those files, not the files: an editor that saves by writing a
 * new file and renaming it over the old one replaces the very file a watch on it would follow.
 * Events are picked by name, and a burst of them (one save is several; a checkout changes many
 * files) settles before a render: SETTLE_MS after an event that completes a file (closed after
 * writing, renamed into place), INCOMPLETE_MS after one that leaves it half done (written to
 * and still open, removed, created empty), never more than MAX_WAIT_MS after the first.
 * Outputs are written atomically (write_output), without a flush to disk (OUTPUT_FAST): a
 * viewer never reads half a file. A render that fails prints its errors and writes nothing, so
 * the last good output stays. A model that fails to load may name a file not there yet, so the
 * folders under its input's are watched too until it loads. SIGINT, SIGTERM and SIGHUP end the
 * loop between two renders with status 0 and no temporary file. */
#define _GNU_SOURCE /* strdup, realpath */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef JM_HAVE_INOTIFY
#include <sys/inotify.h>
#endif

#include "commands.h"
#include "messages.h"
#include "output_names.h"
#include "output_write.h"
#include "progress.h"
#include "signals.h"

int options_check_watch(const opts *o, char **inputs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(inputs[i], "-") == 0) {
            usage_error("%s", "watch cannot watch standard input: give the input's file");
            return EXIT_USAGE;
        }
    if (o->out && strcmp(o->out, "-") == 0) {
        usage_error("%s", "watch writes files: give -o FILE or -d DIR, not -o -");
        return EXIT_USAGE;
    }
    return OPTIONS_GO_ON;
}

#ifndef JM_HAVE_INOTIFY

int cmd_watch(jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    (void)ctx, (void)o, (void)inputs, (void)n;
    report("journeymap: error: watch needs inotify (Linux), which this build of journeymap does "
           "not have; run 'journeymap render' after each change instead\n");
    return EXIT_FAILED;
}

#else

enum {
    SETTLE_MS = 10,      /* after a file was completed: the rest of a burst comes sooner */
    INCOMPLETE_MS = 250, /* after a file was left half done: time for its writer to finish */
    MAX_WAIT_MS = 1000   /* after the first event, whatever follows */
};

/* A file a target is made from: a name in a watched folder. */
typedef struct dep {
    int wd; /* the watch on its folder */
    char *name;
} dep;

/* An input and its output. */
typedef struct target {
    const char *input;
    char *out;
    char **named; /* the files its model named when it last loaded */
    size_t n_named;
    dep *deps; /* the input, a --theme file, --data files and the named files, as watched */
    size_t n_deps;
    bool failed;  /* its last render failed: its output is an older one, or none */
    char *errors; /* the diagnostics of its last failed render, to print a repeat only once */
    bool dirty;   /* to be rendered when the events have settled */
    bool loud;    /* print its errors even when they are those printed last time */
} target;

typedef struct watcher {
    jm_context *ctx;
    const opts *o;
    int format;
    int fd;      /* inotify */
    int signals; /* the read end of the signal pipe */
    target *t;
    size_t n;
    double first_event, last_event; /* of the burst being settled (seconds, now()) */
    bool last_complete;             /* its last event completed a file */
} watcher;

/* ---- Watches ------------------------------------------------------------------------------ */

static const uint32_t WATCH_MASK = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                   IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF |
                                   IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK;

enum {
    DEP_FOLLOW = 1, /* a symbolic link's target is a dependency too */
    DEP_QUIET = 2   /* a folder that cannot be watched is left out without a word */
};

/* Adds a dependency on path to deps: the name in its folder ("" for the folder itself: any
 * change in it), watched. With DEP_FOLLOW, when path is a symbolic link, the file it leads to is
 * a dependency too (an editor writes through the link). */
static bool add_dep(watcher *w, dep **deps, size_t *n, const char *path, int flags)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    const char *name = slash ? slash + 1 : path;
    int wd = inotify_add_watch(w->fd, dir, WATCH_MASK);
    if (wd < 0 && (flags & DEP_QUIET))
        return true;
    if (wd < 0) {
        report("journeymap: %s: cannot watch %s: %s%s\n", errno == ENOENT ? "warning" : "error",
               dir, strerror(errno),
               errno == ENOSPC ? " (raise the limit fs.inotify.max_user_watches)" : "");
        return errno == ENOENT; /* the render says what is missing */
    }
    bool known = false;
    for (size_t i = 0; i < *n; i++)
        known |= (*deps)[i].wd == wd && strcmp((*deps)[i].name, name) == 0;
    if (!known) {
        dep *grown = realloc(*deps, (*n + 1) * sizeof *grown);
        if (grown)
            *deps = grown;
        char *copy = grown ? strdup(name) : NULL;
        if (!copy)
            return false;
        (*deps)[(*n)++] = (dep){wd, copy};
    }
    if (flags & DEP_FOLLOW) {
        char *real = realpath(path, NULL);
        bool ok =
            !real || strcmp(real, path) == 0 || add_dep(w, deps, n, real, flags & ~DEP_FOLLOW);
        free(real);
        return ok;
    }
    return true;
}

static void free_deps(dep *deps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(deps[i].name);
    free(deps);
}

static void free_named(target *t)
{
    for (size_t i = 0; i < t->n_named; i++)
        free(t->named[i]);
    free(t->named);
    t->named = NULL;
    t->n_named = 0;
}

/* Remembers the files map names as t's (kept when out of memory). */
static void keep_named(target *t, const jm_map *map)
{
    size_t n = jm_map_named_file_count(map);
    char **named = calloc(n ? n : 1, sizeof *named);
    for (size_t i = 0; named && i < n; i++)
        if (!(named[i] = strdup(jm_map_named_file(map, i)))) {
            while (i > 0)
                free(named[--i]);
            free(named);
            named = NULL;
        }
    if (named) {
        free_named(t);
        t->named = named;
        t->n_named = n;
    }
}

/* Whether the --theme option names a file (as the library tells a file from a theme's name). */
static bool theme_is_file(const char *theme)
{
    size_t n = theme ? strlen(theme) : 0;
    return theme && (strchr(theme, '/') || (n >= 5 && strcasecmp(theme + n - 5, ".json") == 0));
}

enum { SUBFOLDER_DEPTH = 2, SUBFOLDER_MAX = 64 };

/* Adds the folders under dir (depth levels deep, hidden ones left out, at most *budget of them)
 * to deps, as folders: any change in one counts. */
static void add_subfolders(watcher *w, dep **deps, size_t *n, const char *dir, int depth,
                           int *budget)
{
    DIR *d = depth > 0 ? opendir(dir) : NULL;
    for (struct dirent *e; d && *budget > 0 && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s/", dir, e->d_name) >= (int)sizeof path ||
            stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        (*budget)--;
        add_dep(w, deps, n, path, DEP_QUIET);
        path[strlen(path) - 1] = '\0';
        add_subfolders(w, deps, n, path, depth - 1, budget);
    }
    if (d)
        closedir(d);
}

/* Watches t's dependencies again (a folder may have been replaced since): its input, the
 * --theme file, the --data files, and the files its model named when it last loaded. When its input
 * did not load this time, the folders under the input's are watched too: a file the model names may
 * be missing from one (a photo not copied yet), and the map should render once it is there. Watches
 * that no target needs any more are removed. False when a folder cannot be watched (said why). */
static bool set_deps(watcher *w, target *t, bool loaded)
{
    dep *deps = NULL;
    size_t n = 0;
    bool ok = add_dep(w, &deps, &n, t->input, DEP_FOLLOW);
    if (theme_is_file(w->o->render.theme))
        ok &= add_dep(w, &deps, &n, w->o->render.theme, DEP_FOLLOW);
    for (size_t i = 0; i < w->o->n_data; i++) /* read again with each load */
        ok &= add_dep(w, &deps, &n, w->o->data[i], DEP_FOLLOW);
    for (size_t i = 0; i < t->n_named; i++)
        ok &= add_dep(w, &deps, &n, t->named[i], DEP_FOLLOW);
    if (!loaded) {
        const char *slash = strrchr(t->input, '/');
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - t->input) + !(slash - t->input) : 1,
                 slash ? t->input : ".");
        int budget = SUBFOLDER_MAX;
        add_subfolders(w, &deps, &n, dir, SUBFOLDER_DEPTH, &budget);
    }
    dep *old = t->deps;
    size_t n_old = t->n_deps;
    t->deps = deps;
    t->n_deps = n;
    for (size_t i = 0; i < n_old; i++) {
        bool used = false;
        for (size_t j = 0; j < w->n && !used; j++)
            for (size_t k = 0; k < w->t[j].n_deps && !used; k++)
                used = w->t[j].deps[k].wd == old[i].wd;
        if (!used)
            inotify_rm_watch(w->fd, old[i].wd); /* fails for a watch removed twice: harmless */
    }
    free_deps(old, n_old);
    return ok;
}

/* ---- Rendering ---------------------------------------------------------------------------- */

/* The diagnostics in d as the lines they print as; NULL when there are none (or no memory). */
static char *diags_text(const jm_diags *d)
{
    char *all = NULL;
    size_t len = 0;
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        char *line = jm_diag_format(jm_diags_get(d, i));
        size_t n = line ? strlen(line) : 0;
        char *grown = line ? realloc(all, len + n + 2) : NULL;
        if (grown) {
            all = grown;
            memcpy(all + len, line, n);
            len += n;
            all[len++] = '\n';
            all[len] = '\0';
        }
        jm_free(line);
    }
    return all;
}

/* Whether the output would replace a file the map is made from (one its model names, the
 * --theme file): each render would then make the next, without end. Says so. */
static bool writes_a_source(const watcher *w, const target *t, const jm_map *map)
{
    const char *source = theme_is_file(w->o->render.theme) && same_file(t->out, w->o->render.theme)
                             ? w->o->render.theme
                             : NULL;
    for (size_t i = 0; i < jm_map_named_file_count(map) && !source; i++)
        if (same_file(t->out, jm_map_named_file(map, i)))
            source = jm_map_named_file(map, i);
    if (source)
        report("%s: error: the output %s would replace %s, which the map is made from; choose "
               "another -o\n",
               t->input, t->out, source);
    return source != NULL;
}

/* Loads and renders t's input, writes its output, and says how it went. */
static void render_target(watcher *w, target *t)
{
    double t0 = now();
    t->dirty = false;
    jm_diags *d = jm_diags_new();
    if (!d)
        return;
    bool ok = false;
    unsigned char *data = NULL;
    size_t len = 0;
    jm_map *map = NULL;
    if (same_file(t->out, t->input))
        report("%s: error: the output would overwrite the input; choose another -o\n", t->input);
    else
        map = load_input(w->ctx, w->o, t->input, d, false);
    /* Watched before the output is written: whoever waits for the output may edit them next. A
     * map that failed to load keeps the files of the last that loaded. */
    if (map)
        keep_named(t, map);
    set_deps(w, t, map != NULL);
    if (map && !writes_a_source(w, t, map)) {
        jm_render_options ro = w->o->render;
        ro.format = (jm_format)w->format;
        ok = jm_render_to_buffer(w->ctx, map, &ro, &data, &len, d) == 0;
    }
    jm_map_free(map);
    /* The same errors again, after an event that was not about this input's files (an
     * editor's temporary file beside a broken input), are not printed again. */
    char *errors = ok ? NULL : diags_text(d);
    bool repeat =
        !ok && t->failed && !t->loud && errors && t->errors && strcmp(errors, t->errors) == 0;
    t->loud = false;
    if (repeat)
        jm_diags_clear(d);
    else
        print_diags(d);
    if (ok)
        ok = write_output(t->out, data, len, t->input, OUTPUT_FAST) == 0;
    jm_free(data);
    if (ok && !w->o->quiet)
        report("%s: wrote %s (%.0f ms)\n", t->input, t->out, (now() - t0) * 1000);
    else if (!ok && !repeat && access(t->out, F_OK) == 0)
        report("%s: %s is left as it was (the last good render)\n", t->input, t->out);
    free(t->errors);
    t->errors = errors;
    t->failed = !ok;
    jm_diags_free(d);
}

/* ---- Events ------------------------------------------------------------------------------- */

/* Whether name in a folder is one of the outputs, or a temporary file of this program's: a
 * target that failed renders again after any change around it, except those. */
static bool is_an_output(const watcher *w, const char *name)
{
    if (name[0] == '.' && strstr(name, ".jm-"))
        return true;
    for (size_t i = 0; i < w->n; i++) {
        const char *slash = strrchr(w->t[i].out, '/');
        if (strcmp(slash ? slash + 1 : w->t[i].out, name) == 0)
            return true;
    }
    return false;
}

/* Marks the targets that event concerns; whether it concerned any. */
static bool take_event(watcher *w, const struct inotify_event *e)
{
    if (e->mask & IN_Q_OVERFLOW) { /* events were lost: anything may have changed */
        for (size_t i = 0; i < w->n; i++)
            w->t[i].dirty = true;
        return true;
    }
    bool folder_gone = e->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF);
    const char *name = e->len ? e->name : "";
    bool any = false;
    for (size_t i = 0; i < w->n; i++) {
        target *t = &w->t[i];
        bool named = false, around = false;
        for (size_t k = 0; k < t->n_deps; k++) {
            if (t->deps[k].wd != e->wd)
                continue;
            around = true;
            named |= folder_gone || strcmp(t->deps[k].name, name) == 0;
        }
        /* After a failure, a file the map is made from may be the one that was missing. */
        if (named || (around && t->failed && *name && !is_an_output(w, name))) {
            t->dirty = true;
            t->loud |= named;
            any = true;
        }
    }
    return any;
}

/* Reads the pending events and marks the targets they concern. False when reading fails. */
static bool read_events(watcher *w)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t len = read(w->fd, buf, sizeof buf);
        if (len < 0)
            return errno == EAGAIN || errno == EINTR;
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            p += sizeof *e + e->len;
            if (!take_event(w, e))
                continue;
            double t = now();
            bool pending = w->first_event > 0;
            if (!pending)
                w->first_event = t;
            w->last_event = t;
            w->last_complete = e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB);
        }
    }
}

/* Milliseconds until the settled burst is rendered (0: now), -1 when nothing waits. */
static int ms_to_render(const watcher *w)
{
    if (w->first_event <= 0)
        return -1;
    double at = w->last_event + (w->last_complete ? SETTLE_MS : INCOMPLETE_MS) / 1000.0;
    if (at > w->first_event + MAX_WAIT_MS / 1000.0)
        at = w->first_event + MAX_WAIT_MS / 1000.0;
    double ms = (at - now()) * 1000;
    return ms <= 0 ? 0 : (int)ms + 1;
}

static bool signalled(const watcher *w)
{
    struct pollfd p = {w->signals, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

/* Renders the targets marked, unless a signal came; false when one did. */
static bool render_marked(watcher *w)
{
    w->first_event = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (signalled(w))
            return false;
        if (w->t[i].dirty)
            render_target(w, &w->t[i]);
    }
    return true;
}

/* Waits for events and renders after each burst, until a signal. Returns the exit status. */
static int watch_loop(watcher *w)
{
    for (;;) {
        struct pollfd p[2] = {{w->fd, POLLIN, 0}, {w->signals, POLLIN, 0}};
        int r = poll(p, 2, ms_to_render(w));
        if (r < 0 && errno != EINTR) {
            report("journeymap: error: waiting for changes: %s\n", strerror(errno));
            return EXIT_FAILED;
        }
        if (r > 0 && p[1].revents)
            return EXIT_OK;
        if (r > 0 && p[0].revents && !read_events(w)) {
            report("journeymap: error: reading the changes: %s\n", strerror(errno));
            return EXIT_FAILED;
        }
        if (ms_to_render(w) == 0 && !render_marked(w))
            return EXIT_OK;
    }
}

int cmd_watch(jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    watcher w = {ctx, o, o->format >= 0 ? o->format : JM_FORMAT_PNG, -1, -1, NULL, 0, 0, 0, false};
    int rc = EXIT_FAILED;
    w.signals = signals_to_pipe();
    w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.signals < 0 || w.fd < 0) {
        report("journeymap: error: cannot watch files: %s\n", strerror(errno));
        goto done;
    }
    if (!(w.t = calloc(n, sizeof *w.t)))
        goto done;
    /* Every input watched before the first render: its output appearing means its changes
     * are seen from then on. */
    for (; w.n < n; w.n++) {
        target *t = &w.t[w.n];
        t->input = inputs[w.n];
        if (!(t->out = output_path(o, t->input, w.format)) || !set_deps(&w, t, true))
            goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (signalled(&w)) {
            rc = EXIT_OK;
            goto done;
        }
        render_target(&w, &w.t[i]);
    }
    if (!o->quiet)
        report("journeymap: watching %zu input%s and the files %s made from; Ctrl-C stops\n", n,
               n == 1 ? "" : "s", n == 1 ? "it is" : "they are");
    rc = watch_loop(&w);
done:
    for (size_t i = 0; w.t && i < n; i++) {
        free(w.t[i].out);
        free(w.t[i].errors);
        free_named(&w.t[i]);
        free_deps(w.t[i].deps, w.t[i].n_deps);
    }
    free(w.t);
    if (w.fd >= 0)
        close(w.fd);
    return rc;
}

#endif
