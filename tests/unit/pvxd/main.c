/* unit-pvxd: Check runner for pvxd's suites (fork mode). */
#include <stdlib.h>

#include "harness.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		make_hcall_suite, make_evtchn_suite, make_gva_suite,
		make_ctl_msg_suite, make_textring_suite, make_xtime_suite,
		make_sched_suite, make_platform_suite,
		make_platform_pv_suite, make_cgroup_suite, make_cpuid_suite,
		make_save_state_suite,
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
