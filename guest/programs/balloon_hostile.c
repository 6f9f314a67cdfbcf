/*
 * balloon-hostile [ROUNDS]: floods the balloon hypercalls
 * (decrease_reservation, populate_physmap, increase_reservation) with
 * bad arguments: huge extent orders and counts, unreadable extent lists,
 * gfns outside RAM, in the special pages, on shared_info, unaligned,
 * twice in one list, already in or already out, other domains, a wild
 * continuation start. Each row must give Xen's answer (an errno, or the
 * count of extents done before the bad one) and leave the reservation
 * as it was. Then one page really goes out and back: it must read zero.
 * PASS only if every row answered as expected ROUNDS times (default 200)
 * and the guest still allocates.
 */
#include <xen/public/errno.h>
#include <xen/public/memory.h>
#include <xen/public/xen.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/pages.h>
#include <minios/program.h>
#include <minios/time.h>

#include "programs.h"

#define NONCANON 0x8000000000000000ull
#define UNMAPPED 0x40000000ull
#define ANY_NEG  (-1000)          /* any negative errno will do */

static uint64_t list_bad[8] __attribute__((aligned(64)));
static uint64_t list_dup[2], list_own[1];

struct row {
	const char *name;
	unsigned cmd;
	struct xen_memory_reservation r;
	long want;
};

#define RES(list, n, order, dom) \
	{ .extent_start = (uint64_t)(uintptr_t)(list), .nr_extents = (n), \
	  .extent_order = (order), .domid = (dom) }

static struct row rows[] = {
	{ "order 10", XENMEM_decrease_reservation, RES(list_own, 1, 10, DOMID_SELF), -XEN_EINVAL },
	{ "order 2^31", XENMEM_populate_physmap, RES(list_own, 1, 1u << 31, DOMID_SELF), -XEN_EINVAL },
	{ "2^63 extents", XENMEM_decrease_reservation, RES(list_bad, 1ull << 63, 0, DOMID_SELF), 0 },
	{ "list unmapped", XENMEM_decrease_reservation, RES(UNMAPPED, 1, 0, DOMID_SELF), 0 },
	{ "list non-canonical", XENMEM_populate_physmap, RES(NONCANON, 1u << 20, 0, DOMID_SELF), 0 },
	{ "gfns beyond RAM", XENMEM_decrease_reservation, RES(list_bad, 1, 0, DOMID_SELF), 0 },
	{ "special page", XENMEM_decrease_reservation, RES(list_bad + 1, 1, 0, DOMID_SELF), 0 },
	{ "shared_info", XENMEM_decrease_reservation, RES(list_bad + 2, 1, 0, DOMID_SELF), 0 },
	{ "unaligned order 1", XENMEM_decrease_reservation, RES(list_bad + 3, 1, 1, DOMID_SELF), 0 },
	{ "gfn 2^60", XENMEM_populate_physmap, RES(list_bad + 4, 1, 0, DOMID_SELF), 0 },
	{ "populate a page in use", XENMEM_populate_physmap, RES(list_own, 1, 0, DOMID_SELF), 0 },
	{ "increase a page in use", XENMEM_increase_reservation, RES(list_own, 1, 0, DOMID_SELF), 0 },
	{ "other domain", XENMEM_decrease_reservation, RES(list_own, 1, 0, 0), ANY_NEG },
	{ "domid 0x7FF1", XENMEM_populate_physmap, RES(list_own, 1, 0, 0x7FF1), ANY_NEG },
	{ "start extent past the end", XENMEM_decrease_reservation | (5u << 6),
	  RES(list_own, 1, 0, DOMID_SELF), 5 },
};

static long current(void)
{
	domid_t self = DOMID_SELF;

	return memory_op(XENMEM_current_reservation, &self);
}

static int ok(long got, long want)
{
	return want == ANY_NEG ? got < 0 : got == want;
}

/* One page out twice in one list and back twice: one of each counts. */
static int dup_and_zero(uint8_t *page)
{
	struct xen_memory_reservation r = RES(list_dup, 2, 0, DOMID_SELF);
	long a, b;

	memset(page, 0x5A, XEN_PAGE_SIZE);
	list_dup[0] = list_dup[1] = (uint64_t)(uintptr_t)page / XEN_PAGE_SIZE;
	a = memory_op(XENMEM_decrease_reservation, &r);
	b = memory_op(XENMEM_populate_physmap, &r);
	if (a != 1 || b != 1) {
		printk("balloon-hostile: duplicate gfn: decrease %ld, populate %ld (want 1, 1)\n", a, b);
		return -1;
	}
	for (unsigned i = 0; i < XEN_PAGE_SIZE; i++)
		if (page[i]) {
			printk("balloon-hostile: a repopulated page is not zero at %u\n", i);
			return -1;
		}
	return 0;
}

int prog_balloon_hostile(int argc, char **argv)
{
	uint64_t n, t0, bad = 0;
	uint8_t *page = page_alloc();
	long before = current();

	if (arg_u64(argc, argv, 1, 200, &n) < 0)
		return fail("balloon-hostile: ROUNDS must be a number");
	if (!page || before <= 0)
		return fail("balloon-hostile: no page (%ld)", before);
	list_own[0] = (uint64_t)(uintptr_t)page / XEN_PAGE_SIZE;
	list_bad[0] = 0x3FFFF;                                 /* far above RAM */
	list_bad[1] = 0xFEFF8;                                 /* console ring */
	list_bad[2] = (uint64_t)(uintptr_t)shared_info / XEN_PAGE_SIZE;
	list_bad[3] = list_own[0] | 1;                         /* odd: unaligned */
	list_bad[4] = 1ull << 60;
	t0 = time_now_ns();
	for (uint64_t k = 0; k < n; k++)
		for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
			long got = memory_op((int)rows[i].cmd, &rows[i].r);

			if (!ok(got, rows[i].want) && bad++ < 20)
				printk("balloon-hostile: %s: got %ld, want %ld\n",
				       rows[i].name, got, rows[i].want);
		}
	printk("balloon-hostile: %lu bad calls in %lu ms\n",
	       (unsigned long)(n * ARRAY_SIZE(rows)),
	       (unsigned long)((time_now_ns() - t0) / 1000000));
	if (current() != before)
		return fail("balloon-hostile: reservation moved: %ld -> %ld", before, current());
	if (bad || dup_and_zero(page) < 0)
		return fail("balloon-hostile: %lu answers were wrong", (unsigned long)bad);
	if (current() != before)
		return fail("balloon-hostile: reservation moved: %ld -> %ld", before, current());
	page_free(page);
	page = page_alloc();
	if (!page)
		return fail("balloon-hostile: cannot allocate afterwards");
	page_free(page);
	return pass("balloon-hostile: %lu rows x %lu rounds, reservation %ld pages",
		    (unsigned long)ARRAY_SIZE(rows), (unsigned long)n, before);
}
