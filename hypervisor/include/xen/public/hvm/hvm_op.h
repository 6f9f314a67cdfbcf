/*
 * hvm_op hypercall (34): arg 1 = HVMOP_*, arg 2 = GVA of the struct.
 * pvx's PVH guests use get/set_param and set_evtchn_upcall_vector (the
 * per-vCPU LAPIC vector through which event upcalls are delivered).
 */
#ifndef XEN_PUBLIC_HVM_HVM_OP_H
#define XEN_PUBLIC_HVM_HVM_OP_H

#include <stdint.h>
#include "../xen.h"

#define HVMOP_set_param                  0
#define HVMOP_get_param                  1
#define HVMOP_set_pci_intx_level         2
#define HVMOP_set_isa_irq_level          3
#define HVMOP_set_pci_link_route         4
#define HVMOP_flush_tlbs                 5
#define HVMOP_track_dirty_vram           6
#define HVMOP_modified_memory            7
#define HVMOP_set_mem_type               8
#define HVMOP_pagetable_dying            9
#define HVMOP_get_time                  10
#define HVMOP_xentrace                  11
#define HVMOP_set_mem_access            12
#define HVMOP_get_mem_access            13
#define HVMOP_inject_trap               14
#define HVMOP_get_mem_type              15
#define HVMOP_inject_msi                16
#define HVMOP_create_ioreq_server       17
#define HVMOP_get_ioreq_server_info     18
#define HVMOP_map_io_range_to_ioreq_server     19
#define HVMOP_unmap_io_range_from_ioreq_server 20
#define HVMOP_destroy_ioreq_server      21
#define HVMOP_set_ioreq_server_state    22
#define HVMOP_set_evtchn_upcall_vector  23
#define HVMOP_guest_request_vm_event    24
#define HVMOP_altp2m                    25
#define HVMOP_map_mem_type_to_ioreq_server 26

/* get_param / set_param: index is an HVM_PARAM_*. 16 bytes. */
struct xen_hvm_param {
	domid_t domid;     /* IN: DOMID_SELF */
	uint16_t pad;
	uint32_t index;    /* IN */
	uint64_t value;    /* IN (set) / OUT (get) */
};

/* The guest stops using the page table at gpa. 16 bytes. */
struct xen_hvm_pagetable_dying {
	domid_t domid;
	uint16_t pad[3];
	uint64_t gpa;
};

/* 8 bytes. */
struct xen_hvm_get_time {
	uint64_t now;
};

/* 16 bytes. */
struct xen_hvm_get_mem_type {
	domid_t domid;       /* IN */
	uint16_t mem_type;   /* OUT: HVMMEM_* */
	uint16_t pad[2];
	uint64_t pfn;        /* IN */
};
#define HVMMEM_ram_rw        0
#define HVMMEM_ram_ro        1
#define HVMMEM_mmio_dm       2
#define HVMMEM_unused        3
#define HVMMEM_ioreq_server  4

/*
 * Deliver this vCPU's event upcalls as LAPIC vector `vector` (>= 0x10),
 * which the guest acknowledges with a LAPIC EOI. 8 bytes.
 */
struct xen_hvm_evtchn_upcall_vector {
	uint32_t vcpu;
	uint8_t vector;
	uint8_t pad[3];
};

#endif /* XEN_PUBLIC_HVM_HVM_OP_H */
