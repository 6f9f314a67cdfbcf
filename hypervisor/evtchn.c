/*
 * evtchn: port tables, the state machine and 2-level delivery (see
 * evtchn.h for the contract and locking).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
};

#define BITS 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct edom *doms[PVX_MAX_DOMAINS];

void evtchn_lock(void)
{
	pthread_mutex_lock(&lock);
}

void evtchn_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

static struct edom *edom_get(domid_t id)
{
	return id < PVX_MAX_DOMAINS ? doms[id] : NULL;
}

static struct port *port_get(struct edom *d, evtchn_port_t p)
{
	if (!d || p == 0 || p >= EVTCHN_MAX_PORTS)
		return NULL;
	return &d->ports[p];
}

static int port_alloc(struct edom *d, evtchn_port_t *out)
{
	for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++) {
		if (d->ports[p].state == EVTCHNSTAT_closed) {
			*out = p;
			return 0;
		}
	}
	return -ENOSPC;
}

static bool per_vcpu_virq(uint32_t virq)
{
	return virq == VIRQ_TIMER || virq == VIRQ_DEBUG ||
	       virq == VIRQ_XENOPROF || virq == VIRQ_XENPMU;
}

static void eventfd_signal(int fd)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0) {
		/* counter saturated: the reader is woken anyway */
	}
}

/* Steps 3-4 of a delivery: pending_sel, upcall_pending, kick. */
static void mark_vcpu(struct edom *d, uint32_t vcpu, unsigned word)
{
	struct vcpu_info *vi = d->ops->vcpu_info(d->opaque, vcpu);

	if (!vi) {
		d->ops->kick(d->opaque, vcpu, false);
		return;
	}
	__atomic_fetch_or(&vi->evtchn_pending_sel, 1ull << word, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	d->ops->kick(d->opaque, vcpu, true);
}

static void set_pending(struct edom *d, evtchn_port_t p)
{
	struct shared_info *s;
	unsigned w = p / BITS;
	uint64_t bit = 1ull << (p % BITS);

	if (!d->ops) {
		eventfd_signal(d->ports[p].event_fd);
		return;
	}
	s = d->ops->shared_info(d->opaque);
	if (__atomic_fetch_or(&s->evtchn_pending[w], bit, __ATOMIC_SEQ_CST) & bit)
		return;
	if (__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST) & bit) {
		d->ops->kick(d->opaque, d->ports[p].vcpu, false); /* pollers */
		return;
	}
	mark_vcpu(d, d->ports[p].vcpu, w);
}

static void clear_pending(struct edom *d, evtchn_port_t p)
{
	struct shared_info *s;

	if (!d->ops)
		return;
	s = d->ops->shared_info(d->opaque);
	__atomic_fetch_and(&s->evtchn_pending[p / BITS], ~(1ull << (p % BITS)),
			   __ATOMIC_SEQ_CST);
}

static void port_reset(struct port *pt)
{
	memset(pt, 0, sizeof(*pt));
	pt->event_fd = -1;
}

/* The peer of a closing interdomain port goes back to "unbound, for d". */
static void unbind_peer(struct edom *d, evtchn_port_t p, struct port *pt)
{
	struct edom *r = edom_get(pt->remote_dom);
	struct port *rp = port_get(r, pt->remote_port);

	if (!rp || rp->state != EVTCHNSTAT_interdomain ||
	    rp->remote_dom != d->id || rp->remote_port != p)
		return;
	rp->state = EVTCHNSTAT_unbound;
	rp->remote_dom = d->id;
	rp->remote_port = 0;
	if (!r->ops)
		eventfd_signal(rp->event_fd); /* a Dom0 backend notices */
}

static void port_close(struct edom *d, evtchn_port_t p)
{
	struct port *pt = &d->ports[p];

	if (pt->state == EVTCHNSTAT_interdomain)
		unbind_peer(d, p, pt);
	else if (pt->state == EVTCHNSTAT_virq &&
		 d->virq[pt->vcpu][pt->virq] == p)
		d->virq[pt->vcpu][pt->virq] = 0;
	if (pt->event_fd >= 0)
		close(pt->event_fd);
	/* A stale pending bit would fire on whoever binds the port next. */
	clear_pending(d, p);
	port_reset(pt);
}

