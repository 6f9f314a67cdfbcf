/*
 * evtchn: port tables, 2-level delivery and closing ports (see evtchn.h
 * for the contract and locking). The guest operations are in
 * evtchn_ops.c, Dom0's ports in evtchn_dom0.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtchn.h"
#include "evtchn_impl.h"
#include "pvxd.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
struct edom *ev_doms[PVX_MAX_DOMAINS];

void evtchn_lock(void)
{
	pthread_mutex_lock(&lock);
}

void evtchn_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

struct edom *ev_dom(domid_t id)
{
	return id < PVX_MAX_DOMAINS ? ev_doms[id] : NULL;
}

struct port *ev_port(struct edom *d, evtchn_port_t p)
{
	if (!d || p == 0 || p >= EVTCHN_MAX_PORTS)
		return NULL;
	return &d->ports[p];
}

int ev_port_alloc(struct edom *d, evtchn_port_t *out)
{
	for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++) {
		if (d->ports[p].state == EVTCHNSTAT_closed) {
			*out = p;
			return 0;
		}
	}
	return -ENOSPC;
}

bool ev_per_vcpu_virq(uint32_t virq)
{
	return virq == VIRQ_TIMER || virq == VIRQ_DEBUG ||
	       virq == VIRQ_XENOPROF || virq == VIRQ_XENPMU;
}

void ev_signal_fd(int fd)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0) {
		/* counter saturated: the reader is woken anyway */
	}
}

/* Steps 3-4 of a delivery: pending_sel, upcall_pending, kick. */
void ev_mark_vcpu(struct edom *d, uint32_t vcpu, unsigned word)
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

void ev_set_pending(struct edom *d, evtchn_port_t p)
{
	struct shared_info *s;
	unsigned w = p / BITS;
	uint64_t bit = 1ull << (p % BITS);

	d->nr_raised++; /* under the evtchn lock */
	if (!d->ops) {
		ev_signal_fd(d->ports[p].event_fd);
		return;
	}
	s = d->ops->shared_info(d->opaque);
	if (__atomic_fetch_or(&s->evtchn_pending[w], bit, __ATOMIC_SEQ_CST) & bit)
		return;
	if (__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST) & bit) {
		d->ops->kick(d->opaque, d->ports[p].vcpu, false); /* pollers */
		return;
	}
	ev_mark_vcpu(d, d->ports[p].vcpu, w);
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
	struct edom *r = ev_dom(pt->remote_dom);
	struct port *rp = ev_port(r, pt->remote_port);

	if (!rp || rp->state != EVTCHNSTAT_interdomain ||
	    rp->remote_dom != d->id || rp->remote_port != p)
		return;
	rp->state = EVTCHNSTAT_unbound;
	rp->remote_dom = d->id;
	rp->remote_port = 0;
	if (!r->ops)
		ev_signal_fd(rp->event_fd); /* a Dom0 backend notices */
}

void ev_port_close(struct edom *d, evtchn_port_t p)
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
	if (ev_doms[dom]) {
		evtchn_unlock();
		free(d->virq);
		free(d);
		return -EEXIST;
	}
	ev_doms[dom] = d;
	evtchn_unlock();
	return 0;
}

void evtchn_dom_remove(domid_t dom)
{
	struct edom *d;

	evtchn_lock();
	d = ev_dom(dom);
	if (d) {
		for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
			if (d->ports[p].state != EVTCHNSTAT_closed)
				ev_port_close(d, p);
		ev_doms[dom] = NULL;
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
	r = ev_dom(dom) != NULL;
	evtchn_unlock();
	return r;
}

uint64_t evtchn_dom_raised(domid_t dom)
{
	struct edom *d;
	uint64_t n = 0;

	evtchn_lock();
	d = ev_dom(dom);
	if (d)
		n = d->nr_raised;
	evtchn_unlock();
	return n;
}

int evtchn_init(void)
{
	return evtchn_dom_add(PVX_DOM0, 0, NULL, NULL);
}

void evtchn_exit(void)
{
	for (domid_t i = 0; i < PVX_MAX_DOMAINS; i++)
		if (ev_doms[i])
			evtchn_dom_remove(i);
}
