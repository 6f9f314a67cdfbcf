/*
 * netfront: discovery and the XenbusState handshake (netfront.h).
 *
 * Same shape as blkfront.c: waiting for the backend polls its state node
 * every millisecond (minios/xenbus_front.h, shared with blkfront), and the frontend's keys go out in one transaction
 * (with F/state=4, Connected: Linux skips Initialised for vifs) retried on
 * EAGAIN, so the backend never sees half of them. Every way out of
 * netfront_open after the rings exist writes Closed and gives them back.
 */
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/lib.h>
#include <minios/time.h>
#include <minios/xenbus_front.h>
#include <minios/xenstore.h>

#include "netfront.h"

#define HANDSHAKE_NS 10000000000ull
#define CLOSE_NS     2000000000ull
#define ALIVE_NS     1000000000ull

static int read_str(const char *dir, const char *key, char *buf, size_t len)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_read(0, path, buf, len);
}

static int put(uint32_t tx, const char *dir, const char *key, uint64_t v)
{
	char path[160], val[24];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
	return xs_write(tx, path, val);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int netfront_parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
			return -XEN_EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 3;
	}
	return 0;
}

int netfront_list(uint32_t *ids, unsigned max)
{
	static char names[512];

	return xbf_list(PVX_NET_FE_DIR, names, sizeof(names), ids, max, PVX_NET_MAX_VIFS - 1);
}

int netfront_backend_state(const struct netfront_dev *d)
{
	return xbf_state(d->be);
}

/* Waits for the backend to reach want; -XEN_EIO if it closes instead,
 * -XEN_ENODEV if its state node goes, -XEN_ETIMEDOUT after 10 s. */
static int wait_backend(struct netfront_dev *d, int want)
{
	return xbf_wait_state(d->be, want, HANDSHAKE_NS);
}

static int publish(struct netfront_dev *d)
{
	for (int tries = 0; tries < 20; tries++) {
		uint32_t tx;
		int rc = xs_transaction_start(&tx);

		if (rc < 0)
			return rc;
		rc |= put(tx, d->fe, "tx-ring-ref", d->tx.refs[0]);
		rc |= put(tx, d->fe, "rx-ring-ref", d->rx.refs[0]);
		rc |= put(tx, d->fe, "event-channel", d->port);
		rc |= put(tx, d->fe, "request-rx-copy", 1);
		rc |= put(tx, d->fe, "feature-rx-notify", 1);
		rc |= put(tx, d->fe, "feature-sg", 0);
		rc |= put(tx, d->fe, "feature-gso-tcpv4", 0);
		rc |= put(tx, d->fe, "feature-gso-tcpv6", 0);
		rc |= put(tx, d->fe, "feature-no-csum-offload", 0);
		rc |= put(tx, d->fe, "feature-ipv6-csum-offload", 0);
		rc |= put(tx, d->fe, "state", XenbusStateConnected);
		if (rc) {
			xs_transaction_end(tx, 0);
			return -XEN_EIO;
		}
		rc = xs_transaction_end(tx, 1);
		if (rc != -XEN_EAGAIN)
			return rc;
	}
	return -XEN_EAGAIN;
}

/* F/backend, F/backend-id, F/mac, and the backend's optional address keys. */
static int read_config(struct netfront_dev *d)
{
	char mac[32], ip[128];
	uint64_t beid;
	int rc;

	rc = read_str(d->fe, "backend", d->be, sizeof(d->be));
	if (rc < 0)
		return rc;
	if (xbf_read_u64(d->fe, "backend-id", &beid) < 0 || beid > 0x7FEF)
		return -XEN_EINVAL;
	d->backend_id = (domid_t)beid;
	rc = read_str(d->fe, "mac", mac, sizeof(mac));
	if (rc < 0)
		return rc;
	if (netfront_parse_mac(mac, d->mac) < 0 || (d->mac[0] & 1))
		return -XEN_EINVAL; /* no multicast source address */
	if (read_str(d->be, "ip", ip, sizeof(ip)) >= 0) {
		unsigned i = 0;

		while (ip[i] && ip[i] != ' ' && i + 1 < sizeof(d->be_ip)) {
			d->be_ip[i] = ip[i];
			i++;
		}
		d->be_ip[i] = '\0';
	}
	if (read_str(d->be, "gateway", d->be_gw, sizeof(d->be_gw)) < 0)
		d->be_gw[0] = '\0';
	return 0;
}

