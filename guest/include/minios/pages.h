/*
 * The page allocator: every RAM page minios can reach (below
 * MINIOS_MAPPED_LOW) that the kernel image and the builder's boot data
 * do not use, one 4 KiB page at a time, plus the bookkeeping the balloon
 * driver needs to take pages out of it and give them back.
 *
 * Each managed page is in exactly one state:
 *   FREE   - in the allocator;
 *   USED   - handed out by page_alloc, or held by the balloon driver
 *            between taking it and the hypercall's answer;
 *   OUT    - ballooned out: the hypervisor has no page behind this gfn
 *            (decrease_reservation succeeded, or RAM above `memory` at
 *            boot); nobody may touch it until it is populated again.
 * No locks: one vCPU, cooperative threads, and none of these yield.
 */
#ifndef MINIOS_PAGES_H
#define MINIOS_PAGES_H

#include <stdint.h>

/* Finds the RAM (XENMEM_memory_map) and the reservation; RAM beyond the
 * reservation starts OUT (domains with maxmem > memory). */
void pages_init(void);

void *page_alloc(void);          /* NULL when no page is free */
void page_free(void *page);      /* a page from page_alloc */

/* Balloon side. take: up to n FREE pages (highest first) become USED,
 * their gfns in out[]; returns how many. */
unsigned pages_take_free(uint64_t *gfns, unsigned n);
/* The hypervisor took them: USED -> OUT. */
void pages_mark_out(const uint64_t *gfns, unsigned n);
/* Back to the allocator: USED -> FREE (decrease refused), or OUT -> FREE
 * (populate succeeded). */
void pages_give_back(const uint64_t *gfns, unsigned n);
/* Up to n OUT gfns (lowest first), state unchanged; returns how many. */
unsigned pages_peek_out(uint64_t *gfns, unsigned n);

struct pages_stats {
	uint64_t ram_pages;     /* RAM in the memory map (all of it) */
	uint64_t managed;       /* pages the allocator owns in any state */
	uint64_t free, out;
};
void pages_stats(struct pages_stats *s);

#endif /* MINIOS_PAGES_H */
