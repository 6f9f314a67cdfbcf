/*
 * platform_pvh: the `pvh` platform, each domain a KVM VM (vm.h) whose
 * vCPUs are KVM vCPUs (platform_pvh_vcpu.c).
 *
 * The host needs a usable /dev/kvm (kvm.c); the VM pool (vm_pool.h)
 * belongs to this platform and starts with it. Events are the upcall
 * vector sent as an MSI to the vCPU's LAPIC; hypercall pointers are
 * guest virtual addresses, translated through the guest's page tables
 * with the control registers KVM saved at the exit. CALLBACKOP is not
 * offered (-ENOSYS): a pvh guest registers a vector instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "dom.h"
#include "kvm.h"
#include "platform.h"
#include "platform_pvh.h"
#include "vm_pool.h"

static int pvh_host_init(char *why, size_t len)
{
	int r = kvm_host_init(why, len);

	if (r < 0)
		return r;
	r = vm_pool_init();
	if (r < 0) {
		snprintf(why, len, "VM pool threads: %s", strerror(-r));
		kvm_host_exit();
	}
	return r;
}

static void pvh_host_exit(void)
{
	vm_pool_exit();
	kvm_host_exit();
}

static int pvh_dom_create(struct domain *d)
{
	return vm_create(&d->vm, d->domid, d->ram_pages * PVX_PAGE_SIZE);
}

static void vm_free_cb(void *arg)
{
	vm_dispose(arg);
	free(arg);
}

/* The VM fd is the last reference and its close waits for RCU grace
 * periods: the reaper does that, with the memory, when async. */
static void pvh_dom_destroy(struct domain *d, bool async)
{
	struct vm *vm = async ? malloc(sizeof(*vm)) : NULL;

	if (vm) {
		*vm = d->vm;
		vm_pool_reap(vm_free_cb, vm);
	} else {
		vm_dispose(&d->vm);
	}
	d->vm.fd = d->vm.memfd = -1;
	d->vm.mem = d->vm.special = NULL;
}

static int pvh_map_xpage(struct domain *d, uint64_t gpa)
{
	return vm_map_xpage(&d->vm, gpa);
}

static uint32_t pvh_tsc_khz(struct domain *d)
{
	int khz = d->nr_vcpus ? ioctl(d->vcpus[0].fd, KVM_GET_TSC_KHZ, 0) : -1;

	return khz > 0 ? (uint32_t)khz : 0;
}

static void pvh_kick(struct vcpu *v)
{
	if (v->run)
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
}

static void pvh_kick_ack(struct vcpu *v)
{
	if (v->run)
		__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
}

static void pvh_inject_upcall(struct vcpu *v, struct vcpu_info *vi)
{
	(void)vi;
	if (v->upcall_vector)
		vm_signal_msi(&v->d->vm, v->id, v->upcall_vector);
}

static int pvh_guest_mode(struct vcpu *v, struct gva_mode *m)
{
	struct kvm_sregs s;

	if (kvm_host.sync_sregs)
		s = v->run->s.regs.sregs; /* KVM stored them at the exit */
	else if (ioctl(v->fd, KVM_GET_SREGS, &s) < 0)
		return -EFAULT;
	m->cr0 = s.cr0;
	m->cr3 = s.cr3;
	m->cr4 = s.cr4;
	m->efer = s.efer;
	m->cpl = (s.cs.dpl == 3 || s.ss.dpl == 3) ? 3 : 0;
	return 0;
}

const struct platform_ops platform_pvh = {
	.name = "pvh",
	.type = PVX_TYPE_PVH,
	.xen_caps = "hvm-3.0-x86_64",
	.host_init = pvh_host_init,
	.host_exit = pvh_host_exit,
	.dom_create = pvh_dom_create,
	.dom_destroy = pvh_dom_destroy,
	.map_xpage = pvh_map_xpage,
	.tsc_khz = pvh_tsc_khz,
	.vcpu_init = pvh_vcpu_init,
	.vcpu_dispose = pvh_vcpu_dispose,
	.vcpu_set_boot = pvh_vcpu_set_boot,
	.vcpu_thread_init = pvh_vcpu_thread_init,
	.vcpu_run = pvh_vcpu_run,
	.vcpu_kick = pvh_kick,
	.vcpu_kick_ack = pvh_kick_ack,
	.inject_upcall = pvh_inject_upcall,
	.guest_mode = pvh_guest_mode,
	.dump_regs = pvh_dump_regs,
	.upcall_vector = true,
	.mig = &pvh_mig_ops,
};
