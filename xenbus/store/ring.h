/*
 * The guest ring transport (conn_ring.c) and what it needs from the
 * platform: mapping a domain's store page and binding its store event
 * channel. pvxstored uses libpvxctl (ring_pvxctl.c); the unit tests plug
 * in a fake backend with an in-memory page and eventfds.
 */
#ifndef XS_RING_H
#define XS_RING_H

#include <xen/public/io/xs_wire.h>

#include "xs_core.h"

struct xs_ring_backend {
	/* Maps the page at gfn of domid; *handle is passed to unmap. */
	int (*map)(void *ctx, uint32_t domid, uint64_t gfn,
		   struct xenstore_domain_interface **intf, void **handle);
	void (*unmap)(void *ctx, void *handle);
	/* Binds the guest's port: event_fd becomes readable when the guest
	 * notifies; writing 8 bytes to notify_fd notifies the guest. */
	int (*bind)(void *ctx, uint32_t domid, uint32_t port, int *event_fd,
		    int *notify_fd, void **handle);
	void (*unbind)(void *ctx, void *handle);
	/* Optional: the platform went away (every mapping and binding is
	 * released already); the next map or bind reaches a new one. */
	void (*reset)(void *ctx);
};

/* Opens the ring connection of an introduced domain (d->gfn, d->port). */
int ring_conn_open(struct xs_store *st, struct xs_domain *d);
/* Reads requests and writes responses until neither can progress. */
void ring_conn_service(struct xs_conn *c);

/* The libpvxctl backend (ring_pvxctl.c). */
extern const struct xs_ring_backend ring_backend_pvxctl;
int ring_pvxctl_open(void **ctx);
void ring_pvxctl_close(void *ctx);

#endif /* XS_RING_H */
