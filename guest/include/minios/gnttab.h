/*
 * minios grant-table client (docs/grant-tables.md).
 *
 * gnttab_init() asks the hypervisor for the table's size
 * (GNTTABOP_query_size), selects v1 and places up to GNTTAB_MAX_FRAMES
 * frames of its own image with XENMEM_add_to_physmap(grant_table),
 * highest index first as Linux does. Refs below GNTTAB_NR_RESERVED_ENTRIES
 * are never handed out; the rest sit on a free list.
 *
 * Granting writes frame and domid, then (after a write barrier) the
 * flags, so a mapper never sees a half-written entry. Ending access
 * follows Xen's v1 rule: it clears the flags with a cmpxchg that only
 * succeeds while neither GTF_reading nor GTF_writing is set, so a grant
 * a backend still maps is never revoked under it: -XEN_EBUSY, the ref
 * stays granted and the caller retries later (or leaks the page).
 *
 * Single vCPU, cooperative threads: no locks.
 */
#ifndef MINIOS_GNTTAB_H
#define MINIOS_GNTTAB_H

#include <stdint.h>

#include <xen/public/grant_table.h>
#include <xen/public/xen.h>

#define GNTTAB_MAX_FRAMES 4   /* 2048 refs: plenty for minios frontends */

/* Sets the table up once; 0 or a negative Xen errno. Idempotent. */
int gnttab_init(void);
/* Refs the table holds (frames * 512), 0 before gnttab_init. */
/* After resuming in a new domain: frames placed again, the old mappers'
 * in-use bits cleared (suspend.c). 0 or a negative Xen errno. */
int gnttab_resume(void);
unsigned gnttab_nr_refs(void);
unsigned gnttab_nr_free(void);

/* Grants domid access to the page at gfn (readonly: 1 for read-only).
 * 0 and *ref, -XEN_ENOSPC when no ref is free, -XEN_EINVAL before init. */
int gnttab_grant_access(domid_t domid, uint64_t gfn, int readonly,
			grant_ref_t *ref);
/* The same for a page of minios (identity mapped: gfn = va >> 12). */
int gnttab_grant_page(domid_t domid, const void *page, int readonly,
		      grant_ref_t *ref);
/* Revokes ref and frees it: 0, -XEN_EBUSY while mapped or being copied
 * (nothing changes), -XEN_EINVAL for a ref that is not granted. */
int gnttab_end_access(grant_ref_t ref);
/* Nonzero while a mapper holds ref (GTF_reading or GTF_writing set). */
int gnttab_in_use(grant_ref_t ref);
/* The shared entry itself (hostile tests; NULL if ref is out of range). */
volatile struct grant_entry_v1 *gnttab_entry(grant_ref_t ref);

/* grant_table_op with the GVA of ops: for tests that drive it raw. */
long gnttab_op(unsigned cmd, void *ops, unsigned count);

#endif /* MINIOS_GNTTAB_H */
