/*
 * Dom0 event channels (libxenevtchn's role, docs/decisions.md P5). A port
 * bound here belongs to this control connection; pvxd hands back two
 * eventfds: one it increments when the guest sends, one we write to send
 * without a control round trip. Closing the connection closes the ports.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#include <pvx/ctlclient.h>

int pvx_ctl_evtchn_alloc_unbound(struct pvx_ctl *c, int32_t domid,
				 int32_t remote_dom, uint32_t *port)
{
	struct pvx_ctl_evtchn_alloc_req req = { .remote_dom = remote_dom };
	struct pvx_ctl_port_rsp rsp;
	uint32_t got = 0;
	int rc = pvx_ctl_call(c, PVX_CTL_EVTCHN_ALLOC_UNBOUND, domid, &req,
			      sizeof(req), &rsp, sizeof(rsp), &got, NULL, 0, NULL);

	if (rc == 0 && got != sizeof(rsp))
		rc = -EPROTO;
	if (rc == 0)
		*port = rsp.port;
	return rc;
}

int pvx_evtchn_bind(struct pvx_ctl *c, int32_t remote_dom,
		    uint32_t remote_port, struct pvx_evtchn *ev)
{
	struct pvx_ctl_evtchn_bind_req req = {
		.remote_dom = remote_dom, .remote_port = remote_port,
	};
	struct pvx_ctl_port_rsp rsp;
	uint32_t got = 0;
	int fds[2] = { -1, -1 }, nfds = 0, rc;

	ev->port = 0;
	ev->event_fd = ev->notify_fd = -1;
	rc = pvx_ctl_call(c, PVX_CTL_EVTCHN_BIND, 0, &req, sizeof(req), &rsp,
			  sizeof(rsp), &got, fds, 2, &nfds);
	if (rc < 0)
		return rc;
	if (got != sizeof(rsp) || nfds != 2) {
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		return -EPROTO;
	}
	ev->port = rsp.port;
	ev->event_fd = fds[0];
	ev->notify_fd = fds[1];
	return 0;
}

int pvx_evtchn_notify(const struct pvx_evtchn *ev)
{
	uint64_t one = 1;

	if (write(ev->notify_fd, &one, sizeof(one)) != sizeof(one))
		return -errno;
	return 0;
}

int pvx_evtchn_consume(const struct pvx_evtchn *ev)
{
	struct pollfd p = { .fd = ev->event_fd, .events = POLLIN };
	uint64_t n;

	/* The eventfd may be blocking: only read when it has something. */
	if (poll(&p, 1, 0) <= 0)
		return 0;
	if (read(ev->event_fd, &n, sizeof(n)) != sizeof(n))
		return errno == EAGAIN ? 0 : -errno;
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

void pvx_evtchn_close(struct pvx_ctl *c, struct pvx_evtchn *ev)
{
	struct pvx_ctl_port_req req = { .port = ev->port };

	if (ev->event_fd < 0 && ev->notify_fd < 0)
		return;
	if (c)
		pvx_ctl_call(c, PVX_CTL_EVTCHN_CLOSE, 0, &req, sizeof(req), NULL,
			     0, NULL, NULL, 0, NULL);
	if (ev->event_fd >= 0)
		close(ev->event_fd);
	if (ev->notify_fd >= 0)
		close(ev->notify_fd);
	ev->event_fd = ev->notify_fd = -1;
}
