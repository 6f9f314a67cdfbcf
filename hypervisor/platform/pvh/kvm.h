/*
 * kvm: the host's /dev/kvm, opened once when pvxd starts.
 *
 * Holds what every VM needs from the host: the vCPU mmap size, the
 * supported CPUID template, and which optional capabilities exist (sync
 * regs, user-space MSR exits with a filter). Probed once; read-only after
 * kvm_host_init, so any thread may read it without a lock.
 */
#ifndef PVXD_KVM_H
#define PVXD_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

struct kvm_host {
	int fd;
	int api_version;
	int vcpu_mmap_size;
	struct kvm_cpuid2 *cpuid; /* KVM_GET_SUPPORTED_CPUID */
	bool sync_regs;           /* KVM_SYNC_X86_REGS in kvm_run */
	bool sync_sregs;          /* KVM_SYNC_X86_SREGS in kvm_run */
	bool user_msr;            /* KVM_CAP_X86_USER_SPACE_MSR */
	bool msr_filter;          /* KVM_CAP_X86_MSR_FILTER */
	bool immediate_exit;
	bool pvm_quirks;           /* kvm_pvm: cpuid_pvm.c */
};

extern struct kvm_host kvm_host;

/* 0, or -errno with the reason in why. */
int kvm_host_init(char *why, size_t len);
void kvm_host_exit(void);
/* A copy of the supported CPUID for one vCPU with the Xen leaves added
 * and unrunnable features hidden (cpuid.c); tsc_khz != 0 adds leaf 0x15.
 * Caller frees. */
struct kvm_cpuid2 *cpuid_for_vcpu(unsigned vcpu_id, uint32_t tsc_khz);
/* kvm_pvm's CPUID workarounds (cpuid_pvm.c): wanted on this host? */
bool cpuid_pvm_wanted(void);
void cpuid_pvm_quirks(struct kvm_cpuid_entry2 *e);
/* PVXD_PVM_TIME_SCALE: the factor leaf 0x15 overstates the TSC by (1). */
uint32_t cpuid_pvm_time_scale(void);

#endif
