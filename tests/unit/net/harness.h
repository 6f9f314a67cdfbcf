/* unit-net: suites of libpvxnetback, the fake grant mapper, the ring bench. */
#ifndef PVX_TEST_NET_HARNESS_H
#define PVX_TEST_NET_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../../pv-drivers/net/back/netback.h"

Suite *make_validate_suite(void);
Suite *make_csum_suite(void);
Suite *make_fsm_suite(void);
Suite *make_tx_suite(void);
Suite *make_rx_suite(void);

/*
 * A fake frontend domain: FAKE_PAGES pages of "guest memory"; grant ref r
 * (FAKE_REF_BASE <= r < FAKE_REF_BASE + FAKE_PAGES) grants page
 * r - FAKE_REF_BASE, read-only if ro[] says so; anything else is not
 * granted (-EPERM). Counts maps, unmaps and batches so tests can prove
 * nothing leaked and that the data path is batched.
 */
#define FAKE_PAGES 600
#define FAKE_REF_BASE 8
struct fake_dom {
	uint8_t *mem;
	bool ro[FAKE_PAGES];
	bool fail_all;          /* the whole round trip fails (-EIO) */
	long maps, unmaps, map_batches, unmap_batches, live;
};
extern const struct netback_gnt_ops fake_gnt_ops;
void fake_dom_init(struct fake_dom *d);
void fake_dom_free(struct fake_dom *d);
uint8_t *fake_page(struct fake_dom *d, grant_ref_t ref);

#endif
