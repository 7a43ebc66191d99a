/* journeymap-bench: how fast journeymap is, and how its cost grows with the map.
 *
 * Not a test: it asserts nothing and CTest does not run it. For a fixed set of inputs
 * (bench/inputs/, and the maps bench/gen_inputs.c writes into the build tree) it prints:
 *
 *   1. per map and format, the median time of a render in one process with one context
 *      (jm_render_to_buffer: layout included), and of loading and of the layout alone;
 *   2. the peak memory of one load and render above the context, each in a fresh fork;
 *   3. the time per touchpoint, and how time and memory grow from 300 to 3 000 to 30 000
 *      touchpoints;
 *   4. the PNG encoder against Cairo's PNG writer on the same pixels (time, size, lossless),
 *      and drawing plus encoding against Cairo's encoding alone;
 *   5. the command line as people run it: start-up, a one-card map, a Mermaid-sized map as a
 *      process of its own, and a batch of 200 Mermaid-sized maps in one call with -j 2;
 *   6. journeymap watch: from an input saved (renamed into place, as editors do) to its new
 *      output renamed into place, per map and format.
 *
 * Times are wall-clock medians of repeated runs; the machine may be shared, so the load
 * average before and after is printed with them. bench/compare-mermaid.sh sets journeymap
 * side by side with Mermaid CLI.
 *
 * Usage: journeymap-bench [--quick] [--reps N] [--only maps|png|cli|watch] [--cli PATH]
 *                         [--inputs DIR] [--fixed DIR] */
#define _GNU_SOURCE /* posix_spawn's environ, mkdtemp */
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "context/context.h"
#include "journeymap.h"
#include "layout/layout.h"
#include "render/png_encode.h"
#include "render/render.h"
#include "theme/theme.h"
#include "util/util.h"

extern char **environ;

#define MAX_REPS 101
#define PNG_SCALE 2.0        /* the command line's default --scale */
#define PNG_MAX_SIDE 32767.0 /* the backend's PNG limits (render/png.c) */
#define PNG_MAX_PIXELS 300e6
#define BATCH_MAPS 200
#define N_FORMATS 4 /* jm_format: PNG, SVG, PDF, JSON */

typedef struct options {
    const char *gen_dir, *fixed_dir, *cli, *only;
    int reps; /* 0: by map size */
    bool quick;
} options;

typedef struct bench_map {
    const char *name;  /* file name, in the fixed folder when `fixed`, else the generated one */
    const char *label; /* the name in the tables, NULL: name */
    jm_layout_kind layout;
    bool fixed;
    char *path, *text;
    size_t len, touchpoints;
    int reps;
    double load_ms, layout_ms, width, height, png_scale;
    double ms[N_FORMATS];          /* median render (CPU), layout included; < 0: not run */
    double wall_ms[N_FORMATS];     /* the same, wall clock */
    size_t bytes[N_FORMATS];       /* output size */
    double load_mb, mb[N_FORMATS]; /* peak RSS above the context: load, load + render */
} bench_map;

/* ---- Helpers ------------------------------------------------------------------------------ */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of this process, every thread: on a shared machine it does not count the time
 * spent waiting for a core, which wall time does. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    if (n <= 0)
        return -1;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what, const char *detail, jm_diags *d)
{
    fprintf(stderr, "journeymap-bench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    for (size_t i = 0; d && i < jm_diags_count(d); i++) {
        char *s = jm_diag_format(jm_diags_get(d, i));
        fprintf(stderr, "  %s\n", s ? s : "?");
        jm_free(s);
    }
    exit(1);
}

static double load_average(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = -1;
        fclose(f);
    }
    return l;
}

static void print_machine(void)
{
    char model[256] = "unknown CPU", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(model, sizeof model, "%s", colon + 2);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    }
    if (f)
        fclose(f);
    struct utsname u;
    uname(&u);
    time_t t = time(NULL);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&t));
    printf("journeymap %s benchmark (%s build), %s\n", jm_version(), JM_BENCH_BUILD_TYPE, date);
    printf("machine: %s, %ld cores online, %s %s; load average %.2f at the start\n\n", model,
           sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.machine, load_average());
}

