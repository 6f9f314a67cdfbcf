/*
 * pvx bench: benchmarks run from the pvx CLI (`pvx bench ring ...`) or the
 * standalone `pvx-bench` binary. Both call cmd_bench with argv[0] =
 * "bench" (or the binary's name) and argv[1] = the benchmark ("ring").
 * Returns the process exit status: 0 on success, 1 when a run failed, 2
 * for a usage error (one line on stderr saying what was wrong).
 * Documentation: docs/bench-ring.md.
 */
#ifndef PVX_BENCH_H
#define PVX_BENCH_H

int cmd_bench(int argc, char **argv);

/* One line for `pvx help` and the synopsis for `pvx help bench`. */
#define PVX_BENCH_SUMMARY "run a benchmark (ring: shared-ring I/O)"
#define PVX_BENCH_USAGE                                                            \
	"bench ring [--mode host|guest] [--ring-pages N] [--batch N]\n"        \
	"           [--sweep-batch 1,2,4,...] [--outstanding N]\n"             \
	"           [--payload BYTES] [--notify always|holdoff|poll]\n"       \
	"           [--duration SECONDS] [--spin USEC] [--cpus A,B]\n"        \
	"           [--repeat N] [--csv FILE]\n"                              \
	"           [--json FILE] [--plot FILE.png] [--no-baselines]\n"       \
	"           [--ringtest-cycles N]\n"

#endif /* PVX_BENCH_H */
