/*
 * pvh_state: a KVM domain's state for save/restore and its dirty log
 * (docs/migration-hv.md).
 *
 * Per vCPU: registers, segment/control registers, the MSRs that a
 * 64-bit guest sets (syscall entry, PAT, TSC deadline...; the TSC
 * itself is not restored: pvxd stamps the time records with the new
 * VM's TSC), XSAVE (or the legacy FPU area), XCRs, the LAPIC, the MP
 * state and pending events. Per VM: the in-kernel PIC/IOAPIC and PIT
 * when the VM has them (vm.c creates both; any that cannot be read is
 * left out, and loading applies what the blob has).
 *
 * A vCPU that exited for a hypercall has its result in the sync-regs
 * area and its `out` not yet completed: KVM finishes both only on the
 * next KVM_RUN. Before reading a parked vCPU we run it once with
 * immediate_exit set, which completes the exit without entering the
 * guest (the KVM API's advice before migration).
 *
 * Dirty log: KVM_MEM_LOG_DIRTY_PAGES on the RAM slot; collecting reads
 * and clears it with KVM_GET_DIRTY_LOG.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "dom.h"
#include "kvm.h"
#include "platform_pvh.h"
#include "pvxd.h"
#include "save_state.h"

static const uint32_t msr_list[] = {
	0x174, 0x175, 0x176,             /* SYSENTER_CS/ESP/EIP */
	0xC0000081, 0xC0000082, 0xC0000083, 0xC0000084, /* STAR LSTAR CSTAR SFMASK */
	0xC0000102, 0xC0000103,          /* KERNEL_GS_BASE, TSC_AUX */
	0x277, 0x1A0, 0x6E0,             /* PAT, MISC_ENABLE, TSC_DEADLINE */
};

static void pvh_state_limits(struct mig_limits *l)
{
	l->rec_size[MIG_REC_KVM_REGS] = sizeof(struct kvm_regs);
	l->rec_size[MIG_REC_KVM_SREGS] = sizeof(struct kvm_sregs);
	l->rec_size[MIG_REC_KVM_MSRS] = MIG_SIZE_MSRS;
	l->rec_size[MIG_REC_KVM_XSAVE] = sizeof(struct kvm_xsave);
	l->rec_size[MIG_REC_KVM_FPU] = sizeof(struct kvm_fpu);
	l->rec_size[MIG_REC_KVM_LAPIC] = sizeof(struct kvm_lapic_state);
	l->rec_size[MIG_REC_KVM_MP_STATE] = sizeof(struct kvm_mp_state);
	l->rec_size[MIG_REC_KVM_XCRS] = sizeof(struct kvm_xcrs);
	l->rec_size[MIG_REC_KVM_EVENTS] = sizeof(struct kvm_vcpu_events);
	l->rec_size[MIG_REC_KVM_IRQCHIP] = 3 * sizeof(struct kvm_irqchip);
	l->rec_size[MIG_REC_KVM_PIT] = sizeof(struct kvm_pit_state2);
}

/* Completes a pending exit (hypercall result, `out`) without running
 * guest code; the vCPU thread is parked. */
static int flush(struct vcpu *v)
{
	int r;

	__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	r = ioctl(v->fd, KVM_RUN, 0);
	if (r < 0 && errno != EINTR)
		return -errno;
	return 0;
}

/* Reads with ioctl `req` into a buffer and appends it as a record, if
 * KVM answers (optional state). */
static int put_ioctl(struct mig_writer *w, int fd, unsigned long req,
		     uint16_t type, uint16_t vcpu, size_t size, bool required)
{
	void *buf = calloc(1, size);
	int r = 0;

	if (!buf)
		return -ENOMEM;
	if (ioctl(fd, req, buf) < 0)
		r = required ? -errno : 0;
	else
		mig_put(w, type, vcpu, buf, (uint32_t)size);
	free(buf);
	return r;
}

static void put_msrs(struct mig_writer *w, struct vcpu *v)
{
	struct mig_msr out[ARRAY_SIZE(msr_list)];
	unsigned n = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(msr_list); i++) {
		struct { struct kvm_msrs h; struct kvm_msr_entry e; } m;

		memset(&m, 0, sizeof(m));
		m.h.nmsrs = 1;
		m.e.index = msr_list[i];
		if (ioctl(v->fd, KVM_GET_MSRS, &m) == 1)
			out[n++] = (struct mig_msr){ msr_list[i], 0, m.e.data };
	}
	mig_put(w, MIG_REC_KVM_MSRS, (uint16_t)v->id, out, (uint32_t)(n * sizeof(out[0])));
}

