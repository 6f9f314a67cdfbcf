/*
 * vcpu: create a KVM vCPU and run it on its own thread.
 *
 * The thread loops: park while the domain is paused or stopped, enter
 * KVM_RUN, handle the exit through a table indexed by exit reason.
 * Other threads stop it with vcpu_kick(): they set the flag first (under
 * d->lock), then kvm_run.immediate_exit, then send SIGUSR1. Whatever the
 * timing, either KVM_RUN sees immediate_exit or the signal interrupts it,
 * and the thread rechecks the flags before running again.
 *
 * vCPU threads block every signal except SIGUSR1, so SIGTERM/SIGINT
 * reach the main thread's event loop.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <x86intrin.h>

#include "dom.h"
#include "hcall.h"
#include "kvm.h"
#include "pvxd.h"
#include "vcpu.h"
#include "xtime.h"

#define MSR_IA32_TSC 0x10

static void kick_handler(int sig)
{
	(void)sig;
}

int vcpu_signal_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler; /* no SA_RESTART: interrupt KVM_RUN */
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGUSR1, &sa, NULL) < 0 ? -errno : 0;
}

static int set_cpuid(struct vcpu *v)
{
	struct kvm_cpuid2 *c = cpuid_for_vcpu(v->id);
	int r = 0;

	if (!c)
		return -ENOMEM;
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0)
		r = -errno;
	free(c);
	return r;
}

int vcpu_init(struct vcpu *v, struct domain *d, unsigned id)
{
	int r;

	memset(v, 0, sizeof(*v));
	v->d = d;
	v->id = id;
	v->wake_fd = v->timer_fd = -1;
	v->rl = (struct ratelimit)RATELIMIT_INIT;
	v->fd = ioctl(d->vm.fd, KVM_CREATE_VCPU, id);
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
	v->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	v->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (v->wake_fd < 0 || v->timer_fd < 0) {
		r = -errno;
		goto err;
	}
	if (kvm_host.sync_regs)
		v->run->kvm_valid_regs |= KVM_SYNC_X86_REGS;
	if (kvm_host.sync_sregs)
		v->run->kvm_valid_regs |= KVM_SYNC_X86_SREGS;
	return 0;
err:
	vcpu_dispose(v);
	return r;
}

void vcpu_dispose(struct vcpu *v)
{
	if (v->run)
		munmap(v->run, kvm_host.vcpu_mmap_size);
	v->run = NULL;
	if (v->fd >= 0)
		close(v->fd);
	if (v->wake_fd >= 0)
		close(v->wake_fd);
	if (v->timer_fd >= 0)
		close(v->timer_fd);
	v->fd = v->wake_fd = v->timer_fd = -1;
}

/* Guest TSC = host TSC + offset; measured once so any thread can stamp
 * vcpu_time_info without stopping this vCPU. */
static void measure_tsc_offset(struct vcpu *v)
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
	vcpu_dump_regs(v, "triple fault (KVM_EXIT_SHUTDOWN)");
	return -1;
}

static int exit_internal(struct vcpu *v)
{
	char why[96];

	snprintf(why, sizeof(why), "KVM internal error, suberror %u",
		 v->run->internal.suberror);
	vcpu_dump_regs(v, why);
	return -1;
}

static int exit_fail_entry(struct vcpu *v)
{
	char why[96];

	snprintf(why, sizeof(why), "entry failed, reason 0x%llx",
		 (unsigned long long)v->run->fail_entry.hardware_entry_failure_reason);
	vcpu_dump_regs(v, why);
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
		vcpu_dump_regs(v, "system event crash");
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
		vcpu_dump_regs(v, msg);
	}
	return -1;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct timespec ts;

	measure_tsc_offset(v);
	while (!vcpu_park(v)) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue; /* a kick: vcpu_park looks at why */
			dlog(v->d, LOG_ERR, "v%u: KVM_RUN: %s", v->id,
				strerror(errno));
			dom_crash(v->d, "KVM_RUN failed");
			continue;
		}
		if (handle_exit(v) < 0)
			dom_crash(v->d, "fatal vCPU exit");
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	v->cpu_ns_final = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	return NULL;
}

int vcpu_start(struct vcpu *v)
{
	sigset_t all, old;
	int r;

	/* The thread inherits this mask: everything but the kick blocked. */
	sigfillset(&all);
	sigdelset(&all, SIGUSR1);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(&v->thread, NULL, vcpu_thread, v);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0) {
		char name[16];

		snprintf(name, sizeof(name), "pvxd-d%dv%u", v->d->domid, v->id);
		pthread_setname_np(v->thread, name); /* for top -H, gdb */
		v->thread_started = true;
		v->has_clock = pthread_getcpuclockid(v->thread, &v->clock) == 0;
	}
	return r;
}

void vcpu_join(struct vcpu *v)
{
	if (!v->thread_started)
		return;
	pthread_join(v->thread, NULL);
	v->thread_started = false;
}

uint64_t vcpu_cpu_ns(const struct vcpu *v)
{
	struct timespec ts;

	if (!v->thread_started || !v->has_clock || clock_gettime(v->clock, &ts) < 0)
		return v->cpu_ns_final;
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
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

int vcpu_set_boot(struct vcpu *v, uint64_t entry, uint64_t ebx)
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
