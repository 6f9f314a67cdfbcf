/*
 * The UDP benchmark ends (tests/bench/, the host tool is the other end):
 *
 * udp-source DST PORT SIZE COUNT [PPS] [ip=..] [vif=N]: COUNT datagrams
 *   of SIZE payload bytes (the shared pattern, seq 0..COUNT-1) to
 *   DST:PORT, PPS per second (0: as fast as the ring takes them). Pushes
 *   are batched (every 32 frames, or before waiting) and notify only a
 *   sleeping backend. Starts 0.5 s after the vif is up and the ARP
 *   answer came; ends when every frame is answered by the backend:
 *   PASS udp-source sent=N ms=T pps=X notifies=K
 * udp-sink PORT SECONDS [ip=..] [vif=N]: counts datagrams to PORT for
 *   SECONDS after the first one, checking pattern and seq:
 *   PASS udp-sink received=N bytes=B bad=0 lost=L reordered=R pps=X
 *   (FAIL when bad > 0, or when nothing came within 60 s).
 * Both answer ARP, ICMP echo and UDP echo meanwhile.
 */
#include <xen/public/errno.h>

#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>

#include "net_util.h"
#include "programs.h"

#define SOURCE_PORT  9000
#define PUSH_BATCH   32
#define RESOLVE_NS   3000000000ull
#define STALL_NS     5000000000ull
#define FIRST_NS     60000000000ull
#define SETTLE_NS    500000000ull

static int pace(struct net_if *nif, uint64_t until)
{
	net_flush(nif);
	return net_serve_until(nif, until, NULL, NULL);
}

/* One datagram; waits (at most STALL_NS) for a free tx buffer. */
static int source_one(struct net_if *nif, const uint8_t *mac, uint32_t dst, uint16_t port,
		      unsigned size, uint64_t seq)
{
	uint64_t give_up = time_now_ns() + STALL_NS;
	uint8_t *p;

	while (!(p = net_udp_begin(nif, mac))) {
		if (net_poll(nif) < 0 || time_now_ns() >= give_up)
			return -XEN_EIO;
	}
	net_pattern_fill(p, size, seq);
	return net_udp_send(nif, p, dst, SOURCE_PORT, port, size);
}

static int drain(struct net_if *nif)
{
	uint64_t give_up = time_now_ns() + STALL_NS;

	net_flush(nif);
	while (netfront_tx_inflight(nif->dev)) {
		if (net_poll(nif) < 0 || time_now_ns() >= give_up)
			return -XEN_EIO;
		if (netfront_tx_inflight(nif->dev))
			netfront_tx_wait_idle(nif->dev, give_up);
	}
	return 0;
}

