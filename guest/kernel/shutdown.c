/*
 * Ending the domain: SCHEDOP_shutdown with a SHUTDOWN_* reason, after the
 * console ring is drained so the last lines reach the log. The hypervisor
 * does not return from a successful shutdown; if it refuses, the vCPU
 * parks in SCHEDOP_block (or yield) forever rather than run on.
 */
#include <xen/public/sched.h>

#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/minios.h>

void minios_shutdown(unsigned reason)
{
	struct sched_shutdown arg = { .reason = reason };
	long rc;

	console_flush();
	rc = sched_op(SCHEDOP_shutdown, &arg);
	printk("minios: SCHEDOP_shutdown(%u) returned %ld\n", reason, rc);
	for (;;) {
		if (sched_op(SCHEDOP_block, NULL) < 0)
			sched_op(SCHEDOP_yield, NULL);
	}
}

void minios_shutdown_code(unsigned code, unsigned reason)
{
	struct sched_shutdown arg = { .reason = code };
	long rc = sched_op(SCHEDOP_shutdown_code, &arg);

	if (rc < 0)
		printk("minios: SCHEDOP_shutdown_code(%u) returned %ld\n", code, rc);
	minios_shutdown(reason);
}
