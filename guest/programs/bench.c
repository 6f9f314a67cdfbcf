/*
 * bench-hypercall [N]: N xen_version(XENVER_version) hypercalls through
 * the hypercall page against N bare round trips of the platform's
 * mechanism, both timed with system time, best of three rounds each.
 * Prints ns/op for both and the ratio (the target: <= 1.3).
 * The bare round trip (field bare_out_ns, named after pvh's):
 *   pvh  an `out` to MINIOS_BENCH_PORT, a port no one handles: the raw
 *        cost of an exit to the VMM;
 *   pv   a raw hypercall of an unassigned number (BARE_NR) that pvxd
 *        refuses at once: a seccomp notification round trip with no
 *        work. (An `out` there would fault and end the domain.)
 */
#include <xen/public/version.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/platform.h>
#include <minios/program.h>
#include <minios/time.h>

#include "programs.h"

#define ROUNDS 3
#define BARE_NR 63 /* unassigned in Xen's table (hostile.c relies on it too) */

static uint64_t time_hypercalls(uint64_t n)
{
	uint64_t t0 = time_now_ns(), i;

	for (i = 0; i < n; i++)
		xen_version(XENVER_version, NULL);
	return time_now_ns() - t0;
}

static uint64_t time_bare_outs(uint64_t n)
{
	uint64_t t0 = time_now_ns(), i;

	for (i = 0; i < n; i++)
		__asm__ volatile("out %%al, %0" : : "i"(MINIOS_BENCH_PORT), "a"(0) : "memory");
	return time_now_ns() - t0;
}

static uint64_t time_bare_raw(uint64_t n)
{
	uint64_t t0 = time_now_ns(), i;

	for (i = 0; i < n; i++)
		hypercall_raw(BARE_NR, 0, 0, 0, 0, 0);
	return time_now_ns() - t0;
}

static uint64_t time_clock_reads(uint64_t n)
{
	uint64_t t0 = time_now_ns(), i, sink = 0;

	for (i = 0; i < n; i++)
		sink += time_now_ns();
	__asm__ volatile("" : : "r"(sink));
	return time_now_ns() - t0;
}

static uint64_t best(uint64_t (*fn)(uint64_t), uint64_t n)
{
	uint64_t b = UINT64_MAX;
	int r;

	for (r = 0; r < ROUNDS; r++)
		b = MIN(b, fn(n));
	return b;
}

int prog_bench_hypercall(int argc, char **argv)
{
	uint64_t n, hc, bare, clk, ratio_x1000;

	if (arg_u64(argc, argv, 1, 10000, &n) < 0 || !n || n > 100000000)
		return fail("bench-hypercall: usage: bench-hypercall [N]");
	if (!time_available())
		return fail("bench-hypercall: no clock");
	if (xen_version(XENVER_version, NULL) < 0)
		return fail("bench-hypercall: xen_version fails");
	hc = best(time_hypercalls, n);
	bare = best(platform_is_pvh() ? time_bare_outs : time_bare_raw, n);
	clk = best(time_clock_reads, n);
	ratio_x1000 = bare ? hc * 1000 / bare : 0;
	printk("bench-hypercall: n=%lu hypercall_ns=%lu bare_out_ns=%lu ratio=%lu.%03lu clock_read_ns=%lu.%03lu\n",
	       (unsigned long)n, (unsigned long)(hc / n), (unsigned long)(bare / n),
	       (unsigned long)(ratio_x1000 / 1000), (unsigned long)(ratio_x1000 % 1000),
	       (unsigned long)(clk / n), (unsigned long)(clk * 1000 / n % 1000));
	return pass("bench-hypercall: xen_version %lu ns/op, bare %s %lu ns/op",
		    (unsigned long)(hc / n), platform_is_pvh() ? "out" : "raw hypercall",
		    (unsigned long)(bare / n));
}
