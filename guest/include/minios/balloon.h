/*
 * The balloon driver: the "balloon" thread watches memory/target (KiB,
 * written by the toolstack: `pvx mem-set`) and moves the domain's
 * reservation towards it, giving free pages of the allocator (pages.h)
 * back with XENMEM_decrease_reservation and taking them again with
 * XENMEM_populate_physmap. It writes nothing to xenstore (Xen's drivers
 * do not). docs/memory.md.
 */
#ifndef MINIOS_BALLOON_H
#define MINIOS_BALLOON_H

#include <stdint.h>

int balloon_start(void);

struct balloon_stats {
	uint64_t current_kib;   /* our reservation, as pvxd counts it */
	uint64_t target_kib;    /* last memory/target read; 0: none yet */
	uint64_t released, populated;  /* pages, since boot */
};
void balloon_stats(struct balloon_stats *s);

#endif /* MINIOS_BALLOON_H */
