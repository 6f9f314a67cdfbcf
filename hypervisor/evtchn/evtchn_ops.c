/*
 * evtchn_ops: the event-channel operations a guest (or the control
 * socket) asks for. Each validates everything under the lock, then
 * commits; see evtchn.h for the state machine.
 */
#include <errno.h>
#include <string.h>

#include "evtchn.h"
#include "evtchn_impl.h"

static domid_t self(domid_t dom, domid_t id)
{
	return id == DOMID_SELF ? dom : id;
}

/* d's port, or Xen's answer for its absence: -ESRCH without the domain,
 * -EINVAL for a port the domain does not have. */
static int ev_find(struct edom *d, evtchn_port_t port, struct port **pt)
{
	if (!d)
		return -ESRCH;
	*pt = ev_port(d, port);
	return *pt ? 0 : -EINVAL;
}

int evtchn_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
	struct edom *d;
	evtchn_port_t p;
	int r;

	remote = self(dom, remote);
	if (remote >= PVX_MAX_DOMAINS)
		return -EINVAL;
	evtchn_lock();
	d = ev_dom(dom);
	r = d ? ev_port_alloc(d, &p) : -ESRCH;
	if (r == 0) {
		d->ports[p].state = EVTCHNSTAT_unbound;
		d->ports[p].remote_dom = remote;
		*port = p;
	}
	evtchn_unlock();
	return r;
}

static int check_bind_target(domid_t dom, struct edom *r, evtchn_port_t rport)
{
	struct port *rp = ev_port(r, rport);

	if (!r)
		return -ESRCH;
	if (!rp || rp->state != EVTCHNSTAT_unbound || rp->remote_dom != dom)
		return -EINVAL;
	return 0;
}

static void link_ports(struct edom *d, evtchn_port_t p, struct edom *r,
		    evtchn_port_t rp)
{
	d->ports[p].state = EVTCHNSTAT_interdomain;
	d->ports[p].remote_dom = r->id;
	d->ports[p].remote_port = rp;
	d->ports[p].vcpu = 0;
	r->ports[rp].state = EVTCHNSTAT_interdomain;
	r->ports[rp].remote_dom = d->id;
	r->ports[rp].remote_port = p;
}

int ev_bind_interdomain_locked(domid_t dom, domid_t rdom,
				   evtchn_port_t rport, evtchn_port_t *port)
{
	struct edom *d = ev_dom(dom), *r = ev_dom(self(dom, rdom));
	evtchn_port_t p;
	int rc;

	if (!d)
		return -ESRCH;
	rc = check_bind_target(dom, r, rport);
	if (rc == 0)
		rc = ev_port_alloc(d, &p);
	if (rc < 0)
		return rc;
	link_ports(d, p, r, rport);
	*port = p;
	return 0;
}

int evtchn_bind_interdomain(domid_t dom, domid_t rdom, evtchn_port_t rport,
			    evtchn_port_t *port)
{
	int rc;

	evtchn_lock();
	rc = ev_bind_interdomain_locked(dom, rdom, rport, port);
	/* Events sent to the unbound port may be lost: say "pending" once,
	 * as Xen does, so the binder looks. */
	if (rc == 0)
		ev_set_pending(ev_dom(dom), *port);
	evtchn_unlock();
	return rc;
}

int evtchn_bind_virq(domid_t dom, uint32_t virq, uint32_t vcpu,
		     evtchn_port_t *port)
{
	struct edom *d;
	evtchn_port_t p;
	int rc = 0;

	if (virq >= NR_VIRQS || (!ev_per_vcpu_virq(virq) && vcpu != 0))
		return -EINVAL;
	evtchn_lock();
	d = ev_dom(dom);
	if (!d)
		rc = -ESRCH;
	else if (vcpu >= d->nr_vcpus)
		rc = -ENOENT;
	else if (d->virq[vcpu][virq])
		rc = -EEXIST;
	else
		rc = ev_port_alloc(d, &p);
	if (rc == 0) {
		d->ports[p].state = EVTCHNSTAT_virq;
		d->ports[p].virq = virq;
		d->ports[p].vcpu = vcpu;
		d->virq[vcpu][virq] = p;
		*port = p;
	}
	evtchn_unlock();
	return rc;
}

int evtchn_bind_ipi(domid_t dom, uint32_t vcpu, evtchn_port_t *port)
{
	struct edom *d;
	evtchn_port_t p;
	int rc;

	evtchn_lock();
	d = ev_dom(dom);
	if (!d)
		rc = -ESRCH;
	else if (vcpu >= d->nr_vcpus)
		rc = -ENOENT;
	else
		rc = ev_port_alloc(d, &p);
	if (rc == 0) {
		d->ports[p].state = EVTCHNSTAT_ipi;
		d->ports[p].vcpu = vcpu;
		*port = p;
	}
	evtchn_unlock();
	return rc;
}

