/*
 * Grant-table programs (docs/grant-tables.md), each paired with
 * tests/integration/gnttab-peer on the Dom0 side:
 *
 *   grant-share   grant a page to Dom0 and allocate a port for it; print
 *                 both. After the peer's first event: its write must be
 *                 visible and revoking must fail (the page is mapped);
 *                 we write back and notify. After its second event (it
 *                 copied into the page and unmapped): revoking succeeds.
 *   grant-hold [GRANTEE]
 *                 grant a page to GRANTEE (default Dom0), wait until it
 *                 is mapped, then until the mapping is gone (unmapped, or
 *                 its mapper died), then revoke. The destroy test kills
 *                 us while it is mapped; the bad-refs test grants to a
 *                 guest so that Dom0's map of it must be refused.
 */
#include <minios/console.h>
#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "programs.h"

#define STEP_TIMEOUT_NS 30000000000ull
#define HOLD_TIMEOUT_NS 60000000000ull

static uint8_t share_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static int text_at(unsigned off, const char *want)
{
	return memcmp(share_page + off, want, strlen(want) + 1) == 0;
}

static void put_text(unsigned off, const char *s)
{
	memcpy(share_page + off, s, strlen(s) + 1);
}

static int grant_share_page(const char *prog, domid_t to, grant_ref_t *ref)
{
	int rc = gnttab_init();

	if (rc < 0)
		return fail("%s: gnttab_init: %d", prog, rc);
	rc = gnttab_grant_page(to, share_page, 0, ref);
	if (rc < 0)
		return fail("%s: grant: %d", prog, rc);
	return 0;
}

int prog_grant_share(int argc, char **argv)
{
	evtchn_port_t port;
	grant_ref_t ref;
	int rc;

	(void)argc;
	(void)argv;
	put_text(0, "guest:hello");
	if (grant_share_page("grant-share", 0, &ref))
		return 1;
	rc = evtchn_alloc_unbound(0, &port);
	if (rc < 0)
		return fail("grant-share: alloc_unbound: %d", rc);
	printk("grant-share: ref %u port %u refs %u\n", ref, port, gnttab_nr_refs());
	if (!evtchn_wait_until(port, time_now_ns() + STEP_TIMEOUT_NS))
		return fail("grant-share: no event from Dom0");
	if (!text_at(2048, "dom0:hello"))
		return fail("grant-share: Dom0's write is not in the page");
	if (!gnttab_in_use(ref))
		return fail("grant-share: mapped grant not marked busy");
	rc = gnttab_end_access(ref);
	if (rc != -XEN_EBUSY)
		return fail("grant-share: revoking a mapped grant gave %d", rc);
	printk("grant-share: revoke while mapped refused (busy)\n");
	put_text(64, "guest:again");
	evtchn_send(port);
	if (!evtchn_wait_until(port, time_now_ns() + STEP_TIMEOUT_NS))
		return fail("grant-share: no second event from Dom0");
	if (!text_at(3000, "dom0:copy"))
		return fail("grant-share: Dom0's copy is not in the page");
	rc = gnttab_end_access(ref);
	if (rc != 0)
		return fail("grant-share: revoke after unmap gave %d", rc);
	return pass("grant-share: shared both ways, revoke refused while mapped, done after unmap");
}

/* Polls the busy bits until they read `want`; 0 at the deadline. */
static int wait_in_use(grant_ref_t ref, int want, uint64_t timeout_ns)
{
	uint64_t end = time_now_ns() + timeout_ns;

	while (!!gnttab_in_use(ref) != want) {
		if (time_now_ns() > end)
			return 0;
		thread_sleep_until(time_now_ns() + 1000000);
	}
	return 1;
}

int prog_grant_hold(int argc, char **argv)
{
	grant_ref_t ref;
	uint64_t to;
	int rc;

	if (arg_u64(argc, argv, 1, 0, &to) < 0 || to >= DOMID_FIRST_RESERVED)
		return fail("grant-hold: usage: grant-hold [GRANTEE]");
	put_text(0, "hold:data");
	if (grant_share_page("grant-hold", (domid_t)to, &ref))
		return 1;
	printk("grant-hold: ref %u to %u\n", ref, (unsigned)to);
	if (!wait_in_use(ref, 1, HOLD_TIMEOUT_NS))
		return fail("grant-hold: Dom0 never mapped ref %u", ref);
	printk("grant-hold: mapped\n");
	rc = gnttab_end_access(ref);
	if (rc != -XEN_EBUSY)
		return fail("grant-hold: revoke while mapped gave %d", rc);
	if (!wait_in_use(ref, 0, HOLD_TIMEOUT_NS))
		return fail("grant-hold: the mapping never went away");
	rc = gnttab_end_access(ref);
	if (rc != 0)
		return fail("grant-hold: revoke after release gave %d", rc);
	return pass("grant-hold: busy while mapped, revocable once released");
}
