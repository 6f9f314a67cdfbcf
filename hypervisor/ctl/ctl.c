/*
 * ctl: the control socket (SOCK_SEQPACKET, <rundir>/pvxd.sock).
 *
 * Only peers whose SO_PEERCRED uid is 0 or ours are accepted. Each
 * datagram is checked (ctl_msg.c), dispatched through ctl_ops[], and
 * answered with exactly one reply datagram (plus fds). A connection owns
 * the Dom0 event-channel ports it bound: their notify eventfds are
 * watched here, and everything is closed with the connection.
 * Subscribed connections get PVX_CTL_EVENT datagrams from evq; a
 * subscriber whose socket is full loses events (logged), never blocks
 * pvxd.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include <pvx/daemon.h>

#include "ctl.h"
#include "dom.h"
#include "evq.h"
#include "evtchn.h"
#include "gnttab.h"
#include "log.h"
#include "pvxd.h"

struct ctl_port {
	uint32_t port;
	int notify_fd;
	struct event *ev;
	struct ctl_port *next;
};

struct ctl_conn {
	int fd;
	struct event *ev;
	bool subscribed;
	int32_t sub_domid;  /* events of this domain only; < 0: every domain */
	struct ctl_port *ports;
	struct ctl_conn *next;
};

static struct event_base *base;
static int listen_fd = -1;
static struct event *listen_ev, *evq_ev;
static struct ctl_conn *conns;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static uint8_t rx_buf[sizeof(struct pvx_ctl_hdr) + PVX_CTL_MAX_PAYLOAD + 1];
static uint8_t tx_buf[PVX_CTL_MAX_PAYLOAD];

static int tied_to(struct domain *d, void *arg)
{
	return d->tie == arg ? d->domid : 0;
}

/* PVX_CREATE_F_TIED: the restorer that created these domains is gone
 * before unpausing them: nobody will finish them. */
static void destroy_tied(struct ctl_conn *c)
{
	int32_t id;

	while ((id = dom_foreach(tied_to, c)) > 0) {
		struct domain *d = dom_find(id);

		d->tie = NULL;
		log_info("d%d: its restorer closed its connection before unpausing it:"
			 " destroyed", id);
		dom_destroy(d);
	}
}

/* A dirty log whose enabler is gone: nobody will fetch or disable it. */
static int dirty_orphan(struct domain *d, void *arg)
{
	if (dom_mig_dirty_owner_gone(d, arg))
		log_info("d%d: the connection that enabled its dirty log closed: log off",
			 d->domid);
	return 0;
}

static void conn_close(struct ctl_conn *c)
{
	struct ctl_conn **pp;

	destroy_tied(c);
	dom_foreach(dirty_orphan, c);
	while (c->ports)
		ctl_conn_del_port(c, c->ports->port);
	evtchn_dom0_close_owner(c);
	gnttab_owner_release(c); /* a dead mapper's grants are unmapped */
	for (pp = &conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	event_free(c->ev);
	close(c->fd);
	free(c);
}

static int send_msg(int fd, const struct pvx_ctl_hdr *h, const void *payload,
		    const int *fds, int nfds, int flags)
{
	struct iovec iov[2] = {
		{ (void *)h, sizeof(*h) }, { (void *)payload, h->len },
	};
	union { struct cmsghdr c; char b[CMSG_SPACE(2 * sizeof(int))]; } u;
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = h->len ? 2 : 1 };

	if (nfds > 0) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.b;
		m.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		u.c.cmsg_level = SOL_SOCKET;
		u.c.cmsg_type = SCM_RIGHTS;
		u.c.cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(&u.c), fds, nfds * sizeof(int));
	}
	return sendmsg(fd, &m, MSG_NOSIGNAL | flags) < 0 ? -errno : 0;
}

static int resolve(struct ctl_req *rq, const struct ctl_op *op)
{
	if (!(op->flags & CTL_DOMAIN))
		return 0;
	rq->dom = dom_find(rq->hdr->domid);
	return rq->dom ? 0 : -ESRCH;
}

static void handle(struct ctl_conn *c, size_t len, bool truncated)
{
	struct pvx_ctl_hdr h = { .magic = PVX_CTL_MAGIC };
	struct ctl_reply rep = { .buf = tx_buf };
	struct ctl_req rq = { .conn = c };
	const struct ctl_op *op = NULL;
	int r = ctl_check(rx_buf, len, truncated, ctl_ops, PVX_CTL_OP_COUNT, &op);

	if (len >= sizeof(h))
		memcpy(&h, rx_buf, sizeof(h));
	rq.hdr = &h;
	rq.payload = rx_buf + sizeof(h);
	if (r == 0)
		r = resolve(&rq, op);
	if (r == 0)
		r = op->fn(&rq, &rep);
	if (r < 0 || len < sizeof(h) || h.magic != PVX_CTL_MAGIC)
		log_debug("ctl: op %u -> %d", h.op, r);
	h.magic = PVX_CTL_MAGIC;
	h.status = r < 0 ? r : 0;
	h.len = r < 0 ? 0 : rep.len;
	h.flags = 0;
	if (send_msg(c->fd, &h, rep.buf, rep.fds, r < 0 ? 0 : rep.nfds, 0) < 0)
		log_warn("ctl: reply to op %u failed: %s", h.op, strerror(errno));
	for (int i = 0; rep.close_fds && i < rep.nfds; i++)
		close(rep.fds[i]);
}

/* recvmsg returns 0 both for an empty datagram and for the peer's close;
 * only the latter leaves the socket hung up. */