/* VmRSS or VmHWM of this process in KiB; -1 when unknown. */
static long proc_status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0 && line[kl] == ':')
            v = strtol(line + kl + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

/* ---- 1–3: in-process renders -------------------------------------------------------------- */

static jm_map *load(jm_context *ctx, const bench_map *m, jm_diags *d)
{
    jm_map *map = jm_map_load_buffer(ctx, m->path, m->text, m->len, NULL, d);
    if (!map)
        die("an input does not load", m->path, d);
    return map;
}

static const char *label_of(const bench_map *m) { return m->label ? m->label : m->name; }

static jm_render_options render_options(int format, const bench_map *m)
{
    jm_render_options ro;
    jm_render_options_init(&ro);
    ro.format = (jm_format)format;
    ro.layout = m->layout;
    ro.scale = m->png_scale;
    return ro;
}

/* Peak RSS growth, in MB, of loading m and rendering it as `format` once (-1: load only), in
 * a child forked from a process that holds the context: the child resets its high-water mark
 * (clear_refs 5), so the figure is what this map costs. -1 when the kernel cannot tell. */
static double peak_mb(jm_context *ctx, const bench_map *m, int format)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        /* Memory the parent freed is still resident, and reusing it would not show. */
        malloc_trim(0);
        long before = -1;
        int cr = open("/proc/self/clear_refs", O_WRONLY);
        if (cr >= 0 && write(cr, "5", 1) == 1)
            before = proc_status_kb("VmRSS");
        if (cr >= 0)
            close(cr);
        jm_diags *d = jm_diags_new();
        jm_map *map = load(ctx, m, d);
        bool ok = true;
        if (format >= 0) {
            jm_render_options ro = render_options(format, m);
            unsigned char *data = NULL;
            size_t len;
            ok = jm_render_to_buffer(ctx, map, &ro, &data, &len, d) == 0;
            jm_free(data);
        }
        long peak = proc_status_kb("VmHWM");
        double mb = ok && before >= 0 && peak >= 0 ? (double)(peak - before) / 1024 : -1;
        _exit(write(fd[1], &mb, sizeof mb) == (ssize_t)sizeof mb ? 0 : 1);
    }
    close(fd[1]);
    double mb = -1;
    if (pid < 0 || read(fd[0], &mb, sizeof mb) != (ssize_t)sizeof mb)
        mb = -1;
    close(fd[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return mb;
}

/* The largest PNG scale, at most the default, within the backend's limits for this map. */
static double png_scale_for(double w, double h)
{
    double s = fmin(PNG_SCALE, fmin(PNG_MAX_SIDE / w, PNG_MAX_SIDE / h));
    s = floor(fmin(s, sqrt(PNG_MAX_PIXELS / (w * h))) * 100) / 100;
    while (s > 0 && ceil(w * s) * ceil(h * s) > PNG_MAX_PIXELS)
        s -= 0.01;
    return s;
}

static int reps_for(const options *o, size_t touchpoints)
{
    int r = o->reps;
    if (r <= 0)
        r = touchpoints <= 50 ? 21 : touchpoints <= 300 ? 11 : touchpoints <= 3000 ? 5 : 3;
    if (o->quick && o->reps <= 0)
        r = r / 3 < 3 ? 3 : r / 3;
    return r > MAX_REPS ? MAX_REPS : r;
}

static void measure_map(jm_context *ctx, const options *o, bench_map *m)
{
    double t[MAX_REPS];
    jm_diags *d = jm_diags_new();
    jm_map *map = load(ctx, m, d); /* also the warm-up */
    m->touchpoints = jm_map_touchpoint_count(map);
    m->reps = reps_for(o, m->touchpoints);
    for (int r = 0; r < m->reps; r++) {
        double t0 = cpu_ms();
        jm_map *again = load(ctx, m, d);
        t[r] = cpu_ms() - t0;
        jm_map_free(again);
    }
    m->load_ms = median(t, m->reps);

    /* The layout alone, with the default theme (no input names another). */
    jm_theme *theme = jm_theme_load(jm_context_data_dir(ctx), NULL, d);
    jm_layout_options lo = {.state = JM_STATE_AUTO, .layout = m->layout};
    for (int r = -1; r < m->reps; r++) {
        jm_context_forget_texts(ctx);
        double t0 = cpu_ms();
        jm_layout *layout = theme ? jm_layout_new(ctx, map, theme, &lo, d) : NULL;
        double dt = cpu_ms() - t0;
        if (!layout)
            die("layout failed", m->path, d);
        if (r >= 0)
            t[r] = dt;
        m->width = layout->width;
        m->height = layout->height;
        jm_layout_free(layout);
    }
    jm_theme_free(theme);
    m->layout_ms = median(t, m->reps);
    m->png_scale = png_scale_for(m->width, m->height);

    for (int f = 0; f < N_FORMATS; f++) {
        m->ms[f] = -1;
        if (f == JM_FORMAT_PNG && m->png_scale < 0.01)
            continue;
        jm_render_options ro = render_options(f, m);
        double w[MAX_REPS];
        for (int r = -1; r < m->reps; r++) {
            unsigned char *data;
            size_t len;
            jm_context_forget_texts(ctx);
            double w0 = now_ms(), t0 = cpu_ms();
            if (jm_render_to_buffer(ctx, map, &ro, &data, &len, d) != 0)
                die("render failed", m->path, d);
            if (r >= 0) {
                t[r] = cpu_ms() - t0;
                w[r] = now_ms() - w0;
            }
            m->bytes[f] = len;
            jm_free(data);
        }
        m->ms[f] = median(t, m->reps);
        m->wall_ms[f] = median(w, m->reps);
        jm_diags_clear(d); /* e.g. the PDF page-size warning of a huge map */
    }
    jm_map_free(map);
    jm_diags_free(d);
}

static void print_ms(double v)
{
    if (v < 0)
        printf(" %9s", "n/a");
    else
        printf(" %9.2f", v);
}

static void print_maps(const bench_map *maps, size_t n)
{
    printf(
        "1. CPU time per map, median (ms): loading, the layout alone, and a render in each\n"
        "   format (layout included), in one process with one context, after one warm-up run.\n"
        "   Before each run the context forgets the texts it measured (fonts and theme stay\n"
        "   loaded), as for a map a batch has not seen: a map whose strings all fit the text\n"
        "   cache would otherwise be measured warm and a larger one cold. PNG at scale %.0f, or\n"
        "   the largest the backend accepts for the map. Wall-clock medians follow.\n\n",
        PNG_SCALE);
    printf("   %-19s %7s %4s %9s %9s %9s %9s %9s %9s   %s\n", "map", "touchp.", "reps", "load",
           "layout", "PNG", "SVG", "PDF", "JSON", "PNG size");
    for (size_t i = 0; i < n; i++) {
        const bench_map *m = &maps[i];
        printf("   %-19s %7zu %4d", label_of(m), m->touchpoints, m->reps);
        print_ms(m->load_ms);
        print_ms(m->layout_ms);
        for (int f = 0; f < N_FORMATS; f++)
            print_ms(m->ms[f]);
        if (m->ms[JM_FORMAT_PNG] < 0)
            printf("   n/a: %.0f pt wide\n", m->width);
        else
            printf("   %.0f×%.0f px (scale %.2f)\n", ceil(m->width * m->png_scale),
                   ceil(m->height * m->png_scale), m->png_scale);
    }
    printf("\n   %-19s %7s %4s %9s %9s %9s %9s %9s %9s\n", "wall clock", "", "", "", "", "PNG",
           "SVG", "PDF", "JSON");
    for (size_t i = 0; i < n; i++) {
        const bench_map *m = &maps[i];
        printf("   %-19s %7s %4s %9s %9s", label_of(m), "", "", "", "");
        for (int f = 0; f < N_FORMATS; f++)
            print_ms(m->ms[f] < 0 ? -1 : m->wall_ms[f]);
        printf("\n");
    }

    printf("\n2. Peak memory above the context (MB) of loading the map, and of loading and\n"
           "   rendering it once, each in a fresh fork; output size (MB).\n\n");
    printf("   %-19s %8s %8s %8s %8s %8s  |%8s %8s %8s %8s\n", "map", "load", "PNG", "SVG", "PDF",
           "JSON", "PNG", "SVG", "PDF", "JSON");
    for (size_t i = 0; i < n; i++) {
        const bench_map *m = &maps[i];
        printf("   %-19s %8.1f", label_of(m), m->load_mb);
        for (int f = 0; f < N_FORMATS; f++)
            printf(" %8.1f", m->mb[f]);
        printf("  |");
        for (int f = 0; f < N_FORMATS; f++)
            printf(" %8.2f", m->ms[f] < 0 ? 0.0 : (double)m->bytes[f] / 1e6);
        printf("\n");
    }

    printf("\n3. CPU time per touchpoint (µs): loading plus a render.\n\n");
    printf("   %-19s %9s %9s %9s %9s\n", "map", "PNG", "SVG", "PDF", "JSON");
    for (size_t i = 0; i < n; i++) {
        const bench_map *m = &maps[i];
        printf("   %-19s", label_of(m));
        for (int f = 0; f < N_FORMATS; f++)
            print_ms(m->ms[f] < 0 ? -1 : (m->load_ms + m->ms[f]) * 1e3 / (double)m->touchpoints);
        printf("\n");
    }

    /* Growth between consecutive generated maps: 10× the touchpoints each. */
    const bench_map *gen[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < n; i++) {
        size_t tp = maps[i].touchpoints;
        int k = tp == 300 ? 0 : tp == 3000 ? 1 : tp == 30000 ? 2 : -1;
        if (k >= 0 && !maps[i].fixed && strncmp(maps[i].name, "gen-", 4) == 0)
            gen[k] = &maps[i];
    }
    printf("\n   Growth for 10× the touchpoints (target: at most 11×). Time: CPU, loading plus a\n"
           "   render; memory: peak above the context. PNG is left out: its pixel count is capped\n"
           "   by the backend's limits, so it does not grow 10×.\n\n");
    printf("   %-19s %8s %8s %8s %8s %8s %8s %8s\n", "step", "layout", "SVG", "PDF", "JSON",
           "mem SVG", "mem PDF", "mem JSON");
    for (int k = 0; k < 2; k++) {
        const bench_map *a = gen[k], *b = gen[k + 1];
        if (!a || !b)
            continue;
        printf("   %5zu → %-9zu %7.1f×", a->touchpoints, b->touchpoints,
               b->layout_ms / a->layout_ms);
        for (int f = JM_FORMAT_SVG; f <= JM_FORMAT_JSON; f++)
            printf(" %7.1f×", (b->load_ms + b->ms[f]) / (a->load_ms + a->ms[f]));
        for (int f = JM_FORMAT_SVG; f <= JM_FORMAT_JSON; f++)
            printf(" %7.1f×", a->mb[f] > 0 ? b->mb[f] / a->mb[f] : 0);
        printf("\n");
    }
    printf("\n");
}

/* ---- 4: the PNG encoder ------------------------------------------------------------------- */

static cairo_status_t write_to_buf(void *closure, const unsigned char *data, unsigned int n)
{
    jm_buf *b = closure;
    jm_buf_append(b, (const char *)data, n);
    return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* A PNG decoded into an ARGB32 surface, the format the backend draws PNGs on. */
static cairo_surface_t *decode_png(const unsigned char *data, size_t len)
{
    cairo_surface_t *s = jm_png_decode(data, len);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        die("cannot decode a PNG", cairo_status_to_string(cairo_surface_status(s)), NULL);
    if (cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32)
        return s;
    cairo_surface_t *argb = cairo_image_surface_create(
        CAIRO_FORMAT_ARGB32, cairo_image_surface_get_width(s), cairo_image_surface_get_height(s));
    cairo_t *cr = cairo_create(argb);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return argb;
}

static bool same_pixels(cairo_surface_t *a, cairo_surface_t *b)
{
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b))
        return false;
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    for (int y = 0; y < h; y++)
        if (memcmp(cairo_image_surface_get_data(a) + (size_t)y * cairo_image_surface_get_stride(a),
                   cairo_image_surface_get_data(b) + (size_t)y * cairo_image_surface_get_stride(b),
                   (size_t)w * 4) != 0)
            return false;
    return true;
}

