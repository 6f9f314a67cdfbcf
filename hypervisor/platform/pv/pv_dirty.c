/*
 * pv_dirty: the dirty log of a `pv` guest's own writes to its RAM
 * (docs/migration-hv.md, decision P25 in docs/decisions.md).
 *
 * This host kernel has no soft-dirty bits (measured:
 * 0 of 64 written pages reported), so the log is userfaultfd
 * write-protection of the guest process's RAM mapping: the shim opens a
 * userfaultfd on its own address space and hands it to pvxd with the
 * seccomp listener (pvproc_wire.h). Enabling write-protects all of RAM;
 * the guest's first write to a page then stops in the kernel and its
 * fault reaches pvxd's main loop, which marks the page and lifts the
 * protection on it (that also wakes the writer). Collecting protects
 * all of RAM again before it takes the marks, so a write that lands
 * after the collect faults again and is seen next time. Everything runs
 * on the main thread, so the fault handler and the collector never
 * overlap. Cost: one fault round trip per page per round for a writing
 * guest, none for an idle one; writes pvxd or Dom0 make through their
 * own mappings are not in this log (dom_mig.c and the grant table add
 * them).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#include <event2/event.h>
#include <pvx/pv.h>

#include "dom.h"
#include "platform_pv.h"

#define FAULT_BATCH 64
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13) /* Linux 6.4; the headers here are older */
#endif

static int wp(int uffd, uint64_t start, uint64_t len, bool on)
{
	struct uffdio_writeprotect w = {
		.range = { start, len },
		.mode = on ? UFFDIO_WRITEPROTECT_MODE_WP : 0,
	};

	return ioctl(uffd, UFFDIO_WRITEPROTECT, &w) < 0 ? -errno : 0;
}

static void take_faults(struct domain *d)
{
	struct pv_dom *pv = d->pv;
	struct uffd_msg m[FAULT_BATCH];
	ssize_t n;

	for (int round = 0; round < 64; round++) {
		n = read(pv->proc.uffd, m, sizeof(m));
		if (n <= 0)
			return;
		for (ssize_t i = 0; i < n / (ssize_t)sizeof(m[0]); i++) {
			uint64_t a = m[i].arg.pagefault.address & ~(uint64_t)(PVX_PAGE_SIZE - 1);
			uint64_t pfn = a / PVX_PAGE_SIZE;

			if (m[i].event != UFFD_EVENT_PAGEFAULT)
				continue;
			if (pv->dirty && pfn < d->ram_pages)
				pv->dirty[pfn / 64] |= 1ull << (pfn % 64);
			if (wp(pv->proc.uffd, a, PVX_PAGE_SIZE, false) < 0) {
				struct uffdio_range r = { a, PVX_PAGE_SIZE };

				(void)ioctl(pv->proc.uffd, UFFDIO_WAKE, &r);
			}
		}
	}
}

static void fault_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	take_faults(arg);
}

static int api(int uffd)
{
	struct uffdio_api a = { .api = UFFD_API,
		.features = UFFD_FEATURE_WP_HUGETLBFS_SHMEM | UFFD_FEATURE_WP_UNPOPULATED };

	if (ioctl(uffd, UFFDIO_API, &a) == 0)
		return 0;
	a = (struct uffdio_api){ .api = UFFD_API, .features = UFFD_FEATURE_WP_HUGETLBFS_SHMEM };
	return ioctl(uffd, UFFDIO_API, &a) < 0 ? -errno : 0;
}

int pv_dirty_start(struct domain *d)
{
	struct pv_dom *pv = d->pv;
	uint64_t len = d->vm.ram_bytes - PVX_PV_RAM_FLOOR;
	struct uffdio_register reg = { .range = { PVX_PV_RAM_FLOOR, len },
				       .mode = UFFDIO_REGISTER_MODE_WP };
	int r;

	if (!pv->spawned || pv->gone || pv->proc.uffd < 0 || !platform_loop())
		return -EOPNOTSUPP;
	if (!pv->uffd_api) {
		r = api(pv->proc.uffd);
		if (r < 0)
			return r;
		pv->uffd_api = true;
	}
	pv->dirty = calloc(d->ram_pages / 64 + 1, 8);
	pv->uffd_ev = event_new(platform_loop(), pv->proc.uffd, EV_READ | EV_PERSIST,
				fault_cb, d);
	if (!pv->dirty || !pv->uffd_ev) {
		r = -ENOMEM;
		goto err;
	}
	if (ioctl(pv->proc.uffd, UFFDIO_REGISTER, &reg) < 0) {
		r = -errno;
		goto err;
	}
	r = wp(pv->proc.uffd, PVX_PV_RAM_FLOOR, len, true);
	if (r == 0 && event_add(pv->uffd_ev, NULL) < 0)
		r = -ENOMEM;
	if (r == 0)
		return 0;
	(void)ioctl(pv->proc.uffd, UFFDIO_UNREGISTER, &reg.range);
err:
	if (pv->uffd_ev)
		event_free(pv->uffd_ev);
	pv->uffd_ev = NULL;
	free(pv->dirty);
	pv->dirty = NULL;
	dlog(d, LOG_WARN, "pv: no dirty log (userfaultfd: %s)", strerror(-r));
	return r;
}

void pv_dirty_stop(struct domain *d)
{
	struct pv_dom *pv = d->pv;
	struct uffdio_range all = { PVX_PV_RAM_FLOOR, d->vm.ram_bytes - PVX_PV_RAM_FLOOR };

	if (!pv->dirty)
		return;
	event_free(pv->uffd_ev);
	pv->uffd_ev = NULL;
	(void)wp(pv->proc.uffd, all.start, all.len, false);
	(void)ioctl(pv->proc.uffd, UFFDIO_UNREGISTER, &all);
	free(pv->dirty);
	pv->dirty = NULL;
}

int pv_dirty_collect(struct domain *d, uint64_t *bitmap)
{
	struct pv_dom *pv = d->pv;
	int r;

	if (!pv->dirty)
		return -EINVAL;
	take_faults(d);
	r = wp(pv->proc.uffd, PVX_PV_RAM_FLOOR, d->vm.ram_bytes - PVX_PV_RAM_FLOOR, true);
	if (r < 0 && r != -ENOENT)
		return r;
	for (uint64_t i = 0; i < d->ram_pages / 64 + 1; i++) {
		bitmap[i] |= pv->dirty[i];
		pv->dirty[i] = 0;
	}
	return 0;
}
