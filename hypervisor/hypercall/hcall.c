/*
 * hcall: the hypercall table and dispatcher (see hcall.h).
 *
 * The privileged entries (platform_op, sysctl, domctl, ...) exist so a
 * DomU gets Xen's -EPERM rather than -ENOSYS; pvxd's Dom0 is host user
 * space and uses the control socket instead, so no VM domain is ever
 * privileged and hc_privileged only answers -ENOSYS.
 */
#include <errno.h>

#include <xen/public/xen.h>

#include "dom.h"
#include "hcall.h"
#include "pvxd.h"

const struct hc_entry hc_table[HC_TABLE_SIZE] = {
	[__HYPERVISOR_platform_op]      = { hc_privileged,       HC_PRIV },
	[__HYPERVISOR_memory_op]        = { hc_memory_op,        HC_ANY },
	[__HYPERVISOR_set_timer_op]     = { hc_set_timer_op,     HC_ANY },
	[__HYPERVISOR_xen_version]      = { hc_xen_version,      HC_ANY },
	[__HYPERVISOR_console_io]       = { hc_console_io,       HC_ANY },
	[__HYPERVISOR_vcpu_op]          = { hc_vcpu_op,          HC_ANY },
	[__HYPERVISOR_sched_op]         = { hc_sched_op,         HC_ANY },
	[__HYPERVISOR_callback_op]      = { hc_callback_op,      HC_ANY },
	[__HYPERVISOR_event_channel_op] = { hc_event_channel_op, HC_ANY },
	[__HYPERVISOR_grant_table_op]   = { hc_grant_table_op,   HC_ANY },
	[__HYPERVISOR_hvm_op]           = { hc_hvm_op,           HC_ANY },
	[__HYPERVISOR_sysctl]           = { hc_privileged,       HC_PRIV },
	[__HYPERVISOR_domctl]           = { hc_privileged,       HC_PRIV },
	[__HYPERVISOR_kexec_op]         = { hc_privileged,       HC_PRIV },
	[__HYPERVISOR_dm_op]            = { hc_privileged,       HC_PRIV },
};

static long check_policy(const struct hc_ctx *c, enum hc_policy p)
{
	if (p == HC_UNSET)
		return -ENOSYS;
	if (p == HC_PRIV && !c->d->privileged)
		return -EPERM;
	return 0;
}

long hcall_dispatch(struct hc_ctx *c)
{
	const struct hc_entry *e;
	long r;

	__atomic_fetch_add(&c->d->nr_hypercalls, 1, __ATOMIC_RELAXED);
	if (c->nr >= HC_TABLE_SIZE)
		return -ENOSYS;
	e = &hc_table[c->nr];
	r = check_policy(c, e->fn ? e->policy : HC_UNSET);
	if (r < 0)
		return r;
	return e->fn(c);
}

long hc_subop_dispatch(struct hc_ctx *c, const struct hc_subop *t, size_t n,
		       uint64_t cmd, uint64_t arg)
{
	long r;

	if (cmd >= n)
		return -ENOSYS;
	r = check_policy(c, t[cmd].fn ? t[cmd].policy : HC_UNSET);
	if (r < 0)
		return r;
	return t[cmd].fn(c, arg);
}

long hc_privileged(struct hc_ctx *c)
{
	(void)c;
	return -ENOSYS;
}

long hc_privileged_sub(struct hc_ctx *c, uint64_t arg)
{
	(void)c;
	(void)arg;
	return -ENOSYS;
}

/* The platform says how pointers translate (pvh: the caller's page
 * tables; pv: GVA = GPA), once per hypercall. */
static int load_mode(struct hc_ctx *c)
{
	if (c->have_mode)
		return 0;
	if (c->d->plat->guest_mode(c->v, &c->mode) < 0)
		return -EFAULT;
	c->have_mode = true;
	return 0;
}

int hc_copy_from(struct hc_ctx *c, void *dst, uint64_t gva, size_t len)
{
	if (load_mode(c) < 0)
		return -EFAULT;
	return gva_copy_from(&c->d->view, &c->mode, dst, gva, len);
}

/* pvxd's own writes into guest memory are in no CPU dirty log: while a
 * live migration logs, each page written is marked (dom_mig.c). */
static void mark_written(struct hc_ctx *c, uint64_t gva, size_t len)
{
	uint64_t end = gva + len;

	if (!dom_mig_logging(c->d))
		return;
	while (gva < end) {
		uint64_t chunk = PVX_PAGE_SIZE - gva % PVX_PAGE_SIZE;
		void *p;

		if (chunk > end - gva)
			chunk = end - gva;
		p = gva_ptr(&c->d->view, &c->mode, gva, chunk, true);
		if (p)
			dom_mig_mark(c->d, p, chunk);
		gva += chunk;
	}
}

int hc_copy_to(struct hc_ctx *c, uint64_t gva, const void *src, size_t len)
{
	int r;

	if (load_mode(c) < 0)
		return -EFAULT;
	r = gva_copy_to(&c->d->view, &c->mode, gva, src, len);
	if (r == 0)
		mark_written(c, gva, len);
	return r;
}

void *hc_guest_ptr(struct hc_ctx *c, uint64_t gva, size_t len, bool write)
{
	void *p;

	if (load_mode(c) < 0)
		return NULL;
	p = gva_ptr(&c->d->view, &c->mode, gva, len, write);
	if (p && write)
		mark_written(c, gva, len);
	return p;
}

int hc_self_domid(struct hc_ctx *c, uint32_t domid)
{
	if (domid == DOMID_SELF || domid == (uint32_t)c->d->domid)
		return 0;
	return c->d->privileged ? -ESRCH : -EPERM;
}
