/*
 * idle: a guest that stays up doing nothing until the toolstack stops it
 * (control/shutdown, `pvx shutdown`/`reboot`, or destroy). Its threads
 * all sleep, so it costs the host one timer wakeup a minute. With
 * SECONDS it gives up after that long and exits (status 0); it prints one
 * line first so tests know the program runs.
 */
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>

#include "programs.h"

int prog_idle(int argc, char **argv)
{
	uint64_t secs, end;

	if (arg_u64(argc, argv, 1, 0, &secs) < 0)
		return fail("idle: SECONDS must be a number");
	printk("idle: waiting for the toolstack%s\n", secs ? " (with a time limit)" : "");
	end = time_now_ns() + secs * 1000000000ull;
	while (!secs || time_now_ns() < end)
		msleep(secs ? MIN(60000ull, (end - time_now_ns()) / 1000000 + 1) : 60000);
	return pass("idle: %lu s", (unsigned long)secs);
}
