/*
 * memory_op (12): the guest's physical memory.
 *
 *  - add_to_physmap(shared_info, idx 0, gpfn): places shared_info. Inside
 *    RAM we alias the guest's page: its contents become the current
 *    shared_info (the page is overwritten, so old guest data is gone) and
 *    pvxd writes there from then on; no memslot split is needed. Outside
 *    RAM (below 1 TiB, not in the MMIO hole) pvxd's own page is mapped
 *    there with a memslot. Moving it again copies the state along.
 *  - add_to_physmap(grant_table, idx, gpfn): grant-table frame idx goes
 *    to a RAM page of the guest's choosing (gnttab.c: zeroed the first
 *    time, grows the table; outside RAM -EINVAL).
 *  - memory_map: the domain's E820 (RAM, the legacy hole reserved, RAM,
 *    the special pages reserved). Truncated to the caller's capacity.
 *  - current/maximum_reservation: pages (actual, and the ceiling that
 *    `pvx mem-max` moves).
 *  - decrease_reservation: punches each extent out of the memfd
 *    (fallocate PUNCH_HOLE: the host frees the pages, and KVM's mapping
 *    of the memfd follows through the mm notifiers); returns the number
 *    of extents released (stops at the first bad one).
 *  - populate_physmap / increase_reservation: gives ballooned pages back,
 *    zero (a punched hole reads as zeroes), never above maxmem (-ENOMEM
 *    for the extent that would cross it, as Xen). docs/memory.md.
 */
#include <errno.h>
#include <string.h>

#include <xen/public/hvm/start_info.h>
#include <xen/public/memory.h>

#include "dom.h"
#include "evtchn.h"
#include "gnttab.h"
#include "hcall.h"
#include "pvxd.h"
#include "xtime.h"

#define EXTENT_ORDER_MAX 9  /* 2 MiB */
#define GFN_BATCH 256

static int check_physmap_gpa(const struct domain *d, uint64_t gpfn)
{
	uint64_t gpa = gpfn << 12;

	if (gpfn >= (PVX_GPA_LIMIT >> 12) || gpa < d->plat->ram_floor)
		return -EINVAL;
	if (gpa < d->vm.ram_bytes)
		return 0;
	if (gpa >= PVX_MMIO_HOLE && gpa < (1ull << 32))
		return -EINVAL;
	return 0;
}

/* Under the evtchn lock: nobody delivers while shared_info moves. */
static int place_shinfo(struct domain *d, uint64_t gpa)
{
	struct shared_info *old = d->shinfo, *now;
	int r;

	if (gpa < d->vm.ram_bytes) {
		now = (struct shared_info *)(d->vm.mem + gpa);
		if (now != old)
			memcpy(now, old, PVX_PAGE_SIZE);
		if (d->vm.xpage_gpa) {
			d->view.n = 2; /* drop the xpage region first */
			r = d->plat->map_xpage(d, 0);
			if (r < 0)
				return r;
		}
	} else {
		now = (struct shared_info *)d->vm.xpage;
		if (now != old)
			memcpy(now, old, PVX_PAGE_SIZE);
		d->view.n = 2;
		r = d->plat->map_xpage(d, gpa);
		if (r < 0)
			return r;
		d->view.r[2] = (struct gmem_region){ gpa, PVX_PAGE_SIZE, d->vm.xpage };
		__atomic_store_n(&d->view.n, 3, __ATOMIC_RELEASE);
	}
	d->shinfo = now;
	d->shinfo_gpa = gpa;
	return 0;
}

static long mem_add_to_physmap(struct hc_ctx *c, uint64_t arg)
{
	struct xen_add_to_physmap a;
	int r = hc_copy_from(c, &a, arg, sizeof(a));

	if (r < 0)
		return r;
	r = hc_self_domid(c, a.domid);
	if (r < 0)
		return r;
	if (a.space == XENMAPSPACE_grant_table)
		return gnttab_map_frame((domid_t)c->d->domid, a.idx, a.gpfn);
	if (a.space != XENMAPSPACE_shared_info)
		return -ENOSYS;
	if (a.idx != 0)
		return -EINVAL;
	r = check_physmap_gpa(c->d, a.gpfn);
	if (r < 0)
		return r;
	evtchn_lock();
	r = place_shinfo(c->d, a.gpfn << 12);
	if (r == 0) {
		xtime_update_wc(c->d);
		for (unsigned i = 0; i < c->d->nr_vcpus; i++)
			xtime_update_vcpu(&c->d->vcpus[i]);
	}
	evtchn_unlock();
	if (r == 0 && ratelimit_ok(&c->d->rl))
		dlog(c->d, LOG_INFO, "shared_info at gpfn 0x%llx",
			 (unsigned long long)a.gpfn);
	return r;
}

