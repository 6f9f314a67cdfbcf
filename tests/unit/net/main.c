/* unit-net: the Check runner of libpvxnetback's suites. */
#include "../check_main.h"
#include "harness.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_validate_suite,
		make_csum_suite,
		make_fsm_suite,
		make_tx_suite,
		make_rx_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
