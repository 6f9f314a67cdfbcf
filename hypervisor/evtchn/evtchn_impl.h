/*
 * evtchn_impl.h: what evtchn.c, evtchn_ops.c and evtchn_dom0.c share.
 * Everything here is used with the evtchn lock held.
 */
#ifndef PVXD_EVTCHN_IMPL_H
#define PVXD_EVTCHN_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "evtchn.h"
#include "pvxd.h"

struct port {
	uint8_t state;           /* EVTCHNSTAT_* */
	domid_t remote_dom;      /* unbound: who may bind; interdomain: peer */
	evtchn_port_t remote_port;
	uint32_t vcpu;           /* vCPU notified */
	uint32_t virq;
	int event_fd;            /* Dom0 only */
	void *owner;             /* Dom0 only */
};

struct edom {
	domid_t id;
	unsigned nr_vcpus;
	const struct evtchn_ops *ops; /* NULL for Dom0 */
	void *opaque;
	evtchn_port_t (*virq)[NR_VIRQS];
	struct port ports[EVTCHN_MAX_PORTS];
	uint64_t nr_raised;  /* ev_set_pending calls: pvx top's events/s */
};

#define BITS 64

extern struct edom *ev_doms[PVX_MAX_DOMAINS];

struct edom *ev_dom(domid_t id);
struct port *ev_port(struct edom *d, evtchn_port_t p);  /* NULL: bad port */
int ev_port_alloc(struct edom *d, evtchn_port_t *out);
bool ev_per_vcpu_virq(uint32_t virq);
void ev_signal_fd(int fd);
void ev_mark_vcpu(struct edom *d, uint32_t vcpu, unsigned word);
void ev_set_pending(struct edom *d, evtchn_port_t p);
void ev_port_close(struct edom *d, evtchn_port_t p);
int ev_bind_interdomain_locked(domid_t dom, domid_t rdom, evtchn_port_t rport,
			       evtchn_port_t *port);
int ev_send_locked(struct edom *d, evtchn_port_t port);

#endif
