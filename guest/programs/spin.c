/*
 * spin: a CPU-bound guest for the scheduling tests (docs/scheduling.md).
 * It burns CPU without hypercalls for SECONDS of guest time (0 = until
 * the toolstack stops it), so the host's share of CPU it gets is what
 * the domain's weight, cap and pinning give it. One line first so tests
 * know it runs; progress every 5 s of guest time.
 */
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "programs.h"

int prog_spin(int argc, char **argv)
{
	uint64_t secs, end, next, now;
	volatile uint64_t work = 0;

	if (arg_u64(argc, argv, 1, 0, &secs) < 0)
		return fail("spin: SECONDS must be a number");
	printk("spin: burning CPU%s\n", secs ? " (with a time limit)" : "");
	now = time_now_ns();
	end = now + secs * 1000000000ull;
	next = now + 5000000000ull;
	while (!secs || now < end) {
		for (int i = 0; i < 100000; i++)
			work += (uint64_t)i;
		sched_preempt_point(); /* the control thread answers shutdown */
		now = time_now_ns();
		if (now >= next) {
			printk("spin: still burning\n");
			next += 5000000000ull;
		}
	}
	return pass("spin: %lu s", (unsigned long)secs);
}
