/*
 * Shared by the ring test suites: a small test protocol declared with
 * PVX_RING_DEFINE, and page-aligned ring memory.
 */
#ifndef TESTS_UNIT_RING_RING_TEST_H
#define TESTS_UNIT_RING_RING_TEST_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ring.h>

struct t_req {
	uint64_t id;
	uint64_t payload;
	uint32_t nr;      /* a field a consumer would bound-check */
	uint32_t pad;
};

struct t_rsp {
	uint64_t id;
	uint64_t value;
};

PVX_RING_DEFINE(t, struct t_req, struct t_rsp)

#define T_PAGE 4096

/* Zeroed, page-aligned memory for a ring of `pages` pages. */
static inline void *t_ring_alloc(size_t pages)
{
	void *p = aligned_alloc(T_PAGE, pages * T_PAGE);

	ck_assert_ptr_nonnull(p);
	memset(p, 0, pages * T_PAGE);
	return p;
}

Suite *make_ring_suite(void);
Suite *make_ring_stress_suite(void);

#endif
