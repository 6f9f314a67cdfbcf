/*
 * burn: keeps one vCPU busy at guest level, with no hypercalls and no
 * sleeping, for SECONDS (0: until the toolstack stops it), so that the
 * host sees the domain use ~100% of one CPU: `pvx top`'s CPU(%) test
 * (tests/integration/top-figures). One line first so a test knows it
 * runs. The scheduling tests have their own program, spin.
 */
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "programs.h"

int prog_burn(int argc, char **argv)
{
	volatile uint64_t sink = 0;
	uint64_t secs, end;

	if (arg_u64(argc, argv, 1, 0, &secs) < 0)
		return fail("burn: SECONDS must be a number");
	printk("burn: busy\n");
	end = time_now_ns() + secs * 1000000000ull;
	while (!secs || time_now_ns() < end) {
		for (unsigned i = 0; i < 50000; i++)
			sink = sink * 31 + i;
		sched_preempt_point(); /* the control thread answers shutdown */
	}
	return pass("burn: %lu s", (unsigned long)secs);
}