/* Times Cairo's writer and ours on the pixels of m at the default scale, and the backend's
 * drawing plus encoding, from a ready layout. */
static void measure_png(jm_context *ctx, const options *o, bench_map *m)
{
    int reps = reps_for(o, m->touchpoints);
    double t[MAX_REPS];
    jm_diags *d = jm_diags_new();
    jm_map *map = load(ctx, m, d);
    jm_theme *theme = jm_theme_load(jm_context_data_dir(ctx), NULL, d);
    jm_layout_options lo = {.state = JM_STATE_AUTO, .layout = JM_LAYOUT_AUTO};
    jm_layout *layout = theme ? jm_layout_new(ctx, map, theme, &lo, d) : NULL;
    if (!layout)
        die("layout failed", m->path, d);

    unsigned char *png = NULL;
    size_t png_len = 0;
    for (int r = -1; r < reps; r++) {
        jm_free(png);
        double t0 = cpu_ms();
        if (jm_render_layout(NULL, layout, JM_FORMAT_PNG, PNG_SCALE, JM_PAGE_AUTO, &png, &png_len,
                             d))
            die("PNG render failed", m->path, d);
        if (r >= 0)
            t[r] = cpu_ms() - t0;
    }
    double draw_and_encode = median(t, reps);
    cairo_surface_t *pixels = decode_png(png, png_len);
    double px =
        (double)cairo_image_surface_get_width(pixels) * cairo_image_surface_get_height(pixels);

    jm_buf theirs = {0}, ours = {0};
    for (int r = -1; r < reps; r++) {
        jm_buf_free(&theirs);
        double t0 = cpu_ms();
        if (cairo_surface_write_to_png_stream(pixels, write_to_buf, &theirs))
            die("Cairo's PNG writer failed", m->path, NULL);
        if (r >= 0)
            t[r] = cpu_ms() - t0;
    }
    double cairo_ms = median(t, reps);
    for (int r = -1; r < reps; r++) {
        jm_buf_free(&ours);
        double t0 = cpu_ms();
        if (jm_png_encode(pixels, &ours))
            die("jm_png_encode failed", m->path, NULL);
        if (r >= 0)
            t[r] = cpu_ms() - t0;
    }
    double ours_ms = median(t, reps);
    cairo_surface_t *back = decode_png((const unsigned char *)ours.data, ours.len);
    bool lossless = same_pixels(pixels, back);
    bool same_file = ours.len == png_len && memcmp(ours.data, png, png_len) == 0;
    double draw_ms = draw_and_encode - ours_ms;

    printf("   %-19s %4.0f×%-4.0f %5.2f MP | Cairo %7.1f ms %5.1f ns/px %8zu B | ours %6.1f ms "
           "%5.1f ns/px %8zu B\n",
           m->name, (double)cairo_image_surface_get_width(pixels),
           (double)cairo_image_surface_get_height(pixels), px / 1e6, cairo_ms, cairo_ms * 1e6 / px,
           theirs.len, ours_ms, ours_ms * 1e6 / px, ours.len);
    printf("   %-19s %-15s encode %.1f× faster (target ≥ 3), file %.2f× Cairo's (≤ 1.25), "
           "lossless: %s%s\n",
           "", "", cairo_ms / ours_ms, (double)ours.len / (double)theirs.len,
           lossless ? "yes" : "NO", same_file ? "" : " (backend output differs!)");
    printf("   %-19s %-15s draw %.1f ms + encode %.1f ms = %.2f× Cairo's encoding alone (≤ 1.3); "
           "layout %.1f ms more\n",
           "", "", draw_ms, ours_ms, draw_and_encode / cairo_ms, m->layout_ms);

    cairo_surface_destroy(back);
    cairo_surface_destroy(pixels);
    jm_buf_free(&theirs);
    jm_buf_free(&ours);
    jm_free(png);
    jm_layout_free(layout);
    jm_theme_free(theme);
    jm_map_free(map);
    jm_diags_free(d);
}

