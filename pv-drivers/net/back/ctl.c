/*
 * The stats socket, <rundir>/netback.sock (netif.h): a client writes
 * "stats\n" and reads one line per vif, an empty line, then EOF. state is
 * the vif's XenbusState as B/state has it (4: Connected); after the
 * contract's keys come tx_dropped (good packets the TAP refused) and
 * rx_errors (rx slots answered NETIF_RSP_ERROR). `pvx
 * daemons` also takes an accepting socket as the sign that pvx-netback is
 * ready, so this step runs last.
 *
 * Mode 0600 (umask around bind): counters name every guest's devices.
 * Clients are bufferevents, so a client that never reads cannot block the
 * daemon; each has a 5 s timeout, requests are at most one 64-byte line,
 * and at most NB_CTL_MAX_CLIENTS are served at once.
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

#include "netbackd.h"

#define NB_CTL_MAX_CLIENTS 16
#define NB_CTL_MAX_LINE 64

static void put_stats(struct netbackd *d, struct evbuffer *out)
{
	struct nb_vif *v;

	LIST_FOREACH(v, &d->vifs, link) {
		struct netback_stats st, *s = &st;

		nb_vif_stats(v, &st);

		evbuffer_add_printf(out, "domid=%d devid=%u tap=%s bridge=%s state=%d queues=%u "
			"tx_packets=%llu tx_bytes=%llu tx_errors=%llu rx_packets=%llu "
			"rx_bytes=%llu rx_dropped=%llu notify_in=%llu notify_out=%llu "
			"tx_dropped=%llu rx_errors=%llu\n",
			(int)v->domid, v->devid, v->cfg_ok ? v->cfg.vifname : "-",
			v->cfg_ok && v->cfg.bridge[0] ? v->cfg.bridge : "-",
			v->state < 0 ? 0 : v->state, v->nr_queues,
			(unsigned long long)s->tx_packets, (unsigned long long)s->tx_bytes,
			(unsigned long long)s->tx_errors, (unsigned long long)s->rx_packets,
			(unsigned long long)s->rx_bytes, (unsigned long long)s->rx_dropped,
			(unsigned long long)s->notify_in, (unsigned long long)s->notify_out,
			(unsigned long long)s->tx_dropped, (unsigned long long)s->rx_errors);
	}
	evbuffer_add(out, "\n", 1);
}

static void client_free(struct bufferevent *bev, struct netbackd *d)
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
	struct netbackd *d = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n;
	char *line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF);

	if (!line) {
		if (evbuffer_get_length(in) > NB_CTL_MAX_LINE)
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
	struct netbackd *d = arg;
	struct timeval tmo = { 5, 0 };
	struct bufferevent *bev;
	int c;

	(void)what;
	for (int i = 0; i < NB_CTL_MAX_CLIENTS; i++) {
		c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (c < 0)
			return;
		if (d->nr_clients >= NB_CTL_MAX_CLIENTS) {
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

void nb_ctl_exit(void *netbackd)
{
	struct netbackd *d = netbackd;

	if (d->ctl_ev)
		event_free(d->ctl_ev);
	d->ctl_ev = NULL;
	if (d->ctl_fd >= 0) {
		close(d->ctl_fd);
		unlink(d->ctl_path);
	}
	d->ctl_fd = -1;
}

int nb_ctl_init(void *netbackd)
{
	struct netbackd *d = netbackd;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int rc;

	if (snprintf(d->ctl_path, sizeof(d->ctl_path), "%s/%s", d->ds.rundir,
		     PVX_NET_CTL_SOCK) >= (int)sizeof(sa.sun_path))
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
		nb_ctl_exit(d);
	}
	return rc;
}
