/*
 * The real ring backend: a domain's store page and event channel through
 * libpvxctl (pvx/ctlclient.h). Each introduced domain maps its memfd
 * (MAP_SHARED, so only the pages we touch cost anything) and binds the
 * guest's store port to a local port whose eventfds libevent watches.
 * The pvxd connection is opened on the first introduce, so pvxstored can
 * start before pvxd. When pvxd goes away (dom_lost.c resets us, or a call
 * finds the connection dead) the next introduce opens a new one; the
 * ports bound on the old connection died with that pvxd, so each binding
 * remembers its connection's generation and is never closed on the new
 * pvxd, where the same port number may be someone else's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <pvx/ctlclient.h>

#include "ring.h"

struct pvxctl_ctx {
	struct pvx_ctl *ctl;
	unsigned gen;           /* bumped each time ctl is dropped */
};

struct pvxctl_bind {
	struct pvx_evtchn ev;
	unsigned gen;           /* of the connection that bound it */
};

int ring_pvxctl_open(void **ctx)
{
	struct pvxctl_ctx *x = calloc(1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	*ctx = x;
	return 0;
}

void ring_pvxctl_close(void *ctx)
{
	struct pvxctl_ctx *x = ctx;

	if (!x)
		return;
	if (x->ctl)
		pvx_ctl_close(x->ctl);
	free(x);
}

static void reset(void *ctx)
{
	struct pvxctl_ctx *x = ctx;

	if (x->ctl)
		pvx_ctl_close(x->ctl);
	x->ctl = NULL;
	x->gen++;
}

/* A call that failed this way met a pvxd that is gone. */
static bool conn_lost(int rc)
{
	return rc == -ECONNRESET || rc == -EPIPE || rc == -ENOTCONN ||
	       rc == -ECONNREFUSED;
}

static int ctl(struct pvxctl_ctx *x, struct pvx_ctl **out)
{
	int rc;

	if (!x->ctl && (rc = pvx_ctl_open(&x->ctl)))
		return rc;
	*out = x->ctl;
	return 0;
}

static int map(void *ctx, uint32_t domid, uint64_t gfn,
	       struct xenstore_domain_interface **intf, void **handle)
{
	struct pvx_dom_mem *m = calloc(1, sizeof(*m));
	struct pvx_ctl *c;
	int rc;

	if (!m)
		return -ENOMEM;
	m->fd = -1;
	rc = ctl(ctx, &c);
	if (!rc && conn_lost(rc = pvx_dom_mem_map(c, (int32_t)domid, m))) {
		reset(ctx); /* a restarted pvxd: once more on a new connection */
		if (!(rc = ctl(ctx, &c)))
			rc = pvx_dom_mem_map(c, (int32_t)domid, m);
	}
	if (rc)
		goto err_free;
	*intf = pvx_dom_mem_gpa(m, gfn * PVX_PAGE_SIZE, PVX_PAGE_SIZE);
	rc = -EINVAL;
	if (!*intf || gfn > UINT64_MAX / PVX_PAGE_SIZE)
		goto err_unmap;
	*handle = m;
	return 0;
err_unmap:
	pvx_dom_mem_unmap(m);
err_free:
	free(m);
	return rc;
}

static void unmap(void *ctx, void *handle)
{
	(void)ctx;
	pvx_dom_mem_unmap(handle);
	free(handle);
}

static int bind(void *ctx, uint32_t domid, uint32_t port, int *event_fd,
		int *notify_fd, void **handle)
{
	struct pvxctl_bind *b = calloc(1, sizeof(*b));
	struct pvxctl_ctx *x = ctx;
	struct pvx_ctl *c;
	int rc;

	if (!b)
		return -ENOMEM;
	rc = ctl(x, &c);
	if (!rc && conn_lost(rc = pvx_evtchn_bind(c, (int32_t)domid, port, &b->ev))) {
		reset(x);
		if (!(rc = ctl(x, &c)))
			rc = pvx_evtchn_bind(c, (int32_t)domid, port, &b->ev);
	}
	if (rc) {
		free(b);
		return rc;
	}
	b->gen = x->gen;
	*event_fd = b->ev.event_fd;
	*notify_fd = b->ev.notify_fd;
	*handle = b;
	return 0;
}

static void unbind(void *ctx, void *handle)
{
	struct pvxctl_ctx *x = ctx;
	struct pvxctl_bind *b = handle;

	/* Only the pvxd that bound the port may be told to close it. */
	pvx_evtchn_close(b->gen == x->gen ? x->ctl : NULL, &b->ev);
	free(b);
}

const struct xs_ring_backend ring_backend_pvxctl = {
	.map = map,
	.unmap = unmap,
	.bind = bind,
	.unbind = unbind,
	.reset = reset,
};