static int setup_rings(struct netfront_dev *d)
{
	int rc = ringfront_setup(&d->tx, d->backend_id, 1, sizeof(union netif_tx_sring_entry));

	if (rc < 0)
		return rc;
	rc = ringfront_setup(&d->rx, d->backend_id, 1, sizeof(union netif_rx_sring_entry));
	if (rc < 0) {
		ringfront_teardown(&d->tx);
		return rc;
	}
	/* One port for both rings: the rx ring's own is not needed. */
	evtchn_close(d->rx.port);
	d->rx.port = 0;
	d->port = d->tx.port;
	if (d->tx.front.nr_ents != NETFRONT_RING_SIZE || d->rx.front.nr_ents != NETFRONT_RING_SIZE)
		return -XEN_EINVAL;
	return 0;
}

static void teardown_rings(struct netfront_dev *d)
{
	netfront_io_teardown(d);
	ringfront_teardown(&d->rx); /* its port is 0: nothing to close */
	ringfront_teardown(&d->tx); /* -XEN_EBUSY: pages stay granted, not reused */
}

int netfront_open(struct netfront_dev *d, uint32_t devid, const struct netfront_opts *o)
{
	uint64_t rxcopy;
	int rc;

	memset(d, 0, sizeof(*d));
	d->devid = devid;
	d->no_rx = o && o->no_rx;
	snprintf(d->fe, sizeof(d->fe), "%s/%u", PVX_NET_FE_DIR, devid);
	rc = read_config(d);
	if (rc < 0)
		return rc;
	rc = wait_backend(d, XenbusStateInitWait);
	if (rc < 0)
		return rc;
	if (xbf_read_u64(d->be, "feature-rx-copy", &rxcopy) < 0 || rxcopy != 1)
		return -XEN_EOPNOTSUPP; /* rx-copy is the only rx mode there is */
	rc = setup_rings(d);
	if (rc < 0)
		goto fail;
	rc = netfront_io_setup(d);
	if (rc == 0)
		rc = publish(d);
	if (rc == 0)
		rc = wait_backend(d, XenbusStateConnected);
	if (rc < 0)
		goto fail;
	d->connected = 1;
	d->alive_check_ns = time_now_ns() + ALIVE_NS;
	netfront_track(d, 1);
	return 0;
fail:
	put(0, d->fe, "state", XenbusStateClosed);
	if (d->tx.ring)
		teardown_rings(d);
	return rc;
}

int netfront_alive(struct netfront_dev *d)
{
	uint64_t now = time_now_ns();
	int st;

	if (netfront_resuming())
		return 1;
	if (!d->connected || d->broken)
		return 0;
	if (now < d->alive_check_ns)
		return 1;
	d->alive_check_ns = now + ALIVE_NS;
	st = netfront_backend_state(d);
	if (st == XenbusStateConnected || st == -XEN_ETIMEDOUT)
		return 1; /* a slow store is not a dead backend */
	d->connected = 0;
	return 0;
}

void netfront_close(struct netfront_dev *d)
{
	uint64_t deadline = time_now_ns() + CLOSE_NS, fe_state;
	/* Hot-unplugged: the toolstack removed F already; writing its state
	 * would only recreate a stray node. */
	int fe_gone = xbf_read_u64(d->fe, "state", &fe_state) == -XEN_ENOENT;

	netfront_track(d, 0);
	if (!d->tx.ring)
		return;
	/* First: a thread that runs while we wait below must not touch the rings. */
	d->connected = 0;
	/* Xen's handshake: we go Closing, the backend unmaps the rings, stops
	 * copying and answers Closing (an older one: Closed), then we go
	 * Closed and the backend follows. */
	if (!fe_gone)
		put(0, d->fe, "state", XenbusStateClosing);
	xbf_wait_past(d->be, XenbusStateClosing, deadline);
	teardown_rings(d);
	if (!fe_gone) {
		put(0, d->fe, "state", XenbusStateClosed);
		xbf_wait_past(d->be, XenbusStateClosed, deadline);
	}
	d->connected = 0;
}
