/*
 * dom_evtchn: how event channels reach a domain's vCPUs.
 *
 * evtchn.c sets the 2-level bits and calls kick(). We refresh the target
 * vCPU's time record (Xen refreshes it on every upcall; we also do when
 * the port is masked, for guests that poll), have the platform inject
 * the upcall unless the guest masked upcalls in vcpu_info (pvh: the
 * vCPU's upcall vector as an MSI to its LAPIC, vCPU id = APIC id; pv:
 * a signal into the registered callback), and wake every vCPU waiting
 * in SCHEDOP_block/poll so it rechecks. Injecting on every kick rather
 * than only on the 0->1 edge of upcall_pending is deliberate: KVM drops
 * an MSI sent to a software-disabled LAPIC, and a pure edge policy would
 * then never inject again (linux-pvh-abi.md §4.2). Runs under the
 * evtchn lock.
 */
#include "dom.h"
#include "evtchn.h"
#include "xtime.h"

static struct shared_info *ops_shared_info(void *opaque)
{
	struct domain *d = opaque;

	return d->shinfo;
}

static struct vcpu_info *ops_vcpu_info(void *opaque, unsigned vcpu)
{
	struct domain *d = opaque;

	if (vcpu >= d->nr_vcpus)
		return NULL;
	if (d->vcpus[vcpu].vcpu_info)
		return d->vcpus[vcpu].vcpu_info;
	return vcpu < XEN_LEGACY_MAX_VCPUS ? &d->shinfo->vcpu_info[vcpu] : NULL;
}

static void ops_kick(void *opaque, unsigned vcpu, bool upcall)
{
	struct domain *d = opaque;

	if (vcpu >= d->nr_vcpus)
		return;
	/* A guest that polls with events masked reads time too. */
	xtime_update_vcpu(&d->vcpus[vcpu]);
	if (upcall) {
		struct vcpu *v = &d->vcpus[vcpu];
		struct vcpu_info *vi = ops_vcpu_info(d, vcpu);

		if (vi && !__atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_SEQ_CST))
			d->plat->inject_upcall(v, vi);
	}
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		vcpu_wake(&d->vcpus[i]);
}

const struct evtchn_ops dom_evtchn_ops = {
	.shared_info = ops_shared_info,
	.vcpu_info = ops_vcpu_info,
	.kick = ops_kick,
};
