/* unit-blk: suites of pvx-blkback's modules, and the fake grant mapper. */
#ifndef PVX_TEST_BLK_HARNESS_H
#define PVX_TEST_BLK_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../../pv-drivers/blk/back/blkback.h"

Suite *make_validate_suite(void);
Suite *make_gnt_suite(void);
Suite *make_io_suite(void);
Suite *make_ring_suite(void);
Suite *make_fsm_suite(void);
Suite *make_vdev_suite(void);

/*
 * A fake frontend domain: FAKE_PAGES pages of "guest memory", grant ref r
 * (FAKE_REF_BASE <= r < FAKE_REF_BASE + FAKE_PAGES) grants page
 * r - FAKE_REF_BASE; refs in fake_ro are granted read-only; anything else is
 * not granted (-EPERM). Counts maps and unmaps so tests can prove nothing
 * leaked.
 */
#define FAKE_PAGES 1100
#define FAKE_REF_BASE 8
struct fake_dom {
	uint8_t *mem;
	bool ro[FAKE_PAGES];
	long maps, unmaps, map_batches, unmap_batches;
};
extern const struct blkback_gnt_ops fake_gnt_ops, fake_gnt_ops_single;
void fake_dom_init(struct fake_dom *d);
void fake_dom_free(struct fake_dom *d);
void *fake_page(struct fake_dom *d, grant_ref_t ref);

/* An unlinked sparse temp file of the given size; returns its fd. */
int temp_disk(uint64_t bytes);

#endif
