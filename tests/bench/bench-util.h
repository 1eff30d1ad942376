/* bench-util.h: what the benchmarks share: percentiles of samples in microseconds. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sorts samples (gint64 microseconds) in place. */
void   tp_bench_sort          (GArray *samples);
/* The p-th fraction (0.5, 0.99) of sorted samples, in milliseconds. */
double tp_bench_percentile_ms (GArray *samples,
                               double  p);

G_END_DECLS
