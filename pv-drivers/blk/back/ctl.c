/*
 * The stats socket, <rundir>/blkback.sock (blkif.h): a client writes
 * "stats\n" and reads one line per vbd (its rings' counters summed), an
 * empty line, then EOF. `pvx top` samples it for block requests and
 * bytes per second; `pvx daemons` takes an accepting socket as the sign
 * that pvx-blkback is ready, so this step runs last.
 *
 * Mode 0600 (umask around bind): counters name every guest's disks.
 * Clients are bufferevents, so a client that never reads cannot block the
 * daemon (whose one thread also serves every ring); each has a 5 s
 * timeout, a request is at most one 64-byte line, and at most
 * BB_CTL_MAX_CLIENTS are served at once.
 */
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"

#define BB_CTL_MAX_CLIENTS 16
#define BB_CTL_MAX_LINE 64

void bb_stats_add(struct blkback_ring_stats *sum, const struct blkback_ring_stats *s)
{
	sum->requests += s->requests;
	sum->errors += s->errors;
	sum->notifies_out += s->notifies_out;
	sum->kicks += s->kicks;
	sum->rd_reqs += s->rd_reqs;
	sum->wr_reqs += s->wr_reqs;
	sum->rd_bytes += s->rd_bytes;
	sum->wr_bytes += s->wr_bytes;
}

/* The vbd's rings that are gone (a frontend that closed or reconnected)
 * still count: the totals only grow while the vbd exists. */
static void vbd_totals(const struct bb_vbd *v, struct blkback_ring_stats *t)
{
	*t = v->stats_closed;
	for (unsigned i = 0; i < v->nr_queues && i < PVX_BLK_MAX_QUEUES; i++)
		if (v->q[i].ring_live)
			bb_stats_add(t, &v->q[i].ring.stats);
}

static void put_stats(struct blkbackd *d, struct evbuffer *out)
{
	struct bb_vbd *v;

	LIST_FOREACH(v, &d->vbds, link) {
		struct blkback_ring_stats t;

		vbd_totals(v, &t);
		evbuffer_add_printf(out, "domid=%d devid=%u state=%d queues=%u "
			"rd_reqs=%llu wr_reqs=%llu rd_bytes=%llu wr_bytes=%llu "
			"requests=%llu errors=%llu\n",
			(int)v->domid, v->devid, v->state < 0 ? 0 : v->state,
			v->connected ? v->nr_queues : 0,
			(unsigned long long)t.rd_reqs, (unsigned long long)t.wr_reqs,
			(unsigned long long)t.rd_bytes, (unsigned long long)t.wr_bytes,
			(unsigned long long)t.requests, (unsigned long long)t.errors);
	}
	evbuffer_add(out, "\n", 1);
}

static void client_free(struct bufferevent *bev, struct blkbackd *d)
{
	bufferevent_free(bev);
	d->nr_clients--;
}

static void client_written(struct bufferevent *bev, void *arg)
{
	client_free(bev, arg); /* the answer is out: close */
}

static void client_event(struct bufferevent *bev, short what, void *arg)
{
	(void)what; /* EOF, error or timeout: all end the client */
	client_free(bev, arg);
}

static void client_read(struct bufferevent *bev, void *arg)
{
	struct blkbackd *d = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n;
	char *line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF);

	if (!line) {
		if (evbuffer_get_length(in) > BB_CTL_MAX_LINE)
			client_free(bev, d);
		return;
	}
	if (!strcmp(line, "stats"))
		put_stats(d, bufferevent_get_output(bev));
	else
		evbuffer_add_printf(bufferevent_get_output(bev), "error unknown command\n\n");
	free(line);
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, client_written, client_event, d);
	bufferevent_enable(bev, EV_WRITE);
}

static void accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct blkbackd *d = arg;
	struct timeval tmo = { 5, 0 };
	struct bufferevent *bev;
	int c;

	(void)what;
	for (int i = 0; i < BB_CTL_MAX_CLIENTS; i++) {
		c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (c < 0)
			return;
		if (d->nr_clients >= BB_CTL_MAX_CLIENTS) {
			close(c);
			continue;
		}
		bev = bufferevent_socket_new(d->ds.base, c, BEV_OPT_CLOSE_ON_FREE);
		if (!bev) {
			close(c);
			continue;
		}
		d->nr_clients++;
		bufferevent_setcb(bev, client_read, NULL, client_event, d);
		bufferevent_set_timeouts(bev, &tmo, &tmo);
		bufferevent_enable(bev, EV_READ);
	}
}

void bb_ctl_exit(void *blkbackd)
{
	struct blkbackd *d = blkbackd;

	if (d->ctl_ev)
		event_free(d->ctl_ev);
	d->ctl_ev = NULL;
	if (d->ctl_fd >= 0) {
		close(d->ctl_fd);
		unlink(d->ctl_path);
	}
	d->ctl_fd = -1;
}

int bb_ctl_init(void *blkbackd)
{
	struct blkbackd *d = blkbackd;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int rc;

	if (snprintf(d->ctl_path, sizeof(d->ctl_path), "%s/%s", d->ds.rundir,
		     PVX_BLK_CTL_SOCK) >= (int)sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, d->ctl_path, strlen(d->ctl_path) + 1);
	d->ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (d->ctl_fd < 0)
		return -errno;
	unlink(d->ctl_path); /* a stale socket: the pid file says we are alone */
	old = umask(0177);
	rc = bind(d->ctl_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc == 0)
		rc = listen(d->ctl_fd, 16);
	rc = rc < 0 ? -errno : 0;
	if (!rc) {
		d->ctl_ev = event_new(d->ds.base, d->ctl_fd, EV_READ | EV_PERSIST, accept_cb, d);
		if (!d->ctl_ev || event_add(d->ctl_ev, NULL) < 0)
			rc = -ENOMEM;
	}
	if (rc < 0) {
		pvx_log_err("cannot listen on %s: %s", d->ctl_path, strerror(-rc));
		bb_ctl_exit(d);
	}
	return rc;
}
