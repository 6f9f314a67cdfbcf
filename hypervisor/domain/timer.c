/*
 * timer: singleshot timers (see timer.h).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <event2/event.h>

#include "dom.h"
#include "evtchn.h"
#include "timer.h"
#include "xtime.h"

static struct event_base *base;

void timer_set_base(struct event_base *b)
{
	base = b;
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct vcpu *v = arg;
	uint64_t n;

	(void)what;
	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return; /* re-armed or stopped meanwhile */
	__atomic_store_n(&v->timer_deadline, 0, __ATOMIC_RELAXED);
	if (evtchn_raise_virq((domid_t)v->d->domid, v->id, VIRQ_TIMER) < 0) {
		/* Unbound VIRQ_TIMER: no delivery refreshed the time record. */
		evtchn_lock();
		xtime_update_vcpu(v);
		evtchn_unlock();
	}
	vcpu_wake(v);
}

int timer_dom_init(struct domain *d)
{
	if (!base)
		return 0; /* unit tests: no event loop */
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = &d->vcpus[i];

		v->timer_ev = event_new(base, v->timer_fd, EV_READ | EV_PERSIST,
					timer_cb, v);
		if (!v->timer_ev || event_add(v->timer_ev, NULL) < 0) {
			timer_dom_exit(d);
			return -ENOMEM;
		}
	}
	return 0;
}

void timer_dom_exit(struct domain *d)
{
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = &d->vcpus[i];

		if (v->timer_ev)
			event_free(v->timer_ev);
		v->timer_ev = NULL;
	}
}

int timer_set(struct vcpu *v, uint64_t deadline)
{
	struct itimerspec its;
	uint64_t abs;

	memset(&its, 0, sizeof(its));
	__atomic_store_n(&v->timer_deadline, deadline, __ATOMIC_RELAXED);
	if (deadline) {
		abs = v->d->create_mono_ns + deadline;
		/* 0 would disarm: a deadline at the epoch fires at once. */
		its.it_value.tv_sec = (time_t)(abs / 1000000000ull);
		its.it_value.tv_nsec = (long)(abs % 1000000000ull);
		if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
			its.it_value.tv_nsec = 1;
	}
	if (timerfd_settime(v->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	return 0;
}
