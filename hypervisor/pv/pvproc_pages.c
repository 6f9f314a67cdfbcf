/*
 * The two pages every `pv` domain maps read/execute next to its special
 * pages: the hypercall page (pvx/pv.h) and pvxd's trampolines
 * (pvproc_wire.h has the layout). They live in a 2-page memfd that pvxd
 * maps read/write; once written, the memfd is sealed against new
 * writable mappings (F_SEAL_FUTURE_WRITE) so only pvxd's own mapping can
 * change them: the guest could not map them writable even if it could
 * make system calls. pvxd writes the callback, entry and start_info
 * slots through its mapping at run time.
 *
 * Machine code is spelled out byte by byte; each sequence's comment is
 * its assembly.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pvx/pv.h>

#include "pvproc_impl.h"
#include "pvproc_wire.h"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

/* b8 nr32 (mov $nr,%eax); 0f 05 (syscall); c3 (ret); int3 padding. */
static void write_stubs(uint8_t *page)
{
	memset(page, 0xcc, PVPROC_PAGE_SIZE);
	for (uint32_t nr = 0; nr < PVPROC_STUBS; nr++) {
		uint8_t *s = page + nr * PVPROC_STUB_SIZE;

		s[0] = 0xb8;
		memcpy(s + 1, &nr, 4);
		s[5] = 0x0f;
		s[6] = 0x05;
		s[7] = 0xc3;
	}
}

/* rip-relative displacement from the end of an instruction to a slot. */
static void put_rel(uint8_t *at, uint32_t insn_end, uint32_t slot)
{
	int32_t d = (int32_t)slot - (int32_t)insn_end;

	memcpy(at, &d, 4);
}

static void write_upcall(uint8_t *t)
{
	static const uint8_t code[] = {
		0x48, 0x8b, 0x05, 0, 0, 0, 0,   /* mov callback(%rip),%rax */
		0x48, 0x85, 0xc0,               /* test %rax,%rax */
		0x74, 0x02,                     /* jz 1f */
		0xff, 0xe0,                     /* jmp *%rax */
		0xc3,                           /* 1: ret (to the restorer) */
	};

	memcpy(t + PVPROC_TR_UPCALL, code, sizeof(code));
	put_rel(t + PVPROC_TR_UPCALL + 3, PVPROC_TR_UPCALL + 7, PVPROC_TR_CALLBACK);
}

/* Entered with rdi/rsi = the shim image: munmap it, then the guest's
 * entry state (pvx/pv.h): rsi = start_info, every other register 0,
 * arithmetic flags clear ("xor" leaves ZF/PF set, "inc" from 0 clears
 * them, "mov" leaves them alone). */
static void write_launch(uint8_t *t)
{
	static const uint8_t code[] = {
		0xb8, 0x0b, 0, 0, 0,            /* mov $11,%eax (munmap) */
		0x0f, 0x05,                     /* syscall */
		0x31, 0xc0, 0x31, 0xdb, 0x31, 0xc9, 0x31, 0xd2, /* eax ebx ecx edx */
		0x31, 0xff, 0x31, 0xed, 0x31, 0xe4,             /* edi ebp esp */
		0x45, 0x31, 0xc0, 0x45, 0x31, 0xc9, 0x45, 0x31, 0xd2, /* r8-r10 */
		0x45, 0x31, 0xdb, 0x45, 0x31, 0xe4, 0x45, 0x31, 0xed, /* r11-r13 */
		0x45, 0x31, 0xf6, 0x45, 0x31, 0xff,             /* r14 r15 */
		0x48, 0x8b, 0x35, 0, 0, 0, 0,   /* mov start_info(%rip),%rsi */
		0xff, 0xc0,                     /* inc %eax */
		0xb8, 0, 0, 0, 0,               /* mov $0,%eax */
		0xff, 0x25, 0, 0, 0, 0,         /* jmp *entry(%rip) */
	};
	uint32_t at = PVPROC_TR_LAUNCH;

	memcpy(t + at, code, sizeof(code));
	put_rel(t + at + 48, at + 52, PVPROC_TR_START_INFO);
	put_rel(t + at + sizeof(code) - 4, at + sizeof(code), PVPROC_TR_ENTRY);
}

static void write_trampolines(uint8_t *t)
{
	static const uint8_t raw[] = { 0x0f, 0x05, 0xc3 };       /* syscall; ret */
	static const uint8_t restorer[] = {
		0xb8, 0x0f, 0, 0, 0,            /* mov $15,%eax (rt_sigreturn) */
		0x0f, 0x05,                     /* syscall */
	};

	memset(t, 0xcc, PVPROC_PAGE_SIZE);
	memcpy(t + PVPROC_TR_RAW, raw, sizeof(raw));
	write_upcall(t);
	memcpy(t + PVPROC_TR_RESTORER, restorer, sizeof(restorer));
	write_launch(t);
	memset(t + PVPROC_TR_CALLBACK, 0, 24);
}

int pvproc_pages_init(struct pvproc_pages *pp)
{
	int err;

	pp->map = NULL;
	pp->fd = memfd_create("pvproc-pages", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (pp->fd < 0)
		return -errno;
	if (ftruncate(pp->fd, 2 * PVPROC_PAGE_SIZE) < 0)
		goto err_errno;
	pp->map = mmap(NULL, 2 * PVPROC_PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED, pp->fd, 0);
	if (pp->map == MAP_FAILED) {
		pp->map = NULL;
		goto err_errno;
	}
	write_stubs(pp->map);
	write_trampolines(pp->map + PVPROC_PAGE_SIZE);
	/* Kernels before 5.1 lack FUTURE_WRITE: the guest still maps read-only. */
	fcntl(pp->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE);
	fcntl(pp->fd, F_ADD_SEALS, F_SEAL_SEAL);
	return 0;

err_errno:
	err = -errno;
	pvproc_pages_dispose(pp);
	return err;
}

void pvproc_pages_dispose(struct pvproc_pages *pp)
{
	if (pp->map)
		munmap(pp->map, 2 * PVPROC_PAGE_SIZE);
	pp->map = NULL;
	if (pp->fd >= 0)
		close(pp->fd);
	pp->fd = -1;
}

static void write_slot(struct pvproc_pages *pp, uint32_t off, uint64_t v)
{
	__atomic_store_n((uint64_t *)(pp->map + PVPROC_PAGE_SIZE + off), v,
			 __ATOMIC_RELEASE);
}

void pvproc_pages_set_callback(struct pvproc_pages *pp, uint64_t address)
{
	write_slot(pp, PVPROC_TR_CALLBACK, address);
}

/* For pvproc_spawn: where the launch trampoline goes. */
void pvproc_pages_set_entry(struct pvproc_pages *pp, uint64_t entry, uint64_t start_info)
{
	write_slot(pp, PVPROC_TR_ENTRY, entry);
	write_slot(pp, PVPROC_TR_START_INFO, start_info);
}