/* ---- 5: the command line ------------------------------------------------------------------ */

typedef struct run_time {
    double wall, cpu; /* ms; cpu: user + system of the process and its children */
} run_time;

/* Runs argv with its output thrown away; {-1, -1} when it fails. */
static run_time run(char *const argv[])
{
    run_time fail = {-1, -1};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now_ms();
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return fail;
    int status;
    struct rusage ru; /* wait4 adds the children the process waited for (batch workers) */
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail;
    double wall = now_ms() - t0;
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    return (run_time){wall, cpu};
}

static run_time run_median(char *const argv[], int reps)
{
    run_time fail = {-1, -1};
    double w[MAX_REPS], c[MAX_REPS];
    if (run(argv).wall < 0) /* warm-up (page cache), and a check that it works */
        return fail;
    for (int r = 0; r < reps; r++) {
        run_time t = run(argv);
        if (t.wall < 0)
            return fail;
        w[r] = t.wall;
        c[r] = t.cpu;
    }
    return (run_time){median(w, reps), median(c, reps)};
}

static void print_run(const char *what, run_time t)
{
    printf("   %-46s %8.2f %8.2f\n", what, t.wall, t.cpu);
}

static void measure_cli(const options *o)
{
    if (access(o->cli, X_OK) != 0) {
        printf("5. Command line: skipped (%s is not there; --cli PATH)\n\n", o->cli);
        return;
    }
    char scratch[] = "/tmp/journeymap-bench-XXXXXX";
    if (!mkdtemp(scratch))
        die("cannot create a scratch folder", strerror(errno), NULL);
    int reps = o->reps > 0 ? o->reps : o->quick ? 7 : 21;
    char *cli = (char *)o->cli;
    char *one_card = jm_asprintf("%s/one-card.json", o->fixed_dir);
    char *mermaid = jm_asprintf("%s/mermaid-10.mmd", o->fixed_dir);
    char *out_svg = jm_asprintf("%s/out.svg", scratch),
         *out_png = jm_asprintf("%s/out.png", scratch);

    printf("5. The command line: time per process, median of %d (ms): wall clock, and CPU\n"
           "   (user + system, from wait4).\n\n",
           reps);
    printf("   %-46s %8s %8s\n", "", "wall", "CPU");
    char *version[] = {cli, "--version", NULL};
    print_run("journeymap --version", run_median(version, reps));
    char *one[] = {cli, "render", one_card, "-o", out_svg, NULL};
    print_run("journeymap render one-card.json -o out.svg", run_median(one, reps));
    char *mmd_svg[] = {cli, "render", mermaid, "-o", out_svg, NULL};
    print_run("journeymap render mermaid-10.mmd -o out.svg", run_median(mmd_svg, reps));
    char *mmd_png[] = {cli, "render", mermaid, "-o", out_png, NULL};
    print_run("journeymap render mermaid-10.mmd -o out.png", run_median(mmd_png, reps));

    /* The batch: 200 Mermaid-sized maps in one call. */
    char *argv[BATCH_MAPS + 16];
    int k = 0, jobs_at, first_input;
    argv[k++] = cli;
    argv[k++] = "render";
    argv[k++] = "-q";
    argv[k++] = "-j";
    jobs_at = k;
    argv[k++] = "2";
    argv[k++] = "-f";
    argv[k++] = "svg";
    argv[k++] = "-d";
    argv[k++] = scratch;
    first_input = k;
    for (int i = 0; i < BATCH_MAPS; i++)
        if (!(argv[k++] = jm_asprintf("%s/batch/map-%03d.mmd", o->gen_dir, i)))
            die("out of memory", NULL, NULL);
    argv[k] = NULL;
    int batch_reps = o->quick ? 3 : 5;
    run_time j2 = run_median(argv, batch_reps);
    argv[jobs_at] = "1";
    run_time j1 = run_median(argv, batch_reps);
    printf("\n   Batch of %d Mermaid-sized maps, SVG, in one call (median of %d). The CPU of the\n"
           "   workers over two cores is what -j 2 takes when no one else wants them.\n\n",
           BATCH_MAPS, batch_reps);
    printf("   %-30s %10s %10s %12s %14s\n", "", "wall", "CPU", "wall a map", "CPU/2 a map");
    printf("   %-30s %8.0f ms %7.0f ms %9.2f ms %11.2f ms   (target ≤ 2 ms a map)\n",
           "journeymap render -j 2 -f svg", j2.wall, j2.cpu, j2.wall / BATCH_MAPS,
           j2.cpu / 2 / BATCH_MAPS);
    printf("   %-30s %8.0f ms %7.0f ms %9.2f ms\n\n", "journeymap render -j 1 -f svg", j1.wall,
           j1.cpu, j1.wall / BATCH_MAPS);
    for (int i = first_input; i < k; i++)
        jm_free(argv[i]);

    /* Leave nothing behind. */
    char *rm[] = {"/bin/rm", "-rf", scratch, NULL};
    run(rm);
    jm_free(one_card);
    jm_free(mermaid);
    jm_free(out_svg);
    jm_free(out_png);
}

