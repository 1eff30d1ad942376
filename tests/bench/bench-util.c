/* bench-util.c: percentiles for the benchmarks. */
#include "bench-util.h"

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

void
tp_bench_sort (GArray *samples)
{
  g_array_sort (samples, compare_gint64);
}

double
tp_bench_percentile_ms (GArray *samples,
                        double  p)
{
  guint index = MIN (samples->len - 1, (guint) (p * samples->len));

  return g_array_index (samples, gint64, index) / 1000.0;
}
