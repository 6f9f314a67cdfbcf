/* unit-bench: options, histogram, CSV/JSON, hostile frontends, host runs, medians. */
#include <stdlib.h>

#include "bench_test.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		make_opts_suite, make_hist_suite, make_output_suite,
		make_back_suite, make_host_suite, make_median_suite,
	};
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
