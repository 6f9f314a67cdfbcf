/*
 * platform_pvh_vcpu: a KVM vCPU: creation, the PVH boot state, one
 * KVM_RUN and its exit, dispatched through a table indexed by exit
 * reason (handlers in exit_io.c and exit_msr.c).
 *
 * Kicks (platform_pvh.c) set kvm_run.immediate_exit before the generic
 * SIGUSR1 (vcpu.c), so whatever the timing either KVM_RUN sees
 * immediate_exit or the signal interrupts it, and the thread rechecks
 * its flags before running again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <x86intrin.h>

#include "dom.h"
#include "kvm.h"
#include "platform_pvh.h"
#include "pvxd.h"

#define MSR_IA32_TSC 0x10

static int set_cpuid(struct vcpu *v)
{
	int khz = ioctl(v->fd, KVM_GET_TSC_KHZ, 0);
	struct kvm_cpuid2 *c = cpuid_for_vcpu(v->id, khz > 0 ? (uint32_t)khz : 0);
	int r = 0;

	if (!c)
		return -ENOMEM;
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0)
		r = -errno;
	free(c);
	return r;
}

int pvh_vcpu_init(struct vcpu *v)
{
	int r;

	v->fd = ioctl(v->d->vm.fd, KVM_CREATE_VCPU, v->id);
	if (v->fd < 0)
		return -errno;
	v->run = mmap(NULL, kvm_host.vcpu_mmap_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		r = -errno;
		goto err;
	}
	r = set_cpuid(v);
	if (r < 0)
		goto err;
	if (kvm_host.sync_regs)
		v->run->kvm_valid_regs |= KVM_SYNC_X86_REGS;
	if (kvm_host.sync_sregs)
		v->run->kvm_valid_regs |= KVM_SYNC_X86_SREGS;
	return 0;
err:
	pvh_vcpu_dispose(v);
	return r;
}

void pvh_vcpu_dispose(struct vcpu *v)
{
	if (v->run)
		munmap(v->run, kvm_host.vcpu_mmap_size);
	v->run = NULL;
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
}

/* Guest TSC = host TSC + offset; measured once so any thread can stamp
 * vcpu_time_info without stopping this vCPU. */
void pvh_vcpu_thread_init(struct vcpu *v)
{
	struct { struct kvm_msrs h; struct kvm_msr_entry e; } m;
	uint64_t t0, t1;

	memset(&m, 0, sizeof(m));
	m.h.nmsrs = 1;
	m.e.index = MSR_IA32_TSC;
	t0 = __rdtsc();
	if (ioctl(v->fd, KVM_GET_MSRS, &m) != 1)
		return;
	t1 = __rdtsc();
	v->tsc_offset = (int64_t)(m.e.data - (t0 + (t1 - t0) / 2));
}

static int exit_shutdown(struct vcpu *v)
{
	pvh_dump_regs(v, "triple fault (KVM_EXIT_SHUTDOWN)");
	return -1;
}

static int exit_internal(struct vcpu *v)
{
	char why[96];

	snprintf(why, sizeof(why), "KVM internal error, suberror %u",
		 v->run->internal.suberror);
	pvh_dump_regs(v, why);
	return -1;
}

static int exit_fail_entry(struct vcpu *v)
{
	char why[96];

	snprintf(why, sizeof(why), "entry failed, reason 0x%llx",
		 (unsigned long long)v->run->fail_entry.hardware_entry_failure_reason);
	pvh_dump_regs(v, why);
	return -1;
}

static int exit_system_event(struct vcpu *v)
{
	switch (v->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		dom_shutdown(v->d, SHUTDOWN_poweroff, 0);
		return 0;
	case KVM_SYSTEM_EVENT_RESET:
		dom_shutdown(v->d, SHUTDOWN_reboot, 0);
		return 0;
	default:
		pvh_dump_regs(v, "system event crash");
		return -1;
	}
}

static int exit_nothing(struct vcpu *v)
{
	(void)v;
	return 0;
}

