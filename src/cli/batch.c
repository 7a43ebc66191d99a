/* journeymap render: one input after another, or -j worker processes forked after the context
 * (fonts) is loaded once, so each worker shares the set-up copy-on-write and inputs succeed or
 * fail on their own; a progress bar and a summary. */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "messages.h"
#include "output_names.h"
#include "output_write.h"
#include "progress.h"
#include "signals.h"

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
    jm_map *map = load_input(ctx, o, input, d, false);
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
            rc = write_output(out, data, len, input, OUTPUT_DURABLE) == 0 ? 0 : 1;
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

/* How many processes render: -j (default: the cores), no more than inputs. */
static long batch_jobs(const opts *o, size_t n)
{
    long jobs = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = (long)n;
    return jobs;
}

/* Renders every input in this process; returns how many failed. */
static size_t render_in_process(jm_context *ctx, const opts *o, char **inputs, size_t n, bool bar)
{
    size_t failed = 0, done = 0;
    for (size_t i = 0; i < n; i++) {
        failed += (size_t)render_one(ctx, o, inputs[i]);
        if (bar)
            progress(++done, n, failed);
    }
    return failed;
}

/* A worker: renders the inputs whose indexes it reads from work, writes one result byte each
 * to results, and exits when the work pipe is closed. */
static _Noreturn void worker_loop(jm_context *ctx, const opts *o, char **inputs, int work[2],
                                  int results[2])
{
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

/* Forks up to jobs workers into pids; returns how many were started. */
static long start_workers(jm_context *ctx, const opts *o, char **inputs, int work[2],
                          int results[2], pid_t *pids, long jobs)
{
    /* Signals are held while forking, so that the handler always sees every worker
     * started so far (and a worker never runs the parent's handler). */
    sigset_t old_mask;
    hold_signals(&old_mask);
    signals_track_workers(pids, jobs);
    pid_t parent = getpid();
    for (long j = 0; j < jobs; j++) {
        pids[j] = fork();
        if (pids[j] == 0) {
            signals_track_workers(NULL, 0);
#ifdef __linux__
            /* A parent killed outright cannot pass a signal on: the kernel does. */
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != parent)
                _exit(EXIT_FAILED);
#else
            (void)parent;
#endif
            sigprocmask(SIG_SETMASK, &old_mask, NULL);
            worker_loop(ctx, o, inputs, work, results);
        }
        if (pids[j] < 0) {
            perror("journeymap: fork");
            jobs = j;
            signals_track_workers(pids, jobs);
            break;
        }
    }
    /* With every worker gone (crashed), writing work would raise SIGPIPE and kill the
     * parent before its summary: let the write fail instead. Workers keep the default, so
     * a worker whose parent has died stops at its next result. */
    signal(SIGPIPE, SIG_IGN);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    return jobs;
}

/* Feeds the n input indexes to the workers while collecting their results; returns how many
 * results came back (fewer when every worker died), adding the failures to *failed. */
static size_t feed_and_collect(int work_in, int results_out, size_t n, bool bar, size_t *failed)
{
    /* Indexes are 4 bytes, below PIPE_BUF, so each read takes exactly one. The pipe may
     * fill, so feed it while collecting results. */
    size_t sent = 0, done = 0;
    while (done < n) {
        while (sent < n && sent - done < 512) {
            uint32_t idx = (uint32_t)sent;
            if (write(work_in, &idx, sizeof idx) != (ssize_t)sizeof idx)
                break;
            sent++;
        }
        if (sent == n && work_in >= 0) {
            close(work_in);
            work_in = -1;
        }
        char r;
        ssize_t k = read(results_out, &r, 1);
        if (k <= 0)
            break;
        done++;
        *failed += r != 0;
        if (bar)
            progress(done, n, *failed);
    }
    if (work_in >= 0)
        close(work_in);
    close(results_out);
    return done;
}

static void reap_workers(pid_t *pids, long jobs)
{
    for (long j = 0; j < jobs; j++) {
        while (waitpid(pids[j], NULL, 0) < 0 && errno == EINTR)
            continue;
        pids[j] = 0; /* reaped: the handler must not signal a pid the system may reuse */
    }
    signals_track_workers(NULL, 0);
}

/* Renders the inputs in jobs worker processes; adds the failures to *failed. False (nothing
 * rendered) when the pipes or the list of workers cannot be made. */
static bool render_in_workers(jm_context *ctx, const opts *o, char **inputs, size_t n, long jobs,
                              bool bar, size_t *failed)
{
    /* Work queue: input indexes in a pipe; results (one byte per input) come back. */
    int work[2], results[2];
    if (pipe(work) != 0 || pipe(results) != 0) {
        perror("journeymap: pipe");
        return false;
    }
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    if (!pids)
        return false;
    jobs = start_workers(ctx, o, inputs, work, results, pids, jobs);
    close(work[0]);
    close(results[1]);
    size_t done = feed_and_collect(work[1], results[0], n, bar, failed);
    reap_workers(pids, jobs);
    free(pids);
    *failed += n - done; /* a worker that died took its input with it */
    return true;
}

int render_batch(jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    double t0 = now();
    long jobs = batch_jobs(o, n);
    bool bar = !o->quiet && n > 1 && isatty(STDERR_FILENO);
    messages_clear_progress_line(bar);
    size_t failed = 0;
    /* Forking beside a live thread could hang a worker: render here instead, slower but safe. */
    if (jobs > 1 && !wait_until_single_threaded()) {
        if (!o->quiet)
            fprintf(stderr, "journeymap: warning: a library thread is still running; rendering "
                            "in one process\n");
        jobs = 1;
    }
    if (jobs == 1)
        failed = render_in_process(ctx, o, inputs, n, bar);
    else if (!render_in_workers(ctx, o, inputs, n, jobs, bar, &failed))
        return EXIT_FAILED;
    if (bar)
        fputc('\n', stderr);
    if (!o->quiet && n > 1)
        progress_summary(n, failed, t0);
    return failed ? EXIT_FAILED : EXIT_OK;
}
