/*
 * The `pv` platform's guest ABI: what a domain that runs as a sandboxed
 * host process (xl.cfg type = "pv", docs/platforms.md) may rely on.
 *
 * Address space. The domain is a host process whose address space holds
 * only:
 *   [PVX_PV_RAM_FLOOR, ram_bytes)   its RAM, virtual = guest-physical,
 *                                   read/write/execute (the memfd
 *                                   Dom0 maps, so grants and backends
 *                                   work as on `pvh`). RAM below the
 *                                   floor exists in the memfd but is not
 *                                   mapped: hosts refuse mappings below
 *                                   vm.mmap_min_addr (often 64 KiB).
 *   PVX_PV_HYPERCALL_VA (1 page)    the hypercall page, read/execute
 *   PVX_PV_TRAMPOLINE_VA (1 page)   pvxd's trampolines, read/execute
 *   PVX_SPECIAL_GPA (4 pages)       the special pages (console and
 *                                   xenstore rings), read/write
 * No page tables, GDT or IDT of its own: the guest runs in 64-bit user
 * mode with the host's flat segments.
 *
 * Entry. The kernel announces that it runs as `pv` with the ELF note
 * PVX_ELFNOTE_PV_ENTRY (name "PVX", an 8-byte entry address). It is
 * entered there in 64-bit mode with rsi = guest-physical (= virtual)
 * address of its struct hvm_start_info (the same boot data as `pvh`),
 * rsp = 0 (the guest loads its own stack first) and every other general
 * register 0. Xen's own PV entry (XEN_ELFNOTE_ENTRY) is not accepted:
 * a Xen PV kernel expects PV page tables pvx does not provide.
 *
 * Hypercalls. Stub `nr` of the hypercall page, at
 * PVX_PV_HYPERCALL_VA + nr * PVX_HYPERCALL_STUB_SIZE, is
 *     b8 NN NN NN NN   mov $nr, %eax
 *     0f 05            syscall
 *     c3               ret
 * (Xen's x86-64 PV hypercall page). Xen's register convention: rax =
 * number, rdi, rsi, rdx, r10, r8 = arguments, result in rax; rcx and r11
 * are clobbered by `syscall`. PVX_PV_RAW_HYPERCALL is "syscall; ret" with
 * the number already in rax, for numbers past the page. A `syscall`
 * anywhere else, any other host system call (int $0x80, sysenter, the
 * vsyscall page) or a fault ends the domain as crashed, with the reason
 * in its log. Writes to the hypercall and trampoline pages fault.
 *
 * Events. vcpu_info/shared_info pending bits exactly as on `pvh`.
 * CALLBACKOP_register(CALLBACKTYPE_event, address) sets the upcall
 * entry. When an event becomes pending while the vCPU's
 * evtchn_upcall_mask is 0, pvxd interrupts the running guest with a host
 * signal; the guest is then entered at `address` like a C function
 *     void upcall(long sig, void *info, void *frame)
 * on its current stack (128 bytes below rsp, 16-byte aligned as after a
 * call); returning from it resumes the interrupted code exactly where it
 * was, registers intact (the return address it finds is a trampoline
 * that restores them).
 * With CALLBACKF_mask_events pvxd sets evtchn_upcall_mask before the
 * entry, as Xen does. No nested upcalls: another one waits until the
 * return. A guest whose stack cannot take the frame crashes.
 *
 * Blocking, timers, grants, console and xenstore are as on `pvh`.
 */
#ifndef PVX_PV_H
#define PVX_PV_H

#include <pvx/abi.h>

#define PVX_PV_RAM_FLOOR       0x10000ull
#define PVX_PV_HYPERCALL_VA    0xFEFF6000ull
#define PVX_PV_TRAMPOLINE_VA   0xFEFF7000ull
/* "syscall; ret" with the number in rax. */
#define PVX_PV_RAW_HYPERCALL   (PVX_PV_TRAMPOLINE_VA + 0x000)

/* ELF note (name PVX_ELFNOTE_NAME): the 64-bit `pv` entry address. */
#define PVX_ELFNOTE_NAME       "PVX"
#define PVX_ELFNOTE_PV_ENTRY   1

#endif /* PVX_PV_H */
