/*
 * Fuzz target for hypercall argument decoding: the real dispatch table
 * (hcall_dispatch and every handler it reaches) called by a guest of the
 * unit tests' fake platform (tests/unit/pvxd/harness.c: guest RAM is a
 * memfd mapped here, paging off so GVA = GPA, no vCPU threads). A second
 * fake domain (domid 8) is there for inter-domain event channels and
 * grant copies. Event channels and grant tables are attached before each
 * input and removed after it, as dom.c does, so LeakSanitizer sees
 * anything a call left behind.
 *
 * The input is a series of calls, each [nr][cmd][sel][b][plen][payload]:
 * nr picks the hypercall, cmd its sub-op (sel bit 5: a large value), the
 * payload is written at SCRATCH (and SCRATCH2) in guest RAM before the
 * call, sel's bits choose arg 1 and arg 2 among a pointer to the scratch
 * area, small numbers, counts and hostile addresses (past RAM, the
 * special pages, non-canonical, the top of memory). Calls that sleep
 * (sched_op yield, block, poll) are not made.
 *
 * Built by tests/fuzz/fuzz.mk as $(O)/fuzz/fuzz_hcall (libFuzzer) and
 * $(O)/tests/fuzz-hcall (tests/fuzz/standalone.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xen/public/sched.h>

#define PVXD_HARNESS_NO_CHECK
#include "../unit/pvxd/harness.h"
#include "evtchn.h"
#include "log.h"
#include "gnttab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SCRATCH  0x2000ull
#define SCRATCH2 0x3000ull
#define PEER 8

static const uint64_t hostile[] = {
	FAKE_RAM - 8, FAKE_RAM, FAKE_RAM - 4096, PVX_SPECIAL_GPA,
	0x00007ffffffff000ull, 0x0000800000000000ull, 0xffff800000000000ull,
	0xfffffffffffff000ull, ~0ull, 0x100000000ull,
};
#define NR_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static uint64_t arg_of(unsigned sel, unsigned b)
{
	switch (sel & 3) {
	case 0:
		return SCRATCH;
	case 1:
		return SCRATCH + (uint64_t)b * 8;
	case 2:
		return b;
	default:
		return hostile[b % NR_HOSTILE];
	}
}

static uint64_t count_of(unsigned sel, unsigned b)
{
	switch (sel & 3) {
	case 0:
		return 1;
	case 1:
		return b;
	case 2:
		return SCRATCH2;
	default:
		return b & 1 ? 0xffffffffull : 0x80000000ull;
	}
}

static bool sleeps(uint64_t nr, uint64_t cmd)
{
	return nr == __HYPERVISOR_sched_op &&
	       (cmd == SCHEDOP_yield || cmd == SCHEDOP_block || cmd == SCHEDOP_poll);
}

static void reset(struct domain *d)
{
	d->stopping = false;
	d->state = PVX_DOM_RUNNING;
	d->shutdown_reason = -1;
	memset(d->vm.xpage, 0, PVX_PAGE_SIZE);
	memset(d->vm.mem, 0, 0x10000);
	if (gnttab_dom_attach(d) < 0 ||
	    evtchn_dom_add(d->domid, d->nr_vcpus, &dom_evtchn_ops, d) < 0)
		abort();
}

static void unset(struct domain *d)
{
	gnttab_dom_detach(d);
	evtchn_dom_remove(d->domid);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct domain *d, *peer;
	size_t at = 0;

	if (!d) {
		log_set_level(LOG_ERR); /* a guest's shutdowns and console flood */
		d = fake_dom_new(2);
		peer = fake_dom_new(1);
		peer->domid = PEER;
	}
	reset(d);
	reset(peer);
	while (size - at >= 5) {
		const uint8_t *r = data + at;
		unsigned sel = r[2], b = r[3], plen = r[4];
		uint64_t nr = r[0] % 48, cmd = sel & 0x20 ? 0x100u * r[1] : r[1] % 32;

		at += 5;
		plen = plen < size - at ? plen : (unsigned)(size - at);
		memcpy(d->vm.mem + SCRATCH, data + at, plen);
		memcpy(d->vm.mem + SCRATCH2, data + at, plen);
		at += plen;
		if (sleeps(nr, cmd))
			continue;
		fake_call(d, nr, cmd, arg_of(sel, b), count_of(sel >> 2, b));
	}
	unset(d);
	unset(peer);
	return 0;
}
