/*
 * The stats socket, <rundir>/netback.sock (netif.h): a client writes
 * "stats\n" and reads one line per vif, an empty line, then EOF. state is
 * the vif's XenbusState as B/state has it (4: Connected); after the
 * contract's keys come tx_dropped (good packets the TAP refused) and
 * rx_errors (rx slots answered NETIF_RSP_ERROR). `pvx
 * daemons` also takes an accepting socket as the sign that pvx-netback is
 * ready, so this step runs last.
 *
 * Mode 0600 from the start, clients bounded in number, size and time:
 * libpvxutil's stats server (pvx/stats_server.h), shared with
 * pvx-blkback; this file only writes the lines.
 */
#include <errno.h>
#include <event2/buffer.h>
#include <stdio.h>

#include "netbackd.h"

static void put_stats(void *netbackd, struct evbuffer *out)
{
	struct netbackd *d = netbackd;
	struct backd_dev *dev;

	LIST_FOREACH(dev, &d->vifs.list, link) {
		struct nb_vif *v = nb_vif_of(dev);
		struct netback_stats st, *s = &st;

		nb_vif_stats(v, &st);

		evbuffer_add_printf(out, "domid=%d devid=%u tap=%s bridge=%s state=%d queues=%u "
			"tx_packets=%llu tx_bytes=%llu tx_errors=%llu rx_packets=%llu "
			"rx_bytes=%llu rx_dropped=%llu notify_in=%llu notify_out=%llu "
			"tx_dropped=%llu rx_errors=%llu\n",
			(int)v->dev.domid, v->dev.devid, v->cfg_ok ? v->cfg.vifname : "-",
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

void nb_ctl_exit(void *netbackd)
{
	struct netbackd *d = netbackd;

	pvx_stats_server_stop(&d->ctl_srv);
}

int nb_ctl_init(void *netbackd)
{
	struct netbackd *d = netbackd;
	char path[sizeof(d->ctl_srv.path)];

	if (snprintf(path, sizeof(path), "%s/%s", d->ds.rundir, PVX_NET_CTL_SOCK) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return pvx_stats_server_start(&d->ctl_srv, d->ds.base, path, put_stats, d);
}
