/*
 * evtchn_state: a domain's port table for save/restore
 * (docs/migration-hv.md).
 *
 * Saving lists every open port. Restoring happens on a new, empty
 * domain (PVX_CREATE_F_RESTORE) whose guest does not know it moved (a
 * paused save): VIRQ and IPI ports come back at the same numbers on the
 * same vCPUs; an interdomain or unbound port comes back unbound for its
 * old remote domain, so the backend (Dom0's console, xenstore, a block
 * or net backend) can bind that very port number again. The pending
 * and mask bits are in shared_info, guest memory, copied with it.
 * A guest saved in SHUTDOWN_suspend rebinds everything itself, as on
 * Xen, so dom_mig.c restores no port then.
 */
#include <errno.h>
#include <string.h>

#include "evtchn.h"
#include "evtchn_impl.h"
#include "save_state.h"

int evtchn_state_get(domid_t dom, struct mig_evtchn *out, unsigned max)
{
	struct edom *d;
	unsigned n = 0;

	evtchn_lock();
	d = ev_dom(dom);
	for (evtchn_port_t p = 1; d && p < EVTCHN_MAX_PORTS; p++) {
		const struct port *pt = &d->ports[p];

		if (pt->state == EVTCHNSTAT_closed)
			continue;
		if (n == max) {
			n = 0;
			break;
		}
		out[n++] = (struct mig_evtchn){ .port = p, .state = pt->state,
			.remote_dom = pt->remote_dom, .remote_port = pt->remote_port,
			.vcpu = pt->vcpu, .virq = pt->virq };
	}
	evtchn_unlock();
	return d ? (int)n : -ESRCH;
}

/* The entries were checked (save_state.c: ports, vCPUs, VIRQs unique);
 * here only against the live table, which must be empty. */
int evtchn_state_set(domid_t dom, const struct mig_evtchn *e, unsigned n)
{
	struct edom *d;
	int rc = 0;

	evtchn_lock();
	d = ev_dom(dom);
	for (evtchn_port_t p = 1; d && p < EVTCHN_MAX_PORTS; p++)
		if (d->ports[p].state != EVTCHNSTAT_closed)
			rc = -EBUSY;
	for (unsigned i = 0; d && rc == 0 && i < n; i++)
		if (e[i].port >= EVTCHN_MAX_PORTS || e[i].vcpu >= d->nr_vcpus ||
		    e[i].virq >= NR_VIRQS)
			rc = -EINVAL;
	if (!d)
		rc = -ESRCH;
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		struct port *pt = &d->ports[e[i].port];

		memset(pt, 0, sizeof(*pt));
		pt->event_fd = -1;
		pt->vcpu = e[i].vcpu;
		switch (e[i].state) {
		case EVTCHNSTAT_virq:
			pt->state = EVTCHNSTAT_virq;
			pt->virq = e[i].virq;
			d->virq[e[i].vcpu][e[i].virq] = (evtchn_port_t)e[i].port;
			break;
		case EVTCHNSTAT_ipi:
			pt->state = EVTCHNSTAT_ipi;
			break;
		default: /* interdomain or unbound: unbound for the old peer */
			pt->state = EVTCHNSTAT_unbound;
			pt->remote_dom = e[i].remote_dom;
			break;
		}
	}
	evtchn_unlock();
	return rc;
}