static int save_vcpu(struct mig_writer *w, struct vcpu *v)
{
	uint16_t id = (uint16_t)v->id;
	int r = flush(v);

	if (r == 0)
		r = put_ioctl(w, v->fd, KVM_GET_REGS, MIG_REC_KVM_REGS, id,
			      sizeof(struct kvm_regs), true);
	if (r == 0)
		r = put_ioctl(w, v->fd, KVM_GET_SREGS, MIG_REC_KVM_SREGS, id,
			      sizeof(struct kvm_sregs), true);
	if (r < 0)
		return r;
	put_msrs(w, v);
	if (put_ioctl(w, v->fd, KVM_GET_XSAVE, MIG_REC_KVM_XSAVE, id,
		      sizeof(struct kvm_xsave), true) < 0)
		(void)put_ioctl(w, v->fd, KVM_GET_FPU, MIG_REC_KVM_FPU, id,
				sizeof(struct kvm_fpu), false);
	(void)put_ioctl(w, v->fd, KVM_GET_XCRS, MIG_REC_KVM_XCRS, id,
			sizeof(struct kvm_xcrs), false);
	(void)put_ioctl(w, v->fd, KVM_GET_LAPIC, MIG_REC_KVM_LAPIC, id,
			sizeof(struct kvm_lapic_state), false);
	(void)put_ioctl(w, v->fd, KVM_GET_MP_STATE, MIG_REC_KVM_MP_STATE, id,
			sizeof(struct kvm_mp_state), false);
	(void)put_ioctl(w, v->fd, KVM_GET_VCPU_EVENTS, MIG_REC_KVM_EVENTS, id,
			sizeof(struct kvm_vcpu_events), false);
	return 0;
}

static void save_chips(struct mig_writer *w, struct domain *d)
{
	struct kvm_irqchip chip[3];
	struct kvm_pit_state2 pit;
	bool ok = true;

	memset(chip, 0, sizeof(chip));
	for (uint32_t i = 0; i < 3 && ok; i++) {
		chip[i].chip_id = i; /* PIC master, PIC slave, IOAPIC */
		ok = ioctl(d->vm.fd, KVM_GET_IRQCHIP, &chip[i]) == 0;
	}
	if (ok)
		mig_put(w, MIG_REC_KVM_IRQCHIP, MIG_NO_VCPU, chip, sizeof(chip));
	memset(&pit, 0, sizeof(pit));
	if (ioctl(d->vm.fd, KVM_GET_PIT2, &pit) == 0)
		mig_put(w, MIG_REC_KVM_PIT, MIG_NO_VCPU, &pit, sizeof(pit));
}

static int pvh_state_save(struct domain *d, struct mig_writer *w)
{
	save_chips(w, d);
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		int r = save_vcpu(w, &d->vcpus[i]);

		if (r < 0) {
			dlog(d, LOG_ERR, "v%u: cannot read its state: %d", i, r);
			return r;
		}
	}
	return 0;
}

/* Applies record `type` of vCPU id with ioctl req, if the blob has it. */
static int set_rec(const struct mig_parsed *p, int fd, unsigned long req,
		   uint16_t type, uint16_t id)
{
	const struct mig_rec *r = mig_find(p, type, id);
	void *buf;
	int rc = 0;

	if (!r)
		return 0;
	buf = malloc(r->len); /* KVM may write back into it */
	if (!buf)
		return -ENOMEM;
	memcpy(buf, r->data, r->len);
	if (ioctl(fd, req, buf) < 0)
		rc = -errno;
	free(buf);
	return rc;
}

static int load_msrs(const struct mig_parsed *p, struct vcpu *v)
{
	const struct mig_rec *r = mig_find(p, MIG_REC_KVM_MSRS, (uint16_t)v->id);
	const struct mig_msr *m = r ? (const struct mig_msr *)r->data : NULL;

	for (uint32_t i = 0; m && i < r->len / sizeof(*m); i++) {
		struct { struct kvm_msrs h; struct kvm_msr_entry e; } s;
		bool known = false;

		for (unsigned j = 0; j < ARRAY_SIZE(msr_list); j++)
			known |= msr_list[j] == m[i].index;
		if (!known)
			return -EINVAL; /* only MSRs we save: never the hypercall MSR */
		memset(&s, 0, sizeof(s));
		s.h.nmsrs = 1;
		s.e.index = m[i].index;
		s.e.data = m[i].data;
		if (ioctl(v->fd, KVM_SET_MSRS, &s) != 1)
			return -EINVAL;
	}
	return 0;
}