int evtchn_dom_add(domid_t dom, unsigned nr_vcpus,
		   const struct evtchn_ops *ops, void *opaque)
{
	struct edom *d;

	if (dom >= PVX_MAX_DOMAINS)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->virq = calloc(nr_vcpus ? nr_vcpus : 1, sizeof(*d->virq));
	if (!d->virq) {
		free(d);
		return -ENOMEM;
	}
	d->id = dom;
	d->nr_vcpus = nr_vcpus;
	d->ops = ops;
	d->opaque = opaque;
	for (unsigned i = 0; i < EVTCHN_MAX_PORTS; i++)
		port_reset(&d->ports[i]);
	evtchn_lock();
	if (doms[dom]) {
		evtchn_unlock();
		free(d->virq);
		free(d);
		return -EEXIST;
	}
	doms[dom] = d;
	evtchn_unlock();
	return 0;
}

void evtchn_dom_remove(domid_t dom)
{
	struct edom *d;

	evtchn_lock();
	d = edom_get(dom);
	if (d) {
		for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
			if (d->ports[p].state != EVTCHNSTAT_closed)
				port_close(d, p);
		doms[dom] = NULL;
	}
	evtchn_unlock();
	if (d) {
		free(d->virq);
		free(d);
	}
}

bool evtchn_dom_exists(domid_t dom)
{
	bool r;

	evtchn_lock();
	r = edom_get(dom) != NULL;
	evtchn_unlock();
	return r;
}

int evtchn_init(void)
{
	return evtchn_dom_add(PVX_DOM0, 0, NULL, NULL);
}

void evtchn_exit(void)
{
	for (domid_t i = 0; i < PVX_MAX_DOMAINS; i++)
		if (doms[i])
			evtchn_dom_remove(i);
}

/* ---- operations: validate everything, then commit ---- */

static domid_t self(domid_t dom, domid_t id)
{
	return id == DOMID_SELF ? dom : id;
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
	d = edom_get(dom);
	r = d ? port_alloc(d, &p) : -ESRCH;
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
	struct port *rp = port_get(r, rport);

	if (!r)
		return -ESRCH;
	if (!rp || rp->state != EVTCHNSTAT_unbound || rp->remote_dom != dom)
		return -EINVAL;
	return 0;
}

