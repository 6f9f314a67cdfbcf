/*
 * event_channel_op (32): the guest side of evtchn.c.
 *
 * Each sub-op copies its struct in once, checks the domain field
 * (DOMID_SELF or the caller), and for ops with an OUT field first proves
 * the struct is writable (by writing the input back) so a bad pointer
 * cannot leave a port bound that the guest never learns about.
 * init_control is left unset (-ENOSYS), which makes guests use 2-level.
 */
#include <errno.h>

#include <xen/public/event_channel.h>

#include "dom.h"
#include "evtchn.h"
#include "hcall.h"
#include "pvxd.h"

#define DOM(c) ((domid_t)(c)->d->domid)

/* Copy in and prove writable: the validate half of validate-then-commit. */
static int fetch(struct hc_ctx *c, uint64_t arg, void *s, size_t len, bool out)
{
	int r = hc_copy_from(c, s, arg, len);

	if (r == 0 && out)
		r = hc_copy_to(c, arg, s, len);
	return r;
}

static long ev_alloc_unbound(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_alloc_unbound a;
	int r = fetch(c, arg, &a, sizeof(a), true);

	if (r == 0)
		r = hc_self_domid(c, a.dom);
	if (r == 0)
		r = evtchn_alloc_unbound(DOM(c), a.remote_dom, &a.port);
	return r < 0 ? r : hc_copy_to(c, arg, &a, sizeof(a));
}

static long ev_bind_interdomain(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_bind_interdomain b;
	int r = fetch(c, arg, &b, sizeof(b), true);

	if (r == 0)
		r = evtchn_bind_interdomain(DOM(c), b.remote_dom, b.remote_port,
					    &b.local_port);
	return r < 0 ? r : hc_copy_to(c, arg, &b, sizeof(b));
}

static long ev_bind_virq(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_bind_virq b;
	int r = fetch(c, arg, &b, sizeof(b), true);

	if (r == 0)
		r = evtchn_bind_virq(DOM(c), b.virq, b.vcpu, &b.port);
	return r < 0 ? r : hc_copy_to(c, arg, &b, sizeof(b));
}

static long ev_bind_ipi(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_bind_ipi b;
	int r = fetch(c, arg, &b, sizeof(b), true);

	if (r == 0)
		r = evtchn_bind_ipi(DOM(c), b.vcpu, &b.port);
	return r < 0 ? r : hc_copy_to(c, arg, &b, sizeof(b));
}

static long ev_bind_vcpu(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_bind_vcpu b;
	int r = fetch(c, arg, &b, sizeof(b), false);

	return r < 0 ? r : evtchn_bind_vcpu(DOM(c), b.port, b.vcpu);
}

static long ev_close(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_close s;
	int r = fetch(c, arg, &s, sizeof(s), false);

	return r < 0 ? r : evtchn_close(DOM(c), s.port);
}

static long ev_send(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_send s;
	int r = fetch(c, arg, &s, sizeof(s), false);

	return r < 0 ? r : evtchn_send(DOM(c), s.port);
}

static long ev_status(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_status s;
	int r = fetch(c, arg, &s, sizeof(s), true);

	if (r == 0)
		r = hc_self_domid(c, s.dom);
	if (r == 0)
		r = evtchn_status(DOM(c), s.port, &s);
	return r < 0 ? r : hc_copy_to(c, arg, &s, sizeof(s));
}

static long ev_unmask(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_unmask u;
	int r = fetch(c, arg, &u, sizeof(u), false);

	return r < 0 ? r : evtchn_unmask(DOM(c), u.port);
}

static long ev_reset(struct hc_ctx *c, uint64_t arg)
{
	struct evtchn_reset s;
	int r = fetch(c, arg, &s, sizeof(s), false);

	if (r == 0)
		r = hc_self_domid(c, s.dom);
	return r < 0 ? r : evtchn_reset(DOM(c));
}

static const struct hc_subop evtchn_ops[] = {
	[EVTCHNOP_bind_interdomain] = { ev_bind_interdomain, HC_ANY },
	[EVTCHNOP_bind_virq]        = { ev_bind_virq,        HC_ANY },
	[EVTCHNOP_close]            = { ev_close,            HC_ANY },
	[EVTCHNOP_send]             = { ev_send,             HC_ANY },
	[EVTCHNOP_status]           = { ev_status,           HC_ANY },
	[EVTCHNOP_alloc_unbound]    = { ev_alloc_unbound,    HC_ANY },
	[EVTCHNOP_bind_ipi]         = { ev_bind_ipi,         HC_ANY },
	[EVTCHNOP_bind_vcpu]        = { ev_bind_vcpu,        HC_ANY },
	[EVTCHNOP_unmask]           = { ev_unmask,           HC_ANY },
	[EVTCHNOP_reset]            = { ev_reset,            HC_ANY },
};

long hc_event_channel_op(struct hc_ctx *c)
{
	return hc_subop_dispatch(c, evtchn_ops, ARRAY_SIZE(evtchn_ops),
				 c->arg[0], c->arg[1]);
}
