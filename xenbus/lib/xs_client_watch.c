/*
 * libpvxxs watches. They live on a second connection (opened on first
 * use) so events and replies never interleave on the request socket.
 * xs_fileno() is an epoll descriptor over that socket and an eventfd that
 * stays readable while events sit in the handle's queue (events read
 * while waiting for a WATCH reply land there), so "readable" always means
 * "xs_read_watch() has something", whichever way the event arrived.
 *
 * The handle remembers its watches, so xs_reconnect() can register them
 * again on a restarted pvxstored: a long-lived client (a backend) then
 * goes on seeing new devices without being restarted itself.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "xs_client.h"

static int watch_conn(struct xs_handle *h)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int rc;

	if (h->wfd >= 0)
		return 0;
	if ((rc = xs_connect(h->sockpath, &h->wfd)))
		return rc;
	h->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	h->pfd = epoll_create1(EPOLL_CLOEXEC);
	if (h->efd < 0 || h->pfd < 0)
		goto err;
	ev.data.fd = h->wfd;
	if (epoll_ctl(h->pfd, EPOLL_CTL_ADD, h->wfd, &ev))
		goto err;
	ev.data.fd = h->efd;
	if (epoll_ctl(h->pfd, EPOLL_CTL_ADD, h->efd, &ev))
		goto err;
	return 0;
err:
	rc = -errno;
	close(h->wfd);
	if (h->efd >= 0)
		close(h->efd);
	if (h->pfd >= 0)
		close(h->pfd);
	h->wfd = h->efd = h->pfd = -1;
	return rc;
}

static int remember(struct xs_handle *h, const char *path, const char *token,
		    int depth)
{
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
	struct xs_watch_rec *w = malloc(sizeof(*w) + pl + tl);

	if (!w)
		return -ENOMEM;
	memcpy(w->path, path, pl);
	w->token = w->path + pl;
	memcpy(w->token, token, tl);
	w->depth = depth;
	w->next = h->watches;
	h->watches = w;
	return 0;
}

static void forget(struct xs_handle *h, const char *path, const char *token)
{
	struct xs_watch_rec **pp, *w;

	for (pp = &h->watches; (w = *pp); pp = &w->next)
		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			*pp = w->next;
			free(w);
			return;
		}
}

void xs_watches_free(struct xs_handle *h)
{
	struct xs_watch_rec *w;

	while ((w = h->watches)) {
		h->watches = w->next;
		free(w);
	}
}

static int send_watch(struct xs_handle *h, const char *path, const char *token,
		      int depth)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1, used;
	int rc = watch_conn(h), n = 0;

	if (rc)
		return rc;
	if (pl + tl + 12 > sizeof(buf))
		return -E2BIG;
	memcpy(buf, path, pl);
	memcpy(buf + pl, token, tl);
	used = pl + tl;
	if (depth >= 0) {
		char d[12];

		n = snprintf(d, sizeof(d), "%d", depth) + 1;
		memcpy(buf + used, d, n);
		used += n;
	}
	return xs_transact(h, h->wfd, XS_WATCH, XBT_NULL, buf, used, NULL, NULL);
}

int xs_watch_depth(struct xs_handle *h, const char *path, const char *token,
		   int depth)
{
	int rc = remember(h, path, token, depth);

	if (rc)
		return rc;
	rc = send_watch(h, path, token, depth);
	if (rc && !xs_conn_lost(rc))
		forget(h, path, token); /* refused; a lost one comes back */
	return rc;
}

int xs_watch(struct xs_handle *h, const char *path, const char *token)
{
	return xs_watch_depth(h, path, token, -1);
}

int xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;

	forget(h, path, token);
	if (h->wfd < 0)
		return -ENOENT;
	if (pl + tl > sizeof(buf))
		return -E2BIG;
	memcpy(buf, path, pl);
	memcpy(buf + pl, token, tl);
	return xs_transact(h, h->wfd, XS_UNWATCH, XBT_NULL, buf, pl + tl, NULL, NULL);
}

int xs_fileno(struct xs_handle *h)
{
	int rc = watch_conn(h);

	return rc ? rc : h->pfd;
}

static void pop(struct xs_handle *h, char **path, char **token)
{
	struct xs_event *e = h->head;
	uint64_t n;

	h->head = e->next;
	if (!h->head) {
		h->tail = &h->head;
		/* Queue empty: the eventfd must stop polling readable. */
		if (read(h->efd, &n, sizeof(n)) < 0)
			n = 0;
	}
	*path = e->path;
	*token = e->token;
	free(e);
}

int xs_read_watch(struct xs_handle *h, char **path, char **token, bool block)
{
	struct pollfd pf;
	struct xsd_sockmsg hdr;
	char *body;
	int rc = watch_conn(h);

	if (rc)
		return rc;
	while (!h->head) {
		if (!block && !xs_rbuf_ready(&h->rwfd)) {
			pf.fd = h->wfd;
			pf.events = POLLIN;
			rc = poll(&pf, 1, 0);
			if (rc < 0 && errno != EINTR)
				return -errno;
			if (rc <= 0)
				return -EAGAIN;
		}
		if ((rc = xs_recv_msg(h->wfd, &h->rwfd, &hdr, &body, block)))
			return rc;
		if (hdr.type == XS_WATCH_EVENT)
			xs_queue_event(h, body, hdr.len);
		else
			free(body); /* a reply nobody waits for */
		xs_drain_buffered(h);
	}
	pop(h, path, token);
	return 0;
}

bool xs_conn_lost(int err)
{
	return err == -ECONNRESET || err == -EPIPE || err == -ENOTCONN ||
	       err == -ECONNREFUSED;
}

/* Swaps in new sockets; the epoll descriptor (xs_fileno) stays. */
static void swap_fds(struct xs_handle *h, int fd, int wfd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = wfd };

	close(h->fd);
	h->fd = fd;
	h->rfd.have = 0;
	if (h->wfd >= 0) {
		epoll_ctl(h->pfd, EPOLL_CTL_DEL, h->wfd, NULL);
		close(h->wfd);
	}
	h->wfd = wfd;
	h->rwfd.have = 0;
	if (wfd >= 0 && epoll_ctl(h->pfd, EPOLL_CTL_ADD, wfd, &ev) < 0) {
		close(wfd);
		h->wfd = -1; /* a watch below fails, and the caller retries */
	}
}

int xs_reconnect(struct xs_handle *h)
{
	struct xs_watch_rec *w;
	int fd, wfd = -1, rc;

	if ((rc = xs_connect(h->sockpath, &fd)))
		return rc;
	if (h->pfd >= 0 && (rc = xs_connect(h->sockpath, &wfd))) {
		close(fd);
		return rc;
	}
	swap_fds(h, fd, wfd);
	if (h->pfd < 0)
		return 0;
	if (h->wfd < 0)
		return -ENOMEM;
	for (w = h->watches; w; w = w->next)
		if ((rc = send_watch(h, w->path, w->token, w->depth)))
			return rc;
	return 0;
}