static int load_vcpu(const struct mig_parsed *p, struct vcpu *v)
{
	uint16_t id = (uint16_t)v->id;
	int r;

	if (!mig_find(p, MIG_REC_KVM_REGS, id) || !mig_find(p, MIG_REC_KVM_SREGS, id))
		return -EINVAL;
	r = set_rec(p, v->fd, KVM_SET_SREGS, MIG_REC_KVM_SREGS, id);
	if (r == 0)
		r = set_rec(p, v->fd, KVM_SET_REGS, MIG_REC_KVM_REGS, id);
	if (r == 0)
		r = set_rec(p, v->fd, KVM_SET_XCRS, MIG_REC_KVM_XCRS, id);
	if (r == 0)
		r = set_rec(p, v->fd, KVM_SET_XSAVE, MIG_REC_KVM_XSAVE, id);
	if (r == 0)
		r = set_rec(p, v->fd, KVM_SET_FPU, MIG_REC_KVM_FPU, id);
	if (r == 0)
		r = load_msrs(p, v);
	if (r == 0)
		r = set_rec(p, v->fd, KVM_SET_LAPIC, MIG_REC_KVM_LAPIC, id);
	if (r == 0)
		r = set_rec(p, v->fd, KVM_SET_MP_STATE, MIG_REC_KVM_MP_STATE, id);
	if (r == 0)
		r = set_rec(p, v->fd, KVM_SET_VCPU_EVENTS, MIG_REC_KVM_EVENTS, id);
	return r;
}

static int load_chips(struct domain *d, const struct mig_parsed *p)
{
	const struct mig_rec *c = mig_find(p, MIG_REC_KVM_IRQCHIP, MIG_NO_VCPU);
	int r = 0;

	for (unsigned i = 0; c && i < 3 && r == 0; i++) {
		struct kvm_irqchip chip;

		memcpy(&chip, c->data + i * sizeof(chip), sizeof(chip));
		if (chip.chip_id != i)
			return -EINVAL;
		if (ioctl(d->vm.fd, KVM_SET_IRQCHIP, &chip) < 0)
			r = -errno;
	}
	if (r == 0)
		r = set_rec(p, d->vm.fd, KVM_SET_PIT2, MIG_REC_KVM_PIT, MIG_NO_VCPU);
	return r;
}

static int pvh_state_load(struct domain *d, const struct mig_parsed *p)
{
	int r = load_chips(d, p);

	for (unsigned i = 0; r == 0 && i < d->nr_vcpus; i++) {
		r = load_vcpu(p, &d->vcpus[i]);
		if (r < 0)
			dlog(d, LOG_WARN, "v%u: KVM refused the saved state: %d", i, r);
	}
	return r;
}

static int pvh_set_retval(struct vcpu *v, uint64_t value)
{
	struct kvm_regs regs;
	int r = flush(v);

	if (r < 0)
		return r;
	if (ioctl(v->fd, KVM_GET_REGS, &regs) < 0)
		return -errno;
	regs.rax = value;
	return ioctl(v->fd, KVM_SET_REGS, &regs) < 0 ? -errno : 0;
}

static int set_log(struct domain *d, bool on)
{
	struct kvm_userspace_memory_region r = {
		.slot = VM_SLOT_RAM,
		.flags = on ? KVM_MEM_LOG_DIRTY_PAGES : 0,
		.guest_phys_addr = 0,
		.memory_size = d->vm.ram_bytes,
		.userspace_addr = (uintptr_t)d->vm.mem,
	};

	return ioctl(d->vm.fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

static int pvh_dirty_start(struct domain *d)
{
	return set_log(d, true);
}

static void pvh_dirty_stop(struct domain *d)
{
	(void)set_log(d, false);
}

static int pvh_dirty_collect(struct domain *d, uint64_t *bitmap)
{
	uint64_t words = d->vm.ram_bytes / PVX_PAGE_SIZE / 64 + 1;
	uint64_t *log = calloc(words, 8);
	struct kvm_dirty_log dl = { .slot = VM_SLOT_RAM };
	int r = 0;

	if (!log)
		return -ENOMEM;
	dl.dirty_bitmap = log;
	if (ioctl(d->vm.fd, KVM_GET_DIRTY_LOG, &dl) < 0)
		r = -errno;
	for (uint64_t i = 0; r == 0 && i < words; i++)
		bitmap[i] |= log[i];
	free(log);
	return r;
}

const struct platform_mig_ops pvh_mig_ops = {
	.state_limits = pvh_state_limits,
	.state_save = pvh_state_save,
	.state_load = pvh_state_load,
	.set_retval = pvh_set_retval,
	.dirty_start = pvh_dirty_start,
	.dirty_stop = pvh_dirty_stop,
	.dirty_collect = pvh_dirty_collect,
};
