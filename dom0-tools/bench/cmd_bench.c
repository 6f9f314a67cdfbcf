/*
 * cmd_bench: the `bench` command of the pvx CLI and of the standalone
 * pvx-bench. argv[1] names the benchmark; one table row per benchmark.
 */
#include <stdio.h>
#include <string.h>

#include <pvx/bench.h>

#include "bench.h"

struct bench_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct bench_cmd benches[] = {
	{ "ring", bench_ring_main, "shared-ring request/response throughput and latency" },
};

static void list(FILE *f)
{
	fputs("usage: pvx bench BENCHMARK [options]   (BENCHMARK --help for its options)\n", f);
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		fprintf(f, "  %-8s %s\n", benches[i].name, benches[i].summary);
}

int cmd_bench(int argc, char **argv)
{
	if (argc < 2) {
		list(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		list(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (!strcmp(argv[1], benches[i].name))
			return benches[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "pvx bench: unknown benchmark '%s'\n", argv[1]);
	list(stderr);
	return 2;
}
