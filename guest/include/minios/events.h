/*
 * Event channels, polling first (ARCHITECTURE §1a, D12).
 *
 * minios maps shared_info at a page of its own (XENMEM_add_to_physmap),
 * registers a vcpu_info, and keeps evtchn_upcall_mask = 1: the hypervisor
 * then sets pending bits but never injects the upcall vector. Code at
 * CPL3 reads and clears pending bits itself (evtchn_test_and_clear) and
 * idles in SCHEDOP_poll on the ports it waits for (sched.c).
 *
 * The upcall path exists too: evtchn_upcall_enable() has the platform
 * route upcalls (pvh: MINIOS_UPCALL_VECTOR with
 * HVMOP_set_evtchn_upcall_vector, whose CPL0 handler in traps.inc counts,
 * EOIs and returns; pv: a C callback registered with CALLBACKOP_register
 * that counts and acknowledges) and clears the mask. Either way the
 * handler only bumps upcall_count; the kernel reads the pending bits.
 */
#ifndef MINIOS_EVENTS_H
#define MINIOS_EVENTS_H

#include <stdint.h>

#include <xen/public/event_channel.h>
#include <xen/public/xen.h>

extern struct shared_info *shared_info;
extern struct vcpu_info *vcpu_info;
extern volatile uint64_t upcall_count, irq_other_count;

int events_init(void);
/* After a suspend that resumed in a new domain: shared_info, vcpu_info
 * and upcalls set up again, stale pending bits cleared (suspend.c). */
int events_resume(void);
/* Marks port pending locally: its waiter wakes and looks again. */
void evtchn_raise_local(evtchn_port_t port);

int evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_port_t *port);
int evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
int evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
int evtchn_send(evtchn_port_t port);
int evtchn_close(evtchn_port_t port);
int evtchn_unmask(evtchn_port_t port);

int evtchn_pending(evtchn_port_t port);
int evtchn_test_and_clear(evtchn_port_t port);
void evtchn_clear(evtchn_port_t port);
/* Clears upcall_pending and pending_sel (the polling design reads the
 * pending bits directly, so these are only hints). */
void evtchn_ack_upcall(void);

/* SCHEDOP_poll on ports until one is pending or the system time reaches
 * deadline_ns (0: no deadline). 0 or a negative Xen errno. */
int evtchn_poll(const evtchn_port_t *ports, unsigned n, uint64_t deadline_ns);

int evtchn_upcall_enable(void);
void evtchn_upcall_disable(void);

#endif /* MINIOS_EVENTS_H */
