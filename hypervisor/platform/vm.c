/*
 * vm: create a KVM VM with memfd-backed memory (layout in vm.h).
 *
 * Order matters to KVM: TSS and identity-map addresses and the irqchip
 * must exist before any vCPU is created; the PIT needs the irqchip.
 * Every step unwinds in reverse on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pvx/ctl.h>

#include "kvm.h"
#include "log.h"
#include "pvxd.h"
#include "vm.h"
#include "vm_pool.h"

static int set_slot(struct vm *vm, uint32_t slot, uint64_t gpa, uint64_t size,
		    void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)host,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

static int setup_memory(struct vm *vm, int32_t domid, uint64_t ram_bytes)
{
	char name[32];
	size_t size = ram_bytes + (PVX_SPECIAL_PAGES + 1) * PVX_PAGE_SIZE;

	snprintf(name, sizeof(name), "pvx-dom%d", domid);
	vm->memfd = memfd_create(name, MFD_CLOEXEC);
	if (vm->memfd < 0)
		return -errno;
	if (ftruncate(vm->memfd, (off_t)size) < 0)
		return -errno;
	vm->mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->memfd, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		return -errno;
	}
	vm->mem_size = size;
	vm->ram_bytes = ram_bytes;
	vm->xpage = vm->mem + ram_bytes + PVX_SPECIAL_PAGES * PVX_PAGE_SIZE;
	return 0;
}

/* The shell's special slot points at reserved address space: put the
 * memfd's special pages there (a second view of the same pages). */
static int map_special(struct vm *vm)
{
	void *p = mmap(vm->special, PVX_SPECIAL_PAGES * PVX_PAGE_SIZE,
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		       vm->memfd, (off_t)vm->ram_bytes);

	return p == MAP_FAILED ? -errno : 0;
}

static int setup_chips(int fd)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	uint64_t idmap = PVX_IDMAP_GPA;

	if (ioctl(fd, KVM_SET_TSS_ADDR, (unsigned long)PVX_TSS_GPA) < 0)
		return -errno;
	/* Optional: only Intel without unrestricted guest needs it. */
	(void)ioctl(fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap);
	if (ioctl(fd, KVM_CREATE_IRQCHIP, 0) < 0)
		return -errno;
	if (ioctl(fd, KVM_CREATE_PIT2, &pit) < 0)
		return -errno;
	return 0;
}

/*
 * User-space MSR exits: writes to the hypercall-page MSR are filtered to
 * us; MSRs KVM does not know exit too, so we can log them (rate-limited)
 * and answer #GP ourselves. Installed before any vCPU exists, where it
 * is cheap (later it waits for an RCU grace period).
 */
static void setup_msr_exits(int fd)
{
	static uint8_t deny_bitmap[1]; /* bit 0 clear: deny 0x40000000 */
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_USER_SPACE_MSR,
		.args = { KVM_MSR_EXIT_REASON_FILTER | KVM_MSR_EXIT_REASON_UNKNOWN },
	};
	struct kvm_msr_filter f;

	if (!kvm_host.user_msr || !kvm_host.msr_filter)
		return;
	if (ioctl(fd, KVM_ENABLE_CAP, &cap) < 0) {
		log_warn("vm: KVM_CAP_X86_USER_SPACE_MSR: %s", strerror(errno));
		return;
	}
	memset(&f, 0, sizeof(f));
	f.flags = KVM_MSR_FILTER_DEFAULT_ALLOW;
	f.ranges[0].flags = KVM_MSR_FILTER_WRITE;
	f.ranges[0].nmsrs = 1;
	f.ranges[0].base = PVX_HYPERCALL_MSR;
	f.ranges[0].bitmap = deny_bitmap;
	if (ioctl(fd, KVM_X86_SET_MSR_FILTER, &f) < 0)
		log_warn("vm: KVM_X86_SET_MSR_FILTER: %s", strerror(errno));
}