static unsigned build_e820(const struct domain *d, struct xen_e820_entry *e)
{
	uint64_t ram = d->vm.ram_bytes;
	unsigned n = 0;

	e[n++] = (struct xen_e820_entry){ 0, PVX_LEGACY_HOLE, XEN_HVM_MEMMAP_TYPE_RAM };
	e[n++] = (struct xen_e820_entry){ PVX_LEGACY_HOLE,
		PVX_LEGACY_HOLE_END - PVX_LEGACY_HOLE, XEN_HVM_MEMMAP_TYPE_RESERVED };
	if (ram > PVX_LEGACY_HOLE_END)
		e[n++] = (struct xen_e820_entry){ PVX_LEGACY_HOLE_END,
			ram - PVX_LEGACY_HOLE_END, XEN_HVM_MEMMAP_TYPE_RAM };
	e[n++] = (struct xen_e820_entry){ PVX_SPECIAL_GPA,
		PVX_SPECIAL_PAGES * PVX_PAGE_SIZE, XEN_HVM_MEMMAP_TYPE_RESERVED };
	return n;
}

static long mem_memory_map(struct hc_ctx *c, uint64_t arg)
{
	struct xen_memory_map m;
	struct xen_e820_entry e[4];
	unsigned n = build_e820(c->d, e);
	int r = hc_copy_from(c, &m, arg, sizeof(m));

	if (r < 0)
		return r;
	if (m.nr_entries < n)
		n = m.nr_entries;
	r = hc_copy_to(c, m.buffer, e, n * sizeof(e[0]));
	if (r < 0)
		return r;
	m.nr_entries = n;
	return hc_copy_to(c, arg, &m, sizeof(m));
}

static long mem_current(struct hc_ctx *c, uint64_t arg)
{
	uint16_t domid;
	long r = hc_copy_from(c, &domid, arg, sizeof(domid));

	if (r == 0)
		r = hc_self_domid(c, domid);
	if (r < 0)
		return r;
	pthread_mutex_lock(&c->d->lock);
	r = (long)c->d->nr_pages;
	pthread_mutex_unlock(&c->d->lock);
	return r;
}

static long mem_maximum(struct hc_ctx *c, uint64_t arg)
{
	uint16_t domid;
	long r = hc_copy_from(c, &domid, arg, sizeof(domid));

	if (r == 0)
		r = hc_self_domid(c, domid);
	if (r < 0)
		return r;
	pthread_mutex_lock(&c->d->lock);
	r = (long)(c->d->maxmem_bytes / PVX_PAGE_SIZE);
	pthread_mutex_unlock(&c->d->lock);
	return r;
}

static bool page_released(const struct domain *d, uint64_t pfn)
{
	return d->released[pfn / 8] & (1u << (pfn % 8));
}

static bool range_released(const struct domain *d, uint64_t pfn, uint64_t n,
			   bool want)
{
	for (uint64_t i = pfn; i < pfn + n; i++)
		if (page_released(d, i) != want)
			return false;
	return true;
}

static void mark_range(struct domain *d, uint64_t pfn, uint64_t n, bool rel)
{
	for (uint64_t i = pfn; i < pfn + n; i++) {
		if (rel)
			d->released[i / 8] |= (uint8_t)(1u << (i % 8));
		else
			d->released[i / 8] &= (uint8_t)~(1u << (i % 8));
	}
}

/*
 * One extent, under d->lock: is it a whole, aligned run of RAM above the
 * platform's floor, all in (release) or all out (populate), not holding
 * shared_info, and within maxmem? Changes nothing.
 */
static int check_extent(const struct domain *d, uint64_t gfn, uint64_t n,
			bool release)
{
	uint64_t ram_pages = d->vm.ram_bytes / PVX_PAGE_SIZE;
	uint64_t shinfo = d->shinfo_gpa / PVX_PAGE_SIZE;

	if (gfn & (n - 1) || gfn >= ram_pages || n > ram_pages - gfn ||
	    gfn * PVX_PAGE_SIZE < d->plat->ram_floor)
		return -EINVAL;
	if (release && d->shinfo_gpa && d->shinfo_gpa < d->vm.ram_bytes &&
	    shinfo >= gfn && shinfo < gfn + n)
		return -EINVAL; /* pvxd writes there: Xen's page is not RAM */
	if (!range_released(d, gfn, n, !release))
		return -EINVAL; /* already out (or already in) */
	if (!release && (d->nr_pages + n) * PVX_PAGE_SIZE > d->maxmem_bytes)
		return -ENOMEM;
	return 0;
}