int prog_udp_source(int argc, char **argv)
{
	static struct netfront_dev dev;
	static struct net_if nif;
	uint64_t port, size, count, pps, seq, t0, ms;
	uint32_t dst;
	uint8_t mac[6];
	struct net_args a;
	int rc = 0;

	if (net_args_parse(argc - 1, argv + 1, &a) < 0 || a.argc < 4 ||
	    net_parse_ip(a.argv[0], &dst) < 0 || net_arg(&a, 1, 0, &port) < 0 ||
	    net_arg(&a, 2, 0, &size) < 0 || net_arg(&a, 3, 0, &count) < 0 ||
	    net_arg(&a, 4, 0, &pps) < 0 || port == 0 || port > 65535 || size > NET_UDP_MAX)
		return fail("udp-source: usage: udp-source DST PORT SIZE<=1472 COUNT [PPS] [ip=..]");
	rc = net_up("udp-source", &a, &dev, &nif, NULL);
	if (rc < 0)
		return fail("udp-source: vif not up: %d", rc);
	rc = net_arp_resolve(&nif, dst, mac, time_now_ns() + RESOLVE_NS);
	if (rc < 0) {
		net_down("udp-source", &nif);
		return fail("udp-source: %s: no ARP answer (%d)", a.argv[0], rc);
	}
	/* Half a second between "up" and the first datagram: whoever watches
	 * the console (the bench's counters) sees the whole transfer. */
	rc = net_serve_until(&nif, time_now_ns() + SETTLE_NS, NULL, NULL);
	nif.tx_hold = 1;
	dev.st.notifies = 0;
	t0 = time_now_ns();
	for (seq = 0; seq < count && rc >= 0; seq++) {
		if (pps) {
			uint64_t at = t0 + seq * 1000000000ull / pps;

			if (time_now_ns() < at)
				rc = pace(&nif, at);
		}
		if (rc >= 0)
			rc = source_one(&nif, mac, dst, (uint16_t)port, (unsigned)size, seq);
		if ((seq + 1) % PUSH_BATCH == 0) {
			net_flush(&nif);
			if (net_poll(&nif) < 0)
				rc = -XEN_EIO;
		}
	}
	if (rc >= 0)
		rc = drain(&nif);
	ms = (time_now_ns() - t0) / 1000000;
	nif.tx_hold = 0;
	net_down("udp-source", &nif);
	if (rc < 0)
		return fail("udp-source: stalled after %llu datagrams (%d)",
			    (unsigned long long)seq, rc);
	return pass("udp-source sent=%llu ms=%llu pps=%llu notifies=%llu",
		    (unsigned long long)count, (unsigned long long)ms,
		    (unsigned long long)(count * 1000 / (ms ? ms : 1)),
		    (unsigned long long)dev.st.notifies);
}

struct sink_ctx {
	struct net_sink s;
	uint16_t port;
};

static void sink_rx(struct net_if *nif, const struct net_udp_meta *m, const uint8_t *data,
		    unsigned len)
{
	struct sink_ctx *c = nif->user;

	if (m->dport == c->port && m->dst == nif->ip)
		net_sink_add(&c->s, data, len);
	else
		nif->st.udp_unbound++;
}

static int got_first(void *arg)
{
	return ((struct sink_ctx *)arg)->s.received > 0;
}

int prog_udp_sink(int argc, char **argv)
{
	static struct netfront_dev dev;
	static struct net_if nif;
	static struct sink_ctx c;
	uint64_t port, secs, ns;
	struct net_args a;
	int rc;

	if (net_args_parse(argc - 1, argv + 1, &a) < 0 || a.argc < 2 ||
	    net_arg(&a, 0, 0, &port) < 0 || net_arg(&a, 1, 0, &secs) < 0 || port == 0 ||
	    port > 65535 || secs == 0)
		return fail("udp-sink: usage: udp-sink PORT SECONDS [ip=..]");
	c.port = (uint16_t)port;
	rc = net_up("udp-sink", &a, &dev, &nif, NULL);
	if (rc < 0)
		return fail("udp-sink: vif not up: %d", rc);
	nif.udp_rx = sink_rx;
	nif.user = &c;
	nif.udp_echo = port != NET_UDP_ECHO_PORT;
	rc = net_serve_until(&nif, time_now_ns() + FIRST_NS, got_first, &c);
	if (rc >= 0 && c.s.received)
		rc = net_serve_until(&nif, c.s.first_ns + secs * 1000000000ull, NULL, NULL);
	net_down("udp-sink", &nif);
	if (rc < 0)
		return fail("udp-sink: the vif went away (%d) received=%llu", rc,
			    (unsigned long long)c.s.received);
	if (!c.s.received)
		return fail("udp-sink: nothing received on port %u", c.port);
	ns = c.s.last_ns > c.s.first_ns ? c.s.last_ns - c.s.first_ns : 1;
	return (c.s.bad ? fail : pass)(
		"udp-sink received=%llu bytes=%llu bad=%llu lost=%llu reordered=%llu pps=%llu",
		(unsigned long long)c.s.received, (unsigned long long)c.s.bytes,
		(unsigned long long)c.s.bad, (unsigned long long)c.s.lost,
		(unsigned long long)c.s.reordered,
		(unsigned long long)((c.s.received - 1) * 1000000000ull / ns));
}
