/*
 * vcpu_op (24) and set_timer_op (15). vcpu_op's arg1 is the target vCPU
 * (Linux registers an AP's vcpu_info from the BSP), arg2 the struct.
 *
 *  - register_vcpu_info: moves the vCPU's vcpu_info from the legacy slot
 *    in shared_info to guest RAM at mfn << 12 + offset (must not cross a
 *    page). The current contents are copied over; pending upcalls are
 *    re-raised. Once per vCPU, like Xen (-EINVAL after).
 *  - is_up: 1 for every existing vCPU (KVM vCPUs always exist; APs wait
 *    for INIT/SIPI inside KVM).
 *  - set/stop_singleshot_timer, stop_periodic_timer: the caller's own
 *    vCPU only (-EINVAL otherwise), as in Xen. There is no periodic
 *    timer, so stopping it always succeeds.
 */
#include <errno.h>
#include <string.h>

#include <xen/public/vcpu.h>

#include "dom.h"
#include "evtchn.h"
#include "hcall.h"
#include "pvxd.h"
#include "timer.h"
#include "xtime.h"

static struct vcpu *target(struct hc_ctx *c)
{
	uint64_t id = c->arg[1];

	return id < c->d->nr_vcpus ? &c->d->vcpus[id] : NULL;
}

static long vcpu_register_info(struct hc_ctx *c, uint64_t arg)
{
	struct vcpu_register_vcpu_info ri;
	struct vcpu *v = target(c);
	struct vcpu_info *now, *old;
	uint64_t gpa;
	int r = hc_copy_from(c, &ri, arg, sizeof(ri));

	if (r < 0)
		return r;
	if (ri.offset > PVX_PAGE_SIZE - sizeof(struct vcpu_info) ||
	    ri.mfn >= c->d->vm.ram_bytes / PVX_PAGE_SIZE)
		return -EINVAL;
	gpa = ri.mfn * PVX_PAGE_SIZE + ri.offset;
	if (gpa < c->d->plat->ram_floor)
		return -EINVAL; /* not the guest's memory (pv) */
	evtchn_lock();
	if (v->vcpu_info) {
		evtchn_unlock();
		return -EINVAL;
	}
	now = (struct vcpu_info *)(c->d->vm.mem + gpa);
	old = v->id < XEN_LEGACY_MAX_VCPUS ? &c->d->shinfo->vcpu_info[v->id] : NULL;
	if (old)
		memcpy(now, old, sizeof(*now));
	else
		memset(now, 0, sizeof(*now));
	v->vcpu_info = now;
	v->vcpu_info_gpa = gpa;
	xtime_update_vcpu(v);
	evtchn_unlock();
	evtchn_reraise((domid_t)c->d->domid, v->id);
	return 0;
}

static long vcpu_is_up(struct hc_ctx *c, uint64_t arg)
{
	(void)c;
	(void)arg;
	return 1;
}

static long vcpu_set_singleshot(struct hc_ctx *c, uint64_t arg)
{
	struct vcpu_set_singleshot_timer t;
	int r;

	if (target(c) != c->v)
		return -EINVAL;
	r = hc_copy_from(c, &t, arg, sizeof(t));
	if (r < 0)
		return r;
	if ((t.flags & VCPU_SSHOTTMR_future) &&
	    t.timeout_abs_ns < dom_system_time(c->d))
		return -ETIME;
	return timer_set(c->v, t.timeout_abs_ns ? t.timeout_abs_ns : 1);
}

static long vcpu_stop_singleshot(struct hc_ctx *c, uint64_t arg)
{
	(void)arg;
	if (target(c) != c->v)
		return -EINVAL;
	return timer_set(c->v, 0);
}

static long vcpu_stop_periodic(struct hc_ctx *c, uint64_t arg)
{
	(void)arg;
	return target(c) == c->v ? 0 : -EINVAL;
}

static const struct hc_subop vcpu_ops[] = {
	[VCPUOP_is_up]                 = { vcpu_is_up,           HC_ANY },
	[VCPUOP_stop_periodic_timer]   = { vcpu_stop_periodic,   HC_ANY },
	[VCPUOP_set_singleshot_timer]  = { vcpu_set_singleshot,  HC_ANY },
	[VCPUOP_stop_singleshot_timer] = { vcpu_stop_singleshot, HC_ANY },
	[VCPUOP_register_vcpu_info]    = { vcpu_register_info,   HC_ANY },
	[VCPUOP_get_physid]            = { hc_privileged_sub,    HC_PRIV },
};

long hc_vcpu_op(struct hc_ctx *c)
{
	if (!target(c))
		return -ENOENT;
	return hc_subop_dispatch(c, vcpu_ops, ARRAY_SIZE(vcpu_ops), c->arg[0],
				 c->arg[2]);
}

long hc_set_timer_op(struct hc_ctx *c)
{
	return timer_set(c->v, c->arg[0]);
}
