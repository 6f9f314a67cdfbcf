/* unit-util: the Check runner of libpvxutil's suites. */
#include "../check_main.h"
#include "harness.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_log_suite,
		make_daemon_suite,
		make_stats_server_suite,
		make_listen_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