typedef int (*exit_fn)(struct vcpu *v);

static const exit_fn exit_table[] = {
	[KVM_EXIT_IO]            = exit_io,
	[KVM_EXIT_MMIO]          = exit_mmio,
	[KVM_EXIT_HLT]           = exit_nothing,
	[KVM_EXIT_INTR]          = exit_nothing,
	[KVM_EXIT_IRQ_WINDOW_OPEN] = exit_nothing,
	[KVM_EXIT_SHUTDOWN]      = exit_shutdown,
	[KVM_EXIT_FAIL_ENTRY]    = exit_fail_entry,
	[KVM_EXIT_INTERNAL_ERROR] = exit_internal,
	[KVM_EXIT_SYSTEM_EVENT]  = exit_system_event,
	[KVM_EXIT_X86_RDMSR]     = exit_msr,
	[KVM_EXIT_X86_WRMSR]     = exit_msr,
};

static int handle_exit(struct vcpu *v)
{
	uint32_t why = v->run->exit_reason;

	if (why < ARRAY_SIZE(exit_table) && exit_table[why])
		return exit_table[why](v);
	{
		char msg[64];

		snprintf(msg, sizeof(msg), "unexpected exit reason %u", why);
		pvh_dump_regs(v, msg);
	}
	return -1;
}

/* PVXD_TRACE_KICKS=1: every kick (`pvx pause` is one) logs the vCPU's
 * registers, to see where a guest that makes no exits spends its time. */
static bool trace_kicks(void)
{
	static int on = -1;

	if (on < 0)
		on = getenv("PVXD_TRACE_KICKS") != NULL;
	return on;
}

int pvh_vcpu_run(struct vcpu *v, char *why, size_t len)
{
	if (ioctl(v->fd, KVM_RUN, 0) < 0) {
		if ((errno == EINTR || errno == EAGAIN) && trace_kicks())
			pvh_dump_regs(v, "kicked");
		if (errno == EINTR || errno == EAGAIN)
			return 0; /* a kick: vcpu_park looks at why */
		dlog(v->d, LOG_ERR, "v%u: KVM_RUN: %s", v->id, strerror(errno));
		snprintf(why, len, "KVM_RUN failed");
		return -1;
	}
	if (handle_exit(v) < 0) {
		snprintf(why, len, "fatal vCPU exit");
		return -1;
	}
	return 0;
}

/* PVH entry state (Xen's pvh.pandoc): 32-bit flat protected mode, paging
 * off, CR0.PE only, ebx = start_info, a busy 32-bit TSS in TR. */
static void flat_seg(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->base = 0;
	s->limit = 0xFFFFFFFF;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->db = 1;
	s->s = 1;
	s->g = 1;
}

int pvh_vcpu_set_boot(struct vcpu *v, uint64_t entry, uint64_t ebx)
{
	struct kvm_sregs s;
	struct kvm_regs r;
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	if (ioctl(v->fd, KVM_GET_SREGS, &s) < 0)
		return -errno;
	flat_seg(&s.cs, 0x08, 0xB);  /* execute/read, accessed */
	flat_seg(&s.ds, 0x10, 0x3);  /* read/write, accessed */
	s.es = s.fs = s.gs = s.ss = s.ds;
	memset(&s.tr, 0, sizeof(s.tr));
	s.tr.selector = 0x18;
	s.tr.limit = 0x67;
	s.tr.type = 0xB;             /* 32-bit busy TSS */
	s.tr.present = 1;
	s.cr0 = X86_CR0_PE;
	s.cr3 = s.cr4 = s.efer = 0;
	memset(&r, 0, sizeof(r));
	r.rip = entry;
	r.rbx = ebx;
	r.rflags = 0x2;
	if (ioctl(v->fd, KVM_SET_SREGS, &s) < 0 ||
	    ioctl(v->fd, KVM_SET_REGS, &r) < 0)
		return -errno;
	if (v->id != 0 && ioctl(v->fd, KVM_SET_MP_STATE, &mp) < 0)
		return -errno;
	return 0;
}
