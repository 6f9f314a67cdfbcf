/*
 * xtime: vcpu_time_info and wallclock updates (see xtime.h).
 */
#include <x86intrin.h>

#include <xen/public/xen.h>

#include "dom.h"
#include "evtchn.h"
#include "xtime.h"

#define NSEC_PER_SEC 1000000000ull

void xtime_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift)
{
	uint64_t hz = tsc_hz ? tsc_hz : NSEC_PER_SEC;
	int s = 0;

	/* Bring hz into (1e9/2, 1e9] ... (1e9, 2e9] so that 1e9/hz, as a
	 * 32.32 fraction, fits in 32 bits with the most precision. */
	while (hz > 2 * NSEC_PER_SEC) {
		hz >>= 1;
		s--;
	}
	while (hz <= NSEC_PER_SEC) {
		hz <<= 1;
		s++;
	}
	*mul = (uint32_t)((NSEC_PER_SEC << 32) / hz);
	*shift = (int8_t)s;
}

void xtime_init(struct domain *d)
{
	d->tsc_khz = d->plat->tsc_khz(d);
	xtime_scale((uint64_t)d->tsc_khz * 1000, &d->tsc_mul, &d->tsc_shift);
}

static struct vcpu_time_info *time_area(struct vcpu *v)
{
	if (v->vcpu_info)
		return &v->vcpu_info->time;
	if (v->id < XEN_LEGACY_MAX_VCPUS)
		return &v->d->shinfo->vcpu_info[v->id].time;
	return NULL;
}

void xtime_update_vcpu(struct vcpu *v)
{
	struct vcpu_time_info *t = time_area(v);
	struct domain *d = v->d;
	uint32_t ver;
	uint64_t tsc, sys;

	if (!t)
		return;
	ver = __atomic_load_n(&t->version, __ATOMIC_RELAXED);
	ver = (ver + 1) | 1; /* next odd value, even if the guest scribbled */
	__atomic_store_n(&t->version, ver, __ATOMIC_RELAXED);
	/* Make the odd version visible before the fields change. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	tsc = __rdtsc();
	sys = dom_system_time(d);
	t->tsc_timestamp = tsc + (uint64_t)v->tsc_offset;
	t->system_time = sys;
	t->tsc_to_system_mul = d->tsc_mul;
	t->tsc_shift = d->tsc_shift;
	t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
	/* Fields complete before the even version says so. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&t->version, ver + 1, __ATOMIC_RELAXED);
}

void xtime_update_wc(struct domain *d)
{
	struct shared_info *s = d->shinfo;
	uint64_t sec = d->create_real_ns / NSEC_PER_SEC;
	uint32_t ver = (__atomic_load_n(&s->wc_version, __ATOMIC_RELAXED) + 1) | 1;

	__atomic_store_n(&s->wc_version, ver, __ATOMIC_RELAXED);
	/* Odd version visible before the fields change. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s->wc_sec = (uint32_t)sec;
	s->wc_sec_hi = (uint32_t)(sec >> 32);
	s->wc_nsec = (uint32_t)(d->create_real_ns % NSEC_PER_SEC);
	/* Fields complete before the even version. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&s->wc_version, ver + 1, __ATOMIC_RELAXED);
}

void xtime_update_all(struct domain *d)
{
	evtchn_lock();
	xtime_update_wc(d);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		xtime_update_vcpu(&d->vcpus[i]);
	evtchn_unlock();
}
