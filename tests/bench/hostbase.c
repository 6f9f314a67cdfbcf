/*
 * hostbase: the host-only baselines that pvx benchmarks report beside
 * their own figures, measured in the same run (docs/performance.md).
 *
 *   hostbase eventfd N   two processes on CPUs 0 and 1 ping-pong N times
 *                        through a pair of eventfds (blocking reads)
 *   hostbase pipe N      the same through a pair of pipes
 *
 * Output, one line, for scripts:
 *   baseline=eventfd n=N median_ns=... p99_ns=... mean_ns=...
 * Each sample is one round trip (A writes, B reads and answers, A reads).
 * The measurement is libpvxbench's, the one `pvx bench ring` reports as
 * its baseline (dom0-tools/bench/baseline.c), so both always agree on
 * method; percentiles come from its histogram (within 1/128).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct bench_pingpong p;
	long rounds = argc == 3 ? atol(argv[2]) : 0;
	int a = bench_cpu_usable(0) ? 0 : -1, b = bench_cpu_usable(1) ? 1 : -1;

	if (argc != 3 || rounds <= 0 || (strcmp(argv[1], "eventfd") && strcmp(argv[1], "pipe"))) {
		fprintf(stderr, "usage: hostbase eventfd|pipe ROUNDS\n");
		return 2;
	}
	if (bench_pingpong_run(argv[1], (uint64_t)rounds, 0, a, b, &p)) {
		fprintf(stderr, "hostbase: %s ping-pong failed\n", argv[1]);
		return 1;
	}
	printf("baseline=%s n=%llu median_ns=%llu p99_ns=%llu mean_ns=%llu\n", p.name,
	       (unsigned long long)p.rounds, (unsigned long long)p.p50_ns,
	       (unsigned long long)p.p99_ns, (unsigned long long)p.mean_ns);
	return 0;
}
