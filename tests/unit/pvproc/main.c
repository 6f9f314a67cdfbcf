/* unit-pvproc: Check runner for the pvproc suites (fork mode). */
#include "../check_main.h"
#include "harness.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_pvproc_call_suite, make_pvproc_sandbox_suite, make_pvproc_life_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
