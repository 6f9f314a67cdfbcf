/*
 * Layout of a Xen shared I/O ring (the wire format only).
 *
 * A shared ring is one or more contiguous pages: a 64-byte header, then an
 * array of entries. Each entry is a union of the protocol's request and
 * response structs; the number of entries is the largest power of two that
 * fits after the header. The four indices are free-running 32-bit
 * counters, reduced modulo the entry count only when a slot is addressed:
 *
 *   req_prod   written by the front end: requests published so far
 *   req_event  written by the back end: "notify me when req_prod passes this"
 *   rsp_prod   written by the back end: responses published so far
 *   rsp_event  written by the front end: "notify me when rsp_prod passes this"
 *
 * The producer/consumer logic, barriers and overflow checks live in
 * pv-drivers/include/pvx/ring.h, which declares typed rings with exactly
 * this header.
 */
#ifndef XEN_PUBLIC_IO_RING_H
#define XEN_PUBLIC_IO_RING_H

#include <stdint.h>

typedef uint32_t RING_IDX;

/* Bytes before the first entry. */
#define XEN_SRING_HDR_SIZE 64

/* The shared header, 64 bytes. Entries start right after it. */
struct xen_sring_hdr {
	RING_IDX req_prod, req_event;
	RING_IDX rsp_prod, rsp_event;
	uint8_t __pad[48];
};

#endif /* XEN_PUBLIC_IO_RING_H */
