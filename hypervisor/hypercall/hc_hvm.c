/*
 * hvm_op (34): HVM parameters and the per-vCPU upcall vector.
 *
 * Parameters: a guest may set only the ones Xen lets a guest set
 * (callback irq, store/console event channel, and a few harmless ones);
 * the rest (store/console pfn, ...) come from the toolstack through
 * PVX_CTL_SET_HVM_PARAM, and the guest gets -EPERM. Reads are allowed
 * except the paging/monitor/sharing ring pfns. CALLBACK_IRQ is recorded
 * but never used for delivery: events go through the per-vCPU vector
 * (set_evtchn_upcall_vector, linux-pvh-abi.md §0.3).
 */
#include <errno.h>

#include <xen/public/hvm/hvm_op.h>
#include <xen/public/hvm/params.h>

#include "dom.h"
#include "evtchn.h"
#include "hcall.h"
#include "pvxd.h"

#define UPCALL_VECTOR_MIN 0x10

static bool guest_may_set(uint32_t index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_VM86_TSS:
	case HVM_PARAM_VM86_TSS_SIZED:
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case HVM_PARAM_VM_GENERATION_ID_ADDR:
	case HVM_PARAM_X87_FIP_WIDTH:
		return true;
	default:
		return false;
	}
}

static bool guest_may_get(uint32_t index)
{
	return index != HVM_PARAM_PAGING_RING_PFN &&
	       index != HVM_PARAM_MONITOR_RING_PFN &&
	       index != HVM_PARAM_SHARING_RING_PFN;
}

static int read_param(struct hc_ctx *c, uint64_t arg, struct xen_hvm_param *p)
{
	int r = hc_copy_from(c, p, arg, sizeof(*p));

	if (r == 0)
		r = hc_self_domid(c, p->domid);
	if (r == 0 && p->index >= HVM_NR_PARAMS)
		r = -EINVAL;
	return r;
}

static long hvm_set_param(struct hc_ctx *c, uint64_t arg)
{
	struct xen_hvm_param p;
	int r = read_param(c, arg, &p);

	if (r < 0)
		return r;
	if (!guest_may_set(p.index))
		return -EPERM;
	pthread_mutex_lock(&c->d->lock);
	c->d->hvm_param[p.index] = p.value;
	pthread_mutex_unlock(&c->d->lock);
	return 0;
}

static long hvm_get_param(struct hc_ctx *c, uint64_t arg)
{
	struct xen_hvm_param p;
	int r = read_param(c, arg, &p);

	if (r < 0)
		return r;
	if (!guest_may_get(p.index))
		return -EPERM;
	pthread_mutex_lock(&c->d->lock);
	p.value = c->d->hvm_param[p.index];
	pthread_mutex_unlock(&c->d->lock);
	return hc_copy_to(c, arg, &p, sizeof(p));
}

static long hvm_set_upcall_vector(struct hc_ctx *c, uint64_t arg)
{
	struct xen_hvm_evtchn_upcall_vector u;
	int r = hc_copy_from(c, &u, arg, sizeof(u));

	if (r < 0)
		return r;
	if (!c->d->plat->upcall_vector)
		return -EOPNOTSUPP; /* no LAPIC: pv uses CALLBACKOP_register */
	if (u.vector < UPCALL_VECTOR_MIN)
		return -EINVAL;
	if (u.vcpu >= c->d->nr_vcpus)
		return -ENOENT;
	evtchn_lock();
	c->d->vcpus[u.vcpu].upcall_vector = u.vector;
	evtchn_unlock();
	/* Events already pending get their upcall now. */
	evtchn_reraise((domid_t)c->d->domid, u.vcpu);
	return 0;
}

static long hvm_get_time(struct hc_ctx *c, uint64_t arg)
{
	struct xen_hvm_get_time t = { .now = dom_system_time(c->d) };

	return hc_copy_to(c, arg, &t, sizeof(t));
}

static const struct hc_subop hvm_ops[] = {
	[HVMOP_set_param]                = { hvm_set_param,         HC_ANY },
	[HVMOP_get_param]                = { hvm_get_param,         HC_ANY },
	[HVMOP_get_time]                 = { hvm_get_time,          HC_ANY },
	[HVMOP_set_evtchn_upcall_vector] = { hvm_set_upcall_vector, HC_ANY },
};

long hc_hvm_op(struct hc_ctx *c)
{
	return hc_subop_dispatch(c, hvm_ops, ARRAY_SIZE(hvm_ops), c->arg[0],
				 c->arg[1]);
}
