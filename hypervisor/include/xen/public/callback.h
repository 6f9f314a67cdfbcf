/*
 * callback_op hypercall (30): arg 1 = CALLBACKOP_*, arg 2 = GVA of the
 * struct. Written from Xen's published x86-64 ABI. A PV guest registers
 * here the entry points the hypervisor calls it at; pvx's `pv` platform
 * (pvx/pv.h) knows CALLBACKTYPE_event only: the event upcall.
 */
#ifndef XEN_PUBLIC_CALLBACK_H
#define XEN_PUBLIC_CALLBACK_H

#include <stdint.h>

#define CALLBACKOP_register   0
#define CALLBACKOP_unregister 1

#define CALLBACKTYPE_event      0
#define CALLBACKTYPE_failsafe   1
#define CALLBACKTYPE_syscall    2
#define CALLBACKTYPE_sysenter   3
#define CALLBACKTYPE_nmi        4
#define CALLBACKTYPE_syscall32  7
#define CALLBACKTYPE_sfmask     8

/* Mask events (vcpu_info.evtchn_upcall_mask = 1) on entry to the callback. */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1u << _CALLBACKF_mask_events)

/* On x86-64 a callback is the address of its entry. */
typedef uint64_t xen_callback_t;

/* 16 bytes: type, flags, 4 bytes of padding, address. */
struct callback_register {
	uint16_t type;              /* CALLBACKTYPE_* */
	uint16_t flags;             /* CALLBACKF_* */
	uint32_t _pad;
	xen_callback_t address;
};

/* 4 bytes. */
struct callback_unregister {
	uint16_t type;
	uint16_t _unused;
};

#endif
