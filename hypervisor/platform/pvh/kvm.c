/*
 * kvm: open /dev/kvm and probe the capabilities pvxd relies on.
 *
 * Mandatory: API 12, IRQCHIP, PIT2, SIGNAL_MSI, USER_MEMORY, SET_TSS_ADDR.
 * Optional, used when present: SYNC_REGS (saves two ioctls per
 * hypercall), X86_USER_SPACE_MSR + X86_MSR_FILTER (needed for the Xen
 * hypercall-page MSR; without them guests must issue `out` themselves),
 * IMMEDIATE_EXIT (race-free kicks; otherwise a signal alone is used).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm.h"
#include "log.h"

#define CPUID_MAX_ENTRIES 256

struct kvm_host kvm_host = { .fd = -1 };

static int cap(int which)
{
	int r = ioctl(kvm_host.fd, KVM_CHECK_EXTENSION, which);

	return r < 0 ? 0 : r;
}

static int probe_required(char *why, size_t len)
{
	static const struct { int cap; const char *name; } req[] = {
		{ KVM_CAP_IRQCHIP, "IRQCHIP" }, { KVM_CAP_PIT2, "PIT2" },
		{ KVM_CAP_SIGNAL_MSI, "SIGNAL_MSI" },
		{ KVM_CAP_USER_MEMORY, "USER_MEMORY" },
		{ KVM_CAP_SET_TSS_ADDR, "SET_TSS_ADDR" },
	};

	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		if (!cap(req[i].cap)) {
			snprintf(why, len, "KVM lacks capability %s", req[i].name);
			return -ENOTSUP;
		}
	}
	return 0;
}

static int load_cpuid(void)
{
	struct kvm_cpuid2 *c;

	c = calloc(1, sizeof(*c) + CPUID_MAX_ENTRIES * sizeof(c->entries[0]));
	if (!c)
		return -ENOMEM;
	c->nent = CPUID_MAX_ENTRIES;
	if (ioctl(kvm_host.fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		int e = -errno;

		free(c);
		return e;
	}
	kvm_host.cpuid = c;
	return 0;
}

int kvm_host_init(char *why, size_t len)
{
	int r;

	kvm_host.fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_host.fd < 0) {
		r = -errno;
		snprintf(why, len, "cannot open /dev/kvm: %s", strerror(-r));
		return r;
	}
	kvm_host.api_version = ioctl(kvm_host.fd, KVM_GET_API_VERSION, 0);
	if (kvm_host.api_version < 0) {
		r = -errno;
		snprintf(why, len, "/dev/kvm is not KVM: %s", strerror(-r));
		goto err_close;
	}
	if (kvm_host.api_version != KVM_API_VERSION) {
		snprintf(why, len, "/dev/kvm: API version %d, need %d",
			 kvm_host.api_version, KVM_API_VERSION);
		r = -ENOTSUP;
		goto err_close;
	}
	r = probe_required(why, len);
	if (r < 0)
		goto err_close;
	kvm_host.vcpu_mmap_size = ioctl(kvm_host.fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (kvm_host.vcpu_mmap_size <= 0) {
		snprintf(why, len, "/dev/kvm: no vCPU mmap size");
		r = -ENOTSUP;
		goto err_close;
	}
	r = load_cpuid();
	if (r < 0) {
		snprintf(why, len, "KVM_GET_SUPPORTED_CPUID: %s", strerror(-r));
		goto err_close;
	}
	kvm_host.sync_regs = cap(KVM_CAP_SYNC_REGS) & KVM_SYNC_X86_REGS;
	kvm_host.sync_sregs = cap(KVM_CAP_SYNC_REGS) & KVM_SYNC_X86_SREGS &&
			      !getenv("PVXD_NO_SYNC_SREGS");
	kvm_host.user_msr = cap(KVM_CAP_X86_USER_SPACE_MSR);
	kvm_host.msr_filter = cap(KVM_CAP_X86_MSR_FILTER);
	kvm_host.immediate_exit = cap(KVM_CAP_IMMEDIATE_EXIT);
	kvm_host.pvm_quirks = cpuid_pvm_wanted();
	if (!kvm_host.user_msr || !kvm_host.msr_filter)
		log_warn("kvm: no user-space MSR filter: guests cannot use the "
			 "hypercall page (they must issue `out` themselves)");
	log_info("kvm: api %d, sync_regs %d, user_msr %d, msr_filter %d, "
		 "immediate_exit %d, kvm_pvm cpuid quirks %d", kvm_host.api_version,
		 kvm_host.sync_regs, kvm_host.user_msr, kvm_host.msr_filter,
		 kvm_host.immediate_exit, kvm_host.pvm_quirks);
	return 0;

err_close:
	close(kvm_host.fd);
	kvm_host.fd = -1;
	return r;
}

void kvm_host_exit(void)
{
	free(kvm_host.cpuid);
	kvm_host.cpuid = NULL;
	if (kvm_host.fd >= 0)
		close(kvm_host.fd);
	kvm_host.fd = -1;
}
