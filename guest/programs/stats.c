/*
 * Latency statistics: shell sort (no recursion, no allocation; a few ms at
 * CPL3 for the 20,000 samples a benchmark keeps), then order statistics.
 */
#include "stats.h"

static void shell_sort(uint64_t *v, unsigned n)
{
	static const unsigned gaps[] = { 4193, 1750, 701, 301, 132, 57, 23, 10, 4, 1 };
	unsigned g, i, j;

	for (g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
		unsigned gap = gaps[g];

		for (i = gap; i < n; i++) {
			uint64_t x = v[i];

			for (j = i; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
}

void stats_compute(uint64_t *v, unsigned n, struct lat_stats *s)
{
	uint64_t sum = 0;
	unsigned i;

	shell_sort(v, n);
	for (i = 0; i < n; i++)
		sum += v[i];
	s->min = v[0];
	s->max = v[n - 1];
	s->median = v[n / 2];
	s->p99 = v[(uint64_t)n * 99 / 100];
	s->mean = sum / n;
}
