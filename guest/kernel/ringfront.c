/*
 * ringfront: a minios frontend's shared ring (minios/ringfront.h).
 *
 * Pages come from a static pool of RINGFRONT_POOL_PAGES, handed out in
 * aligned runs of 2^k pages and never reused once a teardown found them
 * still mapped (a backend that keeps a ring mapped must not see it
 * recycled under it). Notification follows pvx/ring.h's hold-off rules:
 * ringfront_push notifies only when the backend's req_event falls inside
 * the batch it publishes; ringfront_wait sets rsp_event through the final
 * check before it sleeps on the port, so a response published meanwhile
 * is never missed.
 *
 * Suspend: live rings are tracked. When minios resumes in a new domain
 * (suspend.c), ringfront_forget_all() first closes every live ring's port
 * (the old domain's channel, unless the number is now the store's, the
 * console's or the timer's) before any frontend reconnects, so no
 * frontend can close a port another one just got; each frontend then
 * ringfront_forget()s its rings (grants ended: the old backend is gone,
 * pages back to the pool) and sets up new ones.
 */
#include <xen/public/errno.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/ringfront.h>
#include <minios/sched.h>
#include <minios/time.h>
#include <minios/xenstore.h>

static uint8_t pool[RINGFRONT_POOL_PAGES][XEN_PAGE_SIZE]
	__attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t pool_used[RINGFRONT_POOL_PAGES];
static struct ringfront *live[RINGFRONT_POOL_PAGES]; /* at most one ring a page */

static void track(struct ringfront *rf, int on)
{
	for (unsigned i = 0; i < RINGFRONT_POOL_PAGES; i++) {
		if (on && !live[i]) {
			live[i] = rf;
			return;
		}
		if (!on && live[i] == rf)
			live[i] = NULL;
	}
}

static void *pool_get(unsigned n)
{
	for (unsigned i = 0; i + n <= RINGFRONT_POOL_PAGES; i += n) {
		unsigned j;

		for (j = 0; j < n && !pool_used[i + j]; j++)
			;
		if (j < n)
			continue;
		for (j = 0; j < n; j++)
			pool_used[i + j] = 1;
		return pool[i];
	}
	return NULL;
}

static void pool_put(void *p, unsigned n)
{
	unsigned i = (unsigned)(((uint8_t *)p - pool[0]) / XEN_PAGE_SIZE);

	for (unsigned j = 0; j < n; j++)
		pool_used[i + j] = 0;
}

static int grant_pages(struct ringfront *rf)
{
	for (unsigned i = 0; i < rf->nr_pages; i++) {
		int rc = gnttab_grant_page(rf->backend, (uint8_t *)rf->ring + i * XEN_PAGE_SIZE,
					   0, &rf->refs[i]);

		if (rc < 0) {
			while (i--)
				gnttab_end_access(rf->refs[i]);
			return rc;
		}
	}
	return 0;
}

int ringfront_setup(struct ringfront *rf, domid_t backend, unsigned nr_pages,
		    size_t entry_size)
{
	uint32_t ents;
	int rc;

	memset(rf, 0, sizeof(*rf));
	if (nr_pages == 0 || nr_pages > RINGFRONT_MAX_PAGES || nr_pages & (nr_pages - 1))
		return -XEN_EINVAL;
	ents = pvx_ring_nr_ents(nr_pages * XEN_PAGE_SIZE, entry_size);
	if (ents == 0)
		return -XEN_EINVAL;
	rc = gnttab_init();
	if (rc < 0)
		return rc;
	rf->ring = pool_get(nr_pages);
	if (!rf->ring)
		return -XEN_ENOMEM;
	rf->nr_pages = nr_pages;
	rf->backend = backend;
	memset(rf->ring, 0, nr_pages * XEN_PAGE_SIZE);
	pvx_sring_init(rf->ring);
	pvx_ring_front_init(&rf->front, rf->ring, ents);
	rc = grant_pages(rf);
	if (rc < 0)
		goto err_pool;
	rc = evtchn_alloc_unbound(backend, &rf->port);
	if (rc < 0)
		goto err_grants;
	track(rf, 1);
	return 0;
err_grants:
	for (unsigned i = 0; i < nr_pages; i++)
		gnttab_end_access(rf->refs[i]);
err_pool:
	pool_put(rf->ring, nr_pages);
	rf->ring = NULL;
	return rc;
}

int ringfront_push(struct ringfront *rf)
{
	rf->pushes++;
	if (!pvx_ring_front_push(&rf->front))
		return 0;
	evtchn_send(rf->port);
	rf->notifies++;
	return 1;
}

int ringfront_wait(struct ringfront *rf, uint64_t deadline_ns)
{
	for (;;) {
		int n;

		if (!rf->ring)
			return 0; /* forgotten meanwhile (resumed in a new domain) */
		n = pvx_ring_front_final_check(&rf->front);
		if (n != 0)
			return n;
		if (!evtchn_wait_until(rf->port, deadline_ns))
			return pvx_ring_front_unconsumed(&rf->front);
	}
}

int ringfront_teardown(struct ringfront *rf)
{
	int busy = 0;

	if (!rf->ring)
		return 0;
	track(rf, 0);
	if (rf->port)
		evtchn_close(rf->port);
	for (unsigned i = 0; i < rf->nr_pages; i++)
		if (gnttab_end_access(rf->refs[i]) == -XEN_EBUSY)
			busy = 1;
	if (!busy)
		pool_put(rf->ring, rf->nr_pages);
	rf->ring = NULL;
	return busy ? -XEN_EBUSY : 0;
}

static int kernel_port(evtchn_port_t p)
{
	return p == xs_store_port() || p == console_port() || p == time_timer_port();
}

void ringfront_forget_all(void)
{
	for (unsigned i = 0; i < RINGFRONT_POOL_PAGES; i++) {
		struct ringfront *rf = live[i];

		if (!rf)
			continue;
		if (rf->port && !rf->port_closed && !kernel_port(rf->port))
			evtchn_close(rf->port);
		/* The number stays: a thread waiting on it still waits there
		 * (and is woken by sched_wake_port_waiters); it is not closed
		 * twice, which could hit another frontend's new port. */
		rf->port_closed = 1;
	}
}

void ringfront_forget(struct ringfront *rf)
{
	if (!rf->ring)
		return;
	if (rf->port && !rf->port_closed && !kernel_port(rf->port))
		evtchn_close(rf->port);
	rf->port = 0;
	ringfront_teardown(rf); /* EBUSY only if gnttab_resume did not run */
}
