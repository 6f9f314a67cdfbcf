/* unit-blk: the Check runner of pvx-blkback's suites. */
#include "../check_main.h"
#include "harness.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_validate_suite,
		make_gnt_suite,
		make_io_suite,
		make_ring_suite,
		make_fsm_suite,
		make_vdev_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
