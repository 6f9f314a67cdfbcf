/*
 * The ring test bench shared by test_ring.c and test_ring_inline.c: a
 * frontend built from blkif.h in this process, the real backend ring
 * code, the real io_uring engine on a temp file, and the fake grant
 * mapper.
 */
#ifndef PVX_TEST_BLK_RING_TB_H
#define PVX_TEST_BLK_RING_TB_H

#include "harness.h"

#define DISK_BYTES (4u << 20)

struct tb {
	struct fake_dom d;
	struct blkback_io io;
	int fd;
	struct blkif_sring *sring;
	size_t ring_bytes;
	struct blkif_front_ring fr;
	struct blkback_ring br;
	struct blkback_disk_info info;
	int notified;
};

/* The grant mapper tb_init hands the ring (fake_gnt_ops unless a test
 * switches it before tb_init). */
extern const struct blkback_gnt_ops *tb_ops;
/* Checked fixture of the "inline" case: later tb_init rings do their
 * reads and writes on the calling thread (disk.inline_rw). */
void tb_inline_on(void);
void tb_init(struct tb *t, unsigned pages, bool ro, bool persistent);
void tb_free(struct tb *t);
/* Kicks the backend and runs it until every outstanding request has an
 * answer (a kick may stop at its byte budget: kick again, as the daemon's
 * poll pass does). */
void tb_run(struct tb *t);
struct blkif_response tb_rsp(struct tb *t);
/* A READ/WRITE of nseg whole pages starting at ref0, from sector. */
void rw_req(union blkif_any_request *q, uint8_t op, uint64_t id, uint64_t sector,
	    grant_ref_t ref0, unsigned nseg);
void put(struct tb *t, const union blkif_any_request *q);
/* Puts a 1 MiB indirect request: pages 300..555, their list in page 20. */
void mib_req(struct tb *t, uint8_t op, uint64_t id, uint64_t sector);

/* test_ring_inline.c: the byte-budget test for both cases, the
 * inline-only tests for the inline one. */
void ring_inline_add_tests(TCase *core, TCase *inl);

#endif