static void connect(struct edom *d, evtchn_port_t p, struct edom *r,
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

static int bind_interdomain_locked(domid_t dom, domid_t rdom,
				   evtchn_port_t rport, evtchn_port_t *port)
{
	struct edom *d = edom_get(dom), *r = edom_get(self(dom, rdom));
	evtchn_port_t p;
	int rc;

	if (!d)
		return -ESRCH;
	rc = check_bind_target(dom, r, rport);
	if (rc == 0)
		rc = port_alloc(d, &p);
	if (rc < 0)
		return rc;
	connect(d, p, r, rport);
	*port = p;
	return 0;
}

int evtchn_bind_interdomain(domid_t dom, domid_t rdom, evtchn_port_t rport,
			    evtchn_port_t *port)
{
	int rc;

	evtchn_lock();
	rc = bind_interdomain_locked(dom, rdom, rport, port);
	/* Events sent to the unbound port may be lost: say "pending" once,
	 * as Xen does, so the binder looks. */
	if (rc == 0)
		set_pending(edom_get(dom), *port);
	evtchn_unlock();
	return rc;
}

int evtchn_bind_virq(domid_t dom, uint32_t virq, uint32_t vcpu,
		     evtchn_port_t *port)
{
	struct edom *d;
	evtchn_port_t p;
	int rc = 0;

	if (virq >= NR_VIRQS || (!per_vcpu_virq(virq) && vcpu != 0))
		return -EINVAL;
	evtchn_lock();
	d = edom_get(dom);
	if (!d)
		rc = -ESRCH;
	else if (vcpu >= d->nr_vcpus)
		rc = -ENOENT;
	else if (d->virq[vcpu][virq])
		rc = -EEXIST;
	else
		rc = port_alloc(d, &p);
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
	d = edom_get(dom);
	if (!d)
		rc = -ESRCH;
	else if (vcpu >= d->nr_vcpus)
		rc = -ENOENT;
	else
		rc = port_alloc(d, &p);
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
		return per_vcpu_virq(pt->virq) ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

int evtchn_bind_vcpu(domid_t dom, evtchn_port_t port, uint32_t vcpu)
{
	struct edom *d;
	int rc;

	evtchn_lock();
	d = edom_get(dom);
	rc = check_rebind(d, port_get(d, port), vcpu);
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
	int rc = 0;

	evtchn_lock();
	d = edom_get(dom);
	pt = port_get(d, port);
	if (!d)
		rc = -ESRCH;
	else if (!pt)
		rc = -EINVAL;
	else if (pt->state != EVTCHNSTAT_closed)
		port_close(d, port);
	evtchn_unlock();
	return rc;
}

static int send_locked(struct edom *d, evtchn_port_t port)
{
	struct port *pt = port_get(d, port);

	if (!d)
		return -ESRCH;
	if (!pt)
		return -EINVAL;
	switch (pt->state) {
	case EVTCHNSTAT_interdomain: {
		struct edom *r = edom_get(pt->remote_dom);

		if (r && port_get(r, pt->remote_port))
			set_pending(r, pt->remote_port);
		return 0;
	}
	case EVTCHNSTAT_ipi:
		set_pending(d, port);
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
	rc = send_locked(edom_get(dom), port);
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
	struct edom *d;
	struct port *pt;
	int rc = 0;

	evtchn_lock();
	d = edom_get(dom);
	pt = port_get(d, port);
	if (!d)
		rc = -ESRCH;
	else if (!pt)
		rc = -EINVAL;
	else
		fill_status(pt, st);
	evtchn_unlock();
	return rc;
}

int evtchn_unmask(domid_t dom, evtchn_port_t port)
{
	struct edom *d;
	struct shared_info *s;
	unsigned w = port / BITS;
	uint64_t bit = 1ull << (port % BITS);
	int rc = 0;

	evtchn_lock();
	d = edom_get(dom);
	if (!d)
		rc = -ESRCH;
	else if (!port_get(d, port) || !d->ops)
		rc = -EINVAL;
	if (rc == 0) {
		s = d->ops->shared_info(d->opaque);
		if ((__atomic_fetch_and(&s->evtchn_mask[w], ~bit, __ATOMIC_SEQ_CST) & bit) &&
		    (__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) & bit))
			mark_vcpu(d, d->ports[port].vcpu, w);
	}
	evtchn_unlock();
	return rc;
}

int evtchn_reset(domid_t dom)
{
	struct edom *d;

	evtchn_lock();
	d = edom_get(dom);
	if (d)
		for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
			if (d->ports[p].state != EVTCHNSTAT_closed)
				port_close(d, p);
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
	d = edom_get(dom);
	if (d && vcpu < d->nr_vcpus && d->virq[vcpu][virq]) {
		set_pending(d, d->virq[vcpu][virq]);
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
	d = edom_get(dom);
	if (d && d->ops && port_get(d, port)) {
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
	d = edom_get(dom);
	if (d && d->ops && vcpu < d->nr_vcpus) {
		struct vcpu_info *vi = d->ops->vcpu_info(d->opaque, vcpu);

		if (vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
			d->ops->kick(d->opaque, vcpu, true);
	}
	evtchn_unlock();
}

/* ---- Dom0 ports, owned by control connections ---- */

int evtchn_dom0_bind(void *owner, domid_t rdom, evtchn_port_t rport,
		     int event_fd, evtchn_port_t *port)
{
	int rc;

	evtchn_lock();
	rc = bind_interdomain_locked(PVX_DOM0, rdom, rport, port);
	if (rc == 0) {
		struct port *pt = &doms[PVX_DOM0]->ports[*port];

		pt->owner = owner;
		pt->event_fd = event_fd;
		eventfd_signal(event_fd); /* as in evtchn_bind_interdomain */
	}
	evtchn_unlock();
	return rc;
}

static struct port *owned(void *owner, evtchn_port_t port)
{
	struct port *pt = port_get(doms[PVX_DOM0], port);

	return pt && pt->state != EVTCHNSTAT_closed && pt->owner == owner ? pt : NULL;
}

int evtchn_dom0_close(void *owner, evtchn_port_t port)
{
	int rc = -EINVAL;

	evtchn_lock();
	if (owned(owner, port)) {
		port_close(doms[PVX_DOM0], port);
		rc = 0;
	}
	evtchn_unlock();
	return rc;
}

int evtchn_dom0_send(void *owner, evtchn_port_t port)
{
	int rc = -EINVAL;

	evtchn_lock();
	if (owned(owner, port))
		rc = send_locked(doms[PVX_DOM0], port);
	evtchn_unlock();
	return rc;
}

void evtchn_dom0_close_owner(void *owner)
{
	evtchn_lock();
	for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
		if (owned(owner, p))
			port_close(doms[PVX_DOM0], p);
	evtchn_unlock();
}