/* ---- 6: journeymap watch ------------------------------------------------------------------ */

/* Waits (at most 60 s) for a file named name to be renamed into the folder inotify fd watches;
 * the time it saw it (now_ms), or -1. */
static double wait_for_rename(int fd, const char *name)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    double deadline = now_ms() + 60000;
    for (double t; (t = now_ms()) < deadline;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, (int)(deadline - t) + 1) <= 0)
            continue;
        double seen = now_ms();
        ssize_t len = read(fd, buf, sizeof buf);
        for (char *q = buf; len > 0 && q < buf + len;) {
            const struct inotify_event *e = (const struct inotify_event *)q;
            q += sizeof *e + e->len;
            if ((e->mask & IN_MOVED_TO) && e->len && strcmp(e->name, name) == 0)
                return seen;
        }
    }
    return -1;
}

/* CPU time (user + system) process pid has used, in ms; -1 when the kernel cannot tell. */
static double process_cpu_ms(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* after the command name, which may hold spaces */
    unsigned long utime, stime;
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        return -1;
    return (double)(utime + stime) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* The median of the render times (from the start of a load to the output renamed into place)
 * that `journeymap watch` reported in its log, past the first (the initial render). */
static double reported_render_ms(const char *log)
{
    FILE *f = fopen(log, "r");
    double v[MAX_REPS + 2];
    int n = 0, seen = 0;
    char line[1024];
    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, ": wrote ");
        p = p ? strrchr(line, '(') : NULL;
        if (p && seen++ > 0 && n < MAX_REPS + 2)
            v[n++] = strtod(p + 1, NULL);
    }
    if (f)
        fclose(f);
    return n ? median(v, n) : -1;
}

