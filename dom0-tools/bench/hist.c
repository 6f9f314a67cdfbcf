/*
 * Latency histogram: log-linear buckets, so recording is a shift and an
 * increment (it runs once per response on the frontend's hot path) and a
 * percentile costs one pass over ~2.3k buckets.
 *
 * Values below 128 ns get one bucket each. Above, each power of two
 * [2^k, 2^(k+1)) is cut into 64 equal buckets, so a bucket is at most 1/64
 * of its values wide; quantiles report the bucket's midpoint, within 1/128
 * of any value in it. Values of 2^40 ns (18 minutes) and more land in the
 * last bucket; max and sum stay exact.
 */
#include <string.h>

#include "bench.h"

void bench_hist_reset(struct bench_hist *h)
{
	memset(h, 0, sizeof(*h));
}

unsigned bench_hist_index(uint64_t ns)
{
	unsigned msb, shift;

	if (ns < 128)
		return (unsigned)ns;
	msb = 63u - (unsigned)__builtin_clzll(ns);
	if (msb >= BENCH_HIST_MAX_SHIFT)
		return BENCH_HIST_BUCKETS - 1;
	shift = msb - BENCH_HIST_SUB_BITS;         /* >= 1 */
	return 128 + (shift - 1) * 64 + (unsigned)((ns >> shift) - 64);
}

/* The values of bucket i are [lo, lo + width). */
static void bucket_range(unsigned i, uint64_t *lo, uint64_t *width)
{
	unsigned shift;

	if (i < 128) {
		*lo = i;
		*width = 1;
		return;
	}
	shift = (i - 128) / 64 + 1;
	*lo = (uint64_t)((i - 128) % 64 + 64) << shift;
	*width = (uint64_t)1 << shift;
}

void bench_hist_add(struct bench_hist *h, uint64_t ns)
{
	h->bucket[bench_hist_index(ns)]++;
	h->count++;
	h->sum += ns;
	if (ns > h->max)
		h->max = ns;
}

uint64_t bench_hist_quantile(const struct bench_hist *h, double q)
{
	uint64_t rank, seen = 0, lo, width, mid;

	if (h->count == 0)
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	/* The rank-th smallest sample (1-based), rank = ceil(q * count). */
	rank = (uint64_t)(q * (double)h->count);
	if ((double)rank < q * (double)h->count)
		rank++;
	if (rank == 0)
		rank = 1;
	for (unsigned i = 0; i < BENCH_HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen < rank)
			continue;
		bucket_range(i, &lo, &width);
		mid = lo + (width - 1) / 2;
		return mid > h->max ? h->max : mid;
	}
	return h->max;
}

uint64_t bench_hist_mean(const struct bench_hist *h)
{
	return h->count ? h->sum / h->count : 0;
}
