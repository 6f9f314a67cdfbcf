/*
 * pvx's block protocol contract: what blkfront (minios, or Linux's own
 * xen-blkfront) and pvx-blkback agree on. The wire structs are Xen's, from
 * <xen/public/io/blkif.h>; this header adds the xenstore contract, the
 * ring type and the limits pvx-blkback enforces. Freestanding: guests and
 * host code both include it.
 *
 * Xenstore keys (D = frontend domid, V = virtual device number, xvda =
 * (202 << 8) | 0 = 51712; F = /local/domain/D/device/vbd/V,
 * B = /local/domain/0/backend/vbd/D/V):
 *
 *   toolstack  F/{backend=B, backend-id=0, state=1, virtual-device=V,
 *              device-type=disk}      (guest may write F, backend reads it)
 *              B/{frontend=F, frontend-id=D, online=1, state=1, params=PATH,
 *              type=file|phy, mode=r|w, dev=xvdX, device-type=disk,
 *              removable=0, bootable=1, direct-io=0|1}   (guest may read B)
 *   backend    B/{max-ring-page-order, multi-queue-max-queues,
 *              feature-flush-cache=1, feature-barrier=1, feature-discard=1,
 *              discard-granularity, discard-secure=0, feature-persistent=1,
 *              feature-max-indirect-segments}, then B/state=2 (InitWait)
 *   frontend   F/{ring-ref | ring-page-order + ring-ref0..N-1,
 *              event-channel, protocol=x86_64-abi, feature-persistent},
 *              in one transaction, then F/state=3 (Initialised)
 *   backend    maps the ring, binds the port, writes B/{sectors (512-byte
 *              units), sector-size=512, physical-sector-size, info (VDISK_*)},
 *              then B/state=4 (Connected)
 *   frontend   reads them, F/state=4
 *
 * State diagram (either side may start the teardown):
 *
 *   BE: 1 --features--> 2 --FE=3 (or 4), ring mapped--> 4
 *       any --FE=5/6 or F gone--> 5 (I/O drained, ring unmapped) --> 6
 *       6 --FE back to 1 (reconnect)--> 2;  B removed --> device freed
 *   FE: 1 --BE=2, ring granted--> 3 --BE=4--> 4 --> 5 --BE=6--> 6
 *
 * Requests (sector numbers are always 512-byte units, whatever the disk's
 * sector-size):
 *   READ/WRITE       1..11 segments; segment i covers sectors
 *                    first_sect..last_sect (0..7) of page gref; the segments'
 *                    sectors are contiguous on disk from sector_number.
 *   WRITE_BARRIER    a write that completes only after every earlier
 *                    request, and is durable when acknowledged.
 *   FLUSH_DISKCACHE  0..11 segments (data as for WRITE, then fdatasync);
 *                    once acknowledged, every write acknowledged before it
 *                    is on stable storage.
 *   DISCARD          sector_number, nr_sectors; flag BLKIF_DISCARD_SECURE is
 *                    refused (EOPNOTSUPP) since discard-secure=0.
 *   INDIRECT         READ/WRITE with 1..feature-max-indirect-segments
 *                    segments listed in up to 8 granted pages.
 * Every request gets exactly one response with its id and operation;
 * status BLKIF_RSP_OKAY, _ERROR (malformed, bad grant, I/O error, read-only
 * disk) or _EOPNOTSUPP (operation not offered).
 *
 * x86_64 layout: request 112 bytes, response 16, a 4 KiB ring 32 entries.
 */
#ifndef PVX_BLKIF_H
#define PVX_BLKIF_H

#include <stdint.h>
#include <xen/public/io/blkif.h>
#include <pvx/ring.h>

/* Any request as it sits in a ring slot: read `operation` to pick a view. */
union blkif_any_request {
	uint8_t operation;
	struct blkif_request rw;
	struct blkif_request_discard discard;
	struct blkif_request_indirect indirect;
};
_Static_assert(sizeof(union blkif_any_request) == 112, "blkif request is 112 bytes");

PVX_RING_DEFINE(blkif, union blkif_any_request, struct blkif_response)

#define BLKIF_PROTOCOL_X86_64      "x86_64-abi"
#define BLKIF_SECTOR_SHIFT         9
#define BLKIF_SECTORS_PER_PAGE     (XEN_PAGE_SIZE >> BLKIF_SECTOR_SHIFT)

/* What pvx-blkback offers. */
/*
 * pvx-blkback's statistics socket, <rundir>/blkback.sock (SOCK_STREAM),
 * netback.sock's protocol: the client writes "stats\n", the daemon answers
 * one line per vbd, then an empty line, then closes:
 *   domid=D devid=V state=S queues=Q rd_reqs=.. wr_reqs=.. rd_bytes=..
 *   wr_bytes=.. requests=.. errors=..
 * (one line, space-separated key=value, summed over the vbd's rings;
 * rd/wr count the reads and writes the backend accepted and started, and
 * their data bytes; requests counts every request taken off the rings,
 * flushes, discards and malformed ones included). The counters keep
 * growing across frontend reconnects for as long as the vbd exists (a
 * restarted pvx-blkback starts them at 0). Unknown keys must be ignored
 * by readers.
 */
#define PVX_BLK_CTL_SOCK           "blkback.sock"

#define PVX_BLK_MAX_RING_ORDER     4   /* up to 16 ring pages */
#define PVX_BLK_MAX_QUEUES         4
#define PVX_BLK_MAX_INDIRECT_SEGS  256 /* 1 MiB per request */
#define PVX_BLK_MAX_SEGS           PVX_BLK_MAX_INDIRECT_SEGS
#define PVX_BLK_MAX_PERSISTENT     2048 /* mapped grants kept per ring */

/* Virtual device numbers (xen-vbd-interface): xvd[a-o] partition 0. */
#define PVX_BLK_XVD_MAJOR          202
#define PVX_BLK_VDEV_XVD(disk)     ((PVX_BLK_XVD_MAJOR << 8) | ((disk) << 4))

#endif /* PVX_BLKIF_H */