/* Starts `journeymap watch` on a copy of m in its own scratch folder, writing `format`, then
 * saves the input reps times (a new file renamed over it, as editors do; alternately with and
 * without a trailing newline, so that every save is a change) and times each save to the new
 * output renamed into place. Prints one row. */
static void measure_watch_one(const options *o, const bench_map *m, const char *format,
                              const char *scale, int reps)
{
    char label[16];
    snprintf(label, sizeof label, "%s%s%s", format, scale ? "@" : "", scale ? scale : "");
    char scratch[] = "/tmp/journeymap-bench-watch-XXXXXX";
    if (!mkdtemp(scratch))
        die("cannot create a scratch folder", strerror(errno), NULL);
    const char *ext = strrchr(m->name, '.');
    char *input = jm_asprintf("%s/map%s", scratch, ext), *tmp = jm_asprintf("%s/.map.tmp", scratch);
    char *out_name = jm_asprintf("out.%s", format), *out = jm_asprintf("%s/%s", scratch, out_name);
    char *log = jm_asprintf("%s/log", scratch);
    FILE *f = fopen(input, "wb");
    if (!f || fwrite(m->text, 1, m->len, f) != m->len || fclose(f) != 0)
        die("cannot write a scratch input", input, NULL);
    int fd = inotify_init1(IN_CLOEXEC);
    if (fd < 0 || inotify_add_watch(fd, scratch, IN_MOVED_TO) < 0)
        die("inotify", strerror(errno), NULL);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char *argv[] = {(char *)o->cli, "watch", input, "-o", out, "--scale", (char *)scale, NULL};
    if (!scale)
        argv[5] = NULL;
    pid_t pid;
    if (posix_spawn(&pid, o->cli, &fa, NULL, argv, environ) != 0)
        die("cannot start journeymap watch", o->cli, NULL);
    posix_spawn_file_actions_destroy(&fa);
    double t[MAX_REPS];
    int done = 0;
    bool ok = wait_for_rename(fd, out_name) >= 0;
    double cpu0 = process_cpu_ms(pid);
    for (int r = 0; ok && r < reps; r++) {
        f = fopen(tmp, "wb");
        if (!f || fwrite(m->text, 1, m->len, f) != m->len || (r % 2 == 0 && fputc('\n', f) < 0) ||
            fclose(f) != 0)
            die("cannot write a scratch input", tmp, NULL);
        double t0 = now_ms();
        if (rename(tmp, input) != 0)
            die("cannot save the scratch input", strerror(errno), NULL);
        double t1 = wait_for_rename(fd, out_name);
        ok = t1 >= 0;
        if (ok)
            t[done++] = t1 - t0;
    }
    double cpu = process_cpu_ms(pid) - cpu0;
    kill(pid, SIGTERM);
    int status = -1;
    waitpid(pid, &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
        printf("   %-18s %-5s failed (see the log below)\n", m->name, label);
        char *cat[] = {"/bin/cat", log, NULL};
        fflush(stdout);
        run(cat);
    } else {
        double lo = t[0], hi = t[0];
        for (int i = 1; i < done; i++)
            lo = fmin(lo, t[i]), hi = fmax(hi, t[i]);
        printf("   %-18s %-5s %9.1f %9.1f %9.1f %12.0f %9.1f\n", m->name, label, median(t, done),
               lo, hi, reported_render_ms(log), cpu0 >= 0 && cpu >= 0 ? cpu / done : -1);
    }
    close(fd);
    char *rm[] = {"/bin/rm", "-rf", scratch, NULL};
    run(rm);
    jm_free(input);
    jm_free(tmp);
    jm_free(out_name);
    jm_free(out);
    jm_free(log);
}

