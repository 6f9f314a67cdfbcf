/* unit-gnttab: Check runner for the grant-table suites (fork mode). */
#include <stdlib.h>

#include "harness.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		make_gnttab_suite, make_gnttab_map_suite,
		make_gnttab_copy_suite, make_gnttab_pin_suite,
		make_gnttab_ctl_suite, make_libgnttab_suite, make_hc_gnttab_suite,
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
