/* unit-xenstore: every pvxstored / libpvxxs suite, fork mode. */
#include <stdlib.h>

#include "harness.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		make_tree_suite, make_watch_suite, make_txn_suite,
		make_quota_suite, make_quota_dom0_suite, make_wire_suite, make_ring_suite,
		make_persist_suite, make_journal_suite, make_memory_suite, make_client_suite,
		make_target_suite, make_feature_suite,
	};
	SRunner *sr = srunner_create(NULL);
	size_t i;
	int failed;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
