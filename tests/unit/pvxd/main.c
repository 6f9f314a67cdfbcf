/* unit-pvxd: Check runner for pvxd's suites (fork mode). */
#include "../check_main.h"
#include "harness.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_hcall_suite, make_evtchn_suite, make_gva_suite,
		make_ctl_msg_suite, make_textring_suite, make_xtime_suite,
		make_sched_suite, make_platform_suite,
		make_platform_pv_suite, make_cgroup_suite, make_cpuid_suite,
		make_save_state_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
