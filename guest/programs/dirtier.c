/*
 * dirtier RATE_MIB [SET_MIB] [SECONDS]: dirties memory at a set rate, for
 * the live-migration tests and benchmarks (docs/minios.md "Suspend and
 * resume"). It allocates a working set of SET_MIB MiB (default 64, or
 * what is free less 2 MiB; at most 1 GiB) and writes one word into
 * RATE_MIB * 256 distinct pages a second, walking the set round robin in
 * 10 ms slices, so a migration's dirty log sees RATE_MIB MiB/s of
 * distinct pages as long as a round is shorter than SET / RATE. RATE 0:
 * only the once-a-second line. Every second:
 *     dirtier: T s, D MiB dirtied, R.R MiB/s (target RATE), set S MiB
 * and with SECONDS (0 or absent: forever) PASS at the end. Each write
 * stores the pass number, and the whole set is checked every full pass
 * ("dirtier: check FAIL page P ..." on a mismatch): memory that a
 * migration lost shows up. Its loops are preemption points
 * (sched_preempt_point): the guest answers the toolstack while it runs.
 */
#include <xen/public/errno.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/pages.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "programs.h"

#define DT_MAX_PAGES (1u << 18)       /* 1 GiB */
#define DT_SLICE_NS  10000000ull
#define DT_RESERVE   512              /* pages left to the rest of minios */

static uint32_t gfns[DT_MAX_PAGES];
static unsigned nset;

static uint64_t *page_of(unsigned i)
{
	return (uint64_t *)((uintptr_t)gfns[i] << XEN_PAGE_SHIFT);
}

static unsigned alloc_set(uint64_t want_pages)
{
	while (nset < want_pages && nset < DT_MAX_PAGES) {
		void *p = page_alloc();

		if (!p)
			break;
		gfns[nset] = (uint32_t)((uintptr_t)p >> XEN_PAGE_SHIFT);
		memset(p, 0, XEN_PAGE_SIZE);
		sched_preempt_point();
		nset++;
	}
	return nset;
}

/* After a full pass every page of the set holds that pass's number
 * (pages before upto: pass, the rest: pass - 1). */
static int check_set(uint64_t pass, unsigned upto)
{
	for (unsigned i = 0; i < nset; i++) {
		uint64_t w = READ_ONCE(page_of(i)[0]), want = i < upto ? pass : pass - 1;

		if (i % 256 == 0)
			sched_preempt_point();
		if (pass > 0 && w != want) {
			printk("dirtier: check FAIL page %u holds pass %llu, expected %llu\n", i,
			       (unsigned long long)w, (unsigned long long)want);
			return -1;
		}
	}
	return 0;
}

int prog_dirtier(int argc, char **argv)
{
	struct pages_stats ps;
	uint64_t rate, set_mib, secs, want, t0, next_line, next_slice, round = 1, dirtied = 0;
	uint64_t carry = 0, per_slice_x100;
	unsigned pos = 0, failures = 0;

	if (argc < 2 || arg_u64(argc, argv, 1, 0, &rate) < 0 ||
	    arg_u64(argc, argv, 2, 64, &set_mib) < 0 || arg_u64(argc, argv, 3, 0, &secs) < 0 ||
	    set_mib == 0 || set_mib > 1024 || rate > 100000)
		return fail("dirtier: usage: dirtier RATE_MIB [SET_MIB 1..1024] [SECONDS]");
	pages_stats(&ps);
	want = set_mib * 256;
	if (ps.free > DT_RESERVE && want > ps.free - DT_RESERVE)
		want = ps.free - DT_RESERVE;
	if (alloc_set(want) == 0)
		return fail("dirtier: no free memory for a working set");
	printk("dirtier: rate %llu MiB/s over a set of %u MiB (%u pages)\n",
	       (unsigned long long)rate, nset / 256, nset);
	per_slice_x100 = rate * 256; /* pages per 10 ms slice, times 100 */
	t0 = time_now_ns();
	next_line = t0 + 1000000000ull;
	next_slice = t0;
	while (!secs || time_now_ns() < t0 + secs * 1000000000ull) {
		uint64_t n;

		carry += per_slice_x100;
		n = carry / 100;
		carry %= 100;
		for (uint64_t k = 0; k < n; k++) {
			/* Under a dirty log each first write faults: a slice
			 * can take 30 ms and the loop runs behind, never
			 * sleeping; the control thread must still get in. */
			sched_preempt_point();
			WRITE_ONCE(page_of(pos)[0], round);
			dirtied++;
			if (++pos == nset) {
				failures += check_set(round, nset) < 0;
				pos = 0;
				round++;
			}
		}
		if (time_now_ns() >= next_line) {
			uint64_t t = time_now_ns() - t0;

			printk("dirtier: %llu s, %llu MiB dirtied, %llu.%llu MiB/s (target %llu), set %u MiB\n",
			       (unsigned long long)(t / 1000000000ull),
			       (unsigned long long)(dirtied / 256),
			       (unsigned long long)(dirtied * 10 * 1000000000ull / 256 / t / 10),
			       (unsigned long long)(dirtied * 10 * 1000000000ull / 256 / t % 10),
			       (unsigned long long)rate, nset / 256);
			next_line += 1000000000ull;
		}
		next_slice += DT_SLICE_NS;
		if (time_now_ns() < next_slice)
			thread_sleep_until(next_slice);
		else
			next_slice = time_now_ns(); /* behind: no burst to catch up */
	}
	if (failures)
		return fail("dirtier: %u check(s) failed", failures);
	return pass("dirtier %llu MiB/s for %llu s", (unsigned long long)rate,
		    (unsigned long long)secs);
}
