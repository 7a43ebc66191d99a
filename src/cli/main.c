/* journeymap: the command line, a thin client of libjourneymap.
 *
 * Batch rendering forks -j worker processes after the context (fonts) is loaded once, so each
 * worker shares the set-up copy-on-write and inputs succeed or fail on their own. */
#define _GNU_SOURCE /* asprintf */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <getopt.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <time.h>
#include <unistd.h>

#include "journeymap.h"
#include "output_file.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage:\n"
    "  journeymap render [options] INPUT...     draw maps\n"
    "  journeymap validate [options] INPUT...   check inputs, print every problem, draw nothing\n"
    "  journeymap convert INPUT [-o OUT.json]   any input -> JSON model\n"
    "  journeymap --help | --version\n"
    "\n"
    "INPUT is a JSON model (.json), a Mermaid journey (.mmd, or .md with a ```mermaid block),\n"
    "a CSV export (.csv, .tsv), or - for standard input (see --from).\n"
    "\n"
    "Render options:\n"
    "  -o FILE             output file (one input); format from its extension; - is stdout\n"
    "  -d DIR              output folder (many inputs): DIR/<name>.<ext>\n"
    "  -f, --format FMT    png, svg, pdf, html (a page with zoom and card details) or json\n"
    "                      (layout geometry)\n"
    "      --state STATE   before, after or compare (default: compare when the map has states)\n"
    "      --theme THEME   default, workshop, print, or a theme .json file\n"
    "      --scale N       PNG pixels per point (default 2, or less to fit the PNG limits)\n"
    "      --page PAGE     PDF page: auto, a4, a3, a2, letter, tabloid (landscape, fit)\n"
    "      --svg-id-prefix P  SVG: start every id with P (default: jm + a hash of the map)\n"
    "  -j, --jobs N        parallel jobs (default: number of cores)\n"
    "  -q, --quiet         no progress bar or summary\n"
    "      --from KIND     kind of standard input: json (default), mermaid, csv\n"
    "      --title TEXT    title for CSV and Mermaid inputs without one\n"
    "\n"
    "Exit status: 0 all rendered, 1 some input invalid or failed (the rest are rendered),\n"
    "2 bad usage (also: two inputs that would write the same output; nothing is rendered).\n";

static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "journeymap: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'journeymap --help'.\n");
}

typedef struct opts {
    const char *out, *dir, *title;
    int format; /* -1: from -o, else png */
    jm_render_options render;
    jm_input_kind from;
    long jobs;
    bool quiet;
} opts;

/* ---- Messages ------------------------------------------------------------------------------ */

/* Whether a batch's progress bar may be on the terminal's last line (set before the workers
 * are forked, so that they know too): a message then clears that line first, in the same
 * write, instead of being glued to the bar, which is drawn again after the next result. */
static bool progress_shown;

/* Writes whole lines to standard error in one write(2), so that lines from parallel workers
 * never interleave. */
static void emit(const char *msg, size_t len)
{
    static const char clear_line[] = "\r\033[K";
    char *buf = NULL;
    if (progress_shown && (buf = malloc(len + sizeof clear_line))) {
        memcpy(buf, clear_line, sizeof clear_line - 1);
        memcpy(buf + sizeof clear_line - 1, msg, len);
        msg = buf;
        len += sizeof clear_line - 1;
    }
    for (size_t off = 0; off < len;) {
        ssize_t n = write(STDERR_FILENO, msg + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* nothing more we can do */
        off += (size_t)n;
    }
    free(buf);
}

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        emit(s, (size_t)n);
        free(s);
    }
}

/* On a terminal, a message about a line of a file is followed by that line and a caret under
 * the column (columns count characters), like a compiler's. A long line (a minified JSON file
 * is one line) is shown as a window of EXCERPT_WIDTH characters around the column, its cut
 * ends marked with "…". */
static bool show_context;
enum { EXCERPT_WIDTH = 80, EXCERPT_BEFORE = 40 };

/* The character at s (UTF-8; a stray byte counts as one character); returns its length. */
static size_t utf8_char(const unsigned char *s, uint32_t *cp)
{
    int n = s[0] < 0x80             ? 1
            : (s[0] & 0xE0) == 0xC0 ? 2
            : (s[0] & 0xF0) == 0xE0 ? 3
            : (s[0] & 0xF8) == 0xF0 ? 4
                                    : 1;
    uint32_t c = n == 1 ? s[0] : s[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = c << 6 | (s[i] & 0x3F);
    }
    *cp = c;
    return (size_t)n;
}

