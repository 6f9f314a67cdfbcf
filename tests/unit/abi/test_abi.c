/*
 * Pins the Xen ABI headers (hypervisor/include/xen/public) to the x86_64
 * layout guests were compiled against.
 *
 * Every size and offset a guest, the hypervisor or a backend depends on is
 * a row in one of three tables below: struct sizes, field offsets (with
 * the field's width), and constant values. The expected numbers come from
 * the reference (linux-pvh-abi.md Appendix A, computed against Linux's own
 * headers) and from Xen's published ABI; they are typed in here, never
 * derived from the headers under test, so moving, resizing or renumbering
 * anything makes the matching row fail and name itself.
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <pvx/abi.h>
#include <xen/public/xen.h>
#include <xen/public/arch-x86/cpuid.h>
#include <xen/public/elfnote.h>
#include <xen/public/event_channel.h>
#include <xen/public/features.h>
#include <xen/public/grant_table.h>
#include <xen/public/hvm/hvm_op.h>
#include <xen/public/hvm/params.h>
#include <xen/public/hvm/start_info.h>
#include <xen/public/io/blkif.h>
#include <xen/public/io/console.h>
#include <xen/public/io/netif.h>
#include <xen/public/io/ring.h>
#include <xen/public/io/xenbus.h>
#include <xen/public/io/xs_wire.h>
#include <xen/public/memory.h>
#include <xen/public/sched.h>
#include <xen/public/vcpu.h>
#include <xen/public/version.h>

#include "suites.h"

#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

struct size_row {
	const char *name;
	size_t actual, expected;
};
#define SZ(type, n) { #type, sizeof(type), (n) }

static const struct size_row sizes[] = {
	SZ(struct vcpu_time_info, 32),
	SZ(struct arch_vcpu_info, 16),
	SZ(struct vcpu_info, 64),
	SZ(struct arch_shared_info, 48),
	SZ(struct shared_info, 3136),
	SZ(struct multicall_entry, 64),
	SZ(xen_pfn_t, 8),
	SZ(xen_ulong_t, 8),
	SZ(domid_t, 2),
	SZ(evtchn_port_t, 4),
	SZ(grant_ref_t, 4),
	SZ(grant_handle_t, 4),
	SZ(xen_domain_handle_t, 16),
	SZ(struct grant_entry_v1, 8),
	SZ(struct gnttab_map_grant_ref, 32),
	SZ(struct gnttab_unmap_grant_ref, 24),
	SZ(struct gnttab_setup_table, 24),
	SZ(struct gnttab_transfer, 24),
	SZ(struct gnttab_copy_ptr, 16),
	SZ(struct gnttab_copy, 40),
	SZ(struct gnttab_query_size, 16),
	SZ(struct gnttab_set_version, 4),
	SZ(struct gnttab_get_version, 8),
	SZ(struct evtchn_alloc_unbound, 8),
	SZ(struct evtchn_bind_interdomain, 12),
	SZ(struct evtchn_bind_virq, 12),
	SZ(struct evtchn_bind_pirq, 12),
	SZ(struct evtchn_bind_ipi, 8),
	SZ(struct evtchn_close, 4),
	SZ(struct evtchn_send, 4),
	SZ(struct evtchn_status, 24),
	SZ(struct evtchn_bind_vcpu, 8),
	SZ(struct evtchn_unmask, 4),
	SZ(struct evtchn_reset, 2),
	SZ(struct evtchn_init_control, 24),
	SZ(struct evtchn_expand_array, 8),
	SZ(struct evtchn_set_priority, 8),
	SZ(struct xen_memory_reservation, 32),
	SZ(struct xen_add_to_physmap, 24),
	SZ(struct xen_add_to_physmap_batch, 32),
	SZ(struct xen_remove_from_physmap, 16),
	SZ(struct xen_memory_map, 16),
	SZ(struct xen_e820_entry, 20),
	SZ(struct sched_shutdown, 4),
	SZ(struct sched_poll, 24),
	SZ(struct sched_remote_shutdown, 8),
	SZ(struct sched_watchdog, 8),
	SZ(struct vcpu_runstate_info, 48),
	SZ(struct vcpu_register_runstate_memory_area, 8),
	SZ(struct vcpu_set_periodic_timer, 8),
	SZ(struct vcpu_set_singleshot_timer, 16),
	SZ(struct vcpu_register_vcpu_info, 16),
	SZ(struct vcpu_register_time_memory_area, 8),
	SZ(xen_extraversion_t, 16),
	SZ(struct xen_extraversion, 16),
	SZ(struct xen_compile_info, 144),
	SZ(xen_capabilities_info_t, 1024),
	SZ(xen_changeset_info_t, 64),
	SZ(struct xen_platform_parameters, 8),
	SZ(struct xen_feature_info, 8),
	SZ(xen_commandline_t, 1024),
	SZ(struct xen_build_id, 4),
	SZ(struct xen_hvm_param, 16),
	SZ(struct xen_hvm_pagetable_dying, 16),
	SZ(struct xen_hvm_get_mem_type, 16),
	SZ(struct xen_hvm_evtchn_upcall_vector, 8),
	SZ(struct hvm_start_info, 56),
	SZ(struct hvm_modlist_entry, 32),
	SZ(struct hvm_memmap_table_entry, 24),
	SZ(struct xencons_interface, 3088),
	SZ(struct xsd_sockmsg, 16),
	SZ(struct xenstore_domain_interface, 2076),
	SZ(struct xen_sring_hdr, 64),
	SZ(RING_IDX, 4),
	SZ(struct blkif_request_segment, 8),
	SZ(struct blkif_request, 112),
	SZ(struct blkif_request_discard, 32),
	SZ(struct blkif_request_indirect, 64),
	SZ(struct blkif_response, 16),
	SZ(struct netif_tx_request, 12),
	SZ(struct netif_tx_response, 4),
	SZ(struct netif_rx_request, 8),
	SZ(struct netif_rx_response, 8),
	SZ(struct netif_extra_info, 8),
};

struct off_row {
	const char *name;
	size_t actual, expected;
	size_t width, expected_width;   /* field size; expected 0 = not pinned */
};
#define FSIZE(type, f) sizeof(((type *)0)->f)
#define OFF(type, f, n, w) { #type "." #f, offsetof(type, f), (n), FSIZE(type, f), (w) }