static void measure_watch(const options *o, const bench_map *maps, size_t n)
{
    if (access(o->cli, X_OK) != 0) {
        printf("6. journeymap watch: skipped (%s is not there; --cli PATH)\n\n", o->cli);
        return;
    }
    int reps = o->reps > 0 ? o->reps : o->quick ? 7 : 21;
    printf("6. journeymap watch: from an input saved (a new file renamed over it, as editors do)\n"
           "   to the new output renamed into place (inotify on both sides), ms over %d saves;\n"
           "   wall clock: median, min, max; 'its render': the median watch reports for itself\n"
           "   (load, layout, render, the atomic write; whole ms), the rest is its settling delay\n"
           "   (10 ms) and waking up; CPU: the watcher's user + system time a save, in clock\n"
           "   ticks over all saves. Target: under 50 ms for a workshop-sized map.\n\n",
           reps);
    printf("   %-18s %-5s %9s %9s %9s %12s %9s\n", "map", "", "median", "min", "max", "its render",
           "CPU");
    /* PNG at the default scale (2), and at 1: a quarter of the pixels. */
    static const struct {
        const char *format, *scale;
    } formats[] = {{"svg", NULL},  {"html", NULL}, {"pdf", NULL},
                   {"json", NULL}, {"png", NULL},  {"png", "1"}};
    for (size_t i = 0; i < n && i < 3; i++) /* up to the 300-touchpoint map */
        for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++)
            if (!formats[k].scale || i < 2) /* the 300-touchpoint map is too large at 1 */
                measure_watch_one(o, &maps[i], formats[k].format, formats[k].scale, reps);
    printf("\n");
}

/* ---- Main --------------------------------------------------------------------------------- */

static void usage(void)
{
    fputs("usage: journeymap-bench [--quick] [--reps N] [--only maps|png|cli|watch] [--cli PATH]\n"
          "                        [--inputs DIR] [--fixed DIR]\n",
          stderr);
    exit(2);
}

