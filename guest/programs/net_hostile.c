/*
 * net-hostile WHAT [ip=..] [vif=N]: a netfront that breaks the rules, to
 * prove pvx-netback answers with errors, drops, or disconnects this vif
 * only, while a healthy guest beside it keeps its traffic (the test runs
 * one). After a normal handshake it writes raw requests into the rings:
 *
 *   garbage    tx: sizes below ETH_HLEN and above the MTU, a slot crossing
 *              its page, 20 chained slots (> 18), chained sizes adding up
 *              past the first size, a GSO extra info, then a valid frame;
 *   badgrant   tx: a ref never granted, a ref granted to another domain;
 *              rx: buffers posted with a ref never granted and with pages
 *              granted read-only, then frames asked for (ARP broadcasts);
 *   indexjump  tx and rx req_prod 5000 past what was filled;
 *   norx       connects, never posts an rx buffer, and invites traffic
 *              (gratuitous ARP) that the backend must drop.
 *
 * Then "PASS net-hostile WHAT ..." with what came back, and it idles
 * (never tearing down: the toolstack destroys the domain).
 */
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "net_util.h"
#include "programs.h"

#define ANSWER_NS 3000000000ull

static uint8_t ro_page[4096] __attribute__((aligned(4096)));
static uint8_t other_page[4096] __attribute__((aligned(4096)));

struct counts {
	unsigned okay, error, dropped, null, other;
};

static void push(struct netfront_dev *d, struct pvx_ring_front *f)
{
	if (pvx_ring_front_push(f))
		evtchn_send(d->port);
}

/* One raw tx slot (the caller pushes). */
static void tx_raw(struct netfront_dev *d, grant_ref_t gref, uint16_t off, uint16_t flags,
		   uint16_t id, uint16_t size)
{
	struct netif_tx_sring *s = d->tx.ring;
	int64_t idx = pvx_ring_front_claim(&d->tx.front);

	if (idx >= 0)
		s->ring[idx].req.req = (struct netif_tx_request){ .gref = gref, .offset = off,
								  .flags = flags, .id = id,
								  .size = size };
}

static void tx_extra_gso(struct netfront_dev *d)
{
	struct netif_tx_sring *s = d->tx.ring;
	int64_t idx = pvx_ring_front_claim(&d->tx.front);

	if (idx >= 0) {
		memset(&s->ring[idx], 0, sizeof(s->ring[idx]));
		s->ring[idx].req.extra.type = XEN_NETIF_EXTRA_TYPE_GSO;
		s->ring[idx].req.extra.u.gso.size = 1400;
		s->ring[idx].req.extra.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
	}
}

static void count(struct counts *c, int16_t st)
{
	if (st == NETIF_RSP_OKAY)
		c->okay++;
	else if (st == NETIF_RSP_ERROR)
		c->error++;
	else if (st == NETIF_RSP_DROPPED)
		c->dropped++;
	else if (st == NETIF_RSP_NULL)
		c->null++;
	else
		c->other++;
}

/* Collects tx responses until every request slot is answered or 3 s. */
static void tx_collect(struct netfront_dev *d, struct counts *c)
{
	struct netif_tx_sring *s = d->tx.ring;
	uint64_t deadline = time_now_ns() + ANSWER_NS;

	while (d->tx.front.rsp_cons != d->tx.front.req_prod_pvt && time_now_ns() < deadline) {
		int n = pvx_ring_front_final_check(&d->tx.front);

		if (n < 0)
			return;
		if (n == 0) {
			evtchn_wait_until(d->port, MIN(deadline, time_now_ns() + 100000000ull));
			continue;
		}
		while (n-- > 0) {
			struct netif_tx_response r;

			PVX_RING_COPY_OUT(&r, &s->ring[d->tx.front.rsp_cons++ & 255].rsp);
			count(c, r.status);
		}
	}
}

/* A valid broadcast frame: an ARP request for ip (header by hand). */
static unsigned arp_frame(uint8_t *b, const struct net_if *nif, uint32_t ip)
{
	memset(b, 0, 60);
	memset(b, 0xff, 6);
	memcpy(b + 6, nif->mac, 6);
	net_put16(b + 12, NET_ETHERTYPE_ARP);
	net_put16(b + 14, 1);
	net_put16(b + 16, NET_ETHERTYPE_IP);
	b[18] = 6;
	b[19] = 4;
	net_put16(b + 20, 1);
	memcpy(b + 22, nif->mac, 6);
	net_put32(b + 28, nif->ip);
	net_put32(b + 38, ip);
	return 60;
}

/* Frame buffer 0 (page 0 of the tx buffers, offset 0) holds a valid ARP. */
static grant_ref_t valid_frame(struct net_if *nif, uint32_t ip)
{
	uint8_t *b = netfront_tx_get(nif->dev);

	if (b) {
		arp_frame(b, nif, ip);
		netfront_tx_drop(nif->dev, b);
	}
	return netfront_tx_ref(0);
}

static int garbage(struct net_if *nif)
{
	struct netfront_dev *d = nif->dev;
	grant_ref_t g = valid_frame(nif, nif->ip | 1);
	struct counts c = { 0 };

	tx_raw(d, g, 0, 0, 1, 0);                       /* empty */
	tx_raw(d, g, 0, 0, 2, 13);                      /* < ETH_HLEN */
	tx_raw(d, g, 0, 0, 3, 9000);                    /* > MTU */
	tx_raw(d, g, 4000, 0, 4, 200);                  /* crosses its page */
	for (uint16_t i = 0; i < 20; i++)               /* 20 slots */
		tx_raw(d, g, 0, i < 19 ? NETTXF_more_data : 0, (uint16_t)(10 + i),
		       i ? 60 : 1200);
	tx_raw(d, g, 0, NETTXF_more_data, 40, 100);     /* later sizes > first */
	tx_raw(d, g, 0, 0, 41, 2000);
	tx_raw(d, g, 0, NETTXF_extra_info, 42, 60);     /* GSO refused */
	tx_extra_gso(d);
	tx_raw(d, g, 0, 0, 43, 60);                     /* valid */
	push(d, &d->tx.front);
	tx_collect(d, &c);
	return pass("net-hostile garbage okay=%u error=%u dropped=%u null=%u other=%u "
		    "unanswered=%u", c.okay, c.error, c.dropped, c.null, c.other,
		    (unsigned)(d->tx.front.req_prod_pvt - d->tx.front.rsp_cons));
}

