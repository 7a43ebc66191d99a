/* A batch's progress bar and summary line on standard error. */
#include "progress.h"

#include <stdio.h>
#include <time.h>

double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress(size_t done, size_t total, size_t failed)
{
    int width = 30, fill = total ? (int)(done * (size_t)width / total) : width;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu%s", bar, done, total, failed ? " (failures)" : "");
    fflush(stderr);
}

void progress_summary(size_t n, size_t failed, double t0)
{
    fprintf(stderr, "journeymap: rendered %zu of %zu maps%s in %.2f s (%.1f ms a map)\n",
            n - failed, n, failed ? " (see errors above)" : "", now() - t0,
            (now() - t0) * 1000 / (double)n);
}
