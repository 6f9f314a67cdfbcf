/* Latency statistics for the benchmark programs (private to programs/). */
#ifndef MINIOS_PROGRAMS_STATS_H
#define MINIOS_PROGRAMS_STATS_H

#include <stdint.h>

struct lat_stats {
	uint64_t min, median, p99, max, mean;
};

/* Sorts v in place and fills s; n must be > 0. */
void stats_compute(uint64_t *v, unsigned n, struct lat_stats *s);

#endif /* MINIOS_PROGRAMS_STATS_H */
