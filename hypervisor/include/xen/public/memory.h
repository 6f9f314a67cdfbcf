/*
 * memory_op hypercall (12): arg 1 = XENMEM_*, arg 2 = GVA of the struct.
 *
 * Reservation calls return the number of extents processed (a PVH Linux
 * BUG()s unless decrease_reservation returns exactly nr_extents); the
 * others return 0 or a negative XEN_E*. add_to_physmap is how a guest
 * places shared_info and grant-table frames in its physical space.
 */
#ifndef XEN_PUBLIC_MEMORY_H
#define XEN_PUBLIC_MEMORY_H

#include <stdint.h>
#include "xen.h"

#define XENMEM_increase_reservation    0
#define XENMEM_decrease_reservation    1
#define XENMEM_maximum_ram_page        2
#define XENMEM_current_reservation     3
#define XENMEM_maximum_reservation     4
#define XENMEM_machphys_mfn_list       5
#define XENMEM_populate_physmap        6
#define XENMEM_add_to_physmap          7
#define XENMEM_memory_map              9
#define XENMEM_machine_memory_map     10
#define XENMEM_exchange               11
#define XENMEM_machphys_mapping       12
#define XENMEM_set_memory_map         13
#define XENMEM_maximum_gpfn           14
#define XENMEM_remove_from_physmap    15
#define XENMEM_set_pod_target         16
#define XENMEM_get_pod_target         17
#define XENMEM_get_sharing_freed_pages  18
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_paging_op              20
#define XENMEM_access_op              21
#define XENMEM_sharing_op             22
#define XENMEM_add_to_physmap_batch   23
#define XENMEM_claim_pages            24
#define XENMEM_machphys_compat_mfn_list 25
#define XENMEM_get_vnumainfo          26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource       28

/* mem_flags of a reservation: bits 7:0 = address_bits, then flags. */
#define XENMEMF_address_bits(x)       (x)
#define XENMEMF_get_address_bits(x)   ((x) & 0xffu)
#define XENMEMF_node(x)               (((x) + 1u) << 8)
#define XENMEMF_get_node(x)           ((((x) >> 8) - 1u) & 0xffu)
#define XENMEMF_populate_on_demand    (1u << 16)
#define XENMEMF_exact_node_request    (1u << 17)
#define XENMEMF_vnode                 (1u << 18)

/* increase/decrease_reservation, populate_physmap. 32 bytes. */
struct xen_memory_reservation {
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start; /* GVA of nr_extents gfns */
	xen_ulong_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;     /* Xen's old name: address_bits */
	domid_t domid;
	uint16_t pad[3];
};

/* Spaces for add_to_physmap. */
#define XENMAPSPACE_shared_info  0 /* idx 0: the shared_info page */
#define XENMAPSPACE_grant_table  1 /* idx: grant-table frame number */
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio     5
#define XENMAPIDX_grant_table_status (1u << 31)

/* Place a hypervisor-owned frame at gpfn. 24 bytes. */
struct xen_add_to_physmap {
	domid_t domid;       /* DOMID_SELF */
	uint16_t size;       /* XENMAPSPACE_gmfn_range only */
	uint32_t space;      /* XENMAPSPACE_* */
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};

/* The batched form. 32 bytes. */
struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;
	uint16_t size;
	union {
		domid_t foreign_domid;
		uint16_t res0;
	} u;
	XEN_GUEST_HANDLE(xen_ulong_t) idxs;
	XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
	XEN_GUEST_HANDLE(int) errs;
};

/* Remove a page from the physmap. 16 bytes. */
struct xen_remove_from_physmap {
	domid_t domid;
	uint16_t pad[3];
	xen_pfn_t gpfn;
};

/*
 * memory_map / machine_memory_map / set_memory_map. nr_entries is the
 * capacity of buffer on input and the count written on output; buffer holds
 * packed 20-byte struct xen_e820_entry. 16 bytes.
 */
struct xen_memory_map {
	uint32_t nr_entries;
	uint32_t pad;
	XEN_GUEST_HANDLE(void) buffer;
};

/* A BIOS E820 entry as Xen passes it: 20 bytes, no padding. */
struct xen_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;   /* XEN_HVM_MEMMAP_TYPE_* values */
} __attribute__((packed));

/* machphys_mapping: where the M2P table is mapped (PV). 24 bytes. */
struct xen_machphys_mapping {
	xen_ulong_t v_start, v_end;
	xen_ulong_t max_mfn;
};

#endif /* XEN_PUBLIC_MEMORY_H */
