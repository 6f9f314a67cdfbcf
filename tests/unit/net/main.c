/* unit-net: the Check runner of libpvxnetback's suites. */
#include <stdlib.h>

#include "harness.h"

int main(void)
{
	SRunner *sr = srunner_create(make_validate_suite());
	int failed;

	srunner_add_suite(sr, make_csum_suite());
	srunner_add_suite(sr, make_fsm_suite());
	srunner_add_suite(sr, make_tx_suite());
	srunner_add_suite(sr, make_rx_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
