/* Summary statistics of responses (stats.h). */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double jm_stats_quantile(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

jm_summary jm_stats_summary(double *v, size_t n)
{
    jm_summary s = {.n = n};
    if (n == 0)
        return s;
    qsort(v, n, sizeof *v, by_value);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    s.mean = sum / (double)n;
    double ss = 0; /* around the mean: no cancellation of large sums */
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - s.mean) * (v[i] - s.mean);
    s.sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
    s.q1 = jm_stats_quantile(v, n, 0.25);
    s.median = jm_stats_quantile(v, n, 0.5);
    s.q3 = jm_stats_quantile(v, n, 0.75);
    return s;
}

double jm_stats_nps_weight(double score) { return score >= 9 ? 1 : score >= 7 ? 0 : -1; }
