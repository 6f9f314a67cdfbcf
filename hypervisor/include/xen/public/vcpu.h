/*
 * vcpu_op hypercall (24): arg 1 = VCPUOP_*, arg 2 = target vCPU id (may
 * differ from the caller: Linux registers an AP's vcpu_info from the BSP),
 * arg 3 = GVA of the struct.
 */
#ifndef XEN_PUBLIC_VCPU_H
#define XEN_PUBLIC_VCPU_H

#include <stdint.h>
#include "xen.h"

#define VCPUOP_initialise                      0
#define VCPUOP_up                              1
#define VCPUOP_down                            2
#define VCPUOP_is_up                           3
#define VCPUOP_get_runstate_info               4
#define VCPUOP_register_runstate_memory_area   5
#define VCPUOP_set_periodic_timer              6
#define VCPUOP_stop_periodic_timer             7
#define VCPUOP_set_singleshot_timer            8
#define VCPUOP_stop_singleshot_timer           9
#define VCPUOP_register_vcpu_info             10
#define VCPUOP_send_nmi                       11
#define VCPUOP_get_physid                     12
#define VCPUOP_register_vcpu_time_memory_area 13

#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

/* Set in state_entry_time while the hypervisor updates the record. */
#define XEN_RUNSTATE_UPDATE (1ull << 63)

/* 48 bytes. */
struct vcpu_runstate_info {
	int32_t state;              /* RUNSTATE_* */
	uint32_t pad;
	uint64_t state_entry_time;  /* system time ns */
	uint64_t time[4];           /* ns spent in each RUNSTATE_* */
};

/* 8 bytes: GVA of a struct vcpu_runstate_info. */
struct vcpu_register_runstate_memory_area {
	union {
		XEN_GUEST_HANDLE(struct vcpu_runstate_info) h;
		uint64_t p;
	} addr;
};

/* 8 bytes. */
struct vcpu_set_periodic_timer {
	uint64_t period_ns;
};

/* 16 bytes. timeout_abs_ns is in system time. */
struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;
	uint32_t flags;   /* VCPU_SSHOTTMR_* */
	uint32_t pad;
};
#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future (1u << _VCPU_SSHOTTMR_future) /* -ETIME if in the past */

/*
 * Move this vCPU's vcpu_info out of shared_info to frame mfn (a gfn on
 * HVM/PVH) at offset. The 64-byte area must not cross a page. 16 bytes.
 */
struct vcpu_register_vcpu_info {
	uint64_t mfn;
	uint32_t offset;
	uint32_t rsvd;
};

/* 8 bytes. */
struct vcpu_get_physid {
	uint64_t phys_id;
};
#define XEN_VCPU_PHYSID_APICID(id) ((uint32_t)(id))
#define XEN_VCPU_PHYSID_ACPIID(id) ((uint32_t)((id) >> 32))

/* 8 bytes: GVA of a struct vcpu_time_info. */
struct vcpu_register_time_memory_area {
	union {
		XEN_GUEST_HANDLE(struct vcpu_time_info) h;
		uint64_t p;
	} addr;
};

#endif /* XEN_PUBLIC_VCPU_H */
