/*
 * ringfront: what every minios frontend does with its shared ring
 * (docs/grant-tables.md), on top of pvx/ring.h.
 *
 *  - ringfront_setup: takes 2^k pages from a small static pool, zeroes
 *    them, initialises the shared ring, grants each page to the backend
 *    domain and allocates an unbound event channel for it. The frontend
 *    then publishes ring-ref(s) and event-channel in xenstore.
 *  - Pushing requests: fill slots through the PVX_RING_DEFINE functions on
 *    rf->front, then ringfront_push() publishes req_prod and notifies the
 *    backend only when its req_event says it sleeps (hold-off).
 *  - Waiting: ringfront_wait() returns as soon as responses are
 *    unconsumed; otherwise it sets rsp_event (final check) and waits on
 *    the port, until the deadline.
 *  - ringfront_teardown: closes the port and ends access to the pages;
 *    -XEN_EBUSY if the backend still maps one (the pages then stay out
 *    of the pool, granted, rather than be reused under the backend).
 */
#ifndef MINIOS_RINGFRONT_H
#define MINIOS_RINGFRONT_H

#include <stddef.h>
#include <stdint.h>

#include <pvx/ring.h>
#include <xen/public/event_channel.h>
#include <xen/public/grant_table.h>

#define RINGFRONT_MAX_PAGES 8   /* per ring */
#define RINGFRONT_POOL_PAGES 16 /* all rings together */

struct ringfront {
	void *ring;                 /* nr_pages contiguous pages */
	unsigned nr_pages;
	grant_ref_t refs[RINGFRONT_MAX_PAGES];
	evtchn_port_t port;         /* ours, bound by the backend */
	int port_closed;            /* ringfront_forget_all closed it already */
	domid_t backend;
	struct pvx_ring_front front;
	uint64_t notifies;          /* evtchn_send calls made by push */
	uint64_t pushes;
};

/* nr_pages: 1, 2, 4 or 8; entry_size: sizeof the request/response union.
 * 0 or a negative Xen errno (-XEN_ENOMEM: pool exhausted). */
int ringfront_setup(struct ringfront *rf, domid_t backend, unsigned nr_pages,
		    size_t entry_size);
/* Publishes the requests filled so far; notifies if the backend asked.
 * Returns 1 if it notified, 0 if not. */
int ringfront_push(struct ringfront *rf);
/* Unconsumed responses (> 0), 0 at the deadline (system time ns, 0 =
 * none), or -XEN_EIO if the backend's rsp_prod is impossible. */
int ringfront_wait(struct ringfront *rf, uint64_t deadline_ns);
/* 0, or -XEN_EBUSY if a page is still mapped by the backend. */
int ringfront_teardown(struct ringfront *rf);

/* Resuming in a new domain (suspend.c, then each frontend): every live
 * ring's port closed first (it was the old domain's), then per ring:
 * grants ended and pages back to the pool, ready for ringfront_setup. */
void ringfront_forget_all(void);
void ringfront_forget(struct ringfront *rf);

#endif /* MINIOS_RINGFRONT_H */