static const struct off_row offsets[] = {
	OFF(struct vcpu_time_info, version, 0, 4),
	OFF(struct vcpu_time_info, tsc_timestamp, 8, 8),
	OFF(struct vcpu_time_info, system_time, 16, 8),
	OFF(struct vcpu_time_info, tsc_to_system_mul, 24, 4),
	OFF(struct vcpu_time_info, tsc_shift, 28, 1),
	OFF(struct vcpu_time_info, flags, 29, 1),
	OFF(struct vcpu_info, evtchn_upcall_pending, 0, 1),
	OFF(struct vcpu_info, evtchn_upcall_mask, 1, 1),
	OFF(struct vcpu_info, evtchn_pending_sel, 8, 8),
	OFF(struct vcpu_info, arch, 16, 16),
	OFF(struct vcpu_info, time, 32, 32),
	OFF(struct arch_vcpu_info, cr2, 0, 8),
	OFF(struct shared_info, vcpu_info, 0, 32 * 64),
	OFF(struct shared_info, evtchn_pending, 2048, 512),
	OFF(struct shared_info, evtchn_mask, 2560, 512),
	OFF(struct shared_info, wc_version, 3072, 4),
	OFF(struct shared_info, wc_sec, 3076, 4),
	OFF(struct shared_info, wc_nsec, 3080, 4),
	OFF(struct shared_info, wc_sec_hi, 3084, 4),
	OFF(struct shared_info, arch, 3088, 48),
	OFF(struct arch_shared_info, max_pfn, 0, 8),
	OFF(struct arch_shared_info, pfn_to_mfn_frame_list_list, 8, 8),
	OFF(struct arch_shared_info, nmi_reason, 16, 8),
	OFF(struct arch_shared_info, p2m_generation, 40, 8),
	OFF(struct multicall_entry, op, 0, 8),
	OFF(struct multicall_entry, result, 8, 8),
	OFF(struct multicall_entry, args, 16, 48),
	OFF(struct grant_entry_v1, flags, 0, 2),
	OFF(struct grant_entry_v1, domid, 2, 2),
	OFF(struct grant_entry_v1, frame, 4, 4),
	OFF(struct gnttab_map_grant_ref, host_addr, 0, 8),
	OFF(struct gnttab_map_grant_ref, flags, 8, 4),
	OFF(struct gnttab_map_grant_ref, ref, 12, 4),
	OFF(struct gnttab_map_grant_ref, dom, 16, 2),
	OFF(struct gnttab_map_grant_ref, status, 18, 2),
	OFF(struct gnttab_map_grant_ref, handle, 20, 4),
	OFF(struct gnttab_map_grant_ref, dev_bus_addr, 24, 8),
	OFF(struct gnttab_unmap_grant_ref, host_addr, 0, 8),
	OFF(struct gnttab_unmap_grant_ref, dev_bus_addr, 8, 8),
	OFF(struct gnttab_unmap_grant_ref, handle, 16, 4),
	OFF(struct gnttab_unmap_grant_ref, status, 20, 2),
	OFF(struct gnttab_setup_table, dom, 0, 2),
	OFF(struct gnttab_setup_table, nr_frames, 4, 4),
	OFF(struct gnttab_setup_table, status, 8, 2),
	OFF(struct gnttab_setup_table, frame_list, 16, 8),
	OFF(struct gnttab_copy_ptr, u.ref, 0, 4),
	OFF(struct gnttab_copy_ptr, u.gmfn, 0, 8),
	OFF(struct gnttab_copy_ptr, domid, 8, 2),
	OFF(struct gnttab_copy_ptr, offset, 10, 2),
	OFF(struct gnttab_copy, source, 0, 16),
	OFF(struct gnttab_copy, dest, 16, 16),
	OFF(struct gnttab_copy, len, 32, 2),
	OFF(struct gnttab_copy, flags, 34, 2),
	OFF(struct gnttab_copy, status, 36, 2),
	OFF(struct gnttab_query_size, dom, 0, 2),
	OFF(struct gnttab_query_size, nr_frames, 4, 4),
	OFF(struct gnttab_query_size, max_nr_frames, 8, 4),
	OFF(struct gnttab_query_size, status, 12, 2),
	OFF(struct gnttab_get_version, dom, 0, 2),
	OFF(struct gnttab_get_version, version, 4, 4),
	OFF(struct evtchn_alloc_unbound, dom, 0, 2),
	OFF(struct evtchn_alloc_unbound, remote_dom, 2, 2),
	OFF(struct evtchn_alloc_unbound, port, 4, 4),
	OFF(struct evtchn_bind_interdomain, remote_dom, 0, 2),
	OFF(struct evtchn_bind_interdomain, remote_port, 4, 4),
	OFF(struct evtchn_bind_interdomain, local_port, 8, 4),
	OFF(struct evtchn_bind_virq, virq, 0, 4),
	OFF(struct evtchn_bind_virq, vcpu, 4, 4),
	OFF(struct evtchn_bind_virq, port, 8, 4),
	OFF(struct evtchn_bind_pirq, pirq, 0, 4),
	OFF(struct evtchn_bind_pirq, flags, 4, 4),
	OFF(struct evtchn_bind_pirq, port, 8, 4),
	OFF(struct evtchn_bind_ipi, vcpu, 0, 4),
	OFF(struct evtchn_bind_ipi, port, 4, 4),
	OFF(struct evtchn_bind_vcpu, port, 0, 4),
	OFF(struct evtchn_bind_vcpu, vcpu, 4, 4),
	OFF(struct evtchn_status, dom, 0, 2),
	OFF(struct evtchn_status, port, 4, 4),
	OFF(struct evtchn_status, status, 8, 4),
	OFF(struct evtchn_status, vcpu, 12, 4),
	OFF(struct evtchn_status, u.unbound.dom, 16, 2),
	OFF(struct evtchn_status, u.interdomain.dom, 16, 2),
	OFF(struct evtchn_status, u.interdomain.port, 20, 4),
	OFF(struct evtchn_status, u.pirq, 16, 4),
	OFF(struct evtchn_status, u.virq, 16, 4),
	OFF(struct evtchn_init_control, control_gfn, 0, 8),
	OFF(struct evtchn_init_control, offset, 8, 4),
	OFF(struct evtchn_init_control, vcpu, 12, 4),
	OFF(struct evtchn_init_control, link_bits, 16, 1),
	OFF(struct evtchn_set_priority, priority, 4, 4),
	OFF(struct xen_memory_reservation, extent_start, 0, 8),
	OFF(struct xen_memory_reservation, nr_extents, 8, 8),
	OFF(struct xen_memory_reservation, extent_order, 16, 4),
	OFF(struct xen_memory_reservation, mem_flags, 20, 4),
	OFF(struct xen_memory_reservation, domid, 24, 2),
	OFF(struct xen_add_to_physmap, domid, 0, 2),
	OFF(struct xen_add_to_physmap, size, 2, 2),
	OFF(struct xen_add_to_physmap, space, 4, 4),
	OFF(struct xen_add_to_physmap, idx, 8, 8),
	OFF(struct xen_add_to_physmap, gpfn, 16, 8),
	OFF(struct xen_add_to_physmap_batch, space, 2, 2),
	OFF(struct xen_add_to_physmap_batch, size, 4, 2),
	OFF(struct xen_add_to_physmap_batch, u.foreign_domid, 6, 2),
	OFF(struct xen_add_to_physmap_batch, idxs, 8, 8),
	OFF(struct xen_add_to_physmap_batch, gpfns, 16, 8),
	OFF(struct xen_add_to_physmap_batch, errs, 24, 8),
	OFF(struct xen_remove_from_physmap, gpfn, 8, 8),
	OFF(struct xen_memory_map, nr_entries, 0, 4),
	OFF(struct xen_memory_map, buffer, 8, 8),
	OFF(struct xen_e820_entry, addr, 0, 8),
	OFF(struct xen_e820_entry, size, 8, 8),
	OFF(struct xen_e820_entry, type, 16, 4),
	OFF(struct sched_shutdown, reason, 0, 4),
	OFF(struct sched_poll, ports, 0, 8),
	OFF(struct sched_poll, nr_ports, 8, 4),
	OFF(struct sched_poll, timeout, 16, 8),
	OFF(struct sched_remote_shutdown, domain_id, 0, 2),
	OFF(struct sched_remote_shutdown, reason, 4, 4),
	OFF(struct vcpu_runstate_info, state, 0, 4),
	OFF(struct vcpu_runstate_info, state_entry_time, 8, 8),
	OFF(struct vcpu_runstate_info, time, 16, 32),
	OFF(struct vcpu_set_singleshot_timer, timeout_abs_ns, 0, 8),
	OFF(struct vcpu_set_singleshot_timer, flags, 8, 4),
	OFF(struct vcpu_register_vcpu_info, mfn, 0, 8),
	OFF(struct vcpu_register_vcpu_info, offset, 8, 4),
	OFF(struct vcpu_register_vcpu_info, rsvd, 12, 4),
	OFF(struct xen_compile_info, compiler, 0, 64),
	OFF(struct xen_compile_info, compile_by, 64, 16),
	OFF(struct xen_compile_info, compile_domain, 80, 32),
	OFF(struct xen_compile_info, compile_date, 112, 32),
	OFF(struct xen_feature_info, submap_idx, 0, 4),
	OFF(struct xen_feature_info, submap, 4, 4),
	OFF(struct xen_hvm_param, domid, 0, 2),
	OFF(struct xen_hvm_param, index, 4, 4),
	OFF(struct xen_hvm_param, value, 8, 8),
	OFF(struct xen_hvm_pagetable_dying, gpa, 8, 8),
	OFF(struct xen_hvm_evtchn_upcall_vector, vcpu, 0, 4),
	OFF(struct xen_hvm_evtchn_upcall_vector, vector, 4, 1),
	OFF(struct hvm_start_info, magic, 0, 4),
	OFF(struct hvm_start_info, version, 4, 4),
	OFF(struct hvm_start_info, flags, 8, 4),
	OFF(struct hvm_start_info, nr_modules, 12, 4),
	OFF(struct hvm_start_info, modlist_paddr, 16, 8),
	OFF(struct hvm_start_info, cmdline_paddr, 24, 8),
	OFF(struct hvm_start_info, rsdp_paddr, 32, 8),
	OFF(struct hvm_start_info, memmap_paddr, 40, 8),
	OFF(struct hvm_start_info, memmap_entries, 48, 4),
	OFF(struct hvm_start_info, reserved, 52, 4),
	OFF(struct hvm_modlist_entry, paddr, 0, 8),
	OFF(struct hvm_modlist_entry, size, 8, 8),
	OFF(struct hvm_modlist_entry, cmdline_paddr, 16, 8),
	OFF(struct hvm_modlist_entry, reserved, 24, 8),
	OFF(struct hvm_memmap_table_entry, addr, 0, 8),
	OFF(struct hvm_memmap_table_entry, size, 8, 8),
	OFF(struct hvm_memmap_table_entry, type, 16, 4),
	OFF(struct hvm_memmap_table_entry, reserved, 20, 4),
	OFF(struct xencons_interface, in, 0, 1024),
	OFF(struct xencons_interface, out, 1024, 2048),
	OFF(struct xencons_interface, in_cons, 3072, 4),
	OFF(struct xencons_interface, in_prod, 3076, 4),
	OFF(struct xencons_interface, out_cons, 3080, 4),
	OFF(struct xencons_interface, out_prod, 3084, 4),
	OFF(struct xsd_sockmsg, type, 0, 4),
	OFF(struct xsd_sockmsg, req_id, 4, 4),
	OFF(struct xsd_sockmsg, tx_id, 8, 4),
	OFF(struct xsd_sockmsg, len, 12, 4),
	OFF(struct xenstore_domain_interface, req, 0, 1024),
	OFF(struct xenstore_domain_interface, rsp, 1024, 1024),
	OFF(struct xenstore_domain_interface, req_cons, 2048, 4),
	OFF(struct xenstore_domain_interface, req_prod, 2052, 4),
	OFF(struct xenstore_domain_interface, rsp_cons, 2056, 4),
	OFF(struct xenstore_domain_interface, rsp_prod, 2060, 4),
	OFF(struct xenstore_domain_interface, server_features, 2064, 4),
	OFF(struct xenstore_domain_interface, connection, 2068, 4),
	OFF(struct xenstore_domain_interface, error, 2072, 4),
	OFF(struct xen_sring_hdr, req_prod, 0, 4),
	OFF(struct xen_sring_hdr, req_event, 4, 4),
	OFF(struct xen_sring_hdr, rsp_prod, 8, 4),
	OFF(struct xen_sring_hdr, rsp_event, 12, 4),
	OFF(struct xen_sring_hdr, __pad, 16, 48),
	OFF(struct blkif_request_segment, gref, 0, 4),
	OFF(struct blkif_request_segment, first_sect, 4, 1),
	OFF(struct blkif_request_segment, last_sect, 5, 1),
	OFF(struct blkif_request, operation, 0, 1),
	OFF(struct blkif_request, nr_segments, 1, 1),
	OFF(struct blkif_request, handle, 2, 2),
	OFF(struct blkif_request, id, 8, 8),
	OFF(struct blkif_request, sector_number, 16, 8),
	OFF(struct blkif_request, seg, 24, 88),
	OFF(struct blkif_request_discard, flag, 1, 1),
	OFF(struct blkif_request_discard, id, 8, 8),
	OFF(struct blkif_request_discard, sector_number, 16, 8),
	OFF(struct blkif_request_discard, nr_sectors, 24, 8),
	OFF(struct blkif_request_indirect, indirect_op, 1, 1),
	OFF(struct blkif_request_indirect, nr_segments, 2, 2),
	OFF(struct blkif_request_indirect, id, 8, 8),
	OFF(struct blkif_request_indirect, sector_number, 16, 8),
	OFF(struct blkif_request_indirect, handle, 24, 2),
	OFF(struct blkif_request_indirect, indirect_grefs, 28, 32),
	OFF(struct blkif_response, id, 0, 8),
	OFF(struct blkif_response, operation, 8, 1),
	OFF(struct blkif_response, status, 10, 2),
	OFF(struct netif_tx_request, gref, 0, 4),
	OFF(struct netif_tx_request, offset, 4, 2),
	OFF(struct netif_tx_request, flags, 6, 2),
	OFF(struct netif_tx_request, id, 8, 2),
	OFF(struct netif_tx_request, size, 10, 2),
	OFF(struct netif_tx_response, id, 0, 2),
	OFF(struct netif_tx_response, status, 2, 2),
	OFF(struct netif_rx_request, id, 0, 2),
	OFF(struct netif_rx_request, gref, 4, 4),
	OFF(struct netif_rx_response, id, 0, 2),
	OFF(struct netif_rx_response, offset, 2, 2),
	OFF(struct netif_rx_response, flags, 4, 2),
	OFF(struct netif_rx_response, status, 6, 2),
	OFF(struct netif_extra_info, type, 0, 1),
	OFF(struct netif_extra_info, flags, 1, 1),
	OFF(struct netif_extra_info, u.gso.size, 2, 2),
	OFF(struct netif_extra_info, u.gso.type, 4, 1),
	OFF(struct netif_extra_info, u.gso.features, 6, 2),
	OFF(struct netif_extra_info, u.mcast.addr, 2, 6),
};

