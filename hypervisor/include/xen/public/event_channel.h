/*
 * event_channel_op hypercall (32): arg 1 = EVTCHNOP_*, arg 2 = GVA of the
 * sub-operation's struct (IN fields read, OUT fields written back).
 *
 * pvx implements the 2-level ABI: port p is bit p of
 * shared_info.evtchn_pending / evtchn_mask, so there are
 * EVTCHN_2L_NR_CHANNELS ports. FIFO (init_control, expand_array,
 * set_priority) is described for completeness and refused with -ENOSYS.
 */
#ifndef XEN_PUBLIC_EVENT_CHANNEL_H
#define XEN_PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>
#include "xen.h"

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_ipi          7
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13
#define EVTCHNOP_reset_cont       14

/* 64 words of 64 bits. */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)
#define EVTCHN_FIFO_NR_CHANNELS (1u << 17)

/* Allocate a port in dom that remote_dom may later bind to. 8 bytes. */
struct evtchn_alloc_unbound {
	domid_t dom;          /* IN: DOMID_SELF or a domain the caller controls */
	domid_t remote_dom;   /* IN */
	evtchn_port_t port;   /* OUT */
};

/* Connect a new local port to remote_dom's unbound remote_port. 12 bytes. */
struct evtchn_bind_interdomain {
	domid_t remote_dom;         /* IN */
	uint16_t pad;
	evtchn_port_t remote_port;  /* IN */
	evtchn_port_t local_port;   /* OUT */
};

/* Bind a VIRQ_* on a vCPU to a new port. 12 bytes. */
struct evtchn_bind_virq {
	uint32_t virq;        /* IN */
	uint32_t vcpu;        /* IN */
	evtchn_port_t port;   /* OUT */
};

/* Bind a physical IRQ to a new port. 12 bytes. */
struct evtchn_bind_pirq {
	uint32_t pirq;        /* IN */
	uint32_t flags;       /* IN: BIND_PIRQ__* */
	evtchn_port_t port;   /* OUT */
};
#define BIND_PIRQ__WILL_SHARE 1

/* A new port for inter-vCPU notification, delivered to vcpu. 8 bytes. */
struct evtchn_bind_ipi {
	uint32_t vcpu;        /* IN */
	evtchn_port_t port;   /* OUT */
};

/* Close a port; its peer (if any) becomes unbound. 4 bytes. */
struct evtchn_close {
	evtchn_port_t port;   /* IN */
};

/* Raise the port's peer (or the port itself for IPI/loopback). 4 bytes. */
struct evtchn_send {
	evtchn_port_t port;   /* IN */
};

#define EVTCHNSTAT_closed       0 /* free */
#define EVTCHNSTAT_unbound      1 /* waiting for a remote bind */
#define EVTCHNSTAT_interdomain  2 /* connected to another domain's port */
#define EVTCHNSTAT_pirq         3
#define EVTCHNSTAT_virq         4
#define EVTCHNSTAT_ipi          5

/* Describe a port. 24 bytes; u is chosen by status. */
struct evtchn_status {
	domid_t dom;          /* IN */
	uint16_t pad;
	evtchn_port_t port;   /* IN */
	uint32_t status;      /* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;        /* OUT: vCPU notified */
	union {
		struct {
			domid_t dom;
		} unbound;                 /* EVTCHNSTAT_unbound */
		struct {
			domid_t dom;
			uint16_t pad;
			evtchn_port_t port;
		} interdomain;             /* EVTCHNSTAT_interdomain */
		uint32_t pirq;             /* EVTCHNSTAT_pirq */
		uint32_t virq;             /* EVTCHNSTAT_virq */
	} u;
};

/* Deliver future notifications of port to vcpu. 8 bytes. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;   /* IN */
	uint32_t vcpu;        /* IN */
};

/* Clear the mask bit and re-raise if pending. 4 bytes. */
struct evtchn_unmask {
	evtchn_port_t port;   /* IN */
};

/* Close every port of dom. 2 bytes. */
struct evtchn_reset {
	domid_t dom;          /* IN */
};

/* FIFO ABI: register a vCPU's control block. 24 bytes. */
struct evtchn_init_control {
	uint64_t control_gfn;  /* IN */
	uint32_t offset;       /* IN */
	uint32_t vcpu;         /* IN */
	uint8_t link_bits;     /* OUT */
	uint8_t _pad[7];
};

/* FIFO ABI: add one page of event words. 8 bytes. */
struct evtchn_expand_array {
	uint64_t array_gfn;    /* IN */
};

/* FIFO ABI: change a port's priority. 8 bytes. */
struct evtchn_set_priority {
	evtchn_port_t port;    /* IN */
	uint32_t priority;     /* IN: EVTCHN_FIFO_PRIORITY_* */
};
#define EVTCHN_FIFO_PRIORITY_MAX      0
#define EVTCHN_FIFO_PRIORITY_DEFAULT  7
#define EVTCHN_FIFO_PRIORITY_MIN     15

/* The old single-argument form (event_channel_op_compat, 16). */
struct evtchn_op {
	uint32_t cmd;
	union {
		struct evtchn_alloc_unbound alloc_unbound;
		struct evtchn_bind_interdomain bind_interdomain;
		struct evtchn_bind_virq bind_virq;
		struct evtchn_bind_pirq bind_pirq;
		struct evtchn_bind_ipi bind_ipi;
		struct evtchn_close close;
		struct evtchn_send send;
		struct evtchn_status status;
		struct evtchn_bind_vcpu bind_vcpu;
		struct evtchn_unmask unmask;
	} u;
};

#endif /* XEN_PUBLIC_EVENT_CHANNEL_H */
