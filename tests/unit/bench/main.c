/* unit-bench: options, histogram, CSV/JSON, hostile frontends, host runs, medians. */
#include "../check_main.h"
#include "bench_test.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_opts_suite, make_hist_suite, make_output_suite,
		make_back_suite, make_host_suite, make_median_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