/* Terminal columns of a character: 0 for combining marks, 2 for East Asian wide characters and
 * emoji, else 1. */
static int char_columns(uint32_t c)
{
    if ((c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
        (c >= 0x200B && c <= 0x200F) || (c >= 0x20D0 && c <= 0x20FF) ||
        (c >= 0xFE00 && c <= 0xFE0F))
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

/* Line `number` of the file (without its end), NULL if there is none. Caller frees. */
static char *read_line(const char *path, int number)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got = -1;
    for (int n = 0; n < number && (got = getline(&line, &cap, f)) >= 0; n++) {
    }
    fclose(f);
    if (got < 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

/* The excerpt of line around column (characters from 1) and the caret under it, indented. */
static char *excerpt(const char *line, int column)
{
    const unsigned char *s = (const unsigned char *)line;
    size_t total = 0; /* characters in the line */
    uint32_t cp;
    for (size_t b = 0; s[b]; b += utf8_char(s + b, &cp))
        total++;
    size_t at = column > 1 ? (size_t)column - 1 : 0; /* the caret's character */
    if (at > total)
        at = total; /* just past the end */
    size_t first = 0, end = total;
    if (total > EXCERPT_WIDTH) {
        first = at > EXCERPT_BEFORE ? at - EXCERPT_BEFORE : 0;
        if (first + EXCERPT_WIDTH > total)
            first = total - EXCERPT_WIDTH;
        end = first + EXCERPT_WIDTH;
    }
    /* Text and caret lines: at most 4 bytes a character, and 2 caret bytes a character. */
    char *out = malloc(32 + 4 * (size_t)EXCERPT_WIDTH + 2 * (size_t)EXCERPT_WIDTH + 16);
    if (!out)
        return NULL;
    char *t = out;
    t += sprintf(t, "    %s", first > 0 ? "…" : "");
    size_t i = 0, b = 0;
    for (; s[b] && i < first; i++)
        b += utf8_char(s + b, &cp);
    for (; s[b] && i < end; i++) {
        size_t n = utf8_char(s + b, &cp);
        if (cp < 0x20 && cp != '\t')
            *t++ = '?'; /* a control character would act on the terminal */
        else
            t += n == 1 && cp == 0xFFFD ? sprintf(t, "?") : sprintf(t, "%.*s", (int)n, s + b);
        b += n;
    }
    t += sprintf(t, "%s\n    %s", end < total ? "…" : "", first > 0 ? " " : "");
    b = 0;
    for (i = 0; s[b] && i < first; i++)
        b += utf8_char(s + b, &cp);
    for (; s[b] && i < at; i++) {
        b += utf8_char(s + b, &cp);
        if (cp == '\t')
            *t++ = '\t';
        else
            for (int w = char_columns(cp); w > 0; w--)
                *t++ = ' ';
    }
    strcpy(t, "^\n");
    return out;
}

static void append_context(char **buf, size_t *len, const jm_diag *g)
{
    if (!show_context || g->line <= 0 || !g->file || !*g->file || strcmp(g->file, "-") == 0)
        return;
    char *line = read_line(g->file, g->line);
    char *ex = line ? excerpt(line, g->column) : NULL;
    char *more;
    if (ex && asprintf(&more, "%.*s%s", (int)*len, *buf, ex) >= 0) {
        free(*buf);
        *buf = more;
        *len = strlen(more);
    }
    free(ex);
    free(line);
}

static void print_diags(jm_diags *d)
{
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        const jm_diag *g = jm_diags_get(d, i);
        char *s = jm_diag_format(g);
        if (!s)
            continue;
        char *line;
        if (asprintf(&line, "%s\n", s) >= 0) {
            size_t len = strlen(line);
            append_context(&line, &len, g);
            emit(line, len);
            free(line);
        }
        jm_free(s);
    }
    jm_diags_clear(d);
}

/* ---- Signals: an interrupted batch leaves no temporary or partial file ------------------ *
 *
 * SIGINT, SIGTERM and SIGHUP end the process (the exit status says which signal) and leave
 * behind only complete outputs:
 * - an output is written with these signals held back (write_output), so a signal never cuts a
 *   write in two: it takes effect once the file is renamed into place (or removed on error);
 * - the batch parent passes a signal on to its workers and waits for them before it dies, so
 *   when the parent is gone, so is every worker (a `kill` or a job scheduler may signal the
 *   parent alone; Ctrl-C signals them all);
 * - a worker whose parent dies without a word (SIGKILL) is sent SIGTERM by the kernel. */

static pid_t *worker_pids; /* the batch's workers, in the parent; NULL elsewhere */
static long n_workers;

static void on_signal(int sig)
{
    for (long j = 0; j < n_workers; j++)
        if (worker_pids[j] > 0)
            kill(worker_pids[j], sig);
    for (long j = 0; j < n_workers; j++)
        if (worker_pids[j] > 0)
            while (waitpid(worker_pids[j], NULL, 0) < 0 && errno == EINTR)
                continue;
    /* Only set while a write is under way, which these signals cannot interrupt; kept as a
     * second line of defence for a write that did not block them. */
    const char *tmp = output_pending_temp();
    if (tmp && *tmp)
        unlink(tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void handled_set(sigset_t *set)
{
    sigemptyset(set);
    for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++)
        sigaddset(set, handled_signals[i]);
}

static void install_signal_handlers(void)
{
    /* Past a file size limit (ulimit -f), a write fails with EFBIG and is reported like a full
     * disk, instead of SIGXFSZ killing the process with its temporary file left behind. */
    signal(SIGXFSZ, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    handled_set(&sa.sa_mask); /* one handler at a time: a second signal waits for the first */
    for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++) {
        /* A signal ignored by whoever started us (nohup, a background job of a script) stays
         * ignored, as the shell meant. */
        struct sigaction cur;
        if (sigaction(handled_signals[i], NULL, &cur) == 0 && cur.sa_handler == SIG_IGN)
            continue;
        sigaction(handled_signals[i], &sa, NULL);
    }
}

/* Holds the handled signals back (block) or lets them through again (restore old). */
static void hold_signals(sigset_t *old)
{
    sigset_t set;
    handled_set(&set);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* Writes into a device or a FIFO in place: renaming a file over it would replace the device
 * itself (as root, `-o /dev/null` would turn /dev/null into a regular file). */
static int write_special(const char *path, const void *data, size_t len, const char *input)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    int err = fd < 0 ? errno : 0;
    for (size_t off = 0; !err && off < len;) {
        ssize_t n = write(fd, (const char *)data + off, len - off);
        if (n < 0 && errno != EINTR)
            err = errno;
        else if (n > 0)
            off += (size_t)n;
    }
    if (fd >= 0 && close(fd) != 0 && !err)
        err = errno;
    if (err)
        report("%s: error: cannot write %s: %s\n", input, path, strerror(err));
    return err ? -1 : 0;
}

/* Writes an output file. A regular file (or a new one) is written atomically: a temporary file
 * in the same folder, renamed into place when complete; a symbolic link is followed, so the
 * file it names is replaced and the link stays a link. The handled signals are held back during
 * the write: rendering, the long part, stays interruptible; the write is short and runs to its
 * end, so an interrupt leaves either the complete new file or the old one. */
static int write_output(const char *path, const void *data, size_t len, const char *input)
{
    struct stat st;
    char *real = NULL;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        real = realpath(path, NULL); /* NULL for a dangling link: then it is replaced */
    const char *target = real ? real : path;
    int rc;
    if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
        report("%s: error: cannot write %s: it is a folder\n", input, path);
        rc = -1;
    } else if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
        rc = write_special(target, data, len, input);
    } else {
        sigset_t old;
        hold_signals(&old);
        int err = output_write_atomic(target, data, len);
        if (err)
            report("%s: error: cannot write %s: %s\n", input, path, strerror(err));
        rc = err ? -1 : 0;
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    free(real);
    return rc;
}

static const char *ext_of(int format)
{
    static const char *const ext[] = {"png", "svg", "pdf", "json", "html"};
    return ext[format];
}

static bool same_file(const char *a, const char *b)
{
    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return false;
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return strcmp(a, b) == 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* DIR/<input name without extension>.<ext>, or next to the input when no -o/-d. */
static char *output_path(const opts *o, const char *input, int format)
{
    if (o->out)
        return strdup(o->out);
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    if (strcmp(input, "-") == 0)
        base = "stdin";
    size_t stem = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        stem = (size_t)(dot - base);
    char *path;
    if (o->dir) {
        if (asprintf(&path, "%s/%.*s.%s", o->dir, (int)stem, base, ext_of(format)) < 0)
            return NULL;
    } else {
        size_t dirlen = (size_t)(base - input);
        if (asprintf(&path, "%.*s%.*s.%s", (int)dirlen, input, (int)stem, base, ext_of(format)) < 0)
            return NULL;
    }
    return path;
}

/* ---- Output collisions: two inputs never write the same file ---------------------------- *
 *
 * Outputs are named after their inputs, so a/x.csv and b/x.mmd rendered into one folder would
 * both write x.png and one map would be lost; an output may also be another input of the batch.
 * Such a batch is refused before anything is rendered. Files are compared by identity (device
 * and inode) where they exist, else by their folder's identity and their name. */

typedef struct out_key {
    dev_t dev;
    ino_t ino;
    const char *name; /* the file name in folder (dev, ino), or "" for the file (dev, ino) */
    size_t input;     /* index of the input it belongs to */
    bool is_output;   /* else the input itself */
} out_key;

/* Keys the file at path: its own identity if it exists, else its folder's and its name. */
static bool key_of(const char *path, out_key *k)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        k->dev = st.st_dev;
        k->ino = st.st_ino;
        k->name = "";
        return true;
    }
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    bool ok = dir && stat(dir, &st) == 0;
    free(dir);
    if (!ok)
        return false; /* no such folder: the write itself will fail and say so */
    k->dev = st.st_dev;
    k->ino = st.st_ino;
    k->name = slash ? slash + 1 : path;
    return true;
}

static int compare_keys(const void *pa, const void *pb)
{
    const out_key *a = pa, *b = pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    if (a->input != b->input) /* report the earliest inputs first */
        return a->input < b->input ? -1 : 1;
    return (int)a->is_output - (int)b->is_output;
}

/* Prints every collision among the batch's outputs (and between an output and another input);
 * returns how many were found. */
static size_t find_output_collisions(const opts *o, char **inputs, size_t n, int format)
{
    out_key *keys = calloc(2 * n + 1, sizeof *keys);
    char **outs = calloc(n + 1, sizeof *outs);
    size_t nk = 0, found = 0;
    if (!keys || !outs)
        goto done;
    for (size_t i = 0; i < n; i++) {
        outs[i] = output_path(o, inputs[i], format);
        if (outs[i] && strcmp(outs[i], "-") != 0 && key_of(outs[i], &keys[nk])) {
            keys[nk].input = i;
            keys[nk++].is_output = true;
        }
        struct stat st;
        if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0) {
            keys[nk] = (out_key){st.st_dev, st.st_ino, "", i, false};
            nk++;
        }
    }
    qsort(keys, nk, sizeof *keys, compare_keys);
    for (size_t g = 0; g < nk;) {
        size_t end = g + 1;
        while (end < nk && keys[end].dev == keys[g].dev && keys[end].ino == keys[g].ino &&
               strcmp(keys[end].name, keys[g].name) == 0)
            end++;
        /* The first output of the group against every other member; an output over its own
         * input is refused per input, as with one input. */
        size_t first = end;
        for (size_t k = g; k < end && first == end; k++)
            if (keys[k].is_output)
                first = k;
        for (size_t k = g; first < end && k < end; k++) {
            size_t a = keys[first].input, b = keys[k].input;
            if (k == first || a == b)
                continue;
            if (keys[k].is_output && strcmp(inputs[a], inputs[b]) == 0)
                fprintf(stderr, "journeymap: error: %s is given twice (output %s)\n", inputs[a],
                        outs[a]);
            else if (keys[k].is_output)
                fprintf(stderr, "journeymap: error: %s and %s would both be written to %s\n",
                        inputs[a], inputs[b], outs[a]);
            else
                fprintf(stderr, "journeymap: error: the output of %s, %s, is the input %s\n",
                        inputs[a], outs[a], inputs[b]);
            found++;
        }
        g = end;
    }
    if (found)
        fprintf(stderr, "journeymap: nothing rendered: give the inputs different names, or "
                        "render them into different folders (-d)\n");
done:
    if (outs)
        for (size_t i = 0; i < n; i++)
            free(outs[i]);
    free(outs);
    free(keys);
    return found;
}

