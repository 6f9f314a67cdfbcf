/*
 * minios_suspend: the guest's half of a Xen save, checkpoint or migration
 * (minios/suspend.h, docs/minios.md "Suspend and resume"), what Linux's
 * drivers/xen/manage.c does around SCHEDOP_shutdown(SHUTDOWN_suspend).
 *
 * Before: hooks quiesce (bounded by QUIESCE_NS in all), xenstore closes
 * its gate and waits for its outstanding requests, the console ring is
 * drained, the clock stops (time.c). We pass the standard struct
 * sched_shutdown alone: an HVM/PVH guest's SCHEDOP_shutdown takes only
 * the reason (the start-info frame third argument is x86 PV's).
 *
 * After, in this order (each step needs the one before):
 *   new domain (rc 0): shared_info and vcpu_info (events.c, the clock
 *     reads vcpu_info), the clock and VIRQ_TIMER (time.c), the console
 *     ring, the grant table (gnttab.c), the store ring and watches, and
 *     the frontends' old ring ports closed (ringfront.c);
 *   cancelled (rc 1): the clock, the store ring (gate opened, a kick);
 * then the hooks, newest first (frontends reconnect or re-kick), and
 * every thread waiting on a port gets a spurious event so that it looks
 * at the port its owner now names.
 */
#include <xen/public/sched.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/minios.h>
#include <minios/ringfront.h>
#include <minios/sched.h>
#include <minios/suspend.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#define QUIESCE_NS    2000000000ull  /* devices: in-flight I/O */
#define XS_QUIESCE_NS 1000000000ull  /* then xenstore */

struct suspend_stats suspend_stats;
static uint64_t quiesce_ns = QUIESCE_NS;

/* quiesce=MS: tests set 0 to suspend with device I/O in flight, which
 * the resume must then complete (re-kick) or issue again (new domain). */
void suspend_set_quiesce_ns(uint64_t ns)
{
	quiesce_ns = ns;
}

static void warn(const char *what, int rc)
{
	if (rc < 0)
		printk("minios: resume: %s failed: %d\n", what, rc);
}

static void resume_kernel(int new_domain)
{
	if (new_domain) {
		warn("events", events_resume());
		warn("clock", time_resume(1));
		warn("console ring", console_ring_resume());
		warn("grant table", gnttab_resume());
	} else {
		time_resume(0);
	}
	warn("xenstore", xs_resume(new_domain));
	if (new_domain)
		ringfront_forget_all();
}

long minios_suspend(void)
{
	struct sched_shutdown arg = { .reason = SHUTDOWN_suspend };
	uint64_t deadline = time_now_ns() + quiesce_ns;
	int left, xs_left, new_domain;
	long rc;

	left = suspend_hooks_quiesce(deadline);
	xs_left = xs_suspend(time_now_ns() + XS_QUIESCE_NS);
	printk("minios: suspend: quiesced (%d device request(s) and %d xenstore request(s) "
	       "in flight), SCHEDOP_shutdown(suspend)\n", left, xs_left);
	console_flush();
	time_suspend();
	suspend_stats.suspends++;
	suspend_stats.last_left = left + xs_left;
	rc = sched_op(SCHEDOP_shutdown, &arg);
	new_domain = rc == 0;
	resume_kernel(new_domain);
	suspend_hooks_resume(new_domain);
	sched_wake_port_waiters();
	suspend_stats.last_rc = rc;
	if (new_domain)
		suspend_stats.new_domains++;
	else
		suspend_stats.cancelled++;
	if (rc < 0)
		printk("minios: resumed rc=%ld (suspend refused: same domain)\n", rc);
	else
		printk("minios: resumed rc=%ld (%s)\n", rc,
		       new_domain ? "new domain" : "cancelled: same domain");
	return rc;
}
