/*
 * libpvxxs: connection handling and the request/reply exchange (pvx/xs.h).
 * A request is one writev of header and payload; the reply is matched by
 * req_id. Any watch event met while waiting goes to the handle's queue.
 * Replies are read through a small buffer, so header and payload usually
 * cost one read(). Every read is bounded by XS_TIMEOUT_MS (SO_RCVTIMEO) so
 * a wedged daemon fails calls instead of hanging them (a known pain with
 * Xen's clients).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "xs_client.h"

int xs_socket_path(char *buf, size_t cap)
{
	const char *env = getenv("XENSTORED_PATH"), *run = getenv("PVX_RUNDIR");
	int n;

	if (env && *env)
		n = snprintf(buf, cap, "%s", env);
	else
		n = snprintf(buf, cap, "%s/xenstored/socket",
			     run && *run ? run : "/run/pvx");
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int xs_errno_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < XSD_ERRORS_COUNT; i++)
		if (strcmp(name, xsd_errors[i].errstring) == 0)
			return xsd_errors[i].errnum;
	return EINVAL;
}

int xs_connect(const char *path, int *fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tmo = { XS_TIMEOUT_MS / 1000, (XS_TIMEOUT_MS % 1000) * 1000 };
	int s;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	/* Every read waits at most this long: a wedged daemon fails calls. */
	if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)) ||
	    connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		int rc = -errno;

		close(s);
		return rc;
	}
	*fd = s;
	return 0;
}

int xs_open_path(const char *path, struct xs_handle **out)
{
	struct xs_handle *h = calloc(1, sizeof(*h));
	int rc;

	if (!h)
		return -ENOMEM;
	h->wfd = h->efd = h->pfd = -1;
	h->tail = &h->head;
	snprintf(h->sockpath, sizeof(h->sockpath), "%s", path);
	rc = xs_connect(path, &h->fd);
	if (rc) {
		free(h);
		return rc;
	}
	*out = h;
	return 0;
}

int xs_open(struct xs_handle **out)
{
	char path[108];
	int rc = xs_socket_path(path, sizeof(path));

	return rc ? rc : xs_open_path(path, out);
}

void xs_close(struct xs_handle *h)
{
	struct xs_event *e;
	size_t i;

	if (!h)
		return;
	int *fds[] = { &h->fd, &h->wfd, &h->efd, &h->pfd }; /* after the NULL check */
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	while ((e = h->head)) {
		h->head = e->next;
		free(e->path);
		free(e);
	}
	xs_watches_free(h);
	free(h);
}

bool xs_rbuf_ready(const struct xs_rbuf *rb)
{
	const struct xsd_sockmsg *h = (const void *)rb->buf;

	return rb->have >= sizeof(*h) &&
	       (h->len > XENSTORE_PAYLOAD_MAX || rb->have >= sizeof(*h) + h->len);
}

/* One read() into rb; the socket's SO_RCVTIMEO bounds the wait. */
static int fill(int fd, struct xs_rbuf *rb, bool forever)
{
	ssize_t n;

	for (;;) {
		n = read(fd, rb->buf + rb->have, sizeof(rb->buf) - rb->have);
		if (n > 0) {
			rb->have += (size_t)n;
			return 0;
		}
		if (n == 0)
			return -ECONNRESET;
		if (errno == EINTR || ((errno == EAGAIN || errno == EWOULDBLOCK) && forever))
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
	}
}

int xs_recv_msg(int fd, struct xs_rbuf *rb, struct xsd_sockmsg *hdr,
		char **body, bool forever)
{
	size_t n;
	int rc;

	while (!xs_rbuf_ready(rb))
		if ((rc = fill(fd, rb, forever)))
			return rc;
	memcpy(hdr, rb->buf, sizeof(*hdr));
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -EPROTO;
	*body = malloc(hdr->len + 1);
	if (!*body)
		return -ENOMEM;
	memcpy(*body, rb->buf + sizeof(*hdr), hdr->len);
	(*body)[hdr->len] = '\0';
	n = sizeof(*hdr) + hdr->len;
	memmove(rb->buf, rb->buf + n, rb->have - n);
	rb->have -= n;
	return 0;
}

void xs_drain_buffered(struct xs_handle *h)
{
	struct xsd_sockmsg hdr;
	char *body;

	while (xs_rbuf_ready(&h->rwfd)) {
		if (xs_recv_msg(h->wfd, &h->rwfd, &hdr, &body, false))
			return;
		if (hdr.type == XS_WATCH_EVENT)
			xs_queue_event(h, body, hdr.len);
		else
			free(body); /* a reply nobody waits for */
	}
}

static int send_msg(int fd, const struct xsd_sockmsg *hdr, const void *payload)
{
	struct iovec iov[2] = {
		{ (void *)hdr, sizeof(*hdr) }, { (void *)payload, hdr->len },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t n;

	while (iov[0].iov_len + iov[1].iov_len) {
		n = sendmsg(fd, &m, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		while (n > 0 && m.msg_iovlen) {
			size_t k = (size_t)n < m.msg_iov->iov_len ? (size_t)n
								  : m.msg_iov->iov_len;

			m.msg_iov->iov_base = (char *)m.msg_iov->iov_base + k;
			m.msg_iov->iov_len -= k;
			n -= k;
			if (!m.msg_iov->iov_len) {
				m.msg_iov++;
				m.msg_iovlen--;
			}
		}
	}
	return 0;
}

void xs_queue_event(struct xs_handle *h, char *body, uint32_t len)
{
	struct xs_event *e = calloc(1, sizeof(*e));
	size_t plen = strnlen(body, len);
	uint64_t one = 1;

	if (!e || plen + 1 >= len) {
		/* Malformed or no memory: an event is a hint anyway. */
		free(e);
		free(body);
		return;
	}
	e->path = body;
	e->token = body + plen + 1;
	*h->tail = e;
	h->tail = &e->next;
	if (h->efd >= 0 && write(h->efd, &one, sizeof(one)) < 0)
		return;
}

int xs_transact(struct xs_handle *h, int fd, uint32_t type, xs_transaction_t t,
		const void *payload, uint32_t len, char **rsp, uint32_t *rsp_len)
{
	struct xsd_sockmsg hdr = { type, ++h->req_id, t, len }, r;
	char *body = NULL;
	int rc;

	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	if ((rc = send_msg(fd, &hdr, payload)))
		return rc;
	for (;;) {
		if ((rc = xs_recv_msg(fd, fd == h->fd ? &h->rfd : &h->rwfd, &r,
				      &body, false)))
			return rc;
		if (r.type == XS_WATCH_EVENT) {
			xs_queue_event(h, body, r.len);
			continue;
		}
		if (r.req_id == hdr.req_id)
			break;
		free(body); /* a stale reply: not ours */
	}
	if (fd == h->wfd)
		xs_drain_buffered(h);
	if (r.type == XS_ERROR) {
		rc = -xs_errno_from_name(body);
		free(body);
		return rc;
	}
	if (r.type != type) {
		free(body);
		return -EPROTO;
	}
	if (rsp_len)
		*rsp_len = r.len;
	if (rsp)
		*rsp = body;
	else
		free(body);
	return 0;
}

int xs_request(struct xs_handle *h, uint32_t type, xs_transaction_t t,
	       const void *payload, uint32_t len, char **rsp, uint32_t *rsp_len)
{
	return xs_transact(h, h->fd, type, t, payload, len, rsp, rsp_len);
}
