/* unit-config: the Check runner of the xl.cfg parser's suites. */
#include <stdlib.h>

#include "harness.h"

int main(void)
{
	SRunner *sr = srunner_create(make_parser_suite());
	int failed;

	srunner_add_suite(sr, make_keys_suite());
	srunner_add_suite(sr, make_devices_suite());
	srunner_add_suite(sr, make_override_suite());
	srunner_add_suite(sr, make_dump_suite());
	srunner_add_suite(sr, make_errors_suite());
	srunner_add_suite(sr, make_garbage_suite());
	srunner_add_suite(sr, make_vif_suite());
	srunner_add_suite(sr, make_cpulist_suite());
	srunner_add_suite(sr, make_uuid_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
