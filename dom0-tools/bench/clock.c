/*
 * Time: CLOCK_MONOTONIC for run lengths and rates, the TSC for per-request
 * stamps (a vDSO clock_gettime costs ~20 ns here, rdtsc a few, and the
 * frontend stamps every batch). This machine's TSC is invariant
 * (constant_tsc, nonstop_tsc) and shared by both CPUs, so stamps taken by
 * one process on one CPU and compared on another are meaningful.
 *
 * The tick rate is measured once per process against CLOCK_MONOTONIC over
 * ~20 ms, which is within 0.1% of the kernel's tsc_khz.
 */
#include <time.h>

#include "bench.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double bench_tsc_per_ns(void)
{
	static double rate;
	uint64_t t0, c0, t1, c1;

	if (rate > 0)
		return rate;
	t0 = bench_now_ns();
	c0 = bench_tsc();
	do
		t1 = bench_now_ns();
	while (t1 - t0 < 20000000u);
	c1 = bench_tsc();
	rate = (double)(c1 - c0) / (double)(t1 - t0);
	if (rate <= 0)
		rate = 1; /* a TSC that does not advance: treat ticks as ns */
	return rate;
}
