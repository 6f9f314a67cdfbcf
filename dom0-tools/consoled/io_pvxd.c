/*
 * A domain's console as pvxd exposes it: the ring page found through
 * HVM_PARAM_CONSOLE_PFN in the domain's memory (that page mapped
 * MAP_SHARED from its memfd, so the mapping outlives the domain in pvxd
 * and a last drain after death is safe), and the guest's HVM_PARAM_CONSOLE_EVTCHN port
 * bound to a port of our control connection (two eventfds). The
 * guest's console_io text is pvxd's per-domain log (PVX_CTL_DMESG).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <pvx/ctlclient.h>
#include <xen/public/hvm/params.h>

#include "consoled.h"

struct pvxd_io {
	struct cons_dom_io io;
	struct pvx_ctl *ctl;
	void *page;             /* our own mapping of the ring page only */
	struct pvx_evtchn ev;
	int32_t domid;
};

#define to_pvxd_io(p) ((struct pvxd_io *)(void *)((char *)(p) - offsetof(struct pvxd_io, io)))

static int io_notify(struct cons_dom_io *io)
{
	return pvx_evtchn_notify(&to_pvxd_io(io)->ev);
}

static void io_consume(struct cons_dom_io *io)
{
	pvx_evtchn_consume(&to_pvxd_io(io)->ev);
}

static int io_read_log(struct cons_dom_io *io, uint64_t *off, char *buf,
		       size_t cap)
{
	struct pvxd_io *p = to_pvxd_io(io);

	return pvx_ctl_dmesg(p->ctl, p->domid, off, buf, cap);
}

static void io_release(struct cons_dom_io *io)
{
	struct pvxd_io *p = to_pvxd_io(io);

	pvx_evtchn_close(p->ctl, &p->ev);
	if (p->page)
		munmap(p->page, PVX_PAGE_SIZE);
	free(p);
}

/* Maps just the ring page (the domain's memory is mapped whole only for
 * as long as it takes to find it): one page and no fd per domain. */
static int map_page(struct pvxd_io *p, int32_t domid, uint64_t pfn)
{
	struct pvx_dom_mem mem;
	uint8_t *ring;
	void *page;
	int rc = pvx_dom_mem_map(p->ctl, domid, &mem);

	if (rc)
		return rc;
	ring = pvx_dom_mem_gpa(&mem, pfn << 12, PVX_PAGE_SIZE);
	if (!ring) {
		pvx_dom_mem_unmap(&mem);
		return -EFAULT;
	}
	page = mmap(NULL, PVX_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    mem.fd, (off_t)(ring - mem.base));
	rc = page == MAP_FAILED ? -errno : 0;
	pvx_dom_mem_unmap(&mem);
	if (rc)
		return rc;
	p->page = page;
	p->io.intf = page;
	return 0;
}

static int find_ring(struct pvxd_io *p, int32_t domid)
{
	uint64_t pfn = 0, port = 0;
	int rc;

	rc = pvx_ctl_get_hvm_param(p->ctl, domid, HVM_PARAM_CONSOLE_PFN, &pfn);
	if (!rc)
		rc = pvx_ctl_get_hvm_param(p->ctl, domid, HVM_PARAM_CONSOLE_EVTCHN, &port);
	if (rc)
		return rc;
	if (!pfn || !port || port > UINT32_MAX || pfn > (UINT64_MAX >> 12))
		return -ENODEV;         /* no console (yet): not ENOENT, which
					 * clients read as "no consoled" */
	rc = map_page(p, domid, pfn);
	if (rc)
		return rc;
	return pvx_evtchn_bind(p->ctl, domid, (uint32_t)port, &p->ev);
}

int cons_pvxd_open_io(struct consoled *cd, int32_t domid, char *name,
		      size_t name_len, struct cons_dom_io **io)
{
	struct pvx_ctl *ctl = cons_pvxd_ctl(cd);
	struct pvx_ctl_dominfo info;
	struct pvxd_io *p;
	int rc;

	if (!ctl)
		return -ENOTCONN;
	if (!name[0]) {
		rc = pvx_ctl_info(ctl, domid, &info);
		if (rc)
			return rc;
		snprintf(name, name_len, "%.*s", (int)sizeof(info.name) - 1, info.name);
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->ctl = ctl;
	p->domid = domid;
	p->ev.event_fd = p->ev.notify_fd = -1;
	rc = find_ring(p, domid);
	if (rc) {
		pvx_log_warn("domain %d: no console to serve: %s", domid, strerror(-rc));
		io_release(&p->io);
		return rc;
	}
	p->io.event_fd = p->ev.event_fd;
	p->io.notify = io_notify;
	p->io.consume = io_consume;
	p->io.release = io_release;
	p->io.read_log = io_read_log;
	*io = &p->io;
	return 0;
}
