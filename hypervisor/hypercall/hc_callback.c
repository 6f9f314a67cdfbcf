/*
 * callback_op (30): the event upcall entry of a platform without a LAPIC.
 *
 *  - register(CALLBACKTYPE_event, flags, address): address must lie in
 *    the domain's RAM (the platform may narrow that: pv wants it above
 *    PVX_PV_RAM_FLOOR); flags CALLBACKF_mask_events or 0. Pending events
 *    are re-raised so an upcall that found no entry is not lost.
 *  - unregister(CALLBACKTYPE_event): no entry from now on (Xen refuses
 *    to unregister the event callback; pvx allows it).
 * Other callback types: -EINVAL. Platforms without callbacks (pvh,
 * which delivers events through HVMOP_set_evtchn_upcall_vector): -ENOSYS.
 */
#include <errno.h>

#include <xen/public/callback.h>

#include "dom.h"
#include "evtchn.h"
#include "hcall.h"
#include "pvxd.h"

static long cb_register(struct hc_ctx *c, uint64_t arg)
{
	struct callback_register r;
	int ret = hc_copy_from(c, &r, arg, sizeof(r));

	if (ret < 0)
		return ret;
	if (r.type != CALLBACKTYPE_event || (r.flags & ~CALLBACKF_mask_events))
		return -EINVAL;
	if (!c->d->plat->set_event_callback)
		return -ENOSYS;
	if (r.address == 0 || r.address >= c->d->vm.ram_bytes)
		return -EINVAL;
	ret = c->d->plat->set_event_callback(c->v, r.address, r.flags);
	if (ret == 0)
		evtchn_reraise((domid_t)c->d->domid, c->v->id);
	return ret;
}

static long cb_unregister(struct hc_ctx *c, uint64_t arg)
{
	struct callback_unregister u;
	int ret = hc_copy_from(c, &u, arg, sizeof(u));

	if (ret < 0)
		return ret;
	if (u.type != CALLBACKTYPE_event)
		return -EINVAL;
	if (!c->d->plat->set_event_callback)
		return -ENOSYS;
	return c->d->plat->set_event_callback(c->v, 0, 0);
}

static const struct hc_subop callback_ops[] = {
	[CALLBACKOP_register]   = { cb_register,   HC_ANY },
	[CALLBACKOP_unregister] = { cb_unregister, HC_ANY },
};

long hc_callback_op(struct hc_ctx *c)
{
	return hc_subop_dispatch(c, callback_ops, ARRAY_SIZE(callback_ops),
				 c->arg[0], c->arg[1]);
}
