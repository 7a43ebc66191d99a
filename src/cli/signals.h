/* SIGINT, SIGTERM and SIGHUP: passed on to a batch's workers, and never cutting an output
 * file's write in two (see signals.c). */
#ifndef JM_CLI_SIGNALS_H
#define JM_CLI_SIGNALS_H

#include <signal.h>
#include <sys/types.h>

void install_signal_handlers(void);

/* Holds the handled signals back (block) or lets them through again (restore old). */
void hold_signals(sigset_t *old);

/* The batch's workers, for the handler to pass a signal on to and wait for (a pid of 0 is
 * skipped); (NULL, 0) when there are none, as in a worker. Call with the signals held. */
void signals_track_workers(pid_t *pids, long n);

/* For a program that stops on its own terms (journeymap watch): from now on SIGINT, SIGTERM and
 * SIGHUP (those not ignored by whoever started us) no longer end the process but write a byte to
 * a pipe, whose read end (non-blocking) is returned for the caller's poll(); -1 when no pipe can
 * be made (the handlers stay as they were). */
int signals_to_pipe(void);

#endif
