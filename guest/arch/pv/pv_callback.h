/*
 * CALLBACKOP_register (hypercall __HYPERVISOR_callback_op) for pv.c:
 * Xen's xen/public/callback.h where the tree has it (it arrives with
 * pvxd's pv platform), else the same 16-byte layout under private names,
 * so minios builds on either side of that merge. Private header: only
 * guest/arch/pv/ uses it.
 */
#ifndef MINIOS_ARCH_PV_CALLBACK_H
#define MINIOS_ARCH_PV_CALLBACK_H

#include <stdint.h>

#if __has_include(<xen/public/callback.h>)
#include <xen/public/callback.h>
#define PV_CALLBACKOP_register  CALLBACKOP_register
#define PV_CALLBACKTYPE_event   CALLBACKTYPE_event
typedef struct callback_register pv_callback_register_t;
#else
typedef struct {
	uint16_t type;
	uint16_t flags;
	uint32_t pad;
	uint64_t address;
} pv_callback_register_t;
#define PV_CALLBACKOP_register  0
#define PV_CALLBACKTYPE_event   0
#endif

_Static_assert(sizeof(pv_callback_register_t) == 16, "Xen's x86-64 callback_register");

#endif /* MINIOS_ARCH_PV_CALLBACK_H */
