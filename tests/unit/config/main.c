/* unit-config: the Check runner of the xl.cfg parser's suites. */
#include "../check_main.h"
#include "harness.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_parser_suite,
		make_keys_suite,
		make_devices_suite,
		make_override_suite,
		make_dump_suite,
		make_errors_suite,
		make_garbage_suite,
		make_vif_suite,
		make_cpulist_suite,
		make_uuid_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
