/* unit-pvproc: Check runner for the pvproc suites (fork mode). */
#include <stdlib.h>

#include "harness.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		make_pvproc_call_suite, make_pvproc_sandbox_suite, make_pvproc_life_suite,
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
