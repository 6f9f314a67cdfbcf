/* unit-consoled: the Check runner of pvx-consoled's suites. */
#include "../check_main.h"
#include "harness.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_ring_suite,
		make_proto_suite,
		make_daemon_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
