/*
 * balloon-test [SECONDS] [fill [idle]]: allocates, writes and checks pages in
 * rounds while the balloon driver moves the reservation (the toolstack
 * runs `pvx mem-set` meanwhile). With `fill` it first touches every free
 * page once, so the host really holds the guest's memory before it is
 * ballooned out (a fresh guest's memory is mostly never touched). Each
 * round takes up to ROUND pages, writes a pattern that names the page
 * into each, checks all of them and frees them; a wrong word fails the
 * program. Whenever the reservation changes it prints
 *   balloon-test: current=K KiB target=K KiB free=K KiB rounds=N
 * so tests can follow it. PASS after SECONDS (default 30). With `fill
 * idle` it only fills (timed: a guest's first touch, for the benchmark)
 * and then sleeps: a guest that holds memory and costs no CPU.
 */
#include <minios/balloon.h>
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/pages.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "programs.h"

#define ROUND 2048 /* 8 MiB */

static uint64_t *held[ROUND];

static uint64_t pattern(const void *p, unsigned word, uint64_t round)
{
	return (uint64_t)(uintptr_t)p * 31 + word * 7 + round;
}

/* Every free page once: take them all, touch each, free them all. */
static uint64_t fill(void)
{
	uint64_t n = 0;
	uint64_t *p, *head = NULL;

	while ((p = page_alloc())) {
		memset(p, 0xA5, XEN_PAGE_SIZE);
		*p = (uint64_t)(uintptr_t)head; /* chain them through the pages */
		head = p;
		n++;
	}
	while (head) {
		p = (uint64_t *)(uintptr_t)*head;
		page_free(head);
		head = p;
	}
	return n;
}

/* One round; returns pages it got, or -1 on a wrong word. */
static long round_once(uint64_t r)
{
	unsigned n = 0, w;

	while (n < ROUND && (held[n] = page_alloc()))
		n++;
	for (unsigned i = 0; i < n; i++)
		for (w = 0; w < XEN_PAGE_SIZE / 8; w += 64)
			held[i][w] = pattern(held[i], w, r);
	thread_yield(); /* let the balloon thread run with the pages held */
	for (unsigned i = 0; i < n; i++)
		for (w = 0; w < XEN_PAGE_SIZE / 8; w += 64)
			if (held[i][w] != pattern(held[i], w, r)) {
				printk("balloon-test: page %p word %u changed\n", (void *)held[i], w);
				return -1;
			}
	for (unsigned i = 0; i < n; i++)
		page_free(held[i]);
	return n;
}

static void report(uint64_t rounds, uint64_t least)
{
	struct balloon_stats b;
	struct pages_stats s;

	balloon_stats(&b);
	pages_stats(&s);
	printk("balloon-test: current=%lu KiB target=%lu KiB free=%lu KiB rounds=%lu least=%lu\n",
	       (unsigned long)b.current_kib, (unsigned long)b.target_kib,
	       (unsigned long)(s.free * 4), (unsigned long)rounds, (unsigned long)least);
}

int prog_balloon_test(int argc, char **argv)
{
	uint64_t secs, end, rounds = 0, least = UINT64_MAX, last_kib = 0;
	struct balloon_stats b;

	if (arg_u64(argc, argv, 1, 30, &secs) < 0)
		return fail("balloon-test: SECONDS must be a number");
	if (argc > 2 && !strcmp(argv[2], "fill")) {
		uint64_t t0 = time_now_ns(), n = fill();

		printk("balloon-test: filled %lu pages in %lu us\n", (unsigned long)n,
		       (unsigned long)((time_now_ns() - t0) / 1000));
	}
	end = time_now_ns() + secs * 1000000000ull;
	if (argc > 3 && !strcmp(argv[3], "idle")) {
		while (time_now_ns() < end)
			msleep(1000);
		return pass("balloon-test: idle for %lu s", (unsigned long)secs);
	}
	while (time_now_ns() < end) {
		long n = round_once(rounds);

		if (n < 0)
			return fail("balloon-test: memory changed under a program");
		least = MIN(least, (uint64_t)n);
		rounds++;
		balloon_stats(&b);
		if (b.current_kib != last_kib) {
			report(rounds, least);
			last_kib = b.current_kib;
		}
		msleep(20);
	}
	report(rounds, least);
	if (!least)
		return fail("balloon-test: a round got no page");
	return pass("balloon-test: %lu rounds, at least %lu pages each",
		    (unsigned long)rounds, (unsigned long)least);
}