int vm_shell_build(struct vm_shell *sh)
{
	size_t len = PVX_SPECIAL_PAGES * PVX_PAGE_SIZE;
	int r;

	sh->special = NULL;
	sh->fd = ioctl(kvm_host.fd, KVM_CREATE_VM, 0);
	if (sh->fd < 0)
		return -errno;
	r = setup_chips(sh->fd);
	if (r < 0)
		goto err;
	setup_msr_exits(sh->fd);
	sh->special = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
			   MAP_NORESERVE, -1, 0);
	if (sh->special == MAP_FAILED) {
		sh->special = NULL;
		r = -errno;
		goto err;
	}
	struct vm tmp = { .fd = sh->fd };
	r = set_slot(&tmp, VM_SLOT_SPECIAL, PVX_SPECIAL_GPA, len, sh->special);
	if (r < 0)
		goto err;
	return 0;
err:
	vm_shell_dispose(sh);
	return r;
}

void vm_shell_dispose(struct vm_shell *sh)
{
	if (sh->special)
		munmap(sh->special, PVX_SPECIAL_PAGES * PVX_PAGE_SIZE);
	if (sh->fd >= 0)
		close(sh->fd);
	sh->special = NULL;
	sh->fd = -1;
}

int vm_create(struct vm *vm, int32_t domid, uint64_t ram_bytes)
{
	struct vm_shell sh;
	int r;

	memset(vm, 0, sizeof(*vm));
	vm->memfd = -1;
	vm->fd = -1;
	r = vm_pool_take(&sh);
	if (r < 0)
		return r;
	vm->fd = sh.fd;
	vm->special = sh.special;
	r = setup_memory(vm, domid, ram_bytes);
	if (r == 0)
		r = map_special(vm);
	if (r == 0)
		r = set_slot(vm, VM_SLOT_RAM, 0, ram_bytes, vm->mem);
	if (r < 0)
		vm_dispose(vm);
	return r;
}

int vm_mem_create(struct vm *vm, int32_t domid, uint64_t ram_bytes)
{
	int r;

	memset(vm, 0, sizeof(*vm));
	vm->memfd = -1;
	vm->fd = -1;
	r = setup_memory(vm, domid, ram_bytes);
	if (r < 0) {
		vm_dispose(vm);
		return r;
	}
	vm->special = vm->mem + ram_bytes;
	return 0;
}

/* The special pages' own mapping exists only with a KVM VM. */
static bool special_mapped_apart(const struct vm *vm)
{
	return vm->special && (!vm->mem || vm->special < vm->mem ||
			       vm->special >= vm->mem + vm->mem_size);
}

void vm_dispose(struct vm *vm)
{
	if (special_mapped_apart(vm))
		munmap(vm->special, PVX_SPECIAL_PAGES * PVX_PAGE_SIZE);
	vm->special = NULL;
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
	vm->mem = NULL;
	if (vm->memfd >= 0)
		close(vm->memfd);
	vm->memfd = -1;
	if (vm->fd >= 0)
		close(vm->fd);
	vm->fd = -1;
}

int vm_map_xpage(struct vm *vm, uint64_t gpa)
{
	int r;

	if (vm->xpage_gpa) {
		r = set_slot(vm, VM_SLOT_XPAGE, vm->xpage_gpa, 0, vm->xpage);
		if (r < 0)
			return r;
		vm->xpage_gpa = 0;
	}
	if (!gpa)
		return 0;
	r = set_slot(vm, VM_SLOT_XPAGE, gpa, PVX_PAGE_SIZE, vm->xpage);
	if (r == 0)
		vm->xpage_gpa = gpa;
	return r;
}

int vm_release(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa + len > vm->ram_bytes || gpa + len < gpa)
		return -EINVAL;
	if (fallocate(vm->memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)gpa, (off_t)len) < 0)
		return -errno;
	return 0;
}

int vm_signal_msi(struct vm *vm, uint32_t apic_id, uint8_t vector)
{
	struct kvm_msi msi = {
		.address_lo = PVX_LAPIC_MSI_ADDR | (apic_id << 12),
		.data = vector,
	};

	return ioctl(vm->fd, KVM_SIGNAL_MSI, &msi) < 0 ? -errno : 0;
}
