/*
 * sched_op (29): yield, block, poll, shutdown, shutdown_code.
 *
 * block and poll hold the calling vCPU's thread in pvxd (not in KVM)
 * until their condition holds, sleeping on the vCPU's wake eventfd, which
 * event delivery, timers, pause and destroy write:
 *  - block: clears the vCPU's upcall mask (Xen's "enable events and
 *    block"), returns once upcall_pending is set; re-raises the upcall if
 *    events were already pending while masked.
 *  - poll: returns once one of up to POLL_MAX_PORTS ports is pending
 *    (masked or not) or the absolute system-time timeout passes (0 =
 *    none); upcall mask untouched, so a guest polling with events masked
 *    gets no interrupt (ARCHITECTURE D12).
 * A pause, shutdown or destroy ends the wait with 0 (an early return
 * both allow), so the thread parks outside any hypercall: the vCPU's
 * registers then hold the result, which save/restore needs (a vCPU
 * saved inside a hypercall would resume with its number as the result;
 * pv: only a process out of the hypercall can be stopped and read).
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <unistd.h>

#include <xen/public/sched.h>

#include "dom.h"
#include "evtchn.h"
#include "hcall.h"
#include "pvxd.h"

#define POLL_MAX_PORTS 128

typedef bool (*wait_cond)(struct vcpu *v, const void *arg);

static bool must_stop(const struct domain *d)
{
	return __atomic_load_n(&d->dying, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&d->paused, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&d->stopping, __ATOMIC_SEQ_CST);
}

static void sleep_on(struct vcpu *v, uint64_t deadline)
{
	struct pollfd pfd = { .fd = v->wake_fd, .events = POLLIN };
	struct timespec ts, *tsp = NULL;
	uint64_t n;

	if (deadline) {
		uint64_t now = dom_system_time(v->d);
		uint64_t left = deadline > now ? deadline - now : 0;

		ts.tv_sec = (time_t)(left / 1000000000ull);
		ts.tv_nsec = (long)(left % 1000000000ull);
		tsp = &ts;
	}
	if (ppoll(&pfd, 1, tsp, NULL) > 0 && read(v->wake_fd, &n, sizeof(n)) < 0) {
		/* drained by someone else: fine */
	}
}

static long wait_until(struct vcpu *v, wait_cond cond, const void *arg,
		       uint64_t deadline)
{
	for (;;) {
		/* Publish "blocked" before testing, so a concurrent sender
		 * either sees it and writes wake_fd or set its bits first. */
		__atomic_store_n(&v->blocked, 1, __ATOMIC_SEQ_CST);
		if (cond(v, arg))
			break;
		if (must_stop(v->d))
			break; /* returns 0 early: see the top of the file */
		if (deadline && dom_system_time(v->d) >= deadline)
			break;
		sleep_on(v, deadline);
	}
	__atomic_store_n(&v->blocked, 0, __ATOMIC_SEQ_CST);
	return 0;
}

static struct vcpu_info *own_vcpu_info(struct vcpu *v)
{
	if (v->vcpu_info)
		return v->vcpu_info;
	return v->id < XEN_LEGACY_MAX_VCPUS ? &v->d->shinfo->vcpu_info[v->id] : NULL;
}

static bool upcall_pending(struct vcpu *v, const void *arg)
{
	struct vcpu_info *vi;
	bool r;

	(void)arg;
	evtchn_lock();
	vi = own_vcpu_info(v);
	r = vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
	evtchn_unlock();
	return r;
}

static long sched_yield_op(struct hc_ctx *c, uint64_t arg)
{
	(void)c;
	(void)arg;
	sched_yield();
	return 0;
}

static long sched_block(struct hc_ctx *c, uint64_t arg)
{
	struct vcpu_info *vi;

	(void)arg;
	evtchn_lock();
	vi = own_vcpu_info(c->v);
	if (vi)
		__atomic_store_n(&vi->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
	evtchn_unlock();
	/* Events that arrived while masked were not injected: do it now. */
	evtchn_reraise((domid_t)c->d->domid, c->v->id);
	return wait_until(c->v, upcall_pending, NULL, 0);
}

struct poll_set {
	domid_t dom;
	uint32_t n;
	evtchn_port_t ports[POLL_MAX_PORTS];
};

static bool any_pending(struct vcpu *v, const void *arg)
{
	const struct poll_set *ps = arg;

	(void)v;
	for (uint32_t i = 0; i < ps->n; i++)
		if (evtchn_is_pending(ps->dom, ps->ports[i]))
			return true;
	return false;
}

static long sched_poll(struct hc_ctx *c, uint64_t arg)
{
	struct sched_poll sp;
	struct poll_set ps;
	int r = hc_copy_from(c, &sp, arg, sizeof(sp));

	if (r < 0)
		return r;
	if (sp.nr_ports > POLL_MAX_PORTS)
		return -EINVAL;
	r = hc_copy_from(c, ps.ports, sp.ports, sp.nr_ports * sizeof(ps.ports[0]));
	if (r < 0)
		return r;
	for (uint32_t i = 0; i < sp.nr_ports; i++)
		if (ps.ports[i] == 0 || ps.ports[i] >= EVTCHN_MAX_PORTS)
			return -EINVAL;
	ps.dom = (domid_t)c->d->domid;
	ps.n = sp.nr_ports;
	return wait_until(c->v, any_pending, &ps, sp.timeout);
}

static long sched_shutdown(struct hc_ctx *c, uint64_t arg)
{
	struct sched_shutdown s;
	int r = hc_copy_from(c, &s, arg, sizeof(s));

	if (r < 0)
		return r;
	if (s.reason > SHUTDOWN_MAX)
		return -EINVAL;
	/* suspend: returns 0 now, which a restored copy sees ("resumed in
	 * a new domain"); PVX_CTL_RESUME turns it into 1 (cancelled). */
	if (s.reason == SHUTDOWN_suspend) {
		pthread_mutex_lock(&c->d->lock);
		if (!c->d->stopping)
			c->d->suspend_vcpu = c->v->id;
		pthread_mutex_unlock(&c->d->lock);
	}
	dom_shutdown(c->d, (int)s.reason, c->d->shutdown_code);
	return 0;
}

static long sched_shutdown_code(struct hc_ctx *c, uint64_t arg)
{
	struct sched_shutdown s;
	int r = hc_copy_from(c, &s, arg, sizeof(s));

	if (r < 0)
		return r;
	if (s.reason > SHUTDOWN_MAX)
		return -EINVAL;
	pthread_mutex_lock(&c->d->lock);
	c->d->shutdown_code = s.reason;
	pthread_mutex_unlock(&c->d->lock);
	return 0;
}

static const struct hc_subop sched_ops[] = {
	[SCHEDOP_yield]           = { sched_yield_op,      HC_ANY },
	[SCHEDOP_block]           = { sched_block,         HC_ANY },
	[SCHEDOP_shutdown]        = { sched_shutdown,      HC_ANY },
	[SCHEDOP_poll]            = { sched_poll,          HC_ANY },
	[SCHEDOP_remote_shutdown] = { hc_privileged_sub,   HC_PRIV },
	[SCHEDOP_shutdown_code]   = { sched_shutdown_code, HC_ANY },
	[SCHEDOP_pin_override]    = { hc_privileged_sub,   HC_PRIV },
};

long hc_sched_op(struct hc_ctx *c)
{
	return hc_subop_dispatch(c, sched_ops, ARRAY_SIZE(sched_ops),
				 c->arg[0], c->arg[1]);
}