static int write_stdout(const unsigned char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(STDOUT_FILENO, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            report("journeymap: error: cannot write to standard output: %s\n", strerror(errno));
            return -1;
        }
        off += (size_t)n;
    }
    return 0;
}

static jm_map *load(jm_context *ctx, const opts *o, const char *input, jm_diags *d)
{
    jm_load_options lo = {JM_INPUT_AUTO, o->title};
    if (strcmp(input, "-") == 0)
        lo.kind = o->from;
    return jm_map_load_file(ctx, input, &lo, d);
}

/* Renders one input; returns 0 or 1. */
static int render_one(jm_context *ctx, const opts *o, const char *input)
{
    jm_diags *d = jm_diags_new();
    if (!d)
        return 1;
    int rc = 1;
    int format = o->format >= 0 ? o->format : JM_FORMAT_PNG;
    char *out = output_path(o, input, format);
    if (!out)
        goto done;
    if (same_file(out, input)) {
        report("%s: error: the output would overwrite the input; choose another -o\n", input);
        goto done;
    }
    jm_map *map = load(ctx, o, input, d);
    print_diags(d);
    if (!map)
        goto done;
    jm_render_options ro = o->render;
    ro.format = (jm_format)format;
    if (strcmp(out, "-") == 0) {
        unsigned char *data;
        size_t len;
        if (jm_render_to_buffer(ctx, map, &ro, &data, &len, d) == 0) {
            rc = write_stdout(data, len) == 0 ? 0 : 1;
            jm_free(data);
        }
    } else {
        unsigned char *data;
        size_t len;
        if (jm_render_to_buffer(ctx, map, &ro, &data, &len, d) == 0) {
            rc = write_output(out, data, len, input) == 0 ? 0 : 1;
            jm_free(data);
        }
    }
    print_diags(d);
    jm_map_free(map);
done:
    free(out);
    jm_diags_free(d);
    return rc;
}

