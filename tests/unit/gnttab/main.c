/* unit-gnttab: Check runner for the grant-table suites (fork mode). */
#include "../check_main.h"
#include "harness.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_gnttab_suite, make_gnttab_map_suite,
		make_gnttab_copy_suite, make_gnttab_pin_suite,
		make_gnttab_ctl_suite, make_libgnttab_suite, make_hc_gnttab_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
