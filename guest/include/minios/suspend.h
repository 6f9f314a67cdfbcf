/*
 * Cooperative suspend, Xen's way (docs/minios.md, "Suspend and resume").
 *
 * The control thread acknowledges control/shutdown = "suspend" and calls
 * minios_suspend(): every registered hook quiesces (stops issuing new
 * I/O and waits, bounded, for what is in flight), xenstore does the same,
 * the clock stops, then SCHEDOP_shutdown(SHUTDOWN_suspend). The call
 * returns when the toolstack is done:
 *   1  cancelled, or a checkpoint: the same domain, same backends. The
 *      kernel and every hook only carry on (re-kick rings);
 *   0  resumed in a new domain (restore, migration): the kernel sets up
 *      shared_info, vcpu_info, timer VIRQ, console and store rings, grant
 *      table and watches again, and each hook reconnects its device.
 * Hooks quiesce in registration order and resume in the reverse order.
 */
#ifndef MINIOS_SUSPEND_H
#define MINIOS_SUSPEND_H

#include <stdint.h>

struct suspend_hook {
	const char *name;
	/* Stop issuing new work; wait until deadline_ns (minios time) for
	 * what is in flight. Returns how much is still in flight (>= 0). */
	int (*quiesce)(struct suspend_hook *h, uint64_t deadline_ns);
	/* new_domain: 0 cancelled (same domain), 1 a new domain. */
	void (*resume)(struct suspend_hook *h, int new_domain);
	void *arg;
	/* private */
	struct suspend_hook *next;
	int registered;
};

/* Idempotent; unregistering an unregistered hook does nothing. */
void suspend_register(struct suspend_hook *h);
void suspend_unregister(struct suspend_hook *h);
/* suspend_hooks.c: run the hooks (minios_suspend uses them; unit-tested). */
int suspend_hooks_quiesce(uint64_t deadline_ns);
void suspend_hooks_resume(int new_domain);
unsigned suspend_hooks_count(void);

/* The whole cycle. Returns SCHEDOP_shutdown's result: 1 cancelled, 0 a
 * new domain, or a negative Xen errno if the hypervisor refused (then
 * minios carries on as after a cancel). */
long minios_suspend(void);
/* How long devices may take to quiesce (default 2 s; quiesce=MS). */
void suspend_set_quiesce_ns(uint64_t ns);

struct suspend_stats {
	unsigned suspends;        /* SCHEDOP_shutdown(suspend) calls */
	unsigned cancelled;       /* returned 1 */
	unsigned new_domains;     /* returned 0 */
	long last_rc;
	int last_left;            /* requests in flight at the last suspend */
};
extern struct suspend_stats suspend_stats;

#endif /* MINIOS_SUSPEND_H */
