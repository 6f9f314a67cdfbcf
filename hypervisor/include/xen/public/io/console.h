/*
 * The PV console ring page (HVM_PARAM_CONSOLE_PFN, kicked through
 * HVM_PARAM_CONSOLE_EVTCHN). Two byte rings with free-running 32-bit
 * indices: `out` carries guest output to the backend, `in` carries input to
 * the guest. An index is reduced into its ring with MASK_XENCONS_IDX. A
 * consumer must check prod - cons <= sizeof(ring) before trusting prod.
 */
#ifndef XEN_PUBLIC_IO_CONSOLE_H
#define XEN_PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

/* 3088 bytes. */
struct xencons_interface {
	char in[1024];               /* backend -> guest */
	char out[2048];              /* guest -> backend */
	XENCONS_RING_IDX in_cons, in_prod;
	XENCONS_RING_IDX out_cons, out_prod;
};

#endif /* XEN_PUBLIC_IO_CONSOLE_H */
