/* pvx-bench: the benchmarks of `pvx bench` without the rest of the CLI. */
#include <pvx/bench.h>

int main(int argc, char **argv)
{
	return cmd_bench(argc, argv);
}
