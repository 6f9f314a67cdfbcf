/* unit-util: the Check runner of libpvxutil's suites. */
#include <stdlib.h>

#include "harness.h"

int main(void)
{
	SRunner *sr = srunner_create(make_log_suite());
	int failed;

	srunner_add_suite(sr, make_daemon_suite());
	srunner_add_suite(sr, make_stats_server_suite());
	srunner_add_suite(sr, make_listen_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
