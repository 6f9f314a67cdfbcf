/*
 * evtchn: Xen event channels, 2-level ABI, for every domain.
 *
 * Each domain has a port table; port 0 is never handed out. A port is
 * in one state (Xen's EVTCHNSTAT_*):
 *
 *   closed --alloc_unbound--> unbound --peer binds--> interdomain
 *   closed --bind_interdomain (peer's unbound port)--> interdomain
 *   closed --bind_virq--> virq          closed --bind_ipi--> ipi
 *   any --close / reset / domain removed--> closed
 *
 * Closing one end of an interdomain channel turns the peer's end back
 * into "unbound, for us", as Xen does. Delivery to a VM domain follows
 * Xen's 2-level protocol exactly: set the pending bit (stop if it was
 * set); unless masked, set the word's bit in the target vCPU's
 * pending_sel and upcall_pending, then ask the owner to raise the upcall
 * (ops->kick). Unmasking a pending port re-raises it. Dom0 (domain 0) has
 * no shared_info: its ports belong to control connections, and delivery
 * writes the port's eventfd.
 *
 * This module knows nothing about KVM: the owner supplies where the
 * shared_info and vcpu_info live and how to kick a vCPU (struct
 * evtchn_ops), so unit tests drive it with plain memory.
 *
 * Locking: one global mutex guards every table and every delivery, so an
 * interdomain send sees both ends consistently and a domain cannot vanish
 * halfway through a delivery. The owner's delivery state (where
 * shared_info/vcpu_info are) is guarded by the same lock: evtchn_lock().
 */
#ifndef PVXD_EVTCHN_H
#define PVXD_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/public/xen.h>
#include <xen/public/event_channel.h>

#define EVTCHN_MAX_PORTS 1024 /* per domain: ports 1..1023 */

struct evtchn_ops {
	struct shared_info *(*shared_info)(void *opaque);
	/* NULL if the vCPU has no vcpu_info (id >= 32, not registered). */
	struct vcpu_info *(*vcpu_info)(void *opaque, unsigned vcpu);
	/* Bits are set: raise the upcall on vcpu if `upcall`, and wake any
	 * vCPU that waits for this domain's ports (SCHEDOP_poll/block). */
	void (*kick)(void *opaque, unsigned vcpu, bool upcall);
};

void evtchn_lock(void);
void evtchn_unlock(void);

int evtchn_init(void);   /* creates Dom0's table */
void evtchn_exit(void);  /* removes every table */

int evtchn_dom_add(domid_t dom, unsigned nr_vcpus,
		   const struct evtchn_ops *ops, void *opaque);
/* Closes every port (unbinding peers) and forgets the domain. */
void evtchn_dom_remove(domid_t dom);
bool evtchn_dom_exists(domid_t dom);
/* Notifications raised to dom's ports so far (PVX_CTL_DOMSTATS). */
uint64_t evtchn_dom_raised(domid_t dom);

int evtchn_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port);
int evtchn_bind_interdomain(domid_t dom, domid_t rdom, evtchn_port_t rport,
			    evtchn_port_t *port);
int evtchn_bind_virq(domid_t dom, uint32_t virq, uint32_t vcpu,
		     evtchn_port_t *port);
int evtchn_bind_ipi(domid_t dom, uint32_t vcpu, evtchn_port_t *port);
int evtchn_bind_vcpu(domid_t dom, evtchn_port_t port, uint32_t vcpu);
int evtchn_close(domid_t dom, evtchn_port_t port);
int evtchn_send(domid_t dom, evtchn_port_t port);
int evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st);
int evtchn_unmask(domid_t dom, evtchn_port_t port);
int evtchn_reset(domid_t dom);
/* Raises a VIRQ if bound (0) or not (-ENOENT). */
int evtchn_raise_virq(domid_t dom, uint32_t vcpu, uint32_t virq);
/* Is port pending in dom's shared_info (for SCHEDOP_poll)? */
bool evtchn_is_pending(domid_t dom, evtchn_port_t port);
/* Re-raises the upcall of vcpu if its upcall_pending is set. */
void evtchn_reraise(domid_t dom, uint32_t vcpu);

/* Dom0 ports: owned by `owner` (a control connection). event_fd is
 * written on delivery; the table takes ownership of it. */
int evtchn_dom0_bind(void *owner, domid_t rdom, evtchn_port_t rport,
		     int event_fd, evtchn_port_t *port);
int evtchn_dom0_close(void *owner, evtchn_port_t port);
int evtchn_dom0_send(void *owner, evtchn_port_t port);
void evtchn_dom0_close_owner(void *owner);

/* Save/restore of a domain's ports (evtchn_state.c). get: how many
 * (0 if more than max), or -ESRCH; set: on an empty table only. */
struct mig_evtchn;
int evtchn_state_get(domid_t dom, struct mig_evtchn *out, unsigned max);
int evtchn_state_set(domid_t dom, const struct mig_evtchn *e, unsigned n);

#endif
