/*
 * The PV block protocol (xen-blkfront / pvx's block backend).
 *
 * Xenstore keys, D = frontend domid, V = virtual device number
 * (51712 = xvda = (202 << 8) | 0):
 *   toolstack writes  device/vbd/V/{backend, backend-id, state=1,
 *                     virtual-device=V, device-type=disk}
 *                     and the backend dir /local/domain/0/backend/vbd/D/V
 *                     with {frontend, frontend-id, state=1}
 *   backend writes    feature-* (optional), then state=2 (InitWait)
 *   frontend writes   ring-ref, event-channel, protocol=x86_64-abi,
 *                     then state=3 (Initialised)
 *   backend maps the ring, binds the port, writes sectors (512-byte units),
 *                     info (VDISK_*), sector-size, then state=4 (Connected)
 *   frontend          state=4; teardown goes 5 (Closing) -> 6 (Closed).
 *
 * The ring (io/ring.h layout) carries struct blkif_request one way and
 * struct blkif_response back; a 4 KiB ring holds 32 entries of 112 bytes.
 * Each segment names a granted page and the 512-byte sectors used in it.
 */
#ifndef XEN_PUBLIC_IO_BLKIF_H
#define XEN_PUBLIC_IO_BLKIF_H

#include <stdint.h>
#include "../xen.h"
#include "ring.h"

typedef uint16_t blkif_vdev_t;
typedef uint64_t blkif_sector_t;

#define BLKIF_OP_READ             0
#define BLKIF_OP_WRITE            1
#define BLKIF_OP_WRITE_BARRIER    2 /* if feature-barrier */
#define BLKIF_OP_FLUSH_DISKCACHE  3 /* if feature-flush-cache */
#define BLKIF_OP_RESERVED_1       4
#define BLKIF_OP_DISCARD          5 /* if feature-discard */
#define BLKIF_OP_INDIRECT         6 /* if feature-max-indirect-segments */

#define BLKIF_MAX_SEGMENTS_PER_REQUEST      11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

/* One page of a request: sectors first_sect..last_sect (inclusive) of gref. 8 bytes. */
struct blkif_request_segment {
	grant_ref_t gref;
	uint8_t first_sect, last_sect;
	uint8_t pad[2];
};
#define BLKIF_SEGS_PER_INDIRECT_FRAME \
	(XEN_PAGE_SIZE / sizeof(struct blkif_request_segment))

/* 112 bytes. */
struct blkif_request {
	uint8_t operation;        /* BLKIF_OP_* */
	uint8_t nr_segments;      /* 1..BLKIF_MAX_SEGMENTS_PER_REQUEST (0 for flush) */
	blkif_vdev_t handle;      /* only for multi-device backends */
	uint32_t pad;
	uint64_t id;              /* echoed in the response */
	blkif_sector_t sector_number; /* start sector on disk */
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/* BLKIF_OP_DISCARD, sharing the first 24 bytes with blkif_request. */
struct blkif_request_discard {
	uint8_t operation;
	uint8_t flag;             /* BLKIF_DISCARD_* */
	blkif_vdev_t handle;
	uint32_t pad;
	uint64_t id;
	blkif_sector_t sector_number;
	uint64_t nr_sectors;
};
#define BLKIF_DISCARD_SECURE (1u << 0)

/* BLKIF_OP_INDIRECT: segments live in granted pages. */
struct blkif_request_indirect {
	uint8_t operation;        /* BLKIF_OP_INDIRECT */
	uint8_t indirect_op;      /* READ or WRITE */
	uint16_t nr_segments;
	uint32_t pad;
	uint64_t id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	uint16_t pad2;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};

/* 16 bytes. */
struct blkif_response {
	uint64_t id;              /* copied from the request */
	uint8_t operation;        /* copied from the request */
	uint8_t pad;
	int16_t status;           /* BLKIF_RSP_* */
	uint32_t pad2;
};

#define BLKIF_RSP_EOPNOTSUPP (-2)
#define BLKIF_RSP_ERROR      (-1)
#define BLKIF_RSP_OKAY         0

/* Bits of the backend's `info` node. */
#define VDISK_CDROM     0x1
#define VDISK_REMOVABLE 0x2
#define VDISK_READONLY  0x4

#endif /* XEN_PUBLIC_IO_BLKIF_H */
