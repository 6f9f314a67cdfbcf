/*
 * pvx's own additions to the Xen guest ABI (decision D3 in
 * ARCHITECTURE.md): how a guest enters the hypervisor.
 *
 * A hypercall is `out %eax, $PVX_HYPERCALL_PORT` with Xen's 64-bit register
 * convention (rax = number, rdi, rsi, rdx, r10, r8 = arguments, result in
 * rax). The hypercall page pvx writes for guests has one stub of
 * PVX_HYPERCALL_STUB_SIZE bytes per hypercall number, at
 * number * PVX_HYPERCALL_STUB_SIZE, as in Xen. This is the only place the
 * port number is defined.
 */
#ifndef PVX_ABI_H
#define PVX_ABI_H

#define PVX_HYPERCALL_PORT       0xEB
#define PVX_HYPERCALL_STUB_SIZE  32

/* The LAPIC vector pvx asks guests to use for event upcalls (Linux's
 * HYPERVISOR_CALLBACK_VECTOR). */
#define PVX_UPCALL_VECTOR        0xF3

#endif /* PVX_ABI_H */
