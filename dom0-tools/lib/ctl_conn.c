/*
 * libpvxctl transport: one SOCK_SEQPACKET connection to pvxd, one datagram
 * per message (pvx/ctl.h). pvx_ctl_call() sends a request with a fresh
 * sequence number and reads datagrams until the reply with that number
 * arrives: unsolicited events met on the way are queued (ctl_priv.h),
 * stale replies are dropped.
 *
 * Everything pvxd sends is checked before use: datagram size against the
 * header's len, magic, op, status sign, and the caller's capacity; fds
 * that arrive on a reply the caller does not want (or on an error) are
 * closed here so a confused server cannot leak descriptors into us.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <pvx/ctlclient.h>
#include "ctl_priv.h"

/* A reply with a wrong sequence number is skipped at most this often. */
#define MAX_STALE 16

int pvx_ctl_from_fd(int fd, struct pvx_ctl **out)
{
	struct pvx_ctl *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->buf = malloc(CTL_BUF_SIZE);
	if (!c->buf) {
		free(c);
		return -ENOMEM;
	}
	c->fd = fd;
	c->seq = (uint32_t)getpid() << 8;
	*out = c;
	return 0;
}

int pvx_ctl_open(struct pvx_ctl **out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, rc;

	rc = pvx_ctl_sock_path(sa.sun_path, sizeof(sa.sun_path));
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = pvx_ctl_from_fd(fd, out);
	if (rc < 0)
		close(fd);
	return rc;
}

void pvx_ctl_close(struct pvx_ctl *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	free(c);
}

int pvx_ctl_fd(const struct pvx_ctl *c)
{
	return c->fd;
}

void pvx_ctl_open_error(int err, char *buf, size_t len)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];

	if (pvx_ctl_sock_path(path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "%s/...", pvx_rundir());
	switch (err) {
	case -ENOENT:
		snprintf(buf, len, "pvxd is not running (no socket at %s)", path);
		break;
	case -ECONNREFUSED:
		snprintf(buf, len, "pvxd is not running (nothing listens on %s)", path);
		break;
	case -EACCES:
	case -EPERM:
		snprintf(buf, len, "permission denied on %s (pvxd serves root and its own user)", path);
		break;
	default:
		snprintf(buf, len, "cannot connect to pvxd at %s: %s", path, strerror(-err));
	}
}

