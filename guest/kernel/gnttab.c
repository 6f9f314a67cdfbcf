/*
 * minios grant-table client (minios/gnttab.h, docs/grant-tables.md).
 *
 * The table is GNTTAB_MAX_FRAMES pages of our image (identity mapped, so
 * gfn = address >> 12), placed with add_to_physmap highest index first
 * like Linux; fewer if the hypervisor offers fewer. Free refs form a
 * singly linked list through `next_free`, reserved refs never on it.
 *
 * A grant is published by writing domid and frame, then the flags after
 * a write barrier; it is revoked with a cmpxchg of the flags to 0 that
 * refuses while the mapper's GTF_reading / GTF_writing bits are set, so
 * the hypervisor (whose own cmpxchg sets those bits) and we agree on who
 * won. All of this runs at CPL3: lock cmpxchg is a native instruction.
 */
#include <xen/public/errno.h>
#include <xen/public/memory.h>

#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/lib.h>

#define NR_REFS_MAX (GNTTAB_MAX_FRAMES * GRANT_ENTRIES_PER_FRAME_V1)
#define END_OF_LIST 0xFFFFFFFFu

static uint8_t table_pages[GNTTAB_MAX_FRAMES][XEN_PAGE_SIZE]
	__attribute__((aligned(XEN_PAGE_SIZE)));
static struct grant_entry_v1 *table;
static grant_ref_t next_free[NR_REFS_MAX];
static grant_ref_t free_head = END_OF_LIST;
static unsigned nr_refs, nr_free;

long gnttab_op(unsigned cmd, void *ops, unsigned count)
{
	return HYPERCALL3(__HYPERVISOR_grant_table_op, cmd, ops, count);
}

static int place_frames(unsigned n)
{
	for (unsigned i = n; i-- > 0; ) {
		struct xen_add_to_physmap xatp = {
			.domid = DOMID_SELF,
			.space = XENMAPSPACE_grant_table,
			.idx = i,
			.gpfn = (uintptr_t)table_pages[i] >> XEN_PAGE_SHIFT,
		};
		long rc = memory_op(XENMEM_add_to_physmap, &xatp);

		if (rc < 0)
			return (int)rc;
	}
	return 0;
}

int gnttab_init(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	struct gnttab_set_version v = { .version = 1 };
	unsigned frames;
	long rc;

	if (table)
		return 0;
	rc = gnttab_op(GNTTABOP_query_size, &q, 1);
	if (rc < 0 || q.status != GNTST_okay)
		return rc < 0 ? (int)rc : -XEN_EIO;
	frames = MIN(q.max_nr_frames, GNTTAB_MAX_FRAMES);
	if (frames == 0)
		return -XEN_ENOSPC;
	rc = gnttab_op(GNTTABOP_set_version, &v, 1);
	if (rc < 0 && rc != -XEN_ENOSYS)
		return (int)rc;
	rc = place_frames(frames);
	if (rc < 0)
		return (int)rc;
	table = (struct grant_entry_v1 *)table_pages;
	nr_refs = frames * GRANT_ENTRIES_PER_FRAME_V1;
	for (grant_ref_t r = nr_refs; r-- > GNTTAB_NR_RESERVED_ENTRIES; ) {
		next_free[r] = free_head;
		free_head = r;
		nr_free++;
	}
	return 0;
}

/*
 * After a suspend that resumed in a new domain: the table's pages are
 * ours and came along with the rest of memory, so every grant we made is
 * still written there; the new hypervisor only has to be told where the
 * frames are again. The backends that had our pages mapped are gone with
 * the old domain: their GTF_reading/GTF_writing bits are cleared, else
 * gnttab_end_access would answer EBUSY for ever. The frontends then grant
 * (or keep) what the new backends need.
 */
int gnttab_resume(void)
{
	int rc;

	if (!table)
		return 0;
	rc = place_frames(nr_refs / GRANT_ENTRIES_PER_FRAME_V1);
	if (rc < 0)
		return rc;
	for (grant_ref_t r = GNTTAB_NR_RESERVED_ENTRIES; r < nr_refs; r++)
		__atomic_fetch_and(&table[r].flags, (uint16_t)~(GTF_reading | GTF_writing),
				   __ATOMIC_SEQ_CST);
	return 0;
}

unsigned gnttab_nr_refs(void)
{
	return nr_refs;
}

unsigned gnttab_nr_free(void)
{
	return nr_free;
}

volatile struct grant_entry_v1 *gnttab_entry(grant_ref_t ref)
{
	return table && ref < nr_refs ? &table[ref] : NULL;
}

int gnttab_grant_access(domid_t domid, uint64_t gfn, int readonly,
			grant_ref_t *ref)
{
	volatile struct grant_entry_v1 *e;
	grant_ref_t r = free_head;

	if (!table)
		return -XEN_EINVAL;
	if (r == END_OF_LIST || gfn > UINT32_MAX)
		return r == END_OF_LIST ? -XEN_ENOSPC : -XEN_EINVAL;
	free_head = next_free[r];
	nr_free--;
	e = &table[r];
	e->domid = domid;
	e->frame = (uint32_t)gfn;
	/* domid and frame must be visible before the flags make them valid */
	__atomic_store_n(&e->flags,
			 (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
			 __ATOMIC_RELEASE);
	*ref = r;
	return 0;
}

int gnttab_grant_page(domid_t domid, const void *page, int readonly,
		      grant_ref_t *ref)
{
	return gnttab_grant_access(domid, (uintptr_t)page >> XEN_PAGE_SHIFT,
				   readonly, ref);
}

int gnttab_in_use(grant_ref_t ref)
{
	volatile struct grant_entry_v1 *e = gnttab_entry(ref);

	return e && (__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) &
		     (GTF_reading | GTF_writing));
}

int gnttab_end_access(grant_ref_t ref)
{
	volatile struct grant_entry_v1 *e = gnttab_entry(ref);
	uint16_t flags;

	if (!e || ref < GNTTAB_NR_RESERVED_ENTRIES)
		return -XEN_EINVAL;
	flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
	do {
		if ((flags & GTF_type_mask) != GTF_permit_access)
			return -XEN_EINVAL;
		if (flags & (GTF_reading | GTF_writing))
			return -XEN_EBUSY; /* a mapper holds it: try again later */
	} while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, 0,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	next_free[ref] = free_head;
	free_head = ref;
	nr_free++;
	return 0;
}
