/*
 * What pvxd's pvproc library and the shim (hypervisor/pv/shim/) share:
 * the layout of the trampoline page and the spawn handshake.
 *
 * The shim is freestanding (no libc), so this header holds fixed-width
 * types and constants only.
 *
 * Trampoline page (PVX_PV_TRAMPOLINE_VA, pvxd writes it, the guest maps
 * it read/execute):
 *   RAW        "syscall; ret": PVX_PV_RAW_HYPERCALL
 *   UPCALL     the upcall signal's handler: jumps through the callback
 *              slot, or returns at once when the slot is 0
 *   RESTORER   "mov $15,%eax; syscall": rt_sigreturn, the return
 *              address the kernel pushes for the handler
 *   LAUNCH     entered by the shim with rdi/rsi = its own image: munmaps
 *              it, clears every register, loads rsi from the start_info
 *              slot and jumps through the entry slot
 *   slots      callback, entry, start_info (written by pvxd)
 * The seccomp filter and pvproc_recv know the *_SYSCALL_END offsets:
 * seccomp reports the address after the `syscall` instruction.
 */
#ifndef PVXD_PVPROC_WIRE_H
#define PVXD_PVPROC_WIRE_H

#include <stdint.h>

#define PVPROC_PAGE_SIZE          4096u
#define PVPROC_STUB_SIZE          32u
#define PVPROC_STUBS              (PVPROC_PAGE_SIZE / PVPROC_STUB_SIZE)
#define PVPROC_STUB_SYSCALL_END   7u    /* b8 nn nn nn nn 0f 05 | c3 */

#define PVPROC_TR_RAW             0x000u
#define PVPROC_TR_RAW_SYSCALL_END 0x002u
#define PVPROC_TR_UPCALL          0x010u
#define PVPROC_TR_RESTORER        0x040u
#define PVPROC_TR_RESTORER_SYSCALL_END 0x047u
#define PVPROC_TR_LAUNCH          0x080u
#define PVPROC_TR_LAUNCH_SYSCALL_END   0x087u
#define PVPROC_TR_CALLBACK        0xF00u
#define PVPROC_TR_ENTRY           0xF08u
#define PVPROC_TR_START_INFO      0xF10u

/* The upcall signal (pvxd's own SIGUSR1 kick is a different process). */
#define PVPROC_UPCALL_SIGNAL      10    /* SIGUSR1 */

/* The shim finds its socket at this fd after exec. */
#define PVPROC_SHIM_SOCK_FD       3
/* Where the shim is linked (hypervisor/pvproc.mk): far above any guest
 * address (< 4 GiB) and below the stack. */
#define PVPROC_SHIM_BASE          0x600000000000ull
/* An unprivileged identity for the process when pvxd runs as root. */
#define PVPROC_SHIM_NOBODY        65534u

#define PVPROC_WIRE_MAGIC         0x70767072u /* "pvpr" */

/* pvxd -> shim, with SCM_RIGHTS { domain memfd, pages memfd }. */
struct pvproc_wire_req {
	uint32_t magic;
	int32_t domid;
	int32_t ppid;              /* pvxd: the shim checks it still lives */
	uint32_t ns_flags;         /* CLONE_NEW* to unshare, best effort */
	uint64_t ram_floor;        /* RAM [floor, end) at VA = memfd offset */
	uint64_t ram_end;
	uint64_t special_gpa;
	uint64_t special_offset;
	uint64_t special_len;
	uint64_t pages_va;         /* hypercall page; trampolines follow */
};

/* Shim -> pvxd: err 0 with SCM_RIGHTS { listener [, userfaultfd] }, or
 * -errno at stage. */
struct pvproc_wire_rsp {
	int32_t err;
	uint32_t stage;
	uint32_t flags;            /* PVPROC_WIRE_F_* */
	uint32_t pad;
};

#define PVPROC_WIRE_F_KILLABLE    1u  /* WAIT_KILLABLE_RECV is in force */
#define PVPROC_WIRE_F_UFFD        2u  /* a userfaultfd follows the listener */

enum pvproc_stage {
	PVPROC_STAGE_RECV = 1, PVPROC_STAGE_PARENT, PVPROC_STAGE_MAP_RAM,
	PVPROC_STAGE_MAP_SPECIAL, PVPROC_STAGE_MAP_PAGES, PVPROC_STAGE_SIGNALS,
	PVPROC_STAGE_LIMITS, PVPROC_STAGE_CREDS, PVPROC_STAGE_NO_NEW_PRIVS,
	PVPROC_STAGE_SECCOMP, PVPROC_STAGE_SEND,
};

#endif /* PVXD_PVPROC_WIRE_H */