static int send_req(struct pvx_ctl *c, uint16_t op, int32_t domid,
		    const void *req, uint32_t req_len, uint32_t seq)
{
	struct pvx_ctl_hdr h = {
		.magic = PVX_CTL_MAGIC, .op = op, .seq = seq,
		.len = req_len, .domid = domid,
	};
	struct iovec iov[2] = {
		{ .iov_base = &h, .iov_len = sizeof(h) },
		{ .iov_base = (void *)req, .iov_len = req_len },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = req_len ? 2 : 1 };
	ssize_t n;

	if (req_len > PVX_CTL_MAX_PAYLOAD || (req_len && !req))
		return -EINVAL;
	do
		n = sendmsg(c->fd, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EPIPE ? -ECONNRESET : -errno;
	return (size_t)n == sizeof(h) + req_len ? 0 : -EIO;
}

static void close_fds(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* Collects the SCM_RIGHTS fds of one received message into fds[]. */
static int take_fds(struct msghdr *m, int *fds)
{
	int n = 0;

	for (struct cmsghdr *cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (n < CTL_MAX_FDS)
				fds[n++] = fd;
			else
				close(fd);
		}
	}
	return n;
}

/*
 * Receives one datagram into c->buf and checks its framing. Returns the
 * payload length, with any fds in fds[] and *nfds (closed here on error).
 */
static int recv_msg(struct pvx_ctl *c, int *fds, int *nfds)
{
	union {
		char b[CMSG_SPACE(CTL_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { .iov_base = c->buf, .iov_len = CTL_BUF_SIZE };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctrl.b, .msg_controllen = sizeof(ctrl.b),
	};
	struct pvx_ctl_hdr h;
	ssize_t n;

	*nfds = 0;
	do
		n = recvmsg(c->fd, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	*nfds = take_fds(&m, fds);
	if ((m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    (size_t)n < sizeof(h))
		goto bad;
	memcpy(&h, c->buf, sizeof(h));
	if (h.magic != PVX_CTL_MAGIC || h.len > PVX_CTL_MAX_PAYLOAD ||
	    (size_t)n != sizeof(h) + h.len || h.status > 0)
		goto bad;
	return (int)h.len;
bad:
	close_fds(fds, *nfds);
	*nfds = 0;
	return -EPROTO;
}

/* Parks an event that arrived while a call waited for its reply. */
static int queue_event(struct pvx_ctl *c, uint32_t len)
{
	struct pvx_ctl_event *slot;

	if (len != sizeof(*slot))
		return -EPROTO;
	if (c->evq_len == EVQ_CAP) { /* drop the oldest, keep the newest */
		c->evq_head = (c->evq_head + 1) % EVQ_CAP;
		c->evq_len--;
	}
	slot = &c->evq[(c->evq_head + c->evq_len) % EVQ_CAP];
	memcpy(slot, c->buf + sizeof(struct pvx_ctl_hdr), sizeof(*slot));
	c->evq_len++;
	return 0;
}

/* Reads datagrams until the reply to (op, seq); returns its payload length. */
static int wait_reply(struct pvx_ctl *c, uint16_t op, uint32_t seq,
		      int *fds, int *nfds)
{
	for (int stale = 0; stale <= MAX_STALE;) {
		const struct pvx_ctl_hdr *h = (const void *)c->buf;
		int len = recv_msg(c, fds, nfds);

		if (len < 0)
			return len;
		if (h->op == PVX_CTL_EVENT && h->seq == 0) {
			close_fds(fds, *nfds);
			if (queue_event(c, (uint32_t)len) < 0)
				return -EPROTO;
			continue;
		}
		if (h->seq == seq && h->op == op)
			return len;
		close_fds(fds, *nfds);
		if (h->seq == seq) /* right number, wrong op: the server is confused */
			return -EPROTO;
		stale++;
	}
	return -EPROTO;
}

int pvx_ctl_call(struct pvx_ctl *c, uint16_t op, int32_t domid,
		 const void *req, uint32_t req_len,
		 void *rsp, uint32_t rsp_cap, uint32_t *rsp_len,
		 int *fds, int fds_cap, int *nfds)
{
	int got[CTL_MAX_FDS], ngot = 0, len, rc, keep = 0;
	uint32_t seq;
	const struct pvx_ctl_hdr *h = (const void *)c->buf;

	if (++c->seq == 0) /* seq 0 marks events */
		c->seq = 1;
	seq = c->seq;
	rc = send_req(c, op, domid, req, req_len, seq);
	if (rc < 0)
		return rc;
	len = wait_reply(c, op, seq, got, &ngot);
	if (len < 0)
		return len;
	rc = h->status;
	if (rc == 0 && (uint32_t)len > rsp_cap)
		rc = -EPROTO; /* more than the op's reply can hold */
	if (rc == 0) {
		if (len)
			memcpy(rsp, c->buf + sizeof(*h), (size_t)len);
		if (rsp_len)
			*rsp_len = (uint32_t)len;
		keep = ngot < fds_cap ? ngot : (fds_cap > 0 ? fds_cap : 0);
		for (int i = 0; i < keep; i++)
			fds[i] = got[i];
	}
	close_fds(got + keep, ngot - keep);
	if (nfds)
		*nfds = keep;
	return rc;
}

int pvx_ctl_subscribe_dom(struct pvx_ctl *c, int32_t domid)
{
	return pvx_ctl_call(c, PVX_CTL_SUBSCRIBE, domid < 0 ? -1 : domid, NULL, 0,
			    NULL, 0, NULL, NULL, 0, NULL);
}

int pvx_ctl_subscribe(struct pvx_ctl *c)
{
	return pvx_ctl_subscribe_dom(c, -1);
}

int pvx_ctl_read_event(struct pvx_ctl *c, struct pvx_ctl_event *ev)
{
	const struct pvx_ctl_hdr *h = (const void *)c->buf;
	int fds[CTL_MAX_FDS], nfds, len;

	if (c->evq_len) {
		*ev = c->evq[c->evq_head];
		c->evq_head = (c->evq_head + 1) % EVQ_CAP;
		c->evq_len--;
		return 0;
	}
	for (int stale = 0; stale <= MAX_STALE; stale++) {
		len = recv_msg(c, fds, &nfds);
		if (len < 0)
			return len;
		close_fds(fds, nfds);
		if (h->op != PVX_CTL_EVENT)
			continue; /* a reply nobody waits for */
		if ((size_t)len != sizeof(*ev))
			return -EPROTO;
		memcpy(ev, c->buf + sizeof(*h), sizeof(*ev));
		return 0;
	}
	return -EPROTO;
}

int pvx_ctl_pending_events(const struct pvx_ctl *c)
{
	return (int)c->evq_len;
}
