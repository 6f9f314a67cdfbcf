/* unit-xenstore: every pvxstored / libpvxxs suite, fork mode. */
#include "../check_main.h"
#include "harness.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_tree_suite, make_watch_suite, make_txn_suite,
		make_quota_suite, make_quota_dom0_suite, make_wire_suite, make_ring_suite,
		make_persist_suite, make_journal_suite, make_memory_suite, make_client_suite,
		make_target_suite, make_feature_suite,
	};

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
