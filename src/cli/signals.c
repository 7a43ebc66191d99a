/* Signals: an interrupted batch leaves no temporary or partial file.
 *
 * SIGINT, SIGTERM and SIGHUP end the process (the exit status says which signal) and leave
 * behind only complete outputs:
 * - an output is written with these signals held back (write_output), so a signal never cuts a
 *   write in two: it takes effect once the file is renamed into place (or removed on error);
 * - the batch parent passes a signal on to its workers and waits for them before it dies, so
 *   when the parent is gone, so is every worker (a `kill` or a job scheduler may signal the
 *   parent alone; Ctrl-C signals them all);
 * - a worker whose parent dies without a word (SIGKILL) is sent SIGTERM by the kernel.
 * `journeymap watch` instead turns them into a byte on a pipe (signals_to_pipe), read between
 * two renders: it then ends with status 0, every output complete. */
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output_file.h"

static pid_t *worker_pids; /* the batch's workers, in the parent; NULL elsewhere */
static long n_workers;

void signals_track_workers(pid_t *pids, long n)
{
    n_workers = n;
    worker_pids = pids;
}

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

void install_signal_handlers(void)
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
void hold_signals(sigset_t *old)
{
    sigset_t set;
    handled_set(&set);
    sigprocmask(SIG_BLOCK, &set, old);
}

static int signal_pipe_in = -1; /* the write end, for the handler */

static void signal_to_pipe(int sig)
{
    int saved = errno;
    char c = (char)sig;
    if (write(signal_pipe_in, &c, 1) < 0) {
        /* the pipe is full: a signal is waiting there already */
    }
    errno = saved;
}

int signals_to_pipe(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        fcntl(fds[i], F_SETFL, O_NONBLOCK);
    }
    signal_pipe_in = fds[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = signal_to_pipe;
    sa.sa_flags = SA_RESTART; /* a render's system calls go on; the loop reads the pipe */
    handled_set(&sa.sa_mask);
    for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++) {
        struct sigaction cur;
        if (sigaction(handled_signals[i], NULL, &cur) == 0 && cur.sa_handler == SIG_IGN)
            continue;
        sigaction(handled_signals[i], &sa, NULL);
    }
    return fds[0];
}
