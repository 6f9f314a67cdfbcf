/* unit-abi: the Xen ABI layout tests (Check, fork mode). */
#include "../check_main.h"
#include "suites.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_abi_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