/* ---- Left-over temporary files ----------------------------------------------------------- */

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes, from each folder this run writes into, the temporary files a killed run of this
 * program left there (see output_remove_stale_temps), and says so unless -q. */
static void remove_stale_temps(const opts *o, char **inputs, size_t n, int format)
{
    char **dirs = calloc(n, sizeof *dirs);
    size_t nd = 0;
    for (size_t i = 0; dirs && i < n; i++) {
        char *out = output_path(o, inputs[i], format);
        if (out && strcmp(out, "-") != 0) {
            char *slash = strrchr(out, '/');
            if (!slash)
                strcpy(out, ".");
            else
                slash[slash == out] = '\0'; /* "/x.png" is in "/" */
            dirs[nd++] = out;
        } else {
            free(out);
        }
    }
    if (dirs)
        qsort(dirs, nd, sizeof *dirs, compare_strings);
    for (size_t i = 0; i < nd; i++) {
        size_t removed =
            i > 0 && strcmp(dirs[i], dirs[i - 1]) == 0 ? 0 : output_remove_stale_temps(dirs[i]);
        if (removed && !o->quiet)
            fprintf(stderr,
                    "journeymap: removed %zu temporary file%s left in %s by a run that was "
                    "killed\n",
                    removed, removed == 1 ? "" : "s", dirs[i]);
    }
    for (size_t i = 0; i < nd; i++)
        free(dirs[i]);
    free(dirs);
}

