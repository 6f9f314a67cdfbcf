/*
 * The core of the Xen guest ABI as pvx implements it: hypercall numbers,
 * domain ids, virtual IRQs, and the shared_info / vcpu_info pages through
 * which event channels are delivered.
 *
 * pvx uses Xen's public names so that facts from Xen documentation and from
 * guest sources carry over unchanged. The layouts are the x86_64 ones (see
 * docs/abi.md); tests/unit/abi pins every size and offset a guest relies on.
 * Hypercalls are issued with `out %eax, $PVX_HYPERCALL_PORT` (pvx/abi.h):
 * rax = number, rdi, rsi, rdx, r10, r8 = arguments, result in rax, errors
 * negative XEN_E* values.
 */
#ifndef XEN_PUBLIC_XEN_H
#define XEN_PUBLIC_XEN_H

#include <stdint.h>
#include "arch-x86/xen.h"
#include "errno.h"

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE  (1u << XEN_PAGE_SHIFT)

/* Hypercall numbers. Gaps are numbers Xen never assigned. */
#define __HYPERVISOR_set_trap_table               0
#define __HYPERVISOR_mmu_update                   1
#define __HYPERVISOR_set_gdt                      2
#define __HYPERVISOR_stack_switch                 3
#define __HYPERVISOR_set_callbacks                4
#define __HYPERVISOR_fpu_taskswitch               5
#define __HYPERVISOR_sched_op_compat              6
#define __HYPERVISOR_platform_op                  7
#define __HYPERVISOR_set_debugreg                 8
#define __HYPERVISOR_get_debugreg                 9
#define __HYPERVISOR_update_descriptor           10
#define __HYPERVISOR_memory_op                   12
#define __HYPERVISOR_multicall                   13
#define __HYPERVISOR_update_va_mapping           14
#define __HYPERVISOR_set_timer_op                15
#define __HYPERVISOR_event_channel_op_compat     16
#define __HYPERVISOR_xen_version                 17
#define __HYPERVISOR_console_io                  18
#define __HYPERVISOR_physdev_op_compat           19
#define __HYPERVISOR_grant_table_op              20
#define __HYPERVISOR_vm_assist                   21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                        23
#define __HYPERVISOR_vcpu_op                     24
#define __HYPERVISOR_set_segment_base            25
#define __HYPERVISOR_mmuext_op                   26
#define __HYPERVISOR_xsm_op                      27
#define __HYPERVISOR_nmi_op                      28
#define __HYPERVISOR_sched_op                    29
#define __HYPERVISOR_callback_op                 30
#define __HYPERVISOR_xenoprof_op                 31
#define __HYPERVISOR_event_channel_op            32
#define __HYPERVISOR_physdev_op                  33
#define __HYPERVISOR_hvm_op                      34
#define __HYPERVISOR_sysctl                      35
#define __HYPERVISOR_domctl                      36
#define __HYPERVISOR_kexec_op                    37
#define __HYPERVISOR_tmem_op                     38
#define __HYPERVISOR_argo_op                     39
#define __HYPERVISOR_xenpmu_op                   40
#define __HYPERVISOR_dm_op                       41
#define __HYPERVISOR_hypfs_op                    42
/* 43..47 unassigned; 48..55 belong to the architecture (arch-x86/xen.h). */
#define __HYPERVISOR_arch_0                      48
#define __HYPERVISOR_arch_1                      49
#define __HYPERVISOR_arch_2                      50
#define __HYPERVISOR_arch_3                      51
#define __HYPERVISOR_arch_4                      52
#define __HYPERVISOR_arch_5                      53
#define __HYPERVISOR_arch_6                      54
#define __HYPERVISOR_arch_7                      55
/* 56..63 unassigned. A dispatch table indexed by number has this many rows. */
#define XEN_NR_HYPERCALLS                        64

/* Old name of platform_op. */
#define __HYPERVISOR_dom0_op __HYPERVISOR_platform_op