struct const_row {
	const char *name;
	int64_t actual, expected;
};
#define K(name, v) { #name, (int64_t)(name), (v) }

static const struct const_row constants[] = {
	/* pvx's own (D3). */
	K(PVX_HYPERCALL_PORT, 0xEB),
	K(PVX_HYPERCALL_STUB_SIZE, 32),
	K(PVX_UPCALL_VECTOR, 0xF3),
	/* Hypercall numbers. */
	K(__HYPERVISOR_set_trap_table, 0),
	K(__HYPERVISOR_mmu_update, 1),
	K(__HYPERVISOR_set_gdt, 2),
	K(__HYPERVISOR_stack_switch, 3),
	K(__HYPERVISOR_set_callbacks, 4),
	K(__HYPERVISOR_fpu_taskswitch, 5),
	K(__HYPERVISOR_sched_op_compat, 6),
	K(__HYPERVISOR_platform_op, 7),
	K(__HYPERVISOR_set_debugreg, 8),
	K(__HYPERVISOR_get_debugreg, 9),
	K(__HYPERVISOR_update_descriptor, 10),
	K(__HYPERVISOR_memory_op, 12),
	K(__HYPERVISOR_multicall, 13),
	K(__HYPERVISOR_update_va_mapping, 14),
	K(__HYPERVISOR_set_timer_op, 15),
	K(__HYPERVISOR_event_channel_op_compat, 16),
	K(__HYPERVISOR_xen_version, 17),
	K(__HYPERVISOR_console_io, 18),
	K(__HYPERVISOR_physdev_op_compat, 19),
	K(__HYPERVISOR_grant_table_op, 20),
	K(__HYPERVISOR_vm_assist, 21),
	K(__HYPERVISOR_update_va_mapping_otherdomain, 22),
	K(__HYPERVISOR_iret, 23),
	K(__HYPERVISOR_vcpu_op, 24),
	K(__HYPERVISOR_set_segment_base, 25),
	K(__HYPERVISOR_mmuext_op, 26),
	K(__HYPERVISOR_xsm_op, 27),
	K(__HYPERVISOR_nmi_op, 28),
	K(__HYPERVISOR_sched_op, 29),
	K(__HYPERVISOR_callback_op, 30),
	K(__HYPERVISOR_xenoprof_op, 31),
	K(__HYPERVISOR_event_channel_op, 32),
	K(__HYPERVISOR_physdev_op, 33),
	K(__HYPERVISOR_hvm_op, 34),
	K(__HYPERVISOR_sysctl, 35),
	K(__HYPERVISOR_domctl, 36),
	K(__HYPERVISOR_kexec_op, 37),
	K(__HYPERVISOR_tmem_op, 38),
	K(__HYPERVISOR_argo_op, 39),
	K(__HYPERVISOR_xenpmu_op, 40),
	K(__HYPERVISOR_dm_op, 41),
	K(__HYPERVISOR_hypfs_op, 42),
	K(__HYPERVISOR_arch_0, 48),
	K(__HYPERVISOR_arch_7, 55),
	K(__HYPERVISOR_mca, 48),
	K(XEN_NR_HYPERCALLS, 64),
	/* Domain ids. */
	K(DOMID_FIRST_RESERVED, 0x7FF0),
	K(DOMID_SELF, 0x7FF0),
	K(DOMID_IO, 0x7FF1),
	K(DOMID_XEN, 0x7FF2),
	K(DOMID_COW, 0x7FF3),
	K(DOMID_INVALID, 0x7FF4),
	K(DOMID_IDLE, 0x7FFF),
	/* VIRQs. */
	K(VIRQ_TIMER, 0), K(VIRQ_DEBUG, 1), K(VIRQ_CONSOLE, 2), K(VIRQ_DOM_EXC, 3),
	K(VIRQ_TBUF, 4), K(VIRQ_DEBUGGER, 6), K(VIRQ_XENOPROF, 7), K(VIRQ_CON_RING, 8),
	K(VIRQ_PCPU_STATE, 9), K(VIRQ_MEM_EVENT, 10), K(VIRQ_ARGO, 11), K(VIRQ_ENOMEM, 12),
	K(VIRQ_XENPMU, 13), K(VIRQ_ARCH_0, 16), K(VIRQ_ARCH_7, 23), K(NR_VIRQS, 24),
	K(CONSOLEIO_write, 0), K(CONSOLEIO_read, 1),
	K(MAX_VIRT_CPUS, 32),
	K(SIF_INITDOMAIN, 2),
	K(XEN_PAGE_SIZE, 4096),
	/* Xen errno. */
	K(XEN_EPERM, 1), K(XEN_ENOENT, 2), K(XEN_ESRCH, 3), K(XEN_EINTR, 4), K(XEN_EIO, 5),
	K(XEN_E2BIG, 7), K(XEN_EBADF, 9), K(XEN_EAGAIN, 11), K(XEN_ENOMEM, 12),
	K(XEN_EACCES, 13), K(XEN_EFAULT, 14), K(XEN_EBUSY, 16), K(XEN_EEXIST, 17),
	K(XEN_ENODEV, 19), K(XEN_EISDIR, 21), K(XEN_EINVAL, 22), K(XEN_ENOSPC, 28),
	K(XEN_EROFS, 30), K(XEN_ERANGE, 34), K(XEN_ENOSYS, 38), K(XEN_ENOTEMPTY, 39),
	K(XEN_ENODATA, 61), K(XEN_ETIME, 62), K(XEN_EOVERFLOW, 75), K(XEN_EOPNOTSUPP, 95),
	K(XEN_EISCONN, 106), K(XEN_ETIMEDOUT, 110),
	/* Event channels. */
	K(EVTCHNOP_bind_interdomain, 0), K(EVTCHNOP_bind_virq, 1), K(EVTCHNOP_bind_pirq, 2),
	K(EVTCHNOP_close, 3), K(EVTCHNOP_send, 4), K(EVTCHNOP_status, 5),
	K(EVTCHNOP_alloc_unbound, 6), K(EVTCHNOP_bind_ipi, 7), K(EVTCHNOP_bind_vcpu, 8),
	K(EVTCHNOP_unmask, 9), K(EVTCHNOP_reset, 10), K(EVTCHNOP_init_control, 11),
	K(EVTCHNOP_expand_array, 12), K(EVTCHNOP_set_priority, 13),
	K(EVTCHNSTAT_closed, 0), K(EVTCHNSTAT_unbound, 1), K(EVTCHNSTAT_interdomain, 2),
	K(EVTCHNSTAT_pirq, 3), K(EVTCHNSTAT_virq, 4), K(EVTCHNSTAT_ipi, 5),
	K(EVTCHN_2L_NR_CHANNELS, 4096),
	/* Grant tables. */
	K(GTF_permit_access, 1), K(GTF_accept_transfer, 2), K(GTF_type_mask, 3),
	K(GTF_readonly, 4), K(GTF_reading, 8), K(GTF_writing, 16), K(GTF_sub_page, 256),
	K(GNTTABOP_map_grant_ref, 0), K(GNTTABOP_unmap_grant_ref, 1),
	K(GNTTABOP_setup_table, 2), K(GNTTABOP_dump_table, 3), K(GNTTABOP_transfer, 4),
	K(GNTTABOP_copy, 5), K(GNTTABOP_query_size, 6), K(GNTTABOP_unmap_and_replace, 7),
	K(GNTTABOP_set_version, 8), K(GNTTABOP_get_status_frames, 9),
	K(GNTTABOP_get_version, 10), K(GNTTABOP_swap_grant_ref, 11),
	K(GNTTABOP_cache_flush, 12),
	K(GNTMAP_device_map, 1), K(GNTMAP_host_map, 2), K(GNTMAP_readonly, 4),
	K(GNTMAP_application_map, 8), K(GNTMAP_contains_pte, 16),
	K(GNTCOPY_source_gref, 1), K(GNTCOPY_dest_gref, 2),
	K(GNTST_okay, 0), K(GNTST_general_error, -1), K(GNTST_bad_domain, -2),
	K(GNTST_bad_gntref, -3), K(GNTST_bad_handle, -4), K(GNTST_bad_virt_addr, -5),
	K(GNTST_bad_dev_addr, -6), K(GNTST_no_device_space, -7),
	K(GNTST_permission_denied, -8), K(GNTST_bad_page, -9), K(GNTST_bad_copy_arg, -10),
	K(GNTST_address_too_big, -11), K(GNTST_eagain, -12), K(GNTST_no_space, -13),
	K(GNTTAB_NR_RESERVED_ENTRIES, 8), K(GRANT_ENTRIES_PER_FRAME_V1, 512),
	/* Memory. */
	K(XENMEM_increase_reservation, 0), K(XENMEM_decrease_reservation, 1),
	K(XENMEM_maximum_ram_page, 2), K(XENMEM_current_reservation, 3),
	K(XENMEM_maximum_reservation, 4), K(XENMEM_populate_physmap, 6),
	K(XENMEM_add_to_physmap, 7), K(XENMEM_memory_map, 9),
	K(XENMEM_machine_memory_map, 10), K(XENMEM_exchange, 11),
	K(XENMEM_set_memory_map, 13), K(XENMEM_maximum_gpfn, 14),
	K(XENMEM_remove_from_physmap, 15), K(XENMEM_add_to_physmap_batch, 23),
	K(XENMEM_acquire_resource, 28),
	K(XENMAPSPACE_shared_info, 0), K(XENMAPSPACE_grant_table, 1), K(XENMAPSPACE_gmfn, 2),
	K(XENMAPSPACE_gmfn_range, 3), K(XENMAPSPACE_gmfn_foreign, 4), K(XENMAPSPACE_dev_mmio, 5),
	/* Scheduling. */
	K(SCHEDOP_yield, 0), K(SCHEDOP_block, 1), K(SCHEDOP_shutdown, 2), K(SCHEDOP_poll, 3),
	K(SCHEDOP_remote_shutdown, 4), K(SCHEDOP_shutdown_code, 5), K(SCHEDOP_watchdog, 6),
	K(SCHEDOP_pin_override, 7),
	K(SHUTDOWN_poweroff, 0), K(SHUTDOWN_reboot, 1), K(SHUTDOWN_suspend, 2),
	K(SHUTDOWN_crash, 3), K(SHUTDOWN_watchdog, 4), K(SHUTDOWN_soft_reset, 5),
	/* vCPU. */
	K(VCPUOP_initialise, 0), K(VCPUOP_up, 1), K(VCPUOP_down, 2), K(VCPUOP_is_up, 3),
	K(VCPUOP_get_runstate_info, 4), K(VCPUOP_register_runstate_memory_area, 5),
	K(VCPUOP_set_periodic_timer, 6), K(VCPUOP_stop_periodic_timer, 7),
	K(VCPUOP_set_singleshot_timer, 8), K(VCPUOP_stop_singleshot_timer, 9),
	K(VCPUOP_register_vcpu_info, 10), K(VCPUOP_send_nmi, 11), K(VCPUOP_get_physid, 12),
	K(VCPUOP_register_vcpu_time_memory_area, 13), K(VCPU_SSHOTTMR_future, 1),
	K(RUNSTATE_running, 0), K(RUNSTATE_offline, 3),
	/* Version and features. */
	K(XENVER_version, 0), K(XENVER_extraversion, 1), K(XENVER_compile_info, 2),
	K(XENVER_capabilities, 3), K(XENVER_changeset, 4), K(XENVER_platform_parameters, 5),
	K(XENVER_get_features, 6), K(XENVER_pagesize, 7), K(XENVER_guest_handle, 8),
	K(XENVER_commandline, 9), K(XENVER_build_id, 10), K(XEN_EXTRAVERSION_LEN, 16),
	K(XENFEAT_writable_page_tables, 0), K(XENFEAT_auto_translated_physmap, 2),
	K(XENFEAT_supervisor_mode_kernel, 3), K(XENFEAT_hvm_callback_vector, 8),
	K(XENFEAT_hvm_safe_pvclock, 9), K(XENFEAT_hvm_pirqs, 10), K(XENFEAT_dom0, 11),
	K(XENFEAT_linux_rsdp_unrestricted, 15), K(XENFEAT_NR_SUBMAPS, 1),
	/* HVM. */
	K(HVMOP_set_param, 0), K(HVMOP_get_param, 1), K(HVMOP_pagetable_dying, 9),
	K(HVMOP_get_time, 10), K(HVMOP_get_mem_type, 15), K(HVMOP_set_evtchn_upcall_vector, 23),
	K(HVM_PARAM_CALLBACK_IRQ, 0), K(HVM_PARAM_STORE_PFN, 1), K(HVM_PARAM_STORE_EVTCHN, 2),
	K(HVM_PARAM_PAE_ENABLED, 4), K(HVM_PARAM_TIMER_MODE, 10),
	K(HVM_PARAM_CONSOLE_PFN, 17), K(HVM_PARAM_CONSOLE_EVTCHN, 18),
	K(HVM_PARAM_NESTEDHVM, 24), K(HVM_PARAM_MCA_CAP, 38), K(HVM_NR_PARAMS, 39),
	K(HVM_PARAM_CALLBACK_TYPE_VECTOR, 2), K(HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT, 56),
	K(XEN_HVM_START_MAGIC_VALUE, 0x336ec578),
	K(XEN_HVM_MEMMAP_TYPE_RAM, 1), K(XEN_HVM_MEMMAP_TYPE_RESERVED, 2),
	K(XEN_HVM_MEMMAP_TYPE_ACPI, 3), K(XEN_HVM_MEMMAP_TYPE_NVS, 4),
	K(XEN_HVM_MEMMAP_TYPE_UNUSABLE, 5), K(XEN_HVM_MEMMAP_TYPE_DISABLED, 6),
	K(XEN_HVM_MEMMAP_TYPE_PMEM, 7),
	/* ELF notes and CPUID. */
	K(XEN_ELFNOTE_ENTRY, 1), K(XEN_ELFNOTE_HYPERCALL_PAGE, 2), K(XEN_ELFNOTE_GUEST_OS, 6),
	K(XEN_ELFNOTE_FEATURES, 10), K(XEN_ELFNOTE_SUPPORTED_FEATURES, 17),
	K(XEN_ELFNOTE_PHYS32_ENTRY, 18),
	K(XEN_CPUID_FIRST_LEAF, 0x40000000), K(XEN_CPUID_LEAF(4), 0x40000004),
	K(XEN_CPUID_SIGNATURE_EBX, 0x566e6558), K(XEN_CPUID_SIGNATURE_ECX, 0x65584d4d),
	K(XEN_CPUID_SIGNATURE_EDX, 0x4d4d566e),
	K(XEN_HVM_CPUID_VCPU_ID_PRESENT, 1 << 3), K(XEN_HVM_CPUID_UPCALL_VECTOR, 1 << 6),
	/* Console, xenstore, xenbus. */
	K(XS_CONTROL, 0), K(XS_DEBUG, 0), K(XS_DIRECTORY, 1), K(XS_READ, 2),
	K(XS_GET_PERMS, 3), K(XS_WATCH, 4), K(XS_UNWATCH, 5), K(XS_TRANSACTION_START, 6),
	K(XS_TRANSACTION_END, 7), K(XS_INTRODUCE, 8), K(XS_RELEASE, 9),
	K(XS_GET_DOMAIN_PATH, 10), K(XS_WRITE, 11), K(XS_MKDIR, 12), K(XS_RM, 13),
	K(XS_SET_PERMS, 14), K(XS_WATCH_EVENT, 15), K(XS_ERROR, 16),
	K(XS_IS_DOMAIN_INTRODUCED, 17), K(XS_RESUME, 18), K(XS_SET_TARGET, 19),
	K(XS_RESET_WATCHES, 21), K(XS_DIRECTORY_PART, 22), K(XS_GET_FEATURE, 23), K(XS_SET_FEATURE, 24),
	K(XS_GET_QUOTA, 25), K(XS_SET_QUOTA, 26), K(XS_TYPE_COUNT, 27),
	K(XS_INVALID, 0xffff),
	K(XENSTORE_PAYLOAD_MAX, 4096), K(XENSTORE_ABS_PATH_MAX, 3072),
	K(XENSTORE_REL_PATH_MAX, 2048), K(XENSTORE_RING_SIZE, 1024),
	K(XENSTORE_SERVER_FEATURE_RECONNECTION, 1), K(XENSTORE_SERVER_FEATURE_ERROR, 2),
	K(XENSTORE_CONNECTED, 0), K(XENSTORE_RECONNECT, 1),
	K(XENSTORE_ERROR_NONE, 0), K(XENSTORE_ERROR_COMM, 1), K(XENSTORE_ERROR_RINGIDX, 2),
	K(XENSTORE_ERROR_PROTO, 3), K(MASK_XENSTORE_IDX(1025u), 1),
	K(XenbusStateUnknown, 0), K(XenbusStateInitialising, 1), K(XenbusStateInitWait, 2),
	K(XenbusStateInitialised, 3), K(XenbusStateConnected, 4), K(XenbusStateClosing, 5),
	K(XenbusStateClosed, 6), K(XenbusStateReconfiguring, 7), K(XenbusStateReconfigured, 8),
	/* Block and net. */
	K(XEN_SRING_HDR_SIZE, 64),
	K(BLKIF_OP_READ, 0), K(BLKIF_OP_WRITE, 1), K(BLKIF_OP_WRITE_BARRIER, 2),
	K(BLKIF_OP_FLUSH_DISKCACHE, 3), K(BLKIF_OP_DISCARD, 5), K(BLKIF_OP_INDIRECT, 6),
	K(BLKIF_MAX_SEGMENTS_PER_REQUEST, 11), K(BLKIF_SEGS_PER_INDIRECT_FRAME, 512),
	K(BLKIF_RSP_EOPNOTSUPP, -2), K(BLKIF_RSP_ERROR, -1), K(BLKIF_RSP_OKAY, 0),
	K(VDISK_CDROM, 1), K(VDISK_REMOVABLE, 2), K(VDISK_READONLY, 4),
	K(NETTXF_csum_blank, 1), K(NETTXF_data_validated, 2), K(NETTXF_more_data, 4),
	K(NETTXF_extra_info, 8),
	K(NETRXF_data_validated, 1), K(NETRXF_csum_blank, 2), K(NETRXF_more_data, 4),
	K(NETRXF_extra_info, 8), K(NETRXF_gso_prefix, 16),
	K(NETIF_RSP_DROPPED, -2), K(NETIF_RSP_ERROR, -1), K(NETIF_RSP_OKAY, 0),
	K(NETIF_RSP_NULL, 1),
	K(XEN_NETIF_EXTRA_TYPE_GSO, 1), K(XEN_NETIF_EXTRA_FLAG_MORE, 1),
	K(XEN_NETIF_GSO_TYPE_TCPV4, 1), K(XEN_NETIF_GSO_TYPE_TCPV6, 2),
};