static int check_rebind(struct edom *d, struct port *pt, uint32_t vcpu)
{
	if (!d)
		return -ESRCH;
	if (!pt)
		return -EINVAL;
	if (vcpu >= d->nr_vcpus)
		return -ENOENT;
	switch (pt->state) {
	case EVTCHNSTAT_unbound:
	case EVTCHNSTAT_interdomain:
		return 0;
	case EVTCHNSTAT_virq:
		return ev_per_vcpu_virq(pt->virq) ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

int evtchn_bind_vcpu(domid_t dom, evtchn_port_t port, uint32_t vcpu)
{
	struct edom *d;
	int rc;

	evtchn_lock();
	d = ev_dom(dom);
	rc = check_rebind(d, ev_port(d, port), vcpu);
	if (rc == 0) {
		struct port *pt = &d->ports[port];

		/* A global VIRQ stays indexed under vCPU 0 (check_rebind). */
		pt->vcpu = vcpu;
	}
	evtchn_unlock();
	return rc;
}

int evtchn_close(domid_t dom, evtchn_port_t port)
{
	struct edom *d;
	struct port *pt;
	int rc;

	evtchn_lock();
	d = ev_dom(dom);
	rc = ev_find(d, port, &pt);
	if (rc == 0 && pt->state != EVTCHNSTAT_closed)
		ev_port_close(d, port);
	evtchn_unlock();
	return rc;
}

int ev_send_locked(struct edom *d, evtchn_port_t port)
{
	struct port *pt;
	int rc = ev_find(d, port, &pt);

	if (rc < 0)
		return rc;
	switch (pt->state) {
	case EVTCHNSTAT_interdomain: {
		struct edom *r = ev_dom(pt->remote_dom);

		if (r && ev_port(r, pt->remote_port))
			ev_set_pending(r, pt->remote_port);
		return 0;
	}
	case EVTCHNSTAT_ipi:
		ev_set_pending(d, port);
		return 0;
	case EVTCHNSTAT_unbound:
		return 0; /* nobody listens yet: dropped, as in Xen */
	default:
		return -EINVAL;
	}
}

int evtchn_send(domid_t dom, evtchn_port_t port)
{
	int rc;

	evtchn_lock();
	rc = ev_send_locked(ev_dom(dom), port);
	evtchn_unlock();
	return rc;
}

static void fill_status(const struct port *pt, struct evtchn_status *st)
{
	st->status = pt->state;
	st->vcpu = pt->vcpu;
	memset(&st->u, 0, sizeof(st->u));
	if (pt->state == EVTCHNSTAT_unbound)
		st->u.unbound.dom = pt->remote_dom;
	else if (pt->state == EVTCHNSTAT_interdomain) {
		st->u.interdomain.dom = pt->remote_dom;
		st->u.interdomain.port = pt->remote_port;
	} else if (pt->state == EVTCHNSTAT_virq)
		st->u.virq = pt->virq;
}

int evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
	struct port *pt;
	int rc;

	evtchn_lock();
	rc = ev_find(ev_dom(dom), port, &pt);
	if (rc == 0)
		fill_status(pt, st);
	evtchn_unlock();
	return rc;
}

int evtchn_unmask(domid_t dom, evtchn_port_t port)
{
	struct edom *d;
	struct port *pt;
	struct shared_info *s;
	unsigned w = port / BITS;
	uint64_t bit = 1ull << (port % BITS);
	int rc;

	evtchn_lock();
	d = ev_dom(dom);
	rc = ev_find(d, port, &pt);
	if (rc == 0 && !d->ops)
		rc = -EINVAL;
	if (rc == 0) {
		s = d->ops->shared_info(d->opaque);
		if ((__atomic_fetch_and(&s->evtchn_mask[w], ~bit, __ATOMIC_SEQ_CST) & bit) &&
		    (__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) & bit))
			ev_mark_vcpu(d, d->ports[port].vcpu, w);
	}
	evtchn_unlock();
	return rc;
}

int evtchn_reset(domid_t dom)
{
	struct edom *d;

	evtchn_lock();
	d = ev_dom(dom);
	if (d)
		for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
			if (d->ports[p].state != EVTCHNSTAT_closed)
				ev_port_close(d, p);
	evtchn_unlock();
	return d ? 0 : -ESRCH;
}

int evtchn_raise_virq(domid_t dom, uint32_t vcpu, uint32_t virq)
{
	struct edom *d;
	int rc = -ENOENT;

	if (virq >= NR_VIRQS)
		return -EINVAL;
	evtchn_lock();
	d = ev_dom(dom);
	if (d && vcpu < d->nr_vcpus && d->virq[vcpu][virq]) {
		ev_set_pending(d, d->virq[vcpu][virq]);
		rc = 0;
	}
	evtchn_unlock();
	return rc;
}

bool evtchn_is_pending(domid_t dom, evtchn_port_t port)
{
	struct edom *d;
	bool r = false;

	evtchn_lock();
	d = ev_dom(dom);
	if (d && d->ops && ev_port(d, port)) {
		struct shared_info *s = d->ops->shared_info(d->opaque);

		r = __atomic_load_n(&s->evtchn_pending[port / BITS],
				    __ATOMIC_SEQ_CST) & (1ull << (port % BITS));
	}
	evtchn_unlock();
	return r;
}

void evtchn_reraise(domid_t dom, uint32_t vcpu)
{
	struct edom *d;

	evtchn_lock();
	d = ev_dom(dom);
	if (d && d->ops && vcpu < d->nr_vcpus) {
		struct vcpu_info *vi = d->ops->vcpu_info(d->opaque, vcpu);

		if (vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
			d->ops->kick(d->opaque, vcpu, true);
	}
	evtchn_unlock();
}
