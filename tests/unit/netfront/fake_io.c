/*
 * The minios services netfront_io.c uses, faked on the host for
 * test_io.c: grant refs counted (never-ended refs are a leak the test
 * sees), evtchn_send counted, a clock, and evtchn_wait_until that runs
 * the test's backend hook once and then says "timeout" or "event".
 */
#include <string.h>

#include <xen/public/errno.h>

#include "fake_io.h"

int grants_live, grants_ro, sends;
uint64_t io_clock_ns = 1000000000ull;
int (*fake_io_wait)(void);
static grant_ref_t next_ref = 1000;

int gnttab_grant_page(domid_t domid, const void *page, int readonly, grant_ref_t *ref)
{
	(void)domid, (void)page;
	*ref = next_ref++;
	grants_live++;
	grants_ro += readonly ? 1 : 0;
	return 0;
}

int gnttab_end_access(grant_ref_t ref)
{
	(void)ref;
	grants_live--;
	return 0;
}

int evtchn_send(evtchn_port_t port)
{
	(void)port;
	sends++;
	return 0;
}

uint64_t time_now_ns(void)
{
	return io_clock_ns;
}

int evtchn_wait_until(evtchn_port_t port, uint64_t deadline_ns)
{
	(void)port;
	if (fake_io_wait && fake_io_wait())
		return 1;
	if (deadline_ns)
		io_clock_ns = deadline_ns;
	return 0;
}

/* netfront.c is not linked: the liveness check is the flag alone. */
int netfront_alive(struct netfront_dev *d)
{
	return d->connected && !d->broken;
}

/* netfront_suspend.c is not linked: never reconnecting here. */
int netfront_resuming(void)
{
	return 0;
}

int thread_wait_cond(int (*cond)(void *), void *arg, uint64_t deadline_ns);
int thread_wait_cond(int (*cond)(void *), void *arg, uint64_t deadline_ns)
{
	(void)deadline_ns;
	return cond(arg);
}
