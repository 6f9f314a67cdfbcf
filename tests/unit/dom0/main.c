/* unit-dom0: the toolstack core's Check suites (fork mode). */
#include <stdlib.h>

#include "../check_main.h"
#include "suites.h"

int main(void)
{
	static const unit_suite_fn suites[] = {
		make_ctlclient_suite,
		make_elf_suite,
		make_elf_notes_suite,
		make_domtype_suite,
		make_bootinfo_suite,
		make_build_suite,
		make_cmdtab_suite,
		make_monitor_suite,
		make_network_suite,
		make_top_suite,
		make_memsize_suite,
		make_sched_cmds_suite,
	};

	/* No test may reach a pvx instance of the host it runs on. */
	setenv("PVX_RUNDIR", "/nonexistent/pvx-unit-dom0", 1);
	unsetenv("PVX_LOGDIR");
	unsetenv("XENSTORED_PATH");

	return unit_run_suites(suites, sizeof(suites) / sizeof(suites[0]));
}
