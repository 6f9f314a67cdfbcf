/* unit-ring: the shared-ring invariants and the two-thread stress test. */
#include "../check_main.h"
#include "ring_test.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_ring_suite,
		make_ring_stress_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