static void read_input(bench_map *m, const options *o)
{
    m->path = jm_asprintf("%s/%s", m->fixed ? o->fixed_dir : o->gen_dir, m->name);
    char *err = NULL;
    if (!m->path || jm_read_file(m->path, 1u << 30, &m->text, &m->len, &err) != 0)
        die("cannot read an input (build the bench-inputs target first)", err ? err : m->path,
            NULL);
}

int main(int argc, char **argv)
{
    options o = {JM_BENCH_GEN_DIR, JM_BENCH_FIXED_DIR, JM_BENCH_CLI, NULL, 0, false};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            o.quick = true;
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            o.reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            o.only = argv[++i];
        else if (strcmp(argv[i], "--cli") == 0 && i + 1 < argc)
            o.cli = argv[++i];
        else if (strcmp(argv[i], "--inputs") == 0 && i + 1 < argc)
            o.gen_dir = argv[++i];
        else if (strcmp(argv[i], "--fixed") == 0 && i + 1 < argc)
            o.fixed_dir = argv[++i];
        else
            usage();
    }
    if (o.reps < 0 || o.reps > MAX_REPS)
        usage();
    bool all = !o.only;
    setvbuf(stdout, NULL, _IOLBF, 0);
    print_machine();

    jm_diags *d = jm_diags_new();
    double t0 = now_ms();
    jm_context *ctx = jm_context_new(NULL, d);
    double first_ctx = now_ms() - t0;
    if (!ctx)
        die("cannot create the context", NULL, d);
    t0 = now_ms();
    jm_context_free(jm_context_new(NULL, d));
    printf("Context (fonts): %.2f ms the first time in a process, %.2f ms again\n\n", first_ctx,
           now_ms() - t0);

    bench_map maps[] = {
        {.name = "mermaid-10.mmd", .fixed = true},
        {.name = "workshop-40.json"},
        {.name = "gen-300.json", .layout = JM_LAYOUT_DETAIL},
        {.name = "dense-40.json", .label = "dense-40 detail", .layout = JM_LAYOUT_DETAIL},
        {.name = "dense-40.json", .label = "dense-40 overview", .layout = JM_LAYOUT_OVERVIEW},
        {.name = "dense-300.json", .label = "dense-300 detail", .layout = JM_LAYOUT_DETAIL},
        {.name = "dense-300.json", .label = "dense-300 overview", .layout = JM_LAYOUT_OVERVIEW},
        {.name = "gen-3000.json", .layout = JM_LAYOUT_DETAIL},
        {.name = "gen-30000.json", .layout = JM_LAYOUT_DETAIL},
    };
    size_t n = sizeof maps / sizeof maps[0];
    if (o.quick)
        n--; /* no 30 000-touchpoint map */
    for (size_t i = 0; i < n; i++)
        read_input(&maps[i], &o);

    if (all || strcmp(o.only, "maps") == 0) {
        /* Memory first, while this process holds little but the context. */
        for (size_t i = 0; i < n; i++) {
            maps[i].png_scale = PNG_SCALE;
            maps[i].load_mb = peak_mb(ctx, &maps[i], -1);
        }
        for (size_t i = 0; i < n; i++) {
            fprintf(stderr, "journeymap-bench: %s…\n", label_of(&maps[i]));
            measure_map(ctx, &o, &maps[i]);
            for (int f = 0; f < N_FORMATS; f++)
                maps[i].mb[f] = maps[i].ms[f] < 0 ? -1 : peak_mb(ctx, &maps[i], f);
        }
        print_maps(maps, n);
    }
    if (all || strcmp(o.only, "png") == 0) {
        printf("4. PNG encoding of the same pixels at scale %.0f, median CPU time: Cairo's writer\n"
               "   (cairo_surface_write_to_png_stream) and jm_png_encode; then the backend's\n"
               "   drawing plus encoding (jm_render_layout, from a ready layout).\n\n",
               PNG_SCALE);
        for (size_t i = 0; i < 2 && i < n; i++) {
            if (!maps[i].reps) { /* maps were not measured: the layout time is still wanted */
                measure_map(ctx, &(options){.reps = 3}, &maps[i]);
                maps[i].reps = 0;
            }
            measure_png(ctx, &o, &maps[i]);
        }
        printf("\n");
    }
    if (all || strcmp(o.only, "cli") == 0)
        measure_cli(&o);
    if (all || strcmp(o.only, "watch") == 0)
        measure_watch(&o, maps, n);

    printf("load average %.2f at the end\n", load_average());
    for (size_t i = 0; i < n; i++) {
        jm_free(maps[i].path);
        jm_free(maps[i].text);
    }
    jm_context_free(ctx);
    jm_diags_free(d);
    return 0;
}