/* The check every row goes through; also exercised on a broken row below. */
static int off_row_ok(const struct off_row *r)
{
	return r->actual == r->expected &&
	       (r->expected_width == 0 || r->width == r->expected_width);
}

START_TEST(test_struct_size)
{
	const struct size_row *r = &sizes[_i];

	ck_assert_msg(r->actual == r->expected, "sizeof(%s) = %zu, ABI says %zu",
		      r->name, r->actual, r->expected);
}
END_TEST

START_TEST(test_field_offset)
{
	const struct off_row *r = &offsets[_i];

	ck_assert_msg(off_row_ok(r), "%s at %zu (%zu bytes), ABI says %zu (%zu bytes)",
		      r->name, r->actual, r->width, r->expected, r->expected_width);
}
END_TEST

START_TEST(test_constant_value)
{
	const struct const_row *r = &constants[_i];

	ck_assert_msg(r->actual == r->expected, "%s = %lld, ABI says %lld", r->name,
		      (long long)r->actual, (long long)r->expected);
}
END_TEST

/*
 * A field that moves must fail its row: build the row the way OFF() would
 * for a struct where blkif_response.status sits 2 bytes later, and for one
 * where it is 4 bytes wide.
 */
START_TEST(test_moved_field_is_caught)
{
	struct off_row moved = { "moved", offsetof(struct blkif_response, status) + 2, 10, 2, 2 };
	struct off_row wider = { "wider", offsetof(struct blkif_response, status), 10, 4, 2 };
	struct off_row right = OFF(struct blkif_response, status, 10, 2);

	ck_assert(!off_row_ok(&moved));
	ck_assert(!off_row_ok(&wider));
	ck_assert(off_row_ok(&right));
}
END_TEST

