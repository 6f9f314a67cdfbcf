/*
 * grant-ring [N] [BATCH]: ringfront end to end. A one-page ring is
 * granted to Dom0 (gnttab-peer ring answers every request with val + 1);
 * we keep up to BATCH requests in flight, push them with the hold-off
 * rule and wait for responses with the final check, N requests in all,
 * then report how many notifications the pushes needed. Once the peer
 * unmapped the ring, the teardown must revoke it.
 */
#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/ringfront.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "programs.h"

struct gring_msg {
	uint64_t id;
	uint64_t val;
};

#define WAIT_NS 10000000000ull

static struct gring_msg *slot(struct ringfront *rf, RING_IDX i)
{
	struct gring_msg *ents = (void *)((uint8_t *)rf->ring + XEN_SRING_HDR_SIZE);

	return &ents[i & (rf->front.nr_ents - 1)];
}

static void fill(struct ringfront *rf, uint64_t *next, uint64_t n, uint64_t batch)
{
	for (uint64_t k = 0; k < batch && *next < n; k++, (*next)++) {
		int64_t i = pvx_ring_front_claim(&rf->front);

		if (i < 0)
			break;
		*slot(rf, (RING_IDX)i) = (struct gring_msg){ *next, *next * 3 };
	}
	ringfront_push(rf);
}

/* Consumes every response; -1 if one is wrong. */
static int drain(struct ringfront *rf, uint64_t *got)
{
	int avail = pvx_ring_front_unconsumed(&rf->front);

	for (int k = 0; k < avail; k++) {
		struct gring_msg m;

		PVX_RING_COPY_OUT(&m, slot(rf, rf->front.rsp_cons));
		rf->front.rsp_cons++;
		if (m.val != m.id * 3 + 1)
			return -1;
		(*got)++;
	}
	return avail < 0 ? -1 : 0;
}

static int wait_unmapped(const struct ringfront *rf)
{
	uint64_t end = time_now_ns() + WAIT_NS;

	while (gnttab_in_use(rf->refs[0]))
		if (time_now_ns() > end)
			return 0;
		else
			thread_sleep_until(time_now_ns() + 1000000);
	return 1;
}

int prog_grant_ring(int argc, char **argv)
{
	static struct ringfront rf;
	uint64_t n, batch, next = 0, got = 0;
	int rc;

	if (arg_u64(argc, argv, 1, 10000, &n) < 0 || arg_u64(argc, argv, 2, 32, &batch) < 0 ||
	    batch == 0)
		return fail("grant-ring: usage: grant-ring [N] [BATCH]");
	rc = ringfront_setup(&rf, 0, 1, sizeof(struct gring_msg));
	if (rc < 0)
		return fail("grant-ring: setup: %d", rc);
	printk("grant-ring: ref %u port %u ents %u\n", rf.refs[0], rf.port, rf.front.nr_ents);
	while (got < n) {
		if (next < n && pvx_ring_front_free_slots(&rf.front) >= MIN(batch, n - next))
			fill(&rf, &next, n, batch);
		rc = ringfront_wait(&rf, time_now_ns() + WAIT_NS);
		if (rc <= 0)
			return fail("grant-ring: no responses (%d) after %llu", rc,
				    (unsigned long long)got);
		if (drain(&rf, &got) < 0)
			return fail("grant-ring: bad response after %llu", (unsigned long long)got);
	}
	printk("grant-ring: %llu requests, %llu pushes, %llu notifications\n",
	       (unsigned long long)n, (unsigned long long)rf.pushes,
	       (unsigned long long)rf.notifies);
	if (!wait_unmapped(&rf))
		return fail("grant-ring: the peer never unmapped the ring");
	rc = ringfront_teardown(&rf);
	if (rc < 0)
		return fail("grant-ring: teardown: %d", rc);
	return pass("grant-ring: %llu requests answered, ring revoked", (unsigned long long)n);
}