static int badgrant(struct net_if *nif)
{
	struct netfront_dev *d = nif->dev;
	struct netif_rx_sring *rs = d->rx.ring;
	grant_ref_t g = valid_frame(nif, nif->ip | 1), ro, other;
	struct counts tc = { 0 }, rc = { 0 };
	uint64_t deadline;

	if (gnttab_grant_page(d->backend_id, ro_page, 1, &ro) < 0 ||
	    gnttab_grant_page((domid_t)(d->backend_id + 1000), other_page, 1, &other) < 0)
		return fail("net-hostile: no grant refs");
	/* rx: 4 read-only, 4 never granted, then 8 good buffers. */
	for (unsigned i = 0; i < 16; i++) {
		int64_t idx = pvx_ring_front_claim(&d->rx.front);

		if (idx >= 0)
			rs->ring[idx].req = (struct netif_rx_request){
				.id = (uint16_t)idx,
				.gref = i < 4 ? ro : i < 8 ? 1900 : netfront_rx_ref((unsigned)idx) };
	}
	push(d, &d->rx.front);
	/* tx: never granted, granted to another domain, then valid ARPs that
	 * bring answers into the rx buffers. */
	tx_raw(d, 1901, 0, 0, 1, 60);
	tx_raw(d, other, 0, 0, 2, 60);
	for (uint16_t i = 0; i < 8; i++)
		tx_raw(d, g, 0, 0, (uint16_t)(3 + i), 60);
	push(d, &d->tx.front);
	tx_collect(d, &tc);
	deadline = time_now_ns() + ANSWER_NS;
	while (d->rx.front.rsp_cons != d->rx.front.req_prod_pvt && time_now_ns() < deadline) {
		int n = pvx_ring_front_final_check(&d->rx.front);

		if (n < 0)
			break;
		if (n == 0)
			evtchn_wait_until(d->port, MIN(deadline, time_now_ns() + 100000000ull));
		while (n-- > 0) {
			struct netif_rx_response r;

			PVX_RING_COPY_OUT(&r, &rs->ring[d->rx.front.rsp_cons++ & 255].rsp);
			count(&rc, r.status > 0 ? NETIF_RSP_OKAY : r.status);
		}
	}
	return pass("net-hostile badgrant tx_okay=%u tx_error=%u rx_okay=%u rx_error=%u "
		    "rx_unanswered=%u", tc.okay, tc.error, rc.okay, rc.error + rc.dropped + rc.other,
		    (unsigned)(d->rx.front.req_prod_pvt - d->rx.front.rsp_cons));
}

static int indexjump(struct net_if *nif)
{
	struct netfront_dev *d = nif->dev;
	uint64_t deadline = time_now_ns() + 5000000000ull;
	int st = netfront_backend_state(d);

	d->tx.front.sring->req_prod = d->tx.front.req_prod_pvt + 5000;
	d->rx.front.sring->req_prod = d->rx.front.req_prod_pvt + 5000;
	evtchn_send(d->port);
	while (time_now_ns() < deadline) {
		st = netfront_backend_state(d);
		if (st < 0 || st >= XenbusStateClosing)
			break;
		msleep(10);
	}
	return pass("net-hostile indexjump backend_state=%d", st);
}

static int norx(struct net_if *nif)
{
	uint8_t *b = netfront_tx_get(nif->dev);

	/* Gratuitous ARP: the bridge learns our MAC, unicast frames come. */
	if (b && netfront_tx_put(nif->dev, b, arp_frame(b, nif, nif->ip), 0) == 0)
		netfront_tx_push(nif->dev);
	msleep(500);
	return pass("net-hostile norx connected, no rx buffers posted");
}

int prog_net_hostile(int argc, char **argv)
{
	static struct netfront_dev dev;
	static struct net_if nif;
	struct netfront_opts o = { 0 };
	struct net_args a;
	const char *what;
	int rc;

	if (net_args_parse(argc - 1, argv + 1, &a) < 0 || a.argc < 1)
		return fail("net-hostile: usage: net-hostile garbage|badgrant|indexjump|norx");
	what = a.argv[0];
	if (strcmp(what, "garbage") && strcmp(what, "badgrant") && strcmp(what, "indexjump") &&
	    strcmp(what, "norx"))
		return fail("net-hostile: unknown attack '%s'", what);
	o.no_rx = !strcmp(what, "norx") || !strcmp(what, "badgrant");
	a.ip_optional = 1; /* an address is not needed to misbehave */
	rc = net_up("net-hostile", &a, &dev, &nif, &o);
	if (rc < 0)
		return fail("net-hostile: vif not up: %d", rc);
	if (!strcmp(what, "garbage"))
		rc = garbage(&nif);
	else if (!strcmp(what, "badgrant"))
		rc = badgrant(&nif);
	else if (!strcmp(what, "indexjump"))
		rc = indexjump(&nif);
	else
		rc = norx(&nif);
	for (;;)
		msleep(1000);
	return rc;
}