/* Virtual IRQs, bound to event channels with EVTCHNOP_bind_virq. */
#define VIRQ_TIMER       0  /* per vCPU: timeout from set_timer_op */
#define VIRQ_DEBUG       1  /* per vCPU: debug request from the console */
#define VIRQ_CONSOLE     2  /* global: bytes arrived for the hypervisor console */
#define VIRQ_DOM_EXC     3  /* global: a domain exited or crashed */
#define VIRQ_TBUF        4  /* global: trace buffer needs draining */
#define VIRQ_DEBUGGER    6  /* global: a domain paused for the debugger */
#define VIRQ_XENOPROF    7  /* per vCPU: oprofile buffer needs draining */
#define VIRQ_CON_RING    8  /* global: the hypervisor console ring has data */
#define VIRQ_PCPU_STATE  9  /* global: a physical CPU went on/offline */
#define VIRQ_MEM_EVENT  10  /* global: memory event ring has work */
#define VIRQ_ARGO       11  /* global: argo interdomain message */
#define VIRQ_ENOMEM     12  /* global: low on heap memory */
#define VIRQ_XENPMU     13  /* per vCPU: PMU interrupt */
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/* console_io sub-operations: (cmd, count, buffer GVA). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* vm_assist commands and types (PV only; pvx answers -ENOSYS). */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_4gb_segments         0
#define VMASST_TYPE_4gb_segments_notify  1
#define VMASST_TYPE_writable_pagetables  2
#define VMASST_TYPE_pae_extended_cr3     3
#define VMASST_TYPE_architectural_iopl   4
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_m2p_strict          32

/* Scalar types used throughout the ABI. */
typedef uint16_t domid_t;
typedef uint32_t evtchn_port_t;
typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;
typedef uint8_t xen_domain_handle_t[16];

/* Domain ids at and above DOMID_FIRST_RESERVED name no real domain. */
#define DOMID_FIRST_RESERVED 0x7FF0u
#define DOMID_SELF           0x7FF0u /* the calling domain */
#define DOMID_IO             0x7FF1u /* owner of I/O memory */
#define DOMID_XEN            0x7FF2u /* owner of hypervisor memory */
#define DOMID_COW            0x7FF3u /* owner of shared (copy-on-write) pages */
#define DOMID_INVALID        0x7FF4u /* "no domain" */
#define DOMID_IDLE           0x7FFFu /* the idle domain */
#define DOMID_MASK           0x7FFFu

/* One entry of a multicall batch: 64 bytes. */
struct multicall_entry {
	xen_ulong_t op;
	xen_long_t result;
	xen_ulong_t args[6];
};

/*
 * pvclock: system time = system_time + ((tsc - tsc_timestamp) scaled by
 * tsc_to_system_mul >> 32, pre-shifted by tsc_shift). version is odd while
 * the writer updates the record. 32 bytes.
 */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad1[2];
};
#define XEN_PVCLOCK_TSC_STABLE_BIT (1u << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1u << 1)

/*
 * Per-vCPU event state, 64 bytes. The hypervisor sets a bit in
 * evtchn_pending_sel for each word of shared_info.evtchn_pending that may
 * hold a pending, unmasked port, then sets evtchn_upcall_pending and
 * raises the upcall. The guest clears both.
 */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t pad0[6];
	xen_ulong_t evtchn_pending_sel;
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};

#define MAX_VIRT_CPUS XEN_LEGACY_MAX_VCPUS

/*
 * The shared_info page (3136 of its 4096 bytes used). The 2-level event
 * channel ABI keeps one pending and one mask bit per port here: 64 words of
 * 64 bits, 4096 ports. wc_* is the wallclock at system time 0.
 */
struct shared_info {
	struct vcpu_info vcpu_info[MAX_VIRT_CPUS];
	xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
	xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};

/* start_info / hvm_start_info flags (SIF_*). */
#define SIF_PRIVILEGED      (1u << 0) /* privileged domain */
#define SIF_INITDOMAIN      (1u << 1) /* the initial (control) domain */
#define SIF_MULTIBOOT_MOD   (1u << 2) /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN   (1u << 3) /* mod_start is a PFN, not a VA */
#define SIF_VIRT_P2M_4TOOLS (1u << 4) /* p2m is mapped virtually */
#define SIF_PM_MASK         (0xFFu << 8)

#endif /* XEN_PUBLIC_XEN_H */
