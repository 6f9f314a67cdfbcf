/* unit-dom0: the toolstack core's Check suites (fork mode). */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		make_ctlclient_suite,
		make_elf_suite,
		make_elf_notes_suite,
		make_domtype_suite,
		make_bootinfo_suite,
		make_build_suite,
		make_cmdtab_suite,
		make_monitor_suite,
		make_network_suite,
		make_sched_cmds_suite,
		make_memsize_suite,
	};
	SRunner *sr = srunner_create(NULL);
	int failed;

	/* No test may reach a pvx instance of the host it runs on. */
	setenv("PVX_RUNDIR", "/nonexistent/pvx-unit-dom0", 1);
	unsetenv("PVX_LOGDIR");
	unsetenv("XENSTORED_PATH");

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