/* The xenstore error table: exactly Xen's names, each with its errno. */
static const struct {
	const char *name;
	int errnum;
} xs_errors_expected[] = {
	{ "EINVAL", 22 }, { "EACCES", 13 }, { "EEXIST", 17 }, { "EISDIR", 21 },
	{ "ENOENT", 2 }, { "ENOMEM", 12 }, { "ENOSPC", 28 }, { "EIO", 5 },
	{ "ENOTEMPTY", 39 }, { "ENOSYS", 38 }, { "EROFS", 30 }, { "EBUSY", 16 },
	{ "EAGAIN", 11 }, { "EISCONN", 106 }, { "E2BIG", 7 }, { "EPERM", 1 },
};

START_TEST(test_xsd_errors_table)
{
	ck_assert_uint_eq(XSD_ERRORS_COUNT, ROWS(xs_errors_expected));
	/* The first entry is the default a client falls back to. */
	ck_assert_str_eq(xsd_errors[0].errstring, "EINVAL");
	for (size_t i = 0; i < ROWS(xs_errors_expected); i++) {
		ck_assert_str_eq(xsd_errors[i].errstring, xs_errors_expected[i].name);
		ck_assert_int_eq(xsd_errors[i].errnum, xs_errors_expected[i].errnum);
	}
}
END_TEST

/* Arrays that must fill their containing page exactly or fit in it. */
START_TEST(test_pages_fit)
{
	ck_assert_uint_le(sizeof(struct shared_info), XEN_PAGE_SIZE);
	ck_assert_uint_le(sizeof(struct xencons_interface), XEN_PAGE_SIZE);
	ck_assert_uint_le(sizeof(struct xenstore_domain_interface), XEN_PAGE_SIZE);
	ck_assert_uint_eq(sizeof(((struct shared_info *)0)->evtchn_pending) * 8,
			  EVTCHN_2L_NR_CHANNELS);
	ck_assert_uint_eq(XEN_PAGE_SIZE / sizeof(struct grant_entry_v1), 512);
}
END_TEST

Suite *make_abi_suite(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("layout");

	tcase_add_loop_test(tc, test_struct_size, 0, ROWS(sizes));
	tcase_add_loop_test(tc, test_field_offset, 0, ROWS(offsets));
	tcase_add_loop_test(tc, test_constant_value, 0, ROWS(constants));
	tcase_add_test(tc, test_moved_field_is_caught);
	tcase_add_test(tc, test_xsd_errors_table);
	tcase_add_test(tc, test_pages_fit);
	suite_add_tcase(s, tc);
	return s;
}
