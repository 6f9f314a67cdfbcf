/*
 * x86_64 part of the Xen guest ABI, as pvx implements it.
 *
 * Everything here is the 64-bit layout only: pvx has no 32-bit guests.
 * Types are fixed-width so the same header describes guest memory to the
 * host daemon (which reads it through a mapping) and to the guest itself.
 * Sizes are pinned by tests/unit/abi.
 */
#ifndef XEN_PUBLIC_ARCH_X86_XEN_H
#define XEN_PUBLIC_ARCH_X86_XEN_H

#include <stdint.h>

/* Machine-word types of the 64-bit ABI. */
typedef uint64_t xen_pfn_t;
typedef uint64_t xen_ulong_t;
typedef int64_t xen_long_t;

/*
 * A guest handle is a guest virtual address (a pointer in the guest). The
 * argument says what it points to; the field is always 64 bits wide.
 */
#define XEN_GUEST_HANDLE(type) uint64_t

/* vcpu_info slots embedded in shared_info (the legacy, pre-registration place). */
#define XEN_LEGACY_MAX_VCPUS 32

/* x86 has a per-vCPU upcall mask byte in vcpu_info. */
#define XEN_HAVE_PV_UPCALL_MASK 1

/* Architecture-specific hypercalls (numbers 48..55 are arch_0..arch_7). */
#define __HYPERVISOR_mca                  48 /* __HYPERVISOR_arch_0 */
#define __HYPERVISOR_paging_domctl_cont   49 /* __HYPERVISOR_arch_1 */

/* 16 bytes: the fault address of the last page fault plus padding. */
struct arch_vcpu_info {
	uint64_t cr2;
	uint64_t pad;
};

/* 48 bytes: PV p2m bookkeeping; an HVM/PVH guest leaves it zero. */
struct arch_shared_info {
	uint64_t max_pfn;
	xen_pfn_t pfn_to_mfn_frame_list_list;
	uint64_t nmi_reason;
	uint64_t p2m_cr3;
	uint64_t p2m_vaddr;
	uint64_t p2m_generation;
};

#endif /* XEN_PUBLIC_ARCH_X86_XEN_H */
