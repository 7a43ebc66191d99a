/* The statistics of joined data (--data): a summary of a touchpoint's responses. Pure
 * functions, unit-tested in tests/unit/test_stats.c. */
#ifndef JM_MODEL_STATS_H
#define JM_MODEL_STATS_H

#include <stddef.h>

typedef struct jm_summary {
    size_t n;
    double mean;
    double q1, median, q3; /* quartiles, by linear interpolation between order statistics */
    double sd;             /* sample standard deviation (n − 1); 0 for one value */
} jm_summary;

/* Summary of v[0, n) (n ≥ 1); sorts v. Quartiles are R's default (type 7) and numpy's: the
 * p-quantile lies at position (n − 1)p of the sorted values, interpolated. */
jm_summary jm_stats_summary(double *v, size_t n);
/* The p-quantile (0 ≤ p ≤ 1) of sorted v[0, n), n ≥ 1, as above. */
double jm_stats_quantile(const double *sorted, size_t n, double p);
/* A Net Promoter answer (0…10) as its share of the score: +1 a promoter (9–10), 0 a passive
 * (7–8), −1 a detractor (0–6); so that 100 × the mean over the answers is the NPS. */
double jm_stats_nps_weight(double score);

#endif