static bool peer_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR));
}

static void conn_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_conn *c = arg;
	struct iovec iov = { rx_buf, sizeof(rx_buf) };
	char cbuf[CMSG_SPACE(8 * sizeof(int))];
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t n;

	(void)what;
	n = recvmsg(fd, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0 || (n == 0 && peer_gone(fd))) {
		conn_close(c);
		return;
	}
	/* Clients never send fds; close any that arrive. */
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			int *fds = (int *)CMSG_DATA(cm);
			size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (size_t i = 0; i < k; i++)
				close(fds[i]);
		}
	}
	handle(c, (size_t)n, (m.msg_flags & MSG_TRUNC) || (size_t)n == sizeof(rx_buf));
}

static bool peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return false;
	return cred.uid == 0 || cred.uid == getuid();
}

static void accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_conn *c;
	int cfd;

	(void)what;
	(void)arg;
	cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (cfd < 0)
		return;
	if (!peer_allowed(cfd)) {
		log_warn("ctl: refused an unprivileged peer");
		close(cfd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(cfd);
		return;
	}
	c->fd = cfd;
	c->ev = event_new(base, cfd, EV_READ | EV_PERSIST, conn_read_cb, c);
	if (!c->ev || event_add(c->ev, NULL) < 0) {
		if (c->ev)
			event_free(c->ev);
		close(cfd);
		free(c);
		return;
	}
	c->next = conns;
	conns = c;
}

static void broadcast(const struct pvx_ctl_event *ev, void *arg)
{
	struct pvx_ctl_hdr h = {
		.magic = PVX_CTL_MAGIC, .op = PVX_CTL_EVENT, .seq = 0,
		.len = sizeof(*ev), .domid = ev->domid, .status = 0,
	};

	(void)arg;
	for (struct ctl_conn *c = conns; c; c = c->next)
		if (c->subscribed && (c->sub_domid < 0 || c->sub_domid == ev->domid) &&
		    send_msg(c->fd, &h, ev, NULL, 0, MSG_DONTWAIT) < 0)
			log_warn("ctl: subscriber fell behind, event dropped");
}

static void evq_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	evq_drain(broadcast, arg);
}

void ctl_conn_subscribe(struct ctl_conn *c, int32_t domid)
{
	c->subscribed = true;
	c->sub_domid = domid;
}

static void notify_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_port *p = arg;
	uint64_t n;

	(void)what;
	if (read(fd, &n, sizeof(n)) == sizeof(n))
		evtchn_send(PVX_DOM0, p->port);
}

int ctl_conn_add_port(struct ctl_conn *c, uint32_t port, int notify_fd)
{
	struct ctl_port *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->port = port;
	p->notify_fd = notify_fd;
	p->ev = event_new(base, notify_fd, EV_READ | EV_PERSIST, notify_cb, p);
	if (!p->ev || event_add(p->ev, NULL) < 0) {
		if (p->ev)
			event_free(p->ev);
		free(p);
		return -ENOMEM;
	}
	p->next = c->ports;
	c->ports = p;
	return 0;
}

int ctl_conn_del_port(struct ctl_conn *c, uint32_t port)
{
	for (struct ctl_port **pp = &c->ports; *pp; pp = &(*pp)->next) {
		struct ctl_port *p = *pp;

		if (p->port != port)
			continue;
		*pp = p->next;
		/* A notify written just before the close still counts. */
		notify_cb(p->notify_fd, EV_READ, p);
		event_free(p->ev);
		close(p->notify_fd);
		evtchn_dom0_close(c, port);
		free(p);
		return 0;
	}
	return -EINVAL;
}

/* 0600 from the moment it can be reached (pvx_listen_unix): bind()
 * alone gave 0777 & ~umask. A stale socket is replaced; a live pvxd's is
 * not reached here, since its pid-file lock refused us first. */
static int open_socket(const char *rundir)
{
	char path[PATH_MAX], msg[PATH_MAX + 128];
	int fd = -ENAMETOOLONG;

	if (snprintf(path, sizeof(path), "%s/%s", rundir, PVX_CTL_SOCK_NAME) <
	    (int)sizeof(path))
		fd = pvx_listen_unix(path, SOCK_SEQPACKET | SOCK_NONBLOCK, 0600, 64);
	if (fd < 0) {
		pvx_listen_unix_error(path, fd, msg, sizeof(msg));
		log_err("ctl: %s", msg);
		return fd;
	}
	memcpy(sock_path, path, strlen(path) + 1); /* fits: it was listened on */
	return fd;
}

int ctl_start(struct event_base *b, const char *rundir)
{
	base = b;
	listen_fd = open_socket(rundir);
	if (listen_fd < 0)
		return listen_fd;
	listen_ev = event_new(base, listen_fd, EV_READ | EV_PERSIST, accept_cb, NULL);
	evq_ev = event_new(base, evq_fd(), EV_READ | EV_PERSIST, evq_cb, NULL);
	if (!listen_ev || !evq_ev || event_add(listen_ev, NULL) < 0 ||
	    event_add(evq_ev, NULL) < 0) {
		ctl_stop();
		return -ENOMEM;
	}
	log_info("ctl: listening on %s", sock_path);
	return 0;
}

void ctl_stop(void)
{
	while (conns)
		conn_close(conns);
	if (listen_ev)
		event_free(listen_ev);
	if (evq_ev)
		event_free(evq_ev);
	listen_ev = evq_ev = NULL;
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(sock_path);
	}
	listen_fd = -1;
}