/*
 * A batch of extents under d->lock: each is checked and marked in turn
 * (so a gfn twice in one list fails the second time), adjacent ones are
 * punched as one range. Returns how many extents took effect.
 */
struct punch { uint64_t start, len; };

static int punch_flush(struct domain *d, struct punch *p)
{
	int r = p->len ? vm_release(&d->vm, p->start, p->len) : 0;

	p->len = 0;
	return r;
}

static uint64_t batch_extents(struct domain *d, const uint64_t *gfns,
			      uint64_t count, unsigned order, bool release)
{
	uint64_t n = 1ull << order, i;
	struct punch p = { 0, 0 };

	pthread_mutex_lock(&d->lock);
	for (i = 0; i < count; i++) {
		uint64_t gpa = gfns[i] * PVX_PAGE_SIZE;

		if (check_extent(d, gfns[i], n, release) < 0)
			break;
		mark_range(d, gfns[i], n, release);
		d->nr_pages = release ? d->nr_pages - n : d->nr_pages + n;
		if (!release)
			continue;
		if (p.len && p.start + p.len == gpa) {
			p.len += n * PVX_PAGE_SIZE;
			continue;
		}
		if (punch_flush(d, &p) < 0)
			break; /* cannot happen on a memfd: keep the books anyway */
		p = (struct punch){ gpa, n * PVX_PAGE_SIZE };
	}
	punch_flush(d, &p);
	pthread_mutex_unlock(&d->lock);
	return i;
}

/*
 * decrease_reservation, populate_physmap and increase_reservation (for
 * a translated guest the same as populate: the list names gpfns). Xen's
 * continuation start extent (cmd >> 6) is honoured; the result is the
 * number of extents done in total, short at the first bad extent or an
 * unreadable list. The loop is bounded: every batch either completes
 * GFN_BATCH extents of RAM, which runs out, or ends the call.
 */
static long reservation(struct hc_ctx *c, uint64_t arg, bool release)
{
	struct xen_memory_reservation res;
	uint64_t gfns[GFN_BATCH], done = c->arg[0] >> 6;
	long r = hc_copy_from(c, &res, arg, sizeof(res));

	if (r == 0)
		r = hc_self_domid(c, res.domid);
	if (r < 0)
		return r;
	if (res.extent_order > EXTENT_ORDER_MAX)
		return -EINVAL;
	if (done >= res.nr_extents)
		return (long)done; /* Xen: nothing (more) to do */
	while (done < res.nr_extents) {
		uint64_t n = res.nr_extents - done < GFN_BATCH ? res.nr_extents - done : GFN_BATCH;
		uint64_t ok;

		if (hc_copy_from(c, gfns, res.extent_start + done * 8, n * 8) < 0)
			return (long)done; /* Xen: the count so far */
		ok = batch_extents(c->d, gfns, n, res.extent_order, release);
		done += ok;
		if (ok < n)
			break;
	}
	return (long)done;
}

static long mem_decrease(struct hc_ctx *c, uint64_t arg)
{
	return reservation(c, arg, true);
}

static long mem_populate(struct hc_ctx *c, uint64_t arg)
{
	return reservation(c, arg, false);
}

static const struct hc_subop memory_ops[] = {
	[XENMEM_increase_reservation] = { mem_populate,       HC_ANY },
	[XENMEM_decrease_reservation] = { mem_decrease,       HC_ANY },
	[XENMEM_current_reservation]  = { mem_current,        HC_ANY },
	[XENMEM_maximum_reservation]  = { mem_maximum,        HC_ANY },
	[XENMEM_populate_physmap]     = { mem_populate,       HC_ANY },
	[XENMEM_add_to_physmap]       = { mem_add_to_physmap, HC_ANY },
	[XENMEM_memory_map]           = { mem_memory_map,     HC_ANY },
};

long hc_memory_op(struct hc_ctx *c)
{
	/* Xen packs a continuation start extent above bit 6 of cmd. */
	return hc_subop_dispatch(c, memory_ops, ARRAY_SIZE(memory_ops),
				 c->arg[0] & 0x3F, c->arg[1]);
}