/* ---- Batch: -j worker processes, a progress bar and a summary --------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(size_t done, size_t total, size_t failed)
{
    int width = 30, fill = total ? (int)(done * (size_t)width / total) : width;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu%s", bar, done, total, failed ? " (failures)" : "");
    fflush(stderr);
}

/* Waits (at most 10 s) until this process has one thread; false if it never did. fork()
 * copies every lock another thread holds (the allocator's, GLib's, a sanitizer's) but not the
 * thread that would release it, so a worker forked while one is held would hang at its first
 * allocation. Pango's fontconfig thread, started with the context, may still be exiting when
 * the batch begins; on a loaded machine under ASan that took seconds. */
static bool wait_until_single_threaded(void)
{
#ifdef __linux__
    for (int tries = 0; tries < 10000; tries++) { /* 1 ms apart: the wait is usually short */
        DIR *d = opendir("/proc/self/task");
        if (!d)
            return true;
        int threads = 0;
        for (struct dirent *e; (e = readdir(d));)
            threads += e->d_name[0] != '.';
        closedir(d);
        if (threads <= 1)
            return true;
        struct timespec pause = {0, 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return false;
#else
    return true;
#endif
}

static int render_batch(jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    double t0 = now();
    long jobs = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = (long)n;
    bool bar = !o->quiet && n > 1 && isatty(STDERR_FILENO);
    progress_shown = bar;
    size_t failed = 0, done = 0;
    /* Forking beside a live thread could hang a worker: render here instead, slower but safe. */
    if (jobs > 1 && !wait_until_single_threaded()) {
        if (!o->quiet)
            fprintf(stderr, "journeymap: warning: a library thread is still running; rendering "
                            "in one process\n");
        jobs = 1;
    }
    if (jobs == 1) {
        for (size_t i = 0; i < n; i++) {
            failed += (size_t)render_one(ctx, o, inputs[i]);
            if (bar)
                progress(++done, n, failed);
        }
    } else {
        /* Work queue: input indexes in a pipe; results (one byte per input) come back. */
        int work[2], results[2];
        if (pipe(work) != 0 || pipe(results) != 0) {
            perror("journeymap: pipe");
            return EXIT_FAILED;
        }
        pid_t *pids = calloc((size_t)jobs, sizeof *pids);
        if (!pids)
            return EXIT_FAILED;
        /* Signals are held while forking, so that the handler always sees every worker
         * started so far (and a worker never runs the parent's handler). */
        sigset_t old_mask;
        hold_signals(&old_mask);
        worker_pids = pids;
        n_workers = jobs;
        pid_t parent = getpid();
        for (long j = 0; j < jobs; j++) {
            pids[j] = fork();
            if (pids[j] == 0) {
                worker_pids = NULL;
                n_workers = 0;
#ifdef __linux__
                /* A parent killed outright cannot pass a signal on: the kernel does. */
                prctl(PR_SET_PDEATHSIG, SIGTERM);
                if (getppid() != parent)
                    _exit(EXIT_FAILED);
#else
                (void)parent;
#endif
                sigprocmask(SIG_SETMASK, &old_mask, NULL);
                close(work[1]);
                close(results[0]);
                uint32_t idx;
                while (read(work[0], &idx, sizeof idx) == (ssize_t)sizeof idx) {
                    char r = (char)render_one(ctx, o, inputs[idx]);
                    if (write(results[1], &r, 1) != 1)
                        _exit(EXIT_FAILED);
                }
                _exit(EXIT_OK);
            }
            if (pids[j] < 0) {
                perror("journeymap: fork");
                jobs = n_workers = j;
                break;
            }
        }
        /* With every worker gone (crashed), writing work would raise SIGPIPE and kill the
         * parent before its summary: let the write fail instead. Workers keep the default, so
         * a worker whose parent has died stops at its next result. */
        signal(SIGPIPE, SIG_IGN);
        sigprocmask(SIG_SETMASK, &old_mask, NULL);
        close(work[0]);
        close(results[1]);
        /* Indexes are 4 bytes, below PIPE_BUF, so each read takes exactly one. The pipe may
         * fill, so feed it while collecting results. */
        size_t sent = 0;
        while (done < n) {
            while (sent < n && sent - done < 512) {
                uint32_t idx = (uint32_t)sent;
                if (write(work[1], &idx, sizeof idx) != (ssize_t)sizeof idx)
                    break;
                sent++;
            }
            if (sent == n && work[1] >= 0) {
                close(work[1]);
                work[1] = -1;
            }
            char r;
            ssize_t k = read(results[0], &r, 1);
            if (k <= 0)
                break;
            done++;
            failed += r != 0;
            if (bar)
                progress(done, n, failed);
        }
        if (work[1] >= 0)
            close(work[1]);
        close(results[0]);
        for (long j = 0; j < jobs; j++) {
            while (waitpid(pids[j], NULL, 0) < 0 && errno == EINTR)
                continue;
            pids[j] = 0; /* reaped: the handler must not signal a pid the system may reuse */
        }
        n_workers = 0;
        worker_pids = NULL;
        free(pids);
        failed += n - done; /* a worker that died took its input with it */
    }
    if (bar)
        fputc('\n', stderr);
    if (!o->quiet && n > 1)
        fprintf(stderr, "journeymap: rendered %zu of %zu maps%s in %.2f s (%.1f ms a map)\n",
                n - failed, n, failed ? " (see errors above)" : "", now() - t0,
                (now() - t0) * 1000 / (double)n);
    return failed ? EXIT_FAILED : EXIT_OK;
}

/* ---- Commands ------------------------------------------------------------------------------ */

static bool parse_enum(const char *arg, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(arg, names[i]) == 0) {
            *out = i;
            return true;
        }
    return false;
}

static int cmd_validate(jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    int rc = EXIT_OK;
    jm_diags *d = jm_diags_new();
    for (size_t i = 0; i < n; i++) {
        jm_map *m = load(ctx, o, inputs[i], d);
        print_diags(d);
        if (!m)
            rc = EXIT_FAILED;
        else if (!o->quiet)
            printf("%s: ok (%zu touchpoints)\n", inputs[i], jm_map_touchpoint_count(m));
        jm_map_free(m);
    }
    jm_diags_free(d);
    return rc;
}

static int cmd_convert(jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    if (n != 1) {
        usage_error("%s", "convert takes exactly one INPUT");
        return EXIT_USAGE;
    }
    const char *out = o->out ? o->out : "-";
    if (same_file(out, inputs[0])) {
        fprintf(stderr, "%s: error: the output would overwrite the input; choose another -o\n",
                inputs[0]);
        return EXIT_FAILED;
    }
    jm_diags *d = jm_diags_new();
    jm_map *m = load(ctx, o, inputs[0], d);
    print_diags(d);
    int rc = EXIT_FAILED;
    if (m) {
        char *json = jm_map_to_json(m);
        if (json) {
            if (strcmp(out, "-") == 0)
                rc = write_stdout((unsigned char *)json, strlen(json)) == 0 ? EXIT_OK : EXIT_FAILED;
            else
                rc = write_output(out, json, strlen(json), inputs[0]) == 0 ? EXIT_OK : EXIT_FAILED;
            print_diags(d);
            jm_free(json);
        }
        jm_map_free(m);
    }
    jm_diags_free(d);
    return rc;
}

/* glibc hands memory back to the kernel as soon as a map's buffers are freed (heap trimmed,
 * blocks over 128 KB unmapped), and the next map of a batch takes page faults to get it
 * again: a third of a batch's system time. Keeping a few MB serves map after map. */
static void keep_freed_memory(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
#endif
}

/* This program draws with the library's fonts only, so fontconfig's configuration of the
 * process is an empty one. Otherwise Pango 1.50 has the first font map load the system's
 * (conf.d files, the caches of every installed font: 25 M instructions, a third of rendering
 * a small map) on its FcInit thread, and every font lookup waits for it. */
static void use_no_system_fonts(void)
{
    FcConfig *none = FcConfigCreate();
    if (none) {
        FcConfigSetCurrent(none);
        FcConfigDestroy(none); /* fontconfig holds it now */
    }
}

int main(int argc, char **argv)
{
    keep_freed_memory();
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("journeymap %s\n", jm_version());
        return EXIT_OK;
    }
    if (strcmp(cmd, "render") != 0 && strcmp(cmd, "validate") != 0 && strcmp(cmd, "convert") != 0) {
        usage_error("unknown command '%s'", cmd);
        return EXIT_USAGE;
    }

    opts o = {0};
    o.format = -1;
    jm_render_options_init(&o.render);
    o.from = JM_INPUT_JSON;
    enum {
        OPT_STATE = 256,
        OPT_THEME,
        OPT_SCALE,
        OPT_PAGE,
        OPT_FROM,
        OPT_TITLE,
        OPT_SVG_ID_PREFIX
    };
    static const struct option long_opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"dir", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"state", required_argument, NULL, OPT_STATE},
        {"theme", required_argument, NULL, OPT_THEME},
        {"scale", required_argument, NULL, OPT_SCALE},
        {"page", required_argument, NULL, OPT_PAGE},
        {"svg-id-prefix", required_argument, NULL, OPT_SVG_ID_PREFIX},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"from", required_argument, NULL, OPT_FROM},
        {"title", required_argument, NULL, OPT_TITLE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"png", "svg", "pdf", "json", "html"};
    static const char *const states[] = {"auto", "before", "after", "compare"};
    static const char *const pages[] = {"auto", "a4", "a3", "a2", "letter", "tabloid"};
    static const char *const kinds[] = {"auto", "json", "mermaid", "csv"};
    optind = 2;
    int c, v;
    while ((c = getopt_long(argc, argv, "o:d:f:j:qh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.out = optarg; break;
        case 'd': o.dir = optarg; break;
        case 'f':
            if (!parse_enum(optarg, formats, 5, &o.format)) {
                usage_error("unknown format '%s' (png, svg, pdf, html, json)", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_STATE:
            if (!parse_enum(optarg, states, 4, &v)) {
                usage_error("unknown state '%s' (before, after, compare)", optarg);
                return EXIT_USAGE;
            }
            o.render.state = (jm_state)v;
            break;
        case OPT_THEME: o.render.theme = optarg; break;
        case OPT_SVG_ID_PREFIX: o.render.svg_id_prefix = optarg; break;
        case OPT_SCALE: {
            char *end;
            double s = strtod(optarg, &end);
            if (*end || !(s > 0 && s <= 16)) {
                usage_error("--scale takes a number above 0 and at most 16, got '%s'", optarg);
                return EXIT_USAGE;
            }
            o.render.scale = s;
            break;
        }
        case OPT_PAGE:
            if (!parse_enum(optarg, pages, 6, &v)) {
                usage_error("unknown page '%s' (auto, a4, a3, a2, letter, tabloid)", optarg);
                return EXIT_USAGE;
            }
            o.render.page = (jm_page)v;
            break;
        case 'j': {
            char *end;
            o.jobs = strtol(optarg, &end, 10);
            if (*end || o.jobs < 1 || o.jobs > 256) {
                usage_error("-j takes a number from 1 to 256, got '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'q': o.quiet = true; break;
        case OPT_FROM:
            if (!parse_enum(optarg, kinds, 4, &v) || v == 0) {
                usage_error("unknown input kind '%s' (json, mermaid, csv)", optarg);
                return EXIT_USAGE;
            }
            o.from = (jm_input_kind)v;
            break;
        case OPT_TITLE: o.title = optarg; break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        default: fputs("Try 'journeymap --help'.\n", stderr); return EXIT_USAGE;
        }
    }
    char **inputs = argv + optind;
    size_t n = (size_t)(argc - optind);
    if (n == 0) {
        usage_error("%s: no INPUT given", cmd);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "render") == 0) {
        if (o.out && o.dir) {
            usage_error("%s", "-o and -d cannot be used together");
            return EXIT_USAGE;
        }
        if (o.out && n > 1) {
            usage_error("%s", "-o takes one INPUT; use -d DIR for several");
            return EXIT_USAGE;
        }
        if (o.out && strcmp(o.out, "-") == 0 && o.format < 0) {
            usage_error("%s", "-o - (standard output) needs -f png|svg|pdf|html|json");
            return EXIT_USAGE;
        }
        if (o.out && o.format < 0 && strcmp(o.out, "-") != 0) {
            o.format = jm_format_from_path(o.out);
            if (o.format < 0) {
                usage_error("cannot tell the format of '%s'; use -f png|svg|pdf|html|json", o.out);
                return EXIT_USAGE;
            }
        }
        if (o.dir) {
            struct stat st;
            if (stat(o.dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
                fprintf(stderr, "journeymap: error: %s: not a folder (create it first)\n", o.dir);
                return EXIT_FAILED;
            }
        }
    }
    if (strcmp(cmd, "render") == 0 && n > 1 &&
        find_output_collisions(&o, inputs, n, o.format >= 0 ? o.format : JM_FORMAT_PNG))
        return EXIT_USAGE;
    install_signal_handlers();
    show_context = isatty(STDERR_FILENO);
    use_no_system_fonts();
    jm_diags *d = jm_diags_new();
    jm_context *ctx = jm_context_new(NULL, d);
    print_diags(d);
    jm_diags_free(d);
    if (!ctx)
        return EXIT_FAILED;
    if (strcmp(cmd, "render") == 0)
        remove_stale_temps(&o, inputs, n, o.format >= 0 ? o.format : JM_FORMAT_PNG);
    else if (strcmp(cmd, "convert") == 0 && o.out)
        remove_stale_temps(&o, inputs, 1, JM_FORMAT_JSON); /* with o.out, the output is o.out */
    int rc;
    if (strcmp(cmd, "validate") == 0)
        rc = cmd_validate(ctx, &o, inputs, n);
    else if (strcmp(cmd, "convert") == 0)
        rc = cmd_convert(ctx, &o, inputs, n);
    else
        rc = render_batch(ctx, &o, inputs, n);
    jm_context_free(ctx);
    return rc;
}
