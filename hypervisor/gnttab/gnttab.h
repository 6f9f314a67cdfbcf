/*
 * gnttab: Xen grant tables, version 1, for every domain (docs/grant-tables.md).
 *
 * A domain's table is a list of frames (up to max_frames, 512 v1 entries
 * each) that the guest places in its own RAM with
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table): the entries are then
 * plain guest memory, written by the guest and read by pvxd. pvxd keeps,
 * per entry, an "active" record of who maps it (pins) and which frame
 * the pins refer to; the guest sees only the GTF_reading / GTF_writing
 * busy bits in its entry.
 *
 * The busy-bit protocol is Xen's: to take the first pin of an entry (or
 * the first writable one), read the whole 8-byte entry, check it
 * (GTF_permit_access, grantee == mapper, not GTF_readonly for a write,
 * frame inside the granter's memory), then compare-and-swap the busy
 * bits in. The guest revokes with a cmpxchg of the flags that fails while
 * a busy bit is set, so once our cmpxchg succeeds the grant cannot be
 * revoked until the last pin is dropped and the bits are cleared (atomic
 * and-not). A guest that rewrites the entry between our read and our
 * cmpxchg makes the cmpxchg fail; we retry a few times, then give up
 * with GNTST_general_error, as Xen does for an unstable entry.
 *
 * Mappers: a Dom0 control connection is an "owner" with a maptrack of
 * handles (domid, ref, read-only, the granter's cookie). Closing it
 * unmaps everything. A domain's table is removed (its pins simply vanish
 * with it) only after its vCPUs stopped, and before its memory is freed;
 * each handle remembers the granter's cookie, so unmapping a handle of a
 * destroyed (or destroyed and recreated) domain is a harmless no-op.
 *
 * Validate, then commit: every operation checks all of its arguments
 * and the shared entry before changing anything; a failed operation
 * leaves the tables, the pins and the guest's entry as they were.
 *
 * This module knows nothing about KVM: the owner of a domain supplies its
 * memory (one mapping, memfd offsets) and a callback that says where a
 * gfn lives, so unit tests drive it over plain memory.
 *
 * Locking: one global mutex guards every table, every maptrack and every
 * access pvxd makes to a granted page (copies happen under it), so a
 * domain cannot be removed halfway through an operation. It nests inside
 * nothing and takes nothing else.
 */
#ifndef PVXD_GNTTAB_H
#define PVXD_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/public/xen.h>
#include <xen/public/grant_table.h>

#define GNTTAB_DEFAULT_FRAMES 32
#define GNTTAB_MAX_FRAMES     1024   /* what the create request may ask */
#define GNTTAB_MAPTRACK_MAX   (1u << 18) /* handles per owner */
#define GNTTAB_PIN_MAX        0xFFFFu    /* pins of one kind per entry */
#define GNTTAB_RETRIES        4          /* cmpxchg attempts on an unstable entry */
#define GNTTAB_OP_MAX         1024       /* ops per grant_table_op call */

/* What a gfn is asked for. */
enum gnttab_gfn_use {
	GNTTAB_GFN_TABLE,  /* may hold a table frame: RAM, ballooned or not */
	GNTTAB_GFN_GRANT,  /* may be granted: populated RAM or special pages */
};

struct gnttab_mem_ops {
	/* The memfd offset of gfn's page, or -1 if gfn may not be used so. */
	int64_t (*gfn_offset)(void *opaque, uint64_t gfn, enum gnttab_gfn_use use);
};

int gnttab_init(void);
void gnttab_exit(void);  /* removes every table and owner */

/* Registers dom with max_frames (0: default) over mem[0, mem_size). */
int gnttab_dom_add(domid_t dom, uint32_t max_frames, uint8_t *mem,
		   uint64_t mem_size, const struct gnttab_mem_ops *ops,
		   void *opaque);
/* Drops dom's table and every pin on it (idempotent). Returns how many
 * mappings were still held. */
unsigned gnttab_dom_remove(domid_t dom);
/* Nonzero and unique per registration: tells a reused domid apart. */
uint64_t gnttab_dom_cookie(domid_t dom);

/* The guest's own table (the calling domain is `dom`). */
int16_t gnttab_query_size(domid_t dom, uint32_t *nr_frames, uint32_t *max_frames);
/* Grows to nr_frames; gfns[i] = where frame i is placed (~0: nowhere). */
int16_t gnttab_setup_table(domid_t dom, uint32_t nr_frames, uint64_t *gfns);
/* Xen errnos: 1 -> 0; 2 -> -ENOSYS; others -EINVAL. *version = current. */
int gnttab_set_version(domid_t dom, uint32_t *version);
/* add_to_physmap(grant_table, idx, gfn): 0 or -EINVAL / -ENOMEM. */
int gnttab_map_frame(domid_t dom, uint64_t idx, uint64_t gfn);

/* Mappers. An owner is identified by an opaque key (a connection). */
struct gnttab_map_result {
	uint32_t handle;
	uint64_t offset;  /* memfd offset of the granted page */
	uint64_t gfn;
};
int16_t gnttab_map(const void *owner, domid_t mapper, domid_t dom,
		   grant_ref_t ref, bool readonly, struct gnttab_map_result *res);
int16_t gnttab_unmap(const void *owner, uint32_t handle);
/* Unmaps every handle of owner and forgets it. Returns how many. */
unsigned gnttab_owner_release(const void *owner);
/* Live mappings of owner (tests, logs). */
unsigned gnttab_owner_count(const void *owner);

/*
 * GNTTABOP_copy. A side is a grant (gref: ref of dom, granted to the
 * caller), the caller's own gfn (dom == caller), or, for Dom0, a host
 * buffer (`local`). offset + len must stay inside one page.
 */
struct gnttab_copy_side {
	bool gref;
	domid_t dom;
	uint64_t ref_or_gfn;
	uint16_t offset;
	uint8_t *local;   /* Dom0's bytes instead of a frame */
};
int16_t gnttab_copy(domid_t caller, const struct gnttab_copy_side *src,
		    const struct gnttab_copy_side *dst, uint16_t len);

/* Test and debug view of a domain's pins on ref. */
int gnttab_pins(domid_t dom, grant_ref_t ref, uint32_t *ro, uint32_t *rw);

/*
 * A VM domain's grant table (gnttab_dom.c, the glue over the pure module
 * above). Attached when the domain is built, detached on destroy after
 * its vCPU threads are joined and before its memory is freed.
 */
struct domain;
int gnttab_dom_attach(struct domain *d);

/* Save/restore and the dirty log (gnttab_mig.c, docs/migration-hv.md). */
int gnttab_state_get(domid_t dom, uint32_t *nr_frames, uint64_t *gfns, uint32_t max);
int gnttab_state_set(domid_t dom, uint32_t nr_frames, const uint64_t *gfns);
int gnttab_dirty_start(domid_t dom, uint64_t nr_pfns);
void gnttab_dirty_stop(domid_t dom);
void gnttab_dirty_collect(domid_t dom, uint64_t *bitmap, uint64_t nr_pfns);
void gnttab_dom_detach(struct domain *d);  /* idempotent */

#endif
